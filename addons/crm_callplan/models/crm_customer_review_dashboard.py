from datetime import timedelta

from odoo import fields
from odoo import models

CALLPLAN_MANAGER = "crm_callplan.group_crm_callplan_manager"


class CrmCustomerReviewDashboard(models.TransientModel):
    """The call plan tile of the manager dashboard: the calls of the next
    seven days, the overdue ones and the plan compliance of the last 90."""

    _inherit = "crm.customer.review.dashboard"

    calls_next_week = fields.Integer(
        "Calls in the Next 7 Days", compute="_compute_callplan_tile", groups=CALLPLAN_MANAGER
    )
    calls_overdue = fields.Integer(
        "Overdue Calls", compute="_compute_callplan_tile", groups=CALLPLAN_MANAGER
    )
    plan_compliance = fields.Float(
        "Plan Compliance, 90 Days (%)",
        compute="_compute_callplan_tile",
        digits=(16, 1),
        groups=CALLPLAN_MANAGER,
    )

    def _compute_callplan_tile(self):
        env = self.env(su=True)
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        for dashboard in self:
            company = dashboard.company_id or self.env.company
            Call = env["crm.call"]
            dashboard.calls_next_week = Call.search_count(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "planned"),
                    ("planned_date", ">=", now),
                    ("planned_date", "<", now + timedelta(days=7)),
                ]
            )
            dashboard.calls_overdue = Call.search_count(
                [("company_id", "=", company.id), ("is_overdue", "=", True)]
            )
            [(compliance,)] = env["crm.call.compliance.report"]._read_group(
                [
                    ("company_id", "=", company.id),
                    ("due_count", "=", 1),
                    ("due_date", ">=", today - timedelta(days=90)),
                    ("due_date", "<=", today),
                ],
                [],
                ["compliance:avg"],
            )
            dashboard.plan_compliance = compliance or 0.0
