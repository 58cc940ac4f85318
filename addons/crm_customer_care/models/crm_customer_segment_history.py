from odoo import fields
from odoo import models


class CrmCustomerSegmentHistory(models.Model):
    """Every change of a customer's segment: who moved, from where to where,
    when and why. Written by the assignment only, never by users."""

    _name = "crm.customer.segment.history"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Customer Segment History"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    segment_from_id = fields.Many2one(
        "crm.customer.segment", "From", ondelete="set null", readonly=True
    )
    segment_to_id = fields.Many2one(
        "crm.customer.segment", "To", ondelete="set null", readonly=True
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True, readonly=True)
    cause = fields.Selection(
        [
            ("cron", "Scheduled review"),
            ("manual", "Assignment on demand"),
            ("change", "Customer data changed"),
            ("rule", "Segment rules changed"),
        ],
        required=True,
        readonly=True,
    )
    user_id = fields.Many2one("res.users", "By", readonly=True)
