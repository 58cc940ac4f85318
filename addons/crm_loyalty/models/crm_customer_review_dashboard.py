from odoo import fields
from odoo import models
from odoo.fields import Domain

LOYALTY_USER = "crm_loyalty.group_crm_loyalty_user"


class CrmCustomerReviewDashboard(models.TransientModel):
    """The loyalty tile of the manager dashboard: points about to expire
    (members to remind)."""

    _inherit = "crm.customer.review.dashboard"

    points_expiring = fields.Float(
        "Points Expiring Soon",
        compute="_compute_loyalty_tile",
        digits=(16, 0),
        groups=LOYALTY_USER,
        help="Points of the company's cards whose lots expire within their program's warning "
        "period: the sum of the cards' Expiring Soon figures.",
    )

    def _compute_loyalty_tile(self):
        """Points of the company's cards about to expire: one query per
        dashboard."""
        env = self.env(su=True)
        today = fields.Date.context_today(self)
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            Lot = env["crm.loyalty.points.lot"]
            [(expiring,)] = Lot._read_group(
                Lot._crm_expiring_soon_domain(today) & Domain("company_id", "in", company.ids),
                [],
                ["remaining:sum"],
            )
            dashboard.points_expiring = expiring or 0.0
