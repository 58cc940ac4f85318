from odoo import fields
from odoo import models

from .res_partner_health import LIFECYCLE_STAGES


class CrmCustomerHealthHistory(models.Model):
    """A customer's relationship health over time: one row per customer and
    day on which the score or the lifecycle stage changed, written by the
    set-based recompute in the same statement as the new score. Reports
    read it to measure health change over a period (call plans, reviews)."""

    _name = "crm.customer.health.history"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Relationship Health History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", index=True, readonly=True)
    date = fields.Date(required=True, readonly=True)
    score = fields.Integer("Health", readonly=True, aggregator="avg")
    previous_score = fields.Integer("Previous Health", readonly=True, aggregator="avg")
    change = fields.Integer(readonly=True, aggregator="avg")
    lifecycle_stage = fields.Selection(LIFECYCLE_STAGES, readonly=True)

    _partner_date_unique = models.Constraint(
        "UNIQUE(partner_id, date)", "One health entry per customer and day."
    )
