from odoo import fields
from odoo import models

MANAGER = "crm_customer_care.group_crm_customer_care_manager"


class CrmCustomerRfm(models.Model):
    """A customer's RFM scores in one company and period (month): written
    by the set-based job (``res.partner._ccare_compute_buying_habits``), one
    row per customer, company and month, updated in place while the month
    lasts and only where a figure changed; past months stay, so a class's
    moves can be charted. Revenue figures are for managers only."""

    _name = "crm.customer.rfm"
    _description = "Customer RFM Snapshot"
    _order = "period desc, partner_id"
    _rec_name = "partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    period = fields.Date(required=True, readonly=True, help="First day of the month.")
    segment_id = fields.Many2one("crm.customer.segment", readonly=True, index=True)
    last_purchase_date = fields.Date(readonly=True)
    recency_days = fields.Integer("Recency (days)", readonly=True, aggregator="avg")
    frequency = fields.Integer("Invoices", readonly=True, aggregator="avg")
    monetary = fields.Float("Revenue", readonly=True, aggregator="sum", groups=MANAGER)
    recency_score = fields.Integer("R", readonly=True, aggregator="avg")
    frequency_score = fields.Integer("F", readonly=True, aggregator="avg")
    monetary_score = fields.Integer("M", readonly=True, aggregator="avg")
    rfm_code = fields.Char("RFM", readonly=True, help="Recency, frequency and monetary scores.")
    class_id = fields.Many2one("crm.customer.rfm.class", "RFM Class", readonly=True, index=True)

    _partner_company_period_unique = models.Constraint(
        "UNIQUE(partner_id, company_id, period)",
        "One RFM snapshot per customer, company and month.",
    )
