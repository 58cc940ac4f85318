from collections import defaultdict
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_callplan.models.crm_call_plan_run import CHUNK_SIZE
from odoo.addons.crm_callplan.models.crm_call_plan_run import CrmCallPlanRun as BaseRun
from odoo.addons.crm_callplan.models.crm_call_policy import CONSENT_CHANNEL
from odoo.addons.crm_customer_care.models.res_partner_contact import OPT_IN_PURPOSES
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL


class CrmCallPlanRun(models.Model):
    """A plan run with a target list is a *call campaign*: one call to each
    customer and each open lead of the list over the horizon, under the
    campaign's policy (channel, hours, duration, consent purpose, contact
    limits), the same callers, capacity, calendars and consent checks as
    the recurring plan; a holdout of the list, drawn at launch and stored on
    the report, is never called and measures the campaign
    (``_callplan_campaign_results``)."""

    _inherit = "crm.call.plan.run"

    _ccare_frozen_fields = (*BaseRun._ccare_frozen_fields, "target_list_id", "campaign_policy_id")

    target_list_id = fields.Many2one(
        "crm.customer.target.list",
        "Target List",
        check_company=True,
        index="btree_not_null",
        help="Set to make this run a call campaign: one call to each customer and lead of "
        "the list (its holdout excepted) instead of the recurring plan.",
    )
    campaign_policy_id = fields.Many2one(
        "crm.call.policy",
        "Campaign Policy",
        check_company=True,
        help="What the campaign's calls follow: channel, preferred hours and days, duration, "
        "checklist, consent purpose and contact limits.",
    )
    holdout_count = fields.Integer("Holdout", compute="_compute_holdout_count")

    @api.constrains("target_list_id", "company_id")
    def _check_target_list_filters(self):
        # a campaign calls the list's members, found as superuser: whoever
        # points it at a list must be able to read what its filters test
        self.target_list_id._ccare_check_filters()

    def _compute_holdout_count(self):
        counts = dict(
            self.env["crm.call.plan.run.line"]._read_group(
                [("run_id", "in", self.ids), ("line_type", "=", "holdout")], ["run_id"], ["__count"]
            )
        )
        for run in self:
            run.holdout_count = counts.get(run, 0)

    # ------------------------------------------------------------ extension points
    def _callplan_launch(self):
        if not self.target_list_id:
            return super()._callplan_launch()
        return self._launch_campaign()

    def _callplan_tasks(self, partner_ids, lead_ids):
        if not self.target_list_id:
            return super()._callplan_tasks(partner_ids, lead_ids)
        return self._callplan_campaign_tasks(partner_ids, lead_ids)

    def _callplan_is_campaign(self):
        return bool(self.target_list_id) or super()._callplan_is_campaign()

    # ------------------------------------------------------------ launch
    def _launch_campaign(self):
        """Start a call campaign: the list's customers and open leads (a
        customer with a lead of the list is called about the lead), its
        holdout drawn from those who may be contacted and stored as report
        lines, the others planned right away or in queued chunks."""
        self.ensure_one()
        policy = self.campaign_policy_id
        if not policy:
            raise UserError(
                self.env._(
                    "Call campaign %(run)s has no campaign policy: choose the policy its calls "
                    "follow (channel, hours, duration, consent).",
                    run=self.name,
                )
            )
        self._check_policies(policy)
        self.target_list_id._ccare_check_filters()  # before evaluating them as superuser
        target = self.target_list_id.sudo().with_company(self.company_id)
        leads = target._leads()
        partners = target._partners() - leads.partner_id.commercial_partner_id
        # held out among the contactable only, so that called and held out are alike
        blocked = self._callplan_campaign_blocks(partners, leads)
        held_partners, held_leads = target._ccare_draw_holdout(
            partners.filtered(lambda p: (p.id, 0) not in blocked),
            leads.filtered(lambda lead: ("lead", lead.id) not in blocked),
        )
        holdout = self.env._("held out of the campaign (control group)")
        self._insert_lines(
            [
                self._report_line("holdout", partner_id, policy, holdout)
                for partner_id in sorted(held_partners)
            ]
            + [
                self._report_line(
                    "holdout", lead.partner_id.commercial_partner_id.id, policy, holdout, lead.id
                )
                for lead in leads
                if lead.id in held_leads
            ]
        )
        partners = partners.filtered(lambda p: p.id not in held_partners)
        leads = leads.filtered(lambda lead: lead.id not in held_leads)
        self._start_campaign_chunks(partners, leads)

    def _start_campaign_chunks(self, partners, leads):
        """Plan the calls of ``partners`` and ``leads`` right away when they
        fit in one chunk, else in queued jobs (one per chunk)."""
        Job = self.env["crm.customer.care.chunked.job"]
        queued = bool(self.env.context.get("callplan_queue"))
        if len(partners) + len(leads) <= CHUNK_SIZE and not queued:
            with self._ccare_transition():
                self.write({"state": "running", "chunk_count": 1, "chunk_done": 0})
            self._generate_chunk(partners.ids, leads.ids)
            return
        chunks = len(Job._split_in_chunks(partners.ids, CHUNK_SIZE)) + len(
            Job._split_in_chunks(leads.ids, CHUNK_SIZE)
        )
        with self._ccare_transition():
            self.write(
                {"state": "running" if chunks else "done", "chunk_count": chunks, "chunk_done": 0}
            )
        description = self.env._("Call campaign %(run)s", run=self.name)
        for records in (partners, leads):
            if records:
                Job._enqueue_chunks(
                    records,
                    "_callplan_generate",
                    chunk_size=CHUNK_SIZE,
                    description=description,
                    run_id=self.id,
                )

    def _callplan_campaign_blocks(self, partners, leads):
        """Who the campaign's policy may not contact now: ``{key: reason}``
        with key ``(partner_id, 0)`` for a customer and ``("lead", lead_id)``
        for a lead. Customers, and leads through their contact person and
        account, through ``res.partner._ccare_contact_blocks`` (one query);
        a prospect (a lead without customer) through the lead's own address
        blacklists (Odoo's mail and phone blacklists, one query each). Our
        own companies and staff are never called, nor (until Data Quality's
        question is settled) an account flagged as a probable duplicate."""
        policy = self.campaign_policy_id
        channel = CONSENT_CHANNEL[policy.channel]
        with_partner = leads.filtered("partner_id")
        people = partners | with_partner.partner_id | with_partner.partner_id.commercial_partner_id
        reasons = people._ccare_contact_blocks(
            policy.consent_purpose, channel, require_opt_in=policy.require_opt_in or None
        )
        blocks = {(p.id, 0): reasons[p.id] for p in partners if p.id in reasons}
        for lead in with_partner:
            for person in (lead.partner_id, lead.partner_id.commercial_partner_id):
                if person.id in reasons:
                    blocks["lead", lead.id] = reasons[person.id]
                    break
        # our own companies and staff are not called; nor, until Data
        # Quality's question is settled, a probable duplicate
        accounts = partners | with_partner.partner_id.commercial_partner_id
        Partner = self.env["res.partner"].sudo()
        own = Partner.search(Domain("id", "in", accounts.ids) & Partner._ccare_own_partner_domain())
        duplicates = self._duplicate_reasons((accounts - own).ids)
        for partner in partners:
            if partner in own:
                blocks[partner.id, 0] = self.env._("one of our own companies or staff")
            elif partner.id in duplicates:
                blocks.setdefault((partner.id, 0), duplicates[partner.id])
        for lead in with_partner:
            account = lead.partner_id.commercial_partner_id
            if account in own:
                blocks["lead", lead.id] = self.env._("one of our own companies or staff")
            elif account.id in duplicates:
                blocks.setdefault(("lead", lead.id), duplicates[account.id])
        prospects = leads - with_partner
        if prospects and (policy.require_opt_in or policy.consent_purpose in OPT_IN_PURPOSES):
            # a prospect has granted nothing yet
            reason = self.env._("no consent given")
            blocks.update({("lead", lead.id): reason for lead in prospects})
        elif prospects and channel in ("phone", "email"):
            flag = "phone_blacklisted" if channel == "phone" else "is_blacklisted"
            reason = self.env._("blacklisted address")
            blocks.update({("lead", lead.id): reason for lead in prospects if lead[flag]})
        return blocks

    # ------------------------------------------------------------ the chunks
    def _callplan_campaign_units(self, partner_ids, lead_ids):
        """``(units, lines)``: the ``(account, contact person, lead)`` the
        campaign may call among the customers ``partner_ids`` and the leads
        ``lead_ids`` (open, of the company), and the report lines of the
        others. A prospect cleared by its blacklists gets its customer as
        Odoo's conversion gives one; then everyone is checked through the
        consent API. A constant number of queries."""
        env, company, policy = self.env, self.company_id, self.campaign_policy_id
        no_partner, no_lead = env["res.partner"], env["crm.lead"]
        leads = env["crm.lead"].search_fetch(
            [
                ("id", "in", list(lead_ids)),
                ("company_id", "in", [False, company.id]),
                ("won_status", "=", "pending"),
            ],
            ["name", "partner_id", "user_id", "email_normalized", "phone"],
        )
        partners = env["res.partner"].search_fetch(
            [("id", "in", list(partner_ids)), ("company_id", "in", [False, company.id])],
            ["name", "segment_id", "user_id", "last_contact_date"],
        )
        prospects = leads.filtered(lambda lead: not lead.partner_id)
        blocks = self._callplan_campaign_blocks(no_partner, prospects)
        lines = [
            self._report_line("skipped", None, policy, blocks["lead", lead.id], lead.id)
            for lead in prospects
            if ("lead", lead.id) in blocks
        ]
        prospects.filtered(lambda lead: ("lead", lead.id) not in blocks)._callplan_assign_customers(
            company
        )
        leads = leads.filtered("partner_id")
        blocks = self._callplan_campaign_blocks(partners, leads)
        units = []
        for partner in partners:
            if (partner.id, 0) in blocks:
                lines.append(
                    self._report_line("skipped", partner.id, policy, blocks[partner.id, 0])
                )
            else:
                units.append((partner, no_partner, no_lead))
        for lead in leads:
            account = lead.partner_id.commercial_partner_id
            contact = lead.partner_id if lead.partner_id != account else no_partner
            if ("lead", lead.id) in blocks:
                reason = blocks["lead", lead.id]
                lines.append(self._report_line("skipped", account.id, policy, reason, lead.id))
            else:
                units.append((account, contact, lead))
        return units, lines

    def _callplan_campaign_tasks(self, partner_ids, lead_ids):
        """The campaign's calls for the customers ``partner_ids`` and the
        leads ``lead_ids``: ``(tasks, lines, contacts)`` for
        :meth:`_place_tasks`. Each is due from the campaign's start (or the
        policy's minimum gap after its last contact) and may be placed
        anywhere in the horizon. A constant number of queries."""
        env, policy = self.env, self.campaign_policy_id
        units, lines = self._callplan_campaign_units(partner_ids, lead_ids)
        # history: what this campaign already planned (a retried chunk), contact days
        env["crm.call"].flush_model()
        planned = {
            tuple(row)
            for row in env.execute_query(
                SQL(
                    "SELECT partner_id, coalesce(lead_id, 0) FROM crm_call "
                    "WHERE plan_run_id = %s AND state != 'cancelled'",
                    self.id,
                )
            )
        }
        contacts = defaultdict(list)
        for partner_id, day in env.execute_query(
            SQL(
                """
                SELECT partner_id, coalesce(date_done, planned_date)::date FROM crm_call
                 WHERE partner_id = ANY(%s) AND company_id = %s AND state != 'cancelled'
                   AND (state = 'done' OR planned_date >= %s)
                """,
                [account.id for account, _contact, _lead in units],
                self.company_id.id,
                self.date_from - timedelta(days=policy.max_contacts_days),
            )
        ):
            contacts[partner_id].append(day)
        channels = dict(env["crm.call"]._fields["channel"]._description_selection(env))
        tasks = []
        for account, contact, lead in units:
            if (account.id, lead.id or 0) in planned:
                continue
            due = self.date_from
            last_contact = account.last_contact_date
            if policy.min_gap_days and last_contact:
                due = max(due, last_contact + timedelta(days=policy.min_gap_days))
            if due > self.date_to:
                reason = env._(
                    "last contact on %(date)s: no call before %(next)s", date=last_contact, next=due
                )
                lines.append(self._report_line("limit", account.id, policy, reason, lead.id))
                continue
            extra = {
                "name": f"{channels[policy.channel]}: {lead.name or account.name}",
                "lead_id": lead.id,
                "contact_id": contact.id,
                "user_id": (lead.user_id or account.user_id).id,
                "target_list_id": self.target_list_id.id,
                "deadline_date": self.date_to,
            }
            tasks.append((due, (account.id, lead.id or 0), account, policy, self.date_to, extra))
        return tasks, lines, contacts
