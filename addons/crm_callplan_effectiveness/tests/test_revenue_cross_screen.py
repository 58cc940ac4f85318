from datetime import date
from datetime import datetime
from datetime import time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.revenue_world import PERIOD
from odoo.addons.crm_customer_care.tests.revenue_world import REVENUE
from odoo.addons.crm_customer_care.tests.revenue_world import RevenueWorldMixin
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestCallEffectivenessRevenue(
    RevenueWorldMixin, CustomerCareCommon, AccountTestInvoicingCommon
):
    """Call effectiveness shows Globex's revenue of the period as every other
    screen does: 700 USD in company A (see revenue_world)."""

    revenue_world_groups = (
        *RevenueWorldMixin.revenue_world_groups,
        "crm_callplan.group_crm_callplan_manager",
    )

    def test_effectiveness_revenue_is_the_report_figure(self):
        due = date(2025, 6, 2)
        call = self.env["crm.call"].create(
            {
                "partner_id": self.globex.id,
                "user_id": self.env.user.id,
                "due_date": due,
                "planned_date": datetime.combine(due, time(9)),
                "satisfaction": 4,
            }
        )
        with call._ccare_transition():  # a call held in the past
            call.write({"state": "done", "date_done": call.planned_date, "outcome": "reached"})
        analysis = self.env["crm.call.effectiveness"].create(
            {"date_from": PERIOD[0], "date_to": PERIOD[1], "company_id": self.company_a.id}
        )
        analysis.action_compute()
        line = analysis.line_ids.filtered(lambda line: line.segment_id == self.world_segment)
        self.assertEqual(line.account_count, 1)
        self.assertAlmostEqual(line.revenue, REVENUE)
        self.assertAlmostEqual(
            line.revenue, self._report_revenue(self.company_a, partner=self.globex)
        )
        self.assertAlmostEqual(line.avg_satisfaction, 4.0)
        # one account: no correlation can be computed, so none is shown
        self.assertFalse(line.corr_revenue_label)
        self.assertEqual(line.corr_revenue_n, 1)
