from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.fields import Domain


class CrmCustomerSegment(models.Model):
    """A customer segment laid down by management as a rule on partners.

    A commercial partner belongs to the first segment (by sequence) whose
    rule it matches; see res.partner._ccare_assign_segments for the
    set-based assignment and crm.customer.segment.history for the trail.
    """

    _name = "crm.customer.segment"
    _inherit = ["crm.customer.care.filter.mixin"]
    _description = "Customer Segment"
    _order = "sequence, id"
    _check_company_auto = True
    _ccare_filter_fields = {"domain": "res.partner"}

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower numbers are matched first.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to use the segment in every company.",
    )
    color = fields.Integer()
    description = fields.Html(translate=True)
    domain = fields.Char(
        string="Rule",
        default="[]",
        required=True,
        help="Customers matching this rule belong to the segment, unless an earlier "
        "segment already took them.",
    )
    partner_count = fields.Integer("Customers", compute="_compute_partner_count")

    _name_company_unique = models.Constraint(
        "UNIQUE(name, company_id)",
        "A segment with this name already exists in this company.",
    )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("segment_id", "in", self.ids)], ["segment_id"], ["__count"]
            )
        )
        for segment in self:
            segment.partner_count = counts.get(segment, 0)

    def _partner_domain(self):
        """The segment's rule as a Domain on res.partner (validated)."""
        self.ensure_one()
        domain = self._ccare_filter("domain")
        if self.company_id:
            domain &= Domain("company_id", "in", [False, self.company_id.id])
        return domain

    @api.model
    def _trigger_fields(self):
        """Partner fields the active segments' rules read: writing one of
        them re-evaluates the partner's segment at once. Cached: every
        partner write asks (Odoo writes contacts one by one), the rules
        rarely change, and changing them clears the cache."""
        return self._trigger_fields_cached()

    @tools.ormcache()
    def _trigger_fields_cached(self):
        names = {"parent_id", "company_id", "active"}
        for segment in self.sudo().search([]):
            for condition in segment._partner_domain().iter_conditions():
                if isinstance(condition.field_expr, str):
                    names.add(condition.field_expr.split(".", 1)[0])
        return frozenset(names)

    # ------------------------------------------------------------ batch
    @api.model
    def _enqueue_assignment(self, cause):
        """Queue the assignment of every active commercial partner, one job
        per chunk; returns the number of chunks."""
        partners = self.env["res.partner"].sudo().search([("parent_id", "=", False)])
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            partners,
            "_ccare_assign_segments",
            description=self.env._("Assign customer segments"),
            cause=cause,
        )

    @api.model
    def _cron_assign_segments(self):
        self._enqueue_assignment("cron")

    def action_assign_partners(self):
        self.check_access("write")
        chunks = self._enqueue_assignment("manual")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": self.env._("Segment assignment queued"),
                "message": self.env._(
                    "%(chunks)s job(s) will re-evaluate every customer's segment.",
                    chunks=chunks,
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_care.res_partner_action_customers"
        )
        action.update(
            domain=[("segment_id", "=", self.id)],
            context={"default_is_company": True},
            name=self.display_name,
        )
        return action

    @api.model_create_multi
    def create(self, vals_list):
        segments = super().create(vals_list)
        self.env.registry.clear_cache()  # _trigger_fields
        self._enqueue_assignment("rule")
        return segments

    def write(self, vals):
        res = super().write(vals)
        if {"domain", "sequence", "active", "company_id"} & set(vals):
            self.env.registry.clear_cache()  # _trigger_fields
            self._enqueue_assignment("rule")
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()  # _trigger_fields
        return res
