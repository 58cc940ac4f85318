from odoo import fields
from odoo import models


class CrmCustomerReviewSchedule(models.Model):
    """One periodic account review planned for an account and a period.

    The unique key (account, period start) is what makes the scheduling job
    idempotent: re-running it, or running two chunks concurrently, never
    plans a second review for the same period.
    """

    _name = "crm.customer.review.schedule"
    _description = "Planned Account Review"
    _order = "period_start desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", "Account", required=True, ondelete="cascade", readonly=True
    )
    segment_id = fields.Many2one(
        "crm.customer.segment", "Segment", readonly=True, ondelete="set null"
    )
    user_id = fields.Many2one("res.users", "Account Manager", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="cascade")
    period_start = fields.Date(required=True, readonly=True)
    period_end = fields.Date(required=True, readonly=True)
    activity_id = fields.Many2one("mail.activity", "Activity", readonly=True, ondelete="set null")

    _partner_period_unique = models.UniqueIndex("(partner_id, period_start)")
