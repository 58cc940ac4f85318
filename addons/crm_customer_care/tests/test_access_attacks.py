"""Issue 14, customer care: attacks over the real server (JSON-RPC as the
web client sends it, XML-RPC), each refused or kept to the user's company."""

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .common import CustomerCareCommon
from .rpc import RpcCase

MANAGER = "crm_customer_care.group_crm_customer_care_manager"


@tagged("post_install", "-at_install", "ccare_security")
class TestCustomerCareAttacks(RpcCase, CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create({"name": "Acme Portal Co", "is_company": True})
        cls.globex = Partner.create({"name": "Globex Portal Co", "is_company": True})
        cls.portal_acme = mail_new_test_user(
            cls.env, login="portal_acme", name="Pia Acme", groups="base.group_portal"
        )
        cls.portal_acme.partner_id.parent_id = cls.acme
        cls.company_b = cls.env["res.company"].create({"name": "Company B (attacks)"})
        cls.officer_a = mail_new_test_user(
            cls.env,
            login="officer_a",
            groups="crm_customer_care.group_crm_customer_care_privacy_officer",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )
        cls.customer_b = Partner.create(
            {"name": "B-only Customer", "is_company": True, "company_id": cls.company_b.id}
        )

    # ------------------------------------------------------------ fields by audience
    def test_portal_reads_no_scoring_fields_of_own_company(self):
        own = self.portal_acme.partner_id
        values = self.call_kw("portal_acme", "res.partner", "read", [[own.id], ["name"]])
        self.assertEqual(values[0]["name"], "Pia Acme")
        for record in (own, self.acme):
            self.assertRefused("portal_acme", "res.partner", "read", [[record.id], ["segment_id"]])
        self.assertRefused(
            "portal_acme",
            "res.partner",
            "search_read",
            [[("id", "=", self.acme.id)]],
            {"fields": ["segment_id"]},
        )

    # ------------------------------------------------------------ money
    def test_per_customer_revenue_for_managers_only(self):
        for method, args, kwargs in (
            ("search_read", [[]], {"fields": ["partner_id", "revenue"], "limit": 5}),
            ("read_group", [[], ["revenue:sum"], ["segment_id"]], {}),
            (
                "formatted_read_group",
                [[]],
                {"groupby": ["partner_id"], "aggregates": ["pipeline_revenue:sum"]},
            ),
        ):
            self.assertRefused("care_user", "crm.segment.analysis.report", method, args, kwargs)
        # non-money columns stay open to care users, and managers see all
        self.call_kw(
            "care_user",
            "crm.segment.analysis.report",
            "search_read",
            [[]],
            {"fields": ["partner_id", "customer_count"], "limit": 5},
        )
        self.call_kw(
            "care_manager",
            "crm.segment.analysis.report",
            "search_read",
            [[]],
            {"fields": ["partner_id", "revenue", "revenue_growth"], "limit": 5},
        )

    # ------------------------------------------------------------ multi-company
    def test_subject_access_on_another_company_customer(self):
        if "crm.customer.subject.access" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.subject.access")
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(self.officer_a)
            .create({"partner_id": self.customer_b.id})
        )
        self.assertRefused(
            "officer_a", "crm.customer.subject.access", "action_export", [[wizard.id]]
        )
        self.assertFalse(wizard.zip_file)
