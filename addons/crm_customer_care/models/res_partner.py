from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain
from odoo.tools import SQL

from ..vat import VAT_NORMALIZED_SQL


class ResPartner(models.Model):
    """The customer profile: everything Customer Care knows of a customer.

    Profile features live in their own files (res_partner_*.py), each an
    ``_inherit`` of res.partner, and add to the "Customer Care" page of the
    contact form (view res_partner_view_form_customer_care).
    """

    _inherit = "res.partner"

    segment_id = fields.Many2one(
        "crm.customer.segment",
        string="Segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Assigned from the segments' rules: the first segment whose rule the "
        "customer matches.",
        groups="base.group_user",
    )
    segment_history_ids = fields.One2many(
        "crm.customer.segment.history",
        "partner_id",
        string="Segment History",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    segment_history_count = fields.Integer(
        compute="_compute_segment_history_count",
        groups="crm_customer_care.group_crm_customer_care_user",
    )

    # partners are found by their tax ID (crm_customer_care/vat.py) through this
    _ccare_vat_normalized_idx = models.Index(f"(({VAT_NORMALIZED_SQL})) WHERE vat IS NOT NULL")

    def _compute_segment_history_count(self):
        counts = dict(
            self.env["crm.customer.segment.history"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.segment_history_count = counts.get(partner, 0)

    # ------------------------------------------------------------ segments
    def _ccare_assign_segments(self, cause="change"):
        """Put each commercial partner of ``self`` in the first segment whose
        rule it matches, and keep a history line for every change.

        Set-based: one SELECT evaluates every segment's rule over the
        partners, one UPDATE and one INSERT for the history, so the number
        of queries does not grow with the number of partners. Idempotent: a
        re-run on unchanged data writes nothing.
        """
        Partner = self.env["res.partner"].sudo()
        candidates = Partner.search_fetch(
            [("id", "in", self.ids), ("parent_id", "=", False)], ["segment_id"], order="id"
        )
        if not candidates:
            return
        segments = self.env["crm.customer.segment"].sudo().search([])
        matches = self.env["crm.customer.care.chunked.job"]._match_domains(
            "res.partner", {s.id: s._partner_domain() for s in segments}, candidates.ids
        )
        target = {
            partner_id: next((s.id for s in segments if partner_id in matches[s.id]), False)
            for partner_id in candidates.ids
        }
        changed = [p for p in candidates if p.segment_id.id != target[p.id]]
        if changed:
            self._ccare_write_segments(changed, target, cause)

    def _ccare_write_segments(self, partners, target, cause):
        """Move ``partners`` to their ``target`` segments and log the moves:
        one UPDATE and one INSERT for all of them (the ORM would write per
        segment and insert per history line), then let the ORM recompute
        what depends on the segment (e.g. leads' customer segment)."""
        self.env["res.partner"].flush_model(["segment_id"])
        ids = [p.id for p in partners]
        old = [p.segment_id.id or None for p in partners]
        new = [target[p.id] or None for p in partners]
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner AS p
                   SET segment_id = v.new_id, write_date = now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::int[]) AS v(id, new_id)
                 WHERE p.id = v.id
                """,
                ids,
                new,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_customer_segment_history
                       (partner_id, company_id, segment_from_id, segment_to_id, date, cause,
                        user_id, create_uid, write_uid, create_date, write_date)
                SELECT v.id, p.company_id, v.old_id, v.new_id, now() AT TIME ZONE 'UTC', %s,
                       %s, %s, %s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::int[], %s::int[]) AS v(id, old_id, new_id)
                  JOIN res_partner p ON p.id = v.id
                """,
                cause,
                self.env.uid,
                self.env.uid,
                self.env.uid,
                ids,
                old,
                new,
            )
        )
        moved = self.env["res.partner"].browse(ids)
        self.env["res.partner"].invalidate_model(["segment_id", "write_date"])
        self.env["crm.customer.segment.history"].invalidate_model()
        moved.modified(["segment_id"])

    @api.model
    def _ccare_average_scores(self):
        """Extension point: the per-customer scores that management figures
        average over a set of customers, as ``[(field name, label)]`` in the
        order shown. Each name is a stored numeric field of res.partner
        (averaged with ``_read_group``, as the server). Read by the customer
        review's figures (crm_customer_review: one line per score). A feature
        that keeps a score of its own on the customer appends it with
        ``super()``."""
        return []

    @api.model
    def _ccare_own_partner_domain(self):
        """The partners that are us, not customers: our companies' partners
        and their contacts, and the partners of internal users (archived
        companies and users too). Call plans never call them and
        data-quality checks never judge them. A domain (no query), for
        searches run as superuser."""
        everything = [("active", "in", (True, False))]
        return Domain("commercial_partner_id.ref_company_ids", "any", everything) | Domain(
            "user_ids", "any", [("share", "=", False), *everything]
        )

    @api.model
    def _ccare_assign_all_segments(self):
        """Assign every commercial partner now, in this transaction (demo
        data and small databases; the cron queues jobs instead)."""
        self.sudo().search([("parent_id", "=", False)])._ccare_assign_segments(cause="manual")

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if not self.env.context.get("ccare_assigning_segment"):
            # not invalidated: a new partner reads "no segment" until the end
            # of the transaction (or a search on segments), so that Odoo's
            # flows creating customers one by one (lead conversion) never
            # run the assignment per customer
            partners._ccare_defer_segments(invalidate=False)
        return partners

    def write(self, vals):
        res = super().write(vals)
        if "segment_id" in vals:
            # set explicitly: no rule re-evaluation pending overrides it
            self.env["crm.customer.care.deferred"]._undefer("_ccare_deferred_segments", self)
        elif (
            not self.env.context.get("ccare_assigning_segment")
            and vals.keys() & self.env["crm.customer.segment"]._trigger_fields()
        ):
            self._ccare_defer_segments()
        return res

    def _ccare_defer_segments(self, invalidate=True):
        """Re-evaluate the segments of ``self`` once, at the end of the
        transaction or when a segment is read or searched, whichever comes
        first (no query now)."""
        self.env["crm.customer.care.deferred"]._defer("_ccare_deferred_segments", self)
        if invalidate:
            self.invalidate_recordset(["segment_id"], flush=False)

    def _ccare_deferred_segments(self, uid_by_partner):
        self.browse(list(uid_by_partner))._ccare_assign_segments(cause="change")

    def _fetch_query(self, query, fields):
        if self.env["crm.customer.care.deferred"]._is_pending("_ccare_deferred_segments") and any(
            field.name == "segment_id" for field in fields
        ):
            self.env["crm.customer.care.deferred"]._flush_pending(["_ccare_deferred_segments"])
        return super()._fetch_query(query, fields)

    def flush_model(self, fnames=None):
        if fnames is not None and "segment_id" in fnames:
            self.env["crm.customer.care.deferred"]._flush_pending(["_ccare_deferred_segments"])
        return super().flush_model(fnames)

    def action_open_segment_history(self):
        self.ensure_one()
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Segment History"),
            "res_model": "crm.customer.segment.history",
            "view_mode": "list",
            "domain": [("partner_id", "=", self.id)],
            "context": {"create": False},
        }

    @api.model
    def _ccare_relationship_activity(self, activity, partners, origins):
        """Extension point: ``partners`` took part in a relationship
        activity (``"call_held"``: a periodic sales call that reached them),
        one ``origins`` record each (the call): crm_loyalty gives the points
        of the activity's rule. Called once per batch, after the activity's
        transition, in the environment of the user who moved it; an
        override must be set-based and idempotent per origin (a retried
        request calls it again). Does nothing here."""
        return True

    def _ccare_open_duplicates(self):
        """Extension point: ``{partner id: why}`` for the partners of
        ``self`` that a feature flags as probable duplicates of another
        record (crm_customer_data_quality: an open duplicate issue). Other
        features leave them alone until someone merges the profiles or
        clears the flag (crm_callplan does not call them and says why).
        Called as the user running the feature, on a batch; an override is
        set-based (one query) and adds to ``super()``'s result. Nothing is
        flagged here."""
        return {}
