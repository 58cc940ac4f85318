from collections import defaultdict
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytz

from odoo import Command
from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.res_partner_contact import OPT_IN_PURPOSES
from odoo.addons.crm_customer_care.stats import welch_interval
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

from .crm_call_policy import CONSENT_CHANNEL

CHUNK_SIZE = 1000
# a campaign's effect is measured over its horizon and these days after it
ATTRIBUTION_DAYS = 30


class CrmCallPlanRun(models.Model):
    """One generation of the call plan over a horizon, and its report.

    The accounts are handed to queue_job in chunks (crm_customer_care's
    chunked job helper); each chunk (:meth:`_generate_chunk`) works on its
    accounts in a constant number of queries. A unique key on the calls
    (account, due date) and due dates computed from the calls already there
    make re-runs create nothing new and a crashed chunk safe to retry.

    With a target list it is a *call campaign*: one call to each customer and
    each open lead of the list over the horizon, under the campaign's policy
    (channel, hours, duration, consent purpose, contact limits), the same
    callers, capacity, calendars and consent checks; a holdout of the list,
    drawn at launch and stored on the report, is never called and measures
    the campaign (:meth:`_campaign_results`)."""

    _name = "crm.call.plan.run"
    _description = "Call Plan Run"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # the run's progress is the server's: set by action_generate and its chunks
    _ccare_workflow_fields = ("state", "chunk_count", "chunk_done", "user_id", "cause")
    _ccare_frozen_fields = (
        "date_from",
        "horizon_weeks",
        "company_id",
        "target_list_id",
        "campaign_policy_id",
    )

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    cause = fields.Selection([("manual", "Manual"), ("cron", "Scheduled")], default="manual")
    date_from = fields.Date(required=True, default=fields.Date.context_today)
    horizon_weeks = fields.Integer("Horizon (weeks)", default=4, required=True)
    date_to = fields.Date(compute="_compute_date_to", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
    )
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
    holdout_count = fields.Integer("Holdout", compute="_compute_counts")
    # a campaign's results against its holdout (see _campaign_results)
    currency_id = fields.Many2one(related="company_id.currency_id")
    called_unit_count = fields.Integer("Called", compute="_compute_campaign_results")
    conversion_called = fields.Float(
        "Conversion Called (%)", compute="_compute_campaign_results", digits=(16, 1)
    )
    conversion_holdout = fields.Float(
        "Conversion Holdout (%)", compute="_compute_campaign_results", digits=(16, 1)
    )
    conversion_low = fields.Float(compute="_compute_campaign_results", digits=(16, 1))
    conversion_high = fields.Float(compute="_compute_campaign_results", digits=(16, 1))
    revenue_called = fields.Monetary(
        "Suggested-Product Revenue per Called", compute="_compute_campaign_results"
    )
    revenue_holdout = fields.Monetary(
        "Suggested-Product Revenue per Holdout", compute="_compute_campaign_results"
    )
    revenue_low = fields.Monetary(compute="_compute_campaign_results")
    revenue_high = fields.Monetary(compute="_compute_campaign_results")
    margin_called = fields.Monetary("Margin per Called", compute="_compute_campaign_results")
    margin_holdout = fields.Monetary("Margin per Holdout", compute="_compute_campaign_results")
    margin_low = fields.Monetary(compute="_compute_campaign_results")
    margin_high = fields.Monetary(compute="_compute_campaign_results")
    results_note = fields.Char(compute="_compute_campaign_results")
    chunk_count = fields.Integer(readonly=True)
    chunk_done = fields.Integer(readonly=True)
    call_ids = fields.One2many("crm.call", "plan_run_id", string="Planned Calls")
    call_count = fields.Integer(compute="_compute_counts")
    line_ids = fields.One2many("crm.call.plan.run.line", "run_id", string="Report")
    load_ids = fields.One2many("crm.call.plan.run.load", "run_id", string="Load")
    skipped_count = fields.Integer("Skipped", compute="_compute_counts")
    unfitted_count = fields.Integer("Not Fitted", compute="_compute_counts")
    capacity_total = fields.Integer(
        compute="_compute_capacity", help="Calls the callers can make over the horizon."
    )
    capacity_used = fields.Float(
        "Capacity Used (%)",
        compute="_compute_capacity",
        help="Planned calls of the horizon over the callers' capacity.",
    )

    _horizon_positive = models.Constraint(
        "CHECK(horizon_weeks BETWEEN 1 AND 52)",
        "The horizon of a call plan is between 1 and 52 weeks.",
    )

    @api.constrains("target_list_id", "company_id")
    def _check_target_list_filters(self):
        # a campaign calls the list's members, found as superuser: whoever
        # points it at a list must be able to read what its filters test
        self.target_list_id._ccare_check_filters()

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Plan %(from)s - %(to)s", **{"from": run.date_from, "to": run.date_to}
            )

    @api.depends("date_from", "horizon_weeks")
    def _compute_date_to(self):
        for run in self:
            run.date_to = run.date_from and run.date_from + timedelta(
                weeks=run.horizon_weeks, days=-1
            )

    def _compute_counts(self):
        calls = dict(
            self.env["crm.call"]._read_group(
                [("plan_run_id", "in", self.ids)], ["plan_run_id"], ["__count"]
            )
        )
        lines = defaultdict(int)
        for run, line_type, count in self.env["crm.call.plan.run.line"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "line_type"], ["__count"]
        ):
            lines[run.id, "skipped" if line_type in ("skipped", "limit") else line_type] += count
        for run in self:
            run.holdout_count = lines[run.id, "holdout"]
            run.call_count = calls.get(run, 0)
            run.skipped_count = lines[run.id, "skipped"]
            run.unfitted_count = lines[run.id, "unfitted"]

    def _compute_capacity(self):
        for run in self:
            callers = self.env["crm.call.caller"].search([("company_id", "=", run.company_id.id)])
            work = run._working_days(callers) if run.date_from and run.date_to else {}
            capacity = {caller.id: caller.daily_capacity for caller in callers}
            total = sum(capacity[caller_id] for caller_id, _day in work)
            planned = (
                self.env["crm.call"].search_count(
                    [
                        ("caller_id", "in", callers.ids),
                        ("state", "!=", "cancelled"),
                        ("planned_date", ">=", datetime.combine(run.date_from, time.min)),
                        ("planned_date", "<=", datetime.combine(run.date_to, time.max)),
                    ]
                )
                if callers
                else 0
            )
            run.capacity_total = total
            run.capacity_used = 100.0 * planned / total if total else 0.0

    # ------------------------------------------------------------ launch
    def _partner_domain(self):
        self.ensure_one()
        policies = (
            self.env["crm.call.policy"]
            .sudo()
            .search([("company_id", "in", [False, self.company_id.id])])
        )
        domain = (
            Domain("parent_id", "=", False)
            & Domain("company_id", "in", [False, self.company_id.id])
            & ~self.env["res.partner"]._ccare_own_partner_domain()
        )
        return domain & (
            Domain("segment_id", "in", policies.filtered(lambda p: not p.partner_id).segment_id.ids)
            | Domain("id", "in", policies.partner_id.ids)
        ), policies

    def action_generate(self):
        """Check the policies, then plan the calls of every account: right
        away when they fit in one chunk, else in queued jobs (one per chunk)."""
        self.check_access("write")
        for run in self:
            if run.state != "draft":
                raise UserError(self.env._("This plan run has already been started."))
            if run.target_list_id:
                run._launch_campaign()
                continue
            domain, policies = run._partner_domain()
            if not policies:
                raise UserError(
                    self.env._(
                        "There is no active call policy in %(company)s: define one per "
                        "segment first (Call Plans > Call Policies).",
                        company=run.company_id.name,
                    )
                )
            run._check_policies(policies)
            partners = self.env["res.partner"].sudo().search(domain)
            chunks = self.env["crm.customer.care.chunked.job"]._split_in_chunks(
                partners.ids, CHUNK_SIZE
            )
            with run._ccare_transition():
                run.write({"state": "running", "chunk_count": len(chunks), "chunk_done": 0})
            if len(chunks) <= 1 and not self.env.context.get("callplan_queue"):
                partners._callplan_generate(run.id)
            elif chunks:
                self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
                    partners,
                    "_callplan_generate",
                    chunk_size=CHUNK_SIZE,
                    description=self.env._("Generate call plan %(run)s", run=run.name),
                    run_id=run.id,
                )
            if not chunks:
                with run._ccare_transition():
                    run.state = "done"
        return True

    @api.model
    def _callplan_demo_campaign(self):
        """Demo story: a call campaign over the target list "Work Gloves
        upsell": the customers to whom Work Gloves are the next-best product
        (Gemini Furniture and LightsUp buy helmets, no gloves: see
        crm_customer_care's demo) and three prospects, one of whom asked
        never to be called (a blacklisted phone: skipped, no customer
        created). It runs from last Monday over two weeks; the first call reached the
        customer and its opportunity for the gloves was won (50 pairs invoiced): the campaign's
        conversion, against its holdout, on the Results tab."""
        gloves = self.env["product.product"].search(
            [("name", "=", "Work Gloves"), ("categ_id.name", "=", "Safety Equipment")], limit=1
        )
        policy = self.env.ref("crm_callplan.call_policy_growth", raise_if_not_found=False)
        if not gloves or not policy:
            return self
        leads = self.env["crm.lead"].create(
            [
                {
                    "name": "Safety kit for a new warehouse",
                    "partner_name": "Northwind Logistics",
                    "contact_name": "Peter Prospect",
                    "email_from": "peter@northwind.example.com",
                    "phone": "+32 470 36 58 14",
                },
                {
                    "name": "Work gloves for the workshop",
                    "partner_name": "Fabrikam Works",
                    "contact_name": "Gina Grant",
                    "email_from": "gina@fabrikam.example.com",
                    "phone": "+32 470 47 69 25",
                },
                {
                    "name": "Goggles quote (do not call)",
                    "contact_name": "Don Notcall",
                    "email_from": "don@notcall.example.com",
                    "phone": "+32 470 58 70 36",
                },
            ]
        )
        self.env["phone.blacklist"].sudo()._add([leads[2].phone_sanitized])
        target = self.env["crm.customer.target.list"].create(
            {
                "name": "Work Gloves upsell",
                "audience": "both",
                "next_product_id": gloves.id,
                "lead_domain": repr([("id", "in", leads.ids)]),
                "holdout_percent": 34.0,
                "description": "Customers whose next-best product is Work Gloves, and the "
                "prospects of the safety fair.",
            }
        )
        today = fields.Date.context_today(self)
        monday = today - timedelta(days=today.weekday() + 7)  # running since last week
        run = self.create(
            {
                "date_from": monday,
                "horizon_weeks": 2,
                "target_list_id": target.id,
                "campaign_policy_id": policy.id,
            }
        )
        run.action_generate()
        # a customer's call first: its order shows as suggested-product revenue
        call = run.call_ids.sorted(lambda c: (bool(c.lead_id), c.planned_date, c.id))[:1]
        if call:
            with call._ccare_transition():  # held at the start of the campaign
                call.write({"state": "done", "date_done": call.planned_date, "outcome": "reached"})
            lead = call.lead_id
            if not lead:
                call.action_create_opportunity()
                lead = call.lead_id
            lead.write({"type": "opportunity", "ccare_proposed_product_id": gloves.id})
            lead.action_set_won()
            if self.env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", run.company_id.id)], limit=1
            ):
                invoice = self.env["account.move"].create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": call.partner_id.id,
                        "invoice_date": call.planned_date.date(),
                        "invoice_line_ids": [
                            Command.create({"product_id": gloves.id, "quantity": 50, "tax_ids": []})
                        ],
                    }
                )
                invoice.action_post()
        return run

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
        blocked = self._campaign_blocks(partners, leads)
        held_partners, held_leads = target._ccare_draw_holdout(
            partners.filtered(lambda p: (p.id, 0) not in blocked),
            leads.filtered(lambda lead: ("lead", lead.id) not in blocked),
        )
        holdout = self.env._("held out of the campaign (control group)")
        self._insert_lines(
            [
                {
                    "run_id": self.id,
                    "line_type": "holdout",
                    "partner_id": partner_id,
                    "policy_id": policy.id,
                    "reason": holdout,
                }
                for partner_id in sorted(held_partners)
            ]
            + [
                {
                    "run_id": self.id,
                    "line_type": "holdout",
                    "partner_id": lead.partner_id.commercial_partner_id.id or None,
                    "lead_id": lead.id,
                    "policy_id": policy.id,
                    "reason": holdout,
                }
                for lead in leads
                if lead.id in held_leads
            ]
        )
        partners = partners.filtered(lambda p: p.id not in held_partners)
        leads = leads.filtered(lambda lead: lead.id not in held_leads)
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

    def _campaign_blocks(self, partners, leads):
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

    def _callable_domain(self, partner_ids):
        """Of ``partner_ids``, the accounts this run may call: of its
        company (or shared), never our own companies, their contacts or our
        staff (``res.partner._ccare_own_partner_domain``)."""
        return (
            Domain("id", "in", list(partner_ids))
            & Domain("company_id", "in", [False, self.company_id.id])
            & ~self.env["res.partner"]._ccare_own_partner_domain()
        )

    def _duplicate_reasons(self, partner_ids):
        """``{partner id: reason}``: the accounts of ``partner_ids`` Data
        Quality flags as probable duplicates (an open duplicate issue) are
        not called until the profiles are merged or the issue is marked
        reviewed; one query."""
        flagged = self.env["res.partner"].browse(partner_ids)._ccare_open_duplicates()
        return {
            partner_id: self.env._(
                "probable duplicate (%(why)s): merge the profiles or mark the Data Quality "
                "issue reviewed",
                why=why,
            )
            for partner_id, why in flagged.items()
        }

    def _compute_load(self):
        """Rewrite the load table of each run: capacity per caller and day
        from the working calendars, planned calls from one grouped read."""
        Load = self.env["crm.call.plan.run.load"].sudo()
        for run in self:
            Load.search([("run_id", "=", run.id)]).unlink()
            callers = (
                self.env["crm.call.caller"].sudo().search([("company_id", "=", run.company_id.id)])
            )
            if not callers:
                continue
            capacity = dict.fromkeys(run._working_days(callers))
            # days the calendar has them working but a leave or holiday takes
            scheduled = set(run._working_days(callers, compute_leaves=False))
            daily = {caller.id: caller.daily_capacity for caller in callers}
            planned = {
                (caller.id, day.date() if hasattr(day, "date") else day): count
                for caller, day, count in self.env["crm.call"]
                .sudo()
                ._read_group(
                    [
                        ("caller_id", "in", callers.ids),
                        ("state", "!=", "cancelled"),
                        ("planned_date", ">=", datetime.combine(run.date_from, time.min)),
                        ("planned_date", "<=", datetime.combine(run.date_to, time.max)),
                    ],
                    ["caller_id", "planned_date:day"],
                    ["__count"],
                )
            }
            rows = []
            for key in sorted(set(capacity) | set(planned) | scheduled):
                caller_id, day = key
                cap = daily[caller_id] if key in capacity else 0
                count = planned.get(key, 0)
                rows.append(
                    {
                        "run_id": run.id,
                        "caller_id": caller_id,
                        "day": day,
                        "capacity": cap,
                        "planned": count,
                        "free": cap - count,
                        "used": 100.0 * count / cap if cap else (100.0 if count else 0.0),
                        "on_leave": key in scheduled and key not in capacity,
                    }
                )
            Load.create(rows)
        return True

    def action_refresh_load(self):
        self.check_access("write")
        self._compute_load()
        return True

    def _check_policies(self, policies):
        """Report the policies that cannot produce calls: no caller covers
        them, or their preferred hours fall outside every caller's hours."""
        self.ensure_one()
        callers = (
            self.env["crm.call.caller"].sudo().search([("company_id", "=", self.company_id.id)])
        )
        work = self._working_days(callers)
        lines = []
        for policy in policies:
            eligible = self._eligible_callers(policy, policy.segment_id, callers)
            if not eligible:
                lines.append(
                    {
                        "run_id": self.id,
                        "line_type": "policy",
                        "policy_id": policy.id,
                        "reason": self.env._(
                            "No caller covers the segment “%(segment)s” of this policy: its "
                            "accounts cannot be planned.",
                            segment=policy.segment_id.name or policy.partner_id.name,
                        ),
                    }
                )
                continue
            weekdays = policy._weekdays()
            fits = any(
                start.hour + start.minute / 60 < policy.hour_to
                and stop.hour + stop.minute / 60 > policy.hour_from
                for (caller_id, day), intervals in work.items()
                if caller_id in eligible.ids and day.weekday() in weekdays
                for start, stop in intervals
            )
            if not fits:
                lines.append(
                    {
                        "run_id": self.id,
                        "line_type": "policy",
                        "policy_id": policy.id,
                        "reason": self.env._(
                            "The preferred hours (%(from)s-%(to)s) and days of this policy are "
                            "outside the working hours of all its callers.",
                            **{"from": _hours(policy.hour_from), "to": _hours(policy.hour_to)},
                        ),
                    }
                )
        self.env["crm.call.plan.run.line"].sudo().create(lines)

    @api.model
    def _cron_generate_plan(self):
        """Weekly: a run per company with call policies, queued in chunks."""
        horizon = int(
            self.env["ir.config_parameter"].sudo().get_param("crm_callplan.horizon_weeks", 4)
        )
        policies = self.env["crm.call.policy"].sudo().search([])
        companies = policies.company_id or self.env.company
        with self._ccare_transition():
            runs = self.sudo().create(
                [
                    {"company_id": company.id, "cause": "cron", "horizon_weeks": horizon}
                    for company in companies
                ]
            )
        for run in runs:
            run.with_company(run.company_id).with_context(callplan_queue=True).action_generate()
        return runs

    # ------------------------------------------------------------ helpers
    @api.model
    def _eligible_callers(self, policy, segment, callers, campaign=False):
        """The callers of ``policy`` for an account of ``segment``: the
        policy's own, else those covering the segment, else those covering
        no segment in particular. In a campaign, a customer without segment
        (a prospect just given its customer) may be called by any caller
        when none is free of segments."""
        if policy.caller_ids:
            return policy.caller_ids & callers
        covering = callers.filtered(
            lambda c: segment in c.segment_ids or segment in c.agency_id.segment_ids
        )
        unsegmented = callers.filtered(lambda c: not c.segment_ids and not c.agency_id.segment_ids)
        if campaign and not segment:
            return unsegmented or callers
        return covering or unsegmented

    def _working_days(self, callers, compute_leaves=True):
        """``{(caller_id, local date): [(start, stop), ...]}``: when each
        caller works over the run's horizon, from their working calendar
        minus their leaves (and public holidays) unless ``compute_leaves`` is
        False. A few queries per calendar."""
        self.ensure_one()
        result = defaultdict(list)
        start = pytz.utc.localize(datetime.combine(self.date_from, time.min)) - timedelta(days=1)
        stop = pytz.utc.localize(datetime.combine(self.date_to, time.max)) + timedelta(days=1)
        by_calendar = defaultdict(lambda: self.env["crm.call.caller"])
        for caller in callers:
            by_calendar[caller.resource_calendar_id] |= caller
        for calendar, members in by_calendar.items():
            if not calendar:
                continue
            intervals = calendar._work_intervals_batch(
                start, stop, resources=members.resource_id, compute_leaves=compute_leaves
            )
            for caller in members:
                for begin, end, _meta in intervals.get(caller.resource_id.id, []):
                    day = begin.date()
                    if self.date_from <= day <= self.date_to:
                        result[caller.id, day].append((begin, end))
        return result

    # ------------------------------------------------------------ the engine
    def _generate_chunk(self, partner_ids, lead_ids=()):
        """Plan the calls of the horizon for the accounts ``partner_ids`` (and,
        in a campaign, the leads ``lead_ids``).

        Constant number of queries whatever the number of accounts: the
        accounts, the policies, one consent check per (purpose, channel), the
        call history, the callers, their calendars, their load, then one
        batch create of the calls, answers, meetings and report lines."""
        self.ensure_one()
        run = self.sudo()
        env = run.env
        company = run.company_id
        # serialise the chunks of one company on its callers: capacity is
        # shared between chunks running in parallel
        env.cr.execute(
            SQL(
                "SELECT id FROM crm_call_caller WHERE company_id = %s ORDER BY id FOR UPDATE",
                company.id,
            )
        )
        if run.target_list_id:
            tasks, lines, contacts = run._campaign_tasks(partner_ids, lead_ids)
        else:
            tasks, lines, contacts = run._plan_tasks(partner_ids)
        vals_list = run._place_tasks(tasks, lines, contacts)
        calls = env["crm.call"]._insert_planned(vals_list)
        run._insert_lines(lines)
        env["res.partner"]._ccare_recompute_contact_dates_of(calls.partner_id | calls.contact_id)
        env.flush_all()
        # a chunk run again once the run is done (a job re-queued) writes nothing
        finished = env.execute_query(
            SQL(
                """
                UPDATE crm_call_plan_run
                   SET chunk_done = chunk_done + 1,
                       state = CASE WHEN chunk_done + 1 >= chunk_count THEN 'done' ELSE state END
                 WHERE id = %s AND chunk_done < chunk_count
             RETURNING state = 'done'
                """,
                run.id,
            )
        )
        run.invalidate_recordset(["chunk_done", "state"])
        if finished and finished[0][0]:
            run._compute_load()
        return calls

    def _callplan_policies_of(self, partners, policies):
        """Extension point: ``{partner_id: policy}`` the recurring plan calls
        ``partners`` (a chunk, as superuser) under, from the company's active
        ``policies``; consent, do-not-contact and the limits of the chosen
        policy are checked after it. Overrides call super(), set-based."""
        by_account = {p.partner_id.id: p for p in policies if p.partner_id}
        by_segment = {}
        for policy in policies:
            if not policy.partner_id and policy.segment_id.id not in by_segment:
                by_segment[policy.segment_id.id] = policy
        chosen = {p.id: by_account.get(p.id) or by_segment.get(p.segment_id.id) for p in partners}
        return {partner_id: policy for partner_id, policy in chosen.items() if policy}

    def _plan_tasks(self, partner_ids):
        """The recurring plan of ``partner_ids``: ``(tasks, lines, contacts)``
        for :meth:`_place_tasks`, from their policies, consent and call
        history."""
        run = self
        env = self.env
        company = run.company_id
        partners = env["res.partner"].search_fetch(
            run._callable_domain(partner_ids),
            ["name", "segment_id", "user_id", "last_contact_date"],
        )
        policies = env["crm.call.policy"].search([("company_id", "in", [False, company.id])])
        policy_of = run._callplan_policies_of(partners, policies)

        lines = []
        # consent: one query per (purpose, channel, opt-in) the policies use
        groups = defaultdict(list)
        for partner_id, policy in policy_of.items():
            groups[policy.consent_purpose, policy.consent_channel, policy.require_opt_in].append(
                partner_id
            )
        for (purpose, channel, opt_in), ids in groups.items():
            blocks = (
                env["res.partner"]
                .browse(ids)
                ._ccare_contact_blocks(purpose, channel, require_opt_in=opt_in)
            )
            for partner_id, reason in blocks.items():
                lines.append(
                    {
                        "run_id": run.id,
                        "line_type": "skipped",
                        "partner_id": partner_id,
                        "policy_id": policy_of[partner_id].id,
                        "reason": reason,
                    }
                )
                del policy_of[partner_id]
        for partner_id, reason in run._duplicate_reasons(list(policy_of)).items():
            lines.append(
                {
                    "run_id": run.id,
                    "line_type": "skipped",
                    "partner_id": partner_id,
                    "policy_id": policy_of.pop(partner_id).id,
                    "reason": reason,
                }
            )

        # history: last done call, last due date of the series, contact days
        env["crm.call"].flush_model()
        last_done, last_due, contacts, taken = {}, {}, defaultdict(list), set()
        window_start = run.date_from - timedelta(
            days=max([p.max_contacts_days for p in (*policies, *policy_of.values())] + [0])
        )
        for partner_id, due, done_on, planned_on, state, generated in env.execute_query(
            SQL(
                """
                SELECT partner_id, due_date, date_done::date, planned_date::date, state,
                       policy_id IS NOT NULL AND target_list_id IS NULL
                  FROM crm_call
                 WHERE partner_id = ANY(%s) AND company_id = %s AND state != 'cancelled'
                   AND (state = 'done' OR due_date IS NOT NULL OR planned_date >= %s)
                """,
                list(policy_of),
                company.id,
                window_start,
            )
        ):
            if state == "done" and done_on:
                last_done[partner_id] = max(last_done.get(partner_id, done_on), done_on)
            if due and generated:
                last_due[partner_id] = max(last_due.get(partner_id, due), due)
                taken.add((partner_id, due))
            contacts[partner_id].append(done_on or planned_on)

        # due dates of the horizon, oldest first
        tasks = []
        for partner in partners:
            policy = policy_of.get(partner.id)
            if not policy:
                continue
            interval = policy._interval()
            anchor_due, anchor_done = last_due.get(partner.id), last_done.get(partner.id)
            if anchor_due and (not anchor_done or anchor_due >= anchor_done):
                due = anchor_due + interval
            elif anchor_done:
                due = anchor_done + interval
            else:
                due = run.date_from
            last_contact = max(filter(None, [partner.last_contact_date, anchor_done]), default=None)
            if policy.min_gap_days and last_contact:
                due = max(due, last_contact + timedelta(days=policy.min_gap_days))
            due = max(due, run.date_from)
            while due <= run.date_to:
                if (partner.id, due) not in taken:
                    last_day = min(due + timedelta(days=policy.tolerance_days), run.date_to)
                    tasks.append((due, partner.id, partner, policy, last_day, {}))
                due += interval
        return tasks, lines, contacts

    def _campaign_tasks(self, partner_ids, lead_ids):
        """The campaign's calls for the customers ``partner_ids`` and the
        leads ``lead_ids``: ``(tasks, lines, contacts)`` for
        :meth:`_place_tasks`. Each is due from the campaign's start (or the
        policy's minimum gap after its last contact) and may be placed
        anywhere in the horizon. A prospect cleared by its blacklists gets
        its customer as Odoo's conversion gives one; then everyone is checked
        through the consent API. A constant number of queries."""
        env = self.env
        company = self.company_id
        policy = self.campaign_policy_id
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
        lines = []

        def skip(account, lead, reason, line_type="skipped"):
            lines.append(
                {
                    "run_id": self.id,
                    "line_type": line_type,
                    "partner_id": account.id or None,
                    "lead_id": lead.id or None,
                    "policy_id": policy.id,
                    "reason": reason,
                }
            )

        prospects = leads.filtered(lambda lead: not lead.partner_id)
        blocks = self._campaign_blocks(no_partner, prospects)
        for lead in prospects:
            if ("lead", lead.id) in blocks:
                skip(no_partner, lead, blocks["lead", lead.id])
        prospects.filtered(lambda lead: ("lead", lead.id) not in blocks)._callplan_assign_customers(
            company
        )
        leads = leads.filtered("partner_id")
        blocks = self._campaign_blocks(partners, leads)
        units = []
        for partner in partners:
            if (partner.id, 0) in blocks:
                skip(partner, no_lead, blocks[partner.id, 0])
            else:
                units.append((partner, no_partner, no_lead))
        for lead in leads:
            account = lead.partner_id.commercial_partner_id
            contact = lead.partner_id if lead.partner_id != account else no_partner
            if ("lead", lead.id) in blocks:
                skip(account, lead, blocks["lead", lead.id])
            else:
                units.append((account, contact, lead))

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
                company.id,
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
                skip(
                    account,
                    lead,
                    env._(
                        "last contact on %(date)s: no call before %(next)s",
                        date=last_contact,
                        next=due,
                    ),
                    line_type="limit",
                )
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

    def _place_tasks(self, tasks, lines, contacts):
        """Fit ``tasks`` (``(due, key, account, policy, last day, extra call
        values)``) into the callers' free time, oldest first, over their
        calendars, capacity and the policies' hours, days and contact limits;
        a report line goes to ``lines`` for each that cannot be placed.
        Returns the values of the calls to insert."""
        run = self
        env = self.env
        company = run.company_id
        tasks.sort(key=lambda task: task[:2])

        # callers, their working days and their load
        callers = env["crm.call.caller"].search([("company_id", "=", company.id)])
        callers.fetch(["user_id", "agency_id", "daily_capacity", "segment_ids", "resource_id"])
        work = run._working_days(callers)
        caller_tz = {
            c.id: pytz.timezone(c.tz or c.resource_calendar_id.tz or "UTC") for c in callers
        }
        load, next_free = defaultdict(int), {}
        if callers:
            for caller_id, planned, duration in env.execute_query(
                SQL(
                    """
                    SELECT caller_id, planned_date, coalesce(duration, 0) FROM crm_call
                     WHERE caller_id = ANY(%s) AND state != 'cancelled'
                       AND planned_date BETWEEN %s AND %s
                    """,
                    callers.ids,
                    datetime.combine(run.date_from - timedelta(days=1), time.min),
                    datetime.combine(run.date_to + timedelta(days=1), time.max),
                )
            ):
                local = pytz.utc.localize(planned).astimezone(caller_tz[caller_id])
                key = (caller_id, local.date())
                load[key] += 1
                end = local + timedelta(minutes=duration)
                next_free[key] = max(next_free.get(key, end), end)
        user_caller = {c.user_id.id: c for c in callers}

        def fit(caller, day, policy):
            key = (caller.id, day)
            if load[key] >= caller.daily_capacity:
                return None
            if caller.agency_id and not caller.agency_id._is_under_contract(day):
                return None
            for begin, end in work.get(key, ()):
                midnight = begin.replace(hour=0, minute=0, second=0, microsecond=0)
                start = max(
                    begin, midnight + timedelta(hours=policy.hour_from), next_free.get(key, begin)
                )
                stop = start + timedelta(minutes=policy.duration)
                if stop <= min(end, midnight + timedelta(hours=policy.hour_to)):
                    load[key] += 1
                    next_free[key] = stop
                    return start.astimezone(pytz.utc).replace(tzinfo=None)
            return None

        channels = dict(env["crm.call"]._fields["channel"]._description_selection(env))
        eligible_cache = {}
        vals_list = []
        for due, _key, partner, policy, last_day, extra in tasks:
            partner_id = partner.id
            lead_id = extra.get("lead_id") or None
            if policy.max_contacts:
                since = due - timedelta(days=policy.max_contacts_days - 1)
                if (
                    sum(1 for d in contacts[partner_id] if d and since <= d <= due)
                    >= policy.max_contacts
                ):
                    lines.append(
                        {
                            "run_id": run.id,
                            "line_type": "limit",
                            "partner_id": partner_id,
                            "lead_id": lead_id,
                            "policy_id": policy.id,
                            "due_date": due,
                            "reason": env._(
                                "already %(count)s contact(s) in %(days)s days",
                                count=policy.max_contacts,
                                days=policy.max_contacts_days,
                            ),
                        }
                    )
                    continue
            cache_key = (policy.id, partner.segment_id.id)
            if cache_key not in eligible_cache:
                eligible_cache[cache_key] = run._eligible_callers(
                    policy, partner.segment_id, callers, campaign=bool(run.target_list_id)
                )
            eligible = eligible_cache[cache_key]
            if not eligible:
                lines.append(
                    {
                        "run_id": run.id,
                        "line_type": "unfitted",
                        "partner_id": partner_id,
                        "lead_id": lead_id,
                        "policy_id": policy.id,
                        "due_date": due,
                        "reason": env._("no caller covers this account's segment"),
                    }
                )
                continue
            preferred = user_caller.get(extra.get("user_id", partner.user_id.id))
            weekdays = policy._weekdays()
            placed = None
            day = due
            while not placed and day <= last_day:
                if day.weekday() in weekdays:
                    ordered = sorted(
                        eligible, key=lambda c, d=day: (c != preferred, load[c.id, d], c.id)
                    )
                    for caller in ordered:
                        start = fit(caller, day, policy)
                        if start:
                            placed = (caller, start)
                            break
                day += timedelta(days=1)
            if not placed:
                lines.append(
                    {
                        "run_id": run.id,
                        "line_type": "unfitted",
                        "partner_id": partner_id,
                        "lead_id": lead_id,
                        "policy_id": policy.id,
                        "due_date": due,
                        "reason": env._(
                            "no caller has free time between %(from)s and %(to)s",
                            **{"from": due, "to": last_day},
                        ),
                    }
                )
                continue
            caller, start = placed
            contacts[partner_id].append(start.date())
            vals_list.append(
                {
                    **extra,
                    "name": extra.get("name") or f"{channels[policy.channel]}: {partner.name}",
                    "partner_id": partner_id,
                    "company_id": company.id,
                    "user_id": caller.user_id.id,
                    "caller_id": caller.id,
                    "segment_id": partner.segment_id.id,
                    "policy_id": policy.id,
                    "plan_run_id": run.id,
                    "channel": policy.channel,
                    "due_date": due,
                    "planned_date": start,
                    "duration": policy.duration,
                    "checklist_template_id": policy.checklist_template_id.id,
                }
            )
        return vals_list

    def _insert_lines(self, lines):
        """The report lines in one INSERT (there can be thousands), but for
        those the run already has (a chunk run twice reports nothing new)."""
        if not lines:
            return
        self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_call_plan_run_line
                       (run_id, company_id, line_type, partner_id, lead_id, policy_id, due_date,
                        reason, create_uid, write_uid, create_date, write_date)
                SELECT v.run_id, %(company)s, v.line_type, v.partner_id, v.lead_id, v.policy_id,
                       v.due_date, v.reason, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(runs)s::int[], %(types)s::varchar[], %(partners)s::int[],
                              %(leads)s::int[], %(policies)s::int[], %(dues)s::date[],
                              %(reasons)s::varchar[])
                       AS v(run_id, line_type, partner_id, lead_id, policy_id, due_date, reason)
                 WHERE NOT EXISTS (
                       SELECT 1 FROM crm_call_plan_run_line l
                        WHERE l.run_id = v.run_id AND l.line_type = v.line_type
                          AND l.partner_id IS NOT DISTINCT FROM v.partner_id
                          AND l.lead_id IS NOT DISTINCT FROM v.lead_id
                          AND l.policy_id IS NOT DISTINCT FROM v.policy_id
                          AND l.due_date IS NOT DISTINCT FROM v.due_date
                          AND l.reason IS NOT DISTINCT FROM v.reason)
                """,
                company=self.company_id.id,
                uid=self.env.uid,
                runs=[line["run_id"] for line in lines],
                types=[line["line_type"] for line in lines],
                partners=[line.get("partner_id") for line in lines],
                leads=[line.get("lead_id") for line in lines],
                policies=[line.get("policy_id") for line in lines],
                dues=[line.get("due_date") for line in lines],
                reasons=[line["reason"] for line in lines],
            )
        )
        self.invalidate_recordset(["line_ids"])

    # ------------------------------------------------------------ campaign results
    def _campaign_window(self):
        """The days a campaign's effect is measured over: its horizon and the
        ``ATTRIBUTION_DAYS`` after it, for orders and wins that follow the calls."""
        self.ensure_one()
        return self.date_from, self.date_to + timedelta(days=ATTRIBUTION_DAYS)

    def _campaign_results(self):
        """``{run_id: {"called": [unit], "holdout": [unit]}}`` for the
        campaigns of ``self``, a unit being ``(conversion 0/1, revenue of the
        suggested products, margin)`` over the campaign's window:

        - the *called* are the customers and leads the campaign planned a
          call for (whatever came of the call: intention to treat), the
          *holdout* those its report holds out, drawn at launch among the
          contactable;
        - a unit converts when, in the window, its lead is won (a lead) or an
          opportunity of the customer is won (a customer);
        - revenue is that of the products suggested to the customer during
          the campaign (its next-best products open at some point between its
          start and end: what the callers could propose), margin that
          of all its sales, both from ``crm.customer.revenue.report`` (the
          single revenue source) in the window; a prospect that has no
          customer has none.

        A constant number of queries per run."""
        results = {}
        Report = self.env["crm.customer.revenue.report"]
        for run in self.filtered("target_list_id"):
            run = run.sudo()
            start, end = run._campaign_window()
            units = {"called": set(), "holdout": set()}
            for partner, lead, _count in (
                self.env["crm.call"]
                .sudo()
                ._read_group([("plan_run_id", "=", run.id)], ["partner_id", "lead_id"], ["__count"])
            ):
                units["called"].add((partner.id, lead.id))
            for line in run.line_ids.filtered(lambda line: line.line_type == "holdout"):
                units["holdout"].add((line.partner_id.id, line.lead_id.id))
            accounts = {p for group in units.values() for p, _lead in group if p}
            lead_ids = {lead for group in units.values() for _p, lead in group if lead}
            won_leads = self.env["crm.lead"].sudo().with_context(active_test=False)
            won_leads = won_leads.search_fetch(
                [
                    ("won_status", "=", "won"),
                    ("date_closed", ">=", datetime.combine(start, time.min)),
                    ("date_closed", "<=", datetime.combine(end, time.max)),
                    "|",
                    ("id", "in", list(lead_ids)),
                    ("partner_id.commercial_partner_id", "in", list(accounts)),
                ],
                ["partner_id"],
            )
            won_ids = set(won_leads.ids)
            won_accounts = {lead.partner_id.commercial_partner_id.id for lead in won_leads}
            suggested = defaultdict(set)
            for suggestion in (
                self.env["crm.customer.next.product"]
                .sudo()
                .with_context(active_test=False)
                .search_fetch(
                    [
                        ("partner_id", "in", list(accounts)),
                        ("company_id", "=", run.company_id.id),
                        ("date_suggested", "<=", run.date_to),
                        "|",
                        ("date_closed", "=", False),
                        ("date_closed", ">=", start),
                    ],
                    ["partner_id", "product_id"],
                )
            ):
                suggested[suggestion.partner_id.id].add(suggestion.product_id.id)
            sales = Report._ccare_totals(
                [
                    ("commercial_partner_id", "in", list(accounts)),
                    ("company_id", "=", run.company_id.id),
                    ("date", ">=", start),
                    ("date", "<=", end),
                ],
                groupby=("commercial_partner_id", "product_id"),
            )
            revenue, margin = defaultdict(float), defaultdict(float)
            for (partner_id, product_id), (amount, cost) in sales.items():
                margin[partner_id] += amount - cost
                if product_id in suggested[partner_id]:
                    revenue[partner_id] += amount
            results[run.id] = {
                group: [
                    (
                        int(lead_id in won_ids if lead_id else partner_id in won_accounts),
                        revenue[partner_id] if partner_id else 0.0,
                        margin[partner_id] if partner_id else 0.0,
                    )
                    for partner_id, lead_id in sorted(keys, key=lambda k: (k[0] or 0, k[1] or 0))
                ]
                for group, keys in units.items()
            }
        return results

    @api.depends("target_list_id", "state")
    def _compute_campaign_results(self):
        results = self._campaign_results()
        for run in self:
            groups = results.get(run.id)
            values = dict.fromkeys(
                [
                    "conversion_called",
                    "conversion_holdout",
                    "conversion_low",
                    "conversion_high",
                    "revenue_called",
                    "revenue_holdout",
                    "revenue_low",
                    "revenue_high",
                    "margin_called",
                    "margin_holdout",
                    "margin_low",
                    "margin_high",
                ],
                0.0,
            )
            values.update(called_unit_count=0, results_note=False)
            if groups:
                called, held = groups["called"], groups["holdout"]
                values["called_unit_count"] = len(called)
                undefined = False
                for position, name, scale in (
                    (0, "conversion", 100.0),
                    (1, "revenue", 1.0),
                    (2, "margin", 1.0),
                ):
                    first, second = _moments(called, position), _moments(held, position)
                    values[f"{name}_called"] = first[1] * scale
                    values[f"{name}_holdout"] = second[1] * scale
                    interval = welch_interval(*first, *second)
                    if interval:
                        values[f"{name}_low"] = interval[1] * scale
                        values[f"{name}_high"] = interval[2] * scale
                    else:
                        undefined = True
                if undefined:
                    values["results_note"] = self.env._(
                        "No confidence interval where a group has fewer than two units or "
                        "no variation: the difference cannot be told from chance yet."
                    )
            run.update(values)

    def action_open_calls(self):
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_callplan.crm_call_action")
        action.update(
            domain=[("plan_run_id", "=", self.id)],
            context={"search_default_group_user": 1},
            view_mode="pivot,list,calendar,form",
            views=[(False, "pivot"), (False, "list"), (False, "calendar"), (False, "form")],
        )
        return action


def _moments(units, position):
    """``(n, mean, sample variance)`` of the ``position``-th figure of ``units``."""
    values = [unit[position] for unit in units]
    n = len(values)
    mean = sum(values) / n if n else 0.0
    var = sum((value - mean) ** 2 for value in values) / (n - 1) if n > 1 else 0.0
    return n, mean, var


def _hours(value):
    return f"{int(value):02d}:{round(value % 1 * 60):02d}"
