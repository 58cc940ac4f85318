from freezegun import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.revenue_world import COST
from odoo.addons.crm_customer_care.tests.revenue_world import PERIOD
from odoo.addons.crm_customer_care.tests.revenue_world import REVENUE
from odoo.addons.crm_customer_care.tests.revenue_world import TODAY
from odoo.addons.crm_customer_care.tests.revenue_world import RevenueWorldMixin
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestPnlCrossScreen(RevenueWorldMixin, CustomerCareCommon, AccountTestInvoicingCommon):
    """The P&L shows the revenue every other screen of Customer Care shows
    (crm_customer_care's TestRevenueCrossScreen): the hand-computed figure
    of revenue_world."""

    @freeze_time(TODAY)
    def test_pnl_shows_the_same_revenue(self):
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=self.company_a.ids))
        # P&L over the last 12 months, on the company and on its contact
        for partner in (self.globex.with_env(env_a), self.greta.with_env(env_a)):
            partner.pnl_period = "last_12_months"
            self.assertEqual((partner.pnl_date_from, partner.pnl_date_to), PERIOD)
            self.assertAlmostEqual(partner.pnl_revenue, REVENUE)
            self.assertAlmostEqual(partner.pnl_cogs, COST)
