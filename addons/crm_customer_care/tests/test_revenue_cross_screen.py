from freezegun import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CustomerCareCommon
from .revenue_world import COST
from .revenue_world import PERIOD
from .revenue_world import REVENUE
from .revenue_world import REVENUE_B
from .revenue_world import TODAY
from .revenue_world import RevenueWorldMixin


@tagged("post_install", "-at_install", "ccare_figures")
class TestRevenueCrossScreen(RevenueWorldMixin, CustomerCareCommon, AccountTestInvoicingCommon):
    """One customer's revenue for one period is the same on every screen of
    Customer Care and equals the hand-computed figure (see revenue_world)."""

    def test_revenue_report_is_the_hand_figure(self):
        self.assertAlmostEqual(self._report_revenue(self.company_a, partner=self.globex), REVENUE)
        Report = self.env["crm.customer.revenue.report"].sudo()
        [(cost, margin)] = Report._read_group(
            [
                ("company_id", "=", self.company_a.id),
                ("commercial_partner_id", "=", self.globex.id),
                ("date", ">=", PERIOD[0]),
                ("date", "<=", PERIOD[1]),
            ],
            [],
            ["cost:sum", "margin:sum"],
        )
        self.assertAlmostEqual(cost, COST)
        self.assertAlmostEqual(margin, REVENUE - COST)
        # the contact's invoice counts for its company; Greta keeps her name
        rows = Report.search([("partner_id", "=", self.greta.id)])
        self.assertEqual(rows.commercial_partner_id, self.globex)
        # the credit note is negative, the EUR invoice in USD
        refund = Report.search(
            [("commercial_partner_id", "=", self.globex.id), ("move_type", "=", "out_refund")]
        )
        self.assertAlmostEqual(refund.revenue, -100.0)
        eur = Report.search(
            [("commercial_partner_id", "=", self.globex.id), ("date", "=", "2024-10-15")]
        )
        self.assertAlmostEqual(eur.revenue, 100.0)
        self.assertEqual(eur.currency_id, self.company_a.currency_id)
        self.assertAlmostEqual(self._report_revenue(self.company_b, partner=self.globex), REVENUE_B)

    @freeze_time(TODAY)
    def test_every_screen_shows_the_same_revenue(self):
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=self.company_a.ids))
        globex = self.globex.with_env(env_a)
        # segment analysis, in company A only (company B's 1,000 EUR stay out)
        row = env_a["crm.segment.analysis.report"].search([("partner_id", "=", globex.id)])
        self.assertEqual(len(row), 1)
        self.assertAlmostEqual(row.revenue, REVENUE)
        self.assertAlmostEqual(row.revenue_previous, 500.0)
        env_b = self.env(context=dict(self.env.context, allowed_company_ids=self.company_b.ids))
        # (one cache per request in the client; here both environments share it)
        env_b["crm.segment.analysis.report"].invalidate_model()
        row_b = env_b["crm.segment.analysis.report"].search([("partner_id", "=", globex.id)])
        self.assertAlmostEqual(row_b.revenue, REVENUE_B)

    def test_per_customer_revenue_is_for_managers(self):
        Report = self.env["crm.customer.revenue.report"]
        self.assertTrue(Report.with_user(self.care_manager).has_access("read"))
        with self.assertRaises(AccessError):
            Report.with_user(self.care_user).search([])
