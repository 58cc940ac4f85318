from collections import defaultdict

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

CONTACT_DATE_FIELDS = ("last_contact_date", "next_contact_date")


class ResPartner(models.Model):
    """Last and next contact with a customer.

    Both dates are stored (lists sort and filter on them) and written by
    :meth:`_ccare_recompute_contact_dates`, which works on a whole recordset
    in a constant number of queries. It runs daily from a cron (meetings move
    from "next" to "last" as time passes) and right away when activities or
    meetings of the partners change (see mail_activity.py, calendar_event.py).

    The contact events come from :meth:`_ccare_contact_events`, the extension
    point other addons override to add their own sources (calls, visits...).
    """

    _inherit = "res.partner"

    last_contact_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Latest done activity or past meeting with this customer, its leads "
        "and, for a company, its contacts.",
        groups="base.group_user",
    )
    next_contact_date = fields.Date(
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Earliest open activity or upcoming meeting with this customer, its "
        "leads and, for a company, its contacts.",
        groups="base.group_user",
    )

    # ------------------------------------------------------------
    # Scope: the partner, its contacts (for a company) and its leads
    # ------------------------------------------------------------

    def _ccare_rollup_scope(self):
        """Return ``(sources, targets)`` for the partners in ``self``.

        ``sources`` are the partners whose events count for ``self``: the
        partners themselves and, for a commercial partner (a company), every
        contact under it, archived ones included. ``targets`` maps each source
        id to the ids in ``self`` its events count for (itself, its commercial
        partner, or both). Two queries at most, whatever the size of ``self``.
        """
        Partner = self.with_context(active_test=False)
        own = Partner.browse(self.ids)
        own.fetch(["commercial_partner_id"])
        children = Partner.search_fetch(
            [("commercial_partner_id", "in", own.ids), ("id", "not in", own.ids)],
            ["commercial_partner_id"],
        )
        own_ids = set(own.ids)
        targets = defaultdict(set)
        for partner in own | children:
            if partner.id in own_ids:
                targets[partner.id].add(partner.id)
            commercial_id = partner.commercial_partner_id.id
            if commercial_id in own_ids:
                targets[partner.id].add(commercial_id)
        return own | children, targets

    def _ccare_lead_partner_map(self):
        """``{lead_id: partner_id}`` for the leads (lost ones included) of ``self``."""
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search_fetch([("partner_id", "in", self.ids)], ["partner_id"])
        )
        return {lead.id: lead.partner_id.id for lead in leads}

    def _ccare_document_domain(self, lead_map, model_field="model", res_id_field="res_id"):
        """Domain on documents (mail.message, mail.activity...) attached to the
        partners in ``self`` or to their leads (``lead_map`` from
        :meth:`_ccare_lead_partner_map`)."""
        domain = Domain(model_field, "=", "res.partner") & Domain(res_id_field, "in", self.ids)
        if lead_map:
            domain |= Domain(model_field, "=", "crm.lead") & Domain(
                res_id_field, "in", list(lead_map)
            )
        return domain

    @api.model
    def _ccare_document_partner_id(self, model, res_id, lead_map):
        """The partner a document (``model``, ``res_id``) is about, or False."""
        if model == "res.partner":
            return res_id
        if model == "crm.lead":
            return lead_map.get(res_id, False)
        return False

    # ------------------------------------------------------------
    # Contact events: the extension point
    # ------------------------------------------------------------

    @api.model
    def _ccare_merge_contact_events(self, *events_list):
        """Merge ``{partner_id: (last, next)}`` dicts: latest last, earliest next."""
        merged = {}
        for events in events_list:
            for partner_id, (last, next_) in events.items():
                old_last, old_next = merged.get(partner_id, (False, False))
                merged[partner_id] = (
                    max(filter(None, (old_last, last)), default=False),
                    min(filter(None, (old_next, next_)), default=False),
                )
        return merged

    def _ccare_contact_events(self):
        """Return ``{partner_id: (last, next)}`` for the partners in ``self``.

        ``last`` is the date of the latest contact that took place, ``next``
        the date of the earliest one planned (``False`` when there is none);
        partners without any event may be left out. ``self`` holds every
        partner whose own events are wanted (the roll-up of contacts into
        their company is done by the caller), and runs as superuser.

        The base sources are done activities (mail.message with an activity
        type) and open activities (mail.activity) on the partners or their
        leads, and past and upcoming meetings (calendar.event) the partners
        attend. Other addons add their sources by overriding and merging::

            def _ccare_contact_events(self):
                events = super()._ccare_contact_events()
                calls = {...}  # {partner_id: (last, next)}, set-based
                return self._ccare_merge_contact_events(events, calls)

        and call :meth:`_ccare_recompute_contact_dates` on the partners their
        records touch when those records change.
        """
        if not self:
            return {}
        lead_map = self._ccare_lead_partner_map()
        return self._ccare_merge_contact_events(
            self._ccare_contact_events_activities(lead_map),
            self._ccare_contact_events_meetings(),
        )

    def _ccare_contact_events_activities(self, lead_map):
        """Done activities (last) and open activities (next): two queries."""
        events = []
        done = self.env["mail.message"]._read_group(
            self._ccare_document_domain(lead_map) & Domain("mail_activity_type_id", "!=", False),
            ["model", "res_id"],
            ["date:max"],
        )
        for model, res_id, date in done:
            partner_id = self._ccare_document_partner_id(model, res_id, lead_map)
            if partner_id and date:
                events.append({partner_id: (date.date(), False)})
        planned = self.env["mail.activity"]._read_group(
            self._ccare_document_domain(lead_map, "res_model", "res_id")
            & Domain("active", "=", True),  # done activities are archived
            ["res_model", "res_id"],
            ["date_deadline:min"],
        )
        for model, res_id, deadline in planned:
            partner_id = self._ccare_document_partner_id(model, res_id, lead_map)
            if partner_id and deadline:
                events.append({partner_id: (False, deadline)})
        return self._ccare_merge_contact_events(*events)

    def _ccare_contact_events_meetings(self):
        """Past (last) and upcoming (next) meetings the partners attend: one query."""
        # one scan for both: a partner can have past and upcoming meetings
        now = fields.Datetime.now()
        self.env["calendar.event"].flush_model(["start", "active", "partner_ids"])
        self.env.cr.execute(
            SQL(
                """
                SELECT rel.res_partner_id,
                       MAX(ev.start) FILTER (WHERE ev.start <= %(now)s),
                       MIN(ev.start) FILTER (WHERE ev.start > %(now)s)
                  FROM calendar_event_res_partner_rel rel
                  JOIN calendar_event ev ON ev.id = rel.calendar_event_id
                 WHERE rel.res_partner_id = ANY(%(ids)s) AND ev.active
                 GROUP BY rel.res_partner_id
                """,
                now=now,
                ids=self.ids,
            )
        )
        return {
            partner_id: (last and last.date(), next_ and next_.date())
            for partner_id, last, next_ in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------
    # Recompute
    # ------------------------------------------------------------

    def _ccare_recompute_contact_dates(self):
        """Recompute last/next contact dates of ``self``, set-based.

        A constant number of queries for any size of ``self`` (scope, leads,
        one per source of events, one UPDATE), so it is fine for a cron chunk
        of thousands of partners as much as for the one partner an activity
        was just scheduled on. Runs as superuser: the dates must not depend on
        what the user who triggered the recompute can read.
        """
        partners = self.sudo().with_context(active_test=False).exists()
        if not partners:
            return
        sources, targets = partners._ccare_rollup_scope()
        per_source = sources._ccare_contact_events()
        per_target = self._ccare_merge_contact_events(
            *(
                {target_id: event}
                for source_id, event in per_source.items()
                for target_id in targets.get(source_id, ())
            )
        )
        values = []
        for partner_id in partners.ids:
            last, next_ = per_target.get(partner_id, (False, False))
            values.append(SQL("(%s, %s::date, %s::date)", partner_id, last or None, next_ or None))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET last_contact_date = v.last_date, next_contact_date = v.next_date
                  FROM (VALUES %s) AS v(id, last_date, next_date)
                 WHERE p.id = v.id
                   AND (p.last_contact_date IS DISTINCT FROM v.last_date
                        OR p.next_contact_date IS DISTINCT FROM v.next_date)
                """,
                SQL(", ").join(values),
            )
        )
        partners.invalidate_recordset(list(CONTACT_DATE_FIELDS))
        partners.modified(list(CONTACT_DATE_FIELDS))

    @api.model
    def _ccare_recompute_contact_dates_of(self, partners, leads=None):
        """Recompute the dates of ``partners`` and of the customers of
        ``leads`` (those of internal users left out) and of their commercial
        partners (whose dates roll their contacts' events up), once, at the
        end of the transaction or when a contact date is read, whichever
        comes first: no query now, so an activity or a meeting created in a
        loop costs nothing here. Skipped when the context asks it (mass
        imports: the daily cron catches up)."""
        if self.env.context.get("ccare_skip_contact_dates"):
            return
        Deferred = self.env["crm.customer.care.deferred"]
        Deferred._defer("_ccare_deferred_contact_dates", partners)
        if leads:
            Deferred._defer("_ccare_deferred_lead_contact_dates", leads)
        self.env["res.partner"].invalidate_model(list(CONTACT_DATE_FIELDS), flush=False)

    def _ccare_deferred_contact_dates(self, uid_by_partner):
        partners = self.browse(list(uid_by_partner)).exists()
        # the attendees of a meeting include the employees who organise it:
        # their partners (and the own company's) are no customers to follow
        partners = partners.filtered(lambda p: all(user.share for user in p.user_ids))
        (partners | partners.commercial_partner_id)._ccare_recompute_contact_dates()

    def _fetch_query(self, query, fields):
        Deferred = self.env["crm.customer.care.deferred"]
        if (
            Deferred._is_pending("_ccare_deferred_contact_dates")
            or Deferred._is_pending("_ccare_deferred_lead_contact_dates")
        ) and any(field.name in CONTACT_DATE_FIELDS for field in fields):
            Deferred._flush_pending(
                ["_ccare_deferred_lead_contact_dates", "_ccare_deferred_contact_dates"]
            )
        return super()._fetch_query(query, fields)

    def flush_model(self, fnames=None):
        if fnames is not None and set(fnames) & set(CONTACT_DATE_FIELDS):
            self.env["crm.customer.care.deferred"]._flush_pending(
                ["_ccare_deferred_lead_contact_dates", "_ccare_deferred_contact_dates"]
            )
        return super().flush_model(fnames)

    @api.model
    def _ccare_documents_partners_leads(self, documents):
        """``(partners, leads)`` that ``[(model, res_id), ...]`` documents are
        about (no query)."""
        ids_by_model = defaultdict(list)
        for model, res_id in documents:
            if model in ("res.partner", "crm.lead") and res_id:
                ids_by_model[model].append(res_id)
        return (
            self.browse(ids_by_model["res.partner"]),
            self.env["crm.lead"].browse(ids_by_model["crm.lead"]),
        )

    @api.model
    def _cron_recompute_contact_dates(self):
        """Daily: queue the recompute of every customer's contact dates in chunks
        (meetings move from "next" to "last" as time goes by)."""
        partners = self.with_context(active_test=False).search([])
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            partners,
            "_ccare_recompute_contact_dates",
            description=self.env._("Recompute last/next contact dates"),
        )
