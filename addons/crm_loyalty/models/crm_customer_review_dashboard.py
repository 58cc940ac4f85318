from datetime import timedelta

from odoo import fields
from odoo import models

LOYALTY_USER = "crm_loyalty.group_crm_loyalty_user"


class CrmCustomerReviewDashboard(models.TransientModel):
    """The loyalty tile of the manager dashboard: programmes running, their
    members, how they perform against their holdout, and points about to
    expire (members to remind)."""

    _inherit = "crm.customer.review.dashboard"

    running_programmes = fields.Integer(compute="_compute_loyalty_tile", groups=LOYALTY_USER)
    programme_members = fields.Integer(compute="_compute_loyalty_tile", groups=LOYALTY_USER)
    programme_revenue_uplift = fields.Float(
        "Revenue Uplift (%)", compute="_compute_loyalty_tile", digits=(16, 1), groups=LOYALTY_USER
    )
    programme_roi = fields.Float(
        "ROI (%)", compute="_compute_loyalty_tile", digits=(16, 1), groups=LOYALTY_USER
    )
    points_expiring = fields.Float(
        "Points Expiring in 30 Days",
        compute="_compute_loyalty_tile",
        digits=(16, 0),
        groups=LOYALTY_USER,
    )

    def _compute_loyalty_tile(self):
        """Averages over the running programmes, weighted by members: a
        constant number of queries (the effectiveness figures of all
        programmes are computed together)."""
        env = self.env(su=True)
        today = fields.Date.context_today(self)
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            programmes = env["crm.relationship.programme"].search(
                [("state", "=", "running"), ("company_id", "in", company.ids)]
            )
            figures = programmes._crm_effectiveness()
            members = {p.id: p.member_count for p in programmes}
            total = sum(members.values())
            dashboard.running_programmes = len(programmes)
            dashboard.programme_members = total
            dashboard.programme_revenue_uplift = (
                sum(figures[p]["revenue_uplift"] * n for p, n in members.items()) / total
                if total
                else 0.0
            )
            dashboard.programme_roi = (
                sum(figures[p]["roi"] * n for p, n in members.items()) / total if total else 0.0
            )
            [(expiring,)] = env["crm.loyalty.points.lot"]._read_group(
                [
                    ("company_id", "in", company.ids),
                    ("remaining", ">", 0),
                    ("expiry_date", ">=", today),
                    ("expiry_date", "<=", today + timedelta(days=30)),
                ],
                [],
                ["remaining:sum"],
            )
            dashboard.points_expiring = expiring or 0.0
