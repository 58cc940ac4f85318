from odoo import fields
from odoo import models

LOYALTY_USER = "crm_loyalty.group_crm_loyalty_user"


class CrmCustomerReviewDashboard(models.TransientModel):
    """The programmes of the loyalty tile of the manager dashboard: running
    programmes, their members and how they perform against their holdout."""

    _inherit = "crm.customer.review.dashboard"

    running_programmes = fields.Integer(compute="_compute_programme_tile", groups=LOYALTY_USER)
    programme_members = fields.Integer(compute="_compute_programme_tile", groups=LOYALTY_USER)
    programme_revenue_uplift = fields.Float(
        "Revenue Uplift (%)", compute="_compute_programme_tile", digits=(16, 1), groups=LOYALTY_USER
    )
    programme_roi = fields.Float(
        "Portfolio ROI (%)",
        compute="_compute_programme_tile",
        digits=(16, 1),
        groups=LOYALTY_USER,
        help="(Total incremental margin - total cost) / total cost of the running programmes.",
    )

    def _compute_programme_tile(self):
        """Portfolio figures of the running programmes, from totals (never an
        average of percentages): a constant number of queries (the
        effectiveness figures of all programmes are computed together).

        - uplift = total incremental revenue / total revenue the members
          would have made at the holdout's rate (holdout revenue per
          customer x members);
        - ROI = (total incremental margin - total cost) / total cost, the
          programme ROI applied to the portfolio's totals.
        """
        env = self.env(su=True)
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            programmes = env["crm.relationship.programme"].search(
                [("state", "=", "running"), ("company_id", "in", company.ids)]
            )
            figures = programmes._crm_effectiveness()
            members = {p.id: p.member_count for p in programmes}
            measured = [p for p in programmes if p.holdout_count]
            incremental = sum(figures[p.id]["incremental_revenue"] for p in measured)
            baseline = sum(figures[p.id]["revenue_holdout"] * members[p.id] for p in measured)
            margin = sum(figures[p.id]["incremental_margin"] for p in programmes)
            cost = sum(figures[p.id]["total_cost"] for p in programmes)
            dashboard.running_programmes = len(programmes)
            dashboard.programme_members = sum(members.values())
            dashboard.programme_revenue_uplift = 100.0 * incremental / baseline if baseline else 0.0
            dashboard.programme_roi = 100.0 * (margin - cost) / cost if cost else 0.0
