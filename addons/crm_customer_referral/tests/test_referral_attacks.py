"""Issue 14, referrals: the Referrals analysis over the real server (JSON-RPC
as the web client sends it), kept to the user's company; its money column
is for managers."""

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_security", "ccare_referral")
class TestReferralAttacks(RpcCase, CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B (referral attacks)"})

    def test_referred_revenue_for_managers_only(self):
        self.assertRefused(
            "care_user",
            "crm.customer.referral.report",
            "search_read",
            [[]],
            {"fields": ["revenue"]},
        )

    def test_referral_report_per_company(self):
        """A referrer of company B (and its referrals) is not in company
        A's referrals analysis (company rule); a shared referrer is."""
        Partner = self.env["res.partner"]
        bea = Partner.create({"name": "Bea Referrer (B)", "company_id": self.company_b.id})
        ada = Partner.create({"name": "Ada Referrer (shared)"})
        Partner.create({"name": "Ref B", "referred_by_id": bea.id, "company_id": self.company_b.id})
        Partner.create({"name": "Ref A", "referred_by_id": ada.id, "company_id": self.company.id})
        self.env.flush_all()
        rows = self.call_kw(
            "care_manager",
            "crm.customer.referral.report",
            "search_read",
            [[("referrer_id", "in", [ada.id, bea.id])]],
            {"fields": ["referrer_id", "referral_count"]},
        )
        self.assertEqual([(r["referrer_id"][0], r["referral_count"]) for r in rows], [(ada.id, 1)])
