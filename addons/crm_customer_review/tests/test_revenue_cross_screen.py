from freezegun import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.revenue_world import PERIOD
from odoo.addons.crm_customer_care.tests.revenue_world import REVENUE
from odoo.addons.crm_customer_care.tests.revenue_world import TODAY
from odoo.addons.crm_customer_care.tests.revenue_world import RevenueWorldMixin
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestReviewRevenueCrossScreen(
    RevenueWorldMixin, CustomerCareCommon, AccountTestInvoicingCommon
):
    """The revenue of a review is the revenue
    of every other screen of Customer Care (crm_customer_care's
    test_revenue_cross_screen, revenue_world)."""

    @freeze_time(TODAY)
    def test_review_shows_the_same_revenue(self):
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=self.company_a.ids))
        globex = self.globex.with_env(env_a)
        # a review of the account over the period
        review = env_a["crm.customer.review"].create(
            {
                "name": "Globex review",
                "scope": "account",
                "partner_id": globex.id,
                "date_from": PERIOD[0],
                "date_to": PERIOD[1],
            }
        )
        review.action_compute()
        line = review.line_ids.filtered(lambda line: line.section == "revenue")
        self.assertAlmostEqual(line.value, REVENUE)
