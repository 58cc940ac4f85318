from freezegun import freeze_time

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.revenue_world import REVENUE_ALL_TIME
from odoo.addons.crm_customer_care.tests.revenue_world import TODAY
from odoo.addons.crm_customer_care.tests.revenue_world import RevenueWorldMixin
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures", "ccare_referral")
class TestReferralRevenueCrossScreen(
    RevenueWorldMixin, CustomerCareCommon, AccountTestInvoicingCommon
):
    """Rita referred Globex (see revenue_world): the revenue her referral
    brought is the same on her contact form, in the Referrals analysis and
    in the Customer Revenue report, all time, in the current company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.globex.referred_by_id = cls.rita

    @freeze_time(TODAY)
    def test_referred_revenue_is_the_same_everywhere(self):
        env_a = self.env(context=dict(self.env.context, allowed_company_ids=self.company_a.ids))
        rita = self.rita.with_env(env_a)
        self.assertAlmostEqual(rita.referral_revenue, REVENUE_ALL_TIME)
        self.assertAlmostEqual(
            self._report_revenue(self.company_a, period=None, partner=self.globex),
            REVENUE_ALL_TIME,
        )
        ref_row = env_a["crm.customer.referral.report"].search([("referrer_id", "=", rita.id)])
        self.assertAlmostEqual(ref_row.revenue, REVENUE_ALL_TIME)
