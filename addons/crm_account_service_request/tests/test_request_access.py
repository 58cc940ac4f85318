"""Account requests over the real server: a request of another company,
and its changes, stay out of reach."""

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_security", "ccare_account_request")
class TestRequestAccess(RpcCase, CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B (requests)"})
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "B-only Customer", "is_company": True, "company_id": cls.company_b.id}
        )

    def test_account_request_lines_stay_in_their_company(self):
        field = self.env["ir.model.fields"]._get("res.partner", "phone")
        request_b = (
            self.env["crm.account.service.request"]
            .with_company(self.company_b)
            .create(
                {
                    "partner_id": self.customer_b.id,
                    "company_id": self.company_b.id,
                    "line_ids": [(0, 0, {"field_id": field.id, "new_value": "+1 555 0199"})],
                }
            )
        )
        line_b = request_b.line_ids
        self.assertTrue(line_b)
        found = self.call_kw(
            "care_manager",
            "crm.account.service.request.line",
            "search_read",
            [[("id", "=", line_b.id)]],
            {"fields": ["new_value"]},
        )
        self.assertEqual(found, [])
        self.assertRefused(
            "care_manager",
            "crm.account.service.request.line",
            "write",
            [[line_b.id], {"new_value": "+1 555 0000"}],
        )
        self.assertEqual(line_b.new_value, "+1 555 0199")
