from odoo import fields
from odoo import models

MANAGER = "crm_customer_care.group_crm_customer_care_manager"


class CrmCustomerCategoryAffinity(models.Model):
    """A customer's share of spend in one product category over the
    analysis window, against the average share of the customers of its
    segment (index 1.0 = like its segment, above 1 = over-buys). Rewritten
    by the buying-habits job, only where a figure changed."""

    _name = "crm.customer.category.affinity"
    _description = "Customer Category Affinity"
    _order = "partner_id, share desc"
    _rec_name = "categ_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    categ_id = fields.Many2one(
        "product.category", "Category", required=True, index=True, ondelete="cascade", readonly=True
    )
    segment_id = fields.Many2one("crm.customer.segment", readonly=True, index=True)
    date = fields.Date("Computed on", readonly=True)
    spend = fields.Float(readonly=True, aggregator="sum", groups=MANAGER)
    share = fields.Float("Share (%)", readonly=True, aggregator="avg")
    segment_share = fields.Float("Segment Average (%)", readonly=True, aggregator="avg")
    affinity_index = fields.Float("Index", readonly=True, aggregator="avg", digits=(16, 2))

    _partner_company_categ_unique = models.Constraint(
        "UNIQUE(partner_id, company_id, categ_id)", "One affinity row per customer and category."
    )
