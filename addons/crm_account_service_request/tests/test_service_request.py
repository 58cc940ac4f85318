from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_account_request")
class TestServiceRequest(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_manager = mail_new_test_user(
            cls.env,
            login="care_manager2",
            name="Mia Manager",
            groups="crm_customer_care.group_crm_customer_care_manager",
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Request Ltd", "is_company": True, "city": "Ghent"}
        )
        cls.Request = cls.env["crm.account.service.request"]

    def _field(self, name):
        return self.env["ir.model.fields"]._get("res.partner", name)

    def _request(self, user, request_type="update", changes=None, **vals):
        return self.Request.with_user(user).create(
            {
                "partner_id": self.customer.id,
                "request_type": request_type,
                "line_ids": [
                    (0, 0, {"field_id": self._field(f).id, "new_value": v})
                    for f, v in (changes or {}).items()
                ],
                **vals,
            }
        )

    def test_plain_update_needs_no_approval(self):
        request = self._request(self.care_user, changes={"city": "Bruges", "zip": "8000"})
        request.action_submit()
        self.assertEqual(request.state, "approved")
        self.assertTrue(request.sla_deadline)
        self.assertEqual(request.prepared_by_id, self.care_user)
        request.action_done()
        self.assertEqual((self.customer.city, self.customer.zip), ("Bruges", "8000"))
        self.assertEqual(
            request.line_ids.filtered(lambda line: line.field_id.name == "city").old_value, "Ghent"
        )
        self.assertEqual(request.state, "done")

    def test_four_eyes_on_sensitive_change(self):
        request = self._request(self.care_manager, changes={"vat": "BE0477472701"})
        self.assertTrue(request.needs_approval)
        request.action_submit()
        self.assertEqual(request.state, "approval")
        # the preparer cannot approve, even calling the server directly
        with self.assertRaisesRegex(UserError, "another manager must approve"):
            request.with_user(self.care_manager).validate_tier()
        with self.assertRaises(UserError):
            request.with_user(self.care_manager).write({"state": "approved"})
        self.assertEqual(request.state, "approval")
        request.with_user(self.other_manager).validate_tier()
        self.assertEqual(request.state, "approved")
        request.action_done()
        self.assertEqual(self.customer.vat, "BE0477472701")

    def test_close_account(self):
        request = self._request(self.care_user, request_type="close")
        request.action_submit()
        self.assertEqual(request.state, "approval", "closing always needs approval")
        request.with_user(self.other_manager).validate_tier()
        request.action_done()
        self.assertEqual(self.customer.lifecycle_stage, "closed")
        self.assertTrue(self.customer.dnc_all)
        self.assertTrue(self.customer.ccare_closed_date)
        self.assertFalse(self.customer._ccare_is_contactable("sales_calls", "phone"))

    def test_bad_values_are_refused_and_nothing_written(self):
        request = self._request(self.care_user, changes={"country_id": "Atlantis"})
        with self.assertRaisesRegex(ValidationError, "Country.*Atlantis"):
            request.action_submit()
        self.assertEqual(request.state, "draft")
        request = self._request(self.care_user, changes={"credit_limit": "lots"})
        with self.assertRaisesRegex(ValidationError, "Credit Limit"):
            request.action_submit()
        with self.assertRaisesRegex(ValidationError, "cannot be changed by an account request"):
            self._request(self.care_user, changes={"active": "no"})
        with self.assertRaisesRegex(ValidationError, "list the changes"):
            self._request(self.care_user).action_submit()

    def test_done_requires_approval(self):
        request = self._request(self.care_user, changes={"city": "Liège"})
        with self.assertRaisesRegex(UserError, "must be approved"):
            request.action_done()
        self.assertEqual(self.customer.city, "Ghent")

    def test_country_by_code(self):
        request = self._request(self.care_user, changes={"country_id": "BE"})
        request.action_submit()
        request.action_done()
        self.assertEqual(self.customer.country_id.code, "BE")


@tagged("post_install", "-at_install", "ccare_account_request")
class TestServiceRequestPortal(HttpCase):
    def test_portal_address_change_then_manager_approval(self):
        company = self.env["res.partner"].create(
            {"name": "Portal Co", "is_company": True, "street": "1 Old Street"}
        )
        portal_user = mail_new_test_user(
            self.env, login="ccare_portal_req", groups="base.group_portal"
        )
        portal_user.partner_id.parent_id = company
        manager = mail_new_test_user(
            self.env,
            login="ccare_req_manager",
            groups="crm_customer_care.group_crm_customer_care_manager",
        )
        self.start_tour(
            "/my/requests/new", "crm_customer_care_request_tour", login="ccare_portal_req"
        )
        request = self.env["crm.account.service.request"].search([("partner_id", "=", company.id)])
        self.assertEqual((request.state, request.source), ("approval", "portal"))
        self.assertEqual(company.street, "1 Old Street", "nothing changes before approval")
        request.with_user(manager).validate_tier()
        request.with_user(manager).action_done()
        self.assertEqual(company.street, "12 New Street")

    def test_portal_users_see_only_their_requests(self):
        mine = self.env["res.partner"].create({"name": "Mine Co", "is_company": True})
        theirs = self.env["res.partner"].create({"name": "Theirs Co", "is_company": True})
        user = mail_new_test_user(self.env, login="ccare_portal_a", groups="base.group_portal")
        user.partner_id.parent_id = mine
        self.env["crm.account.service.request"].create(
            {"partner_id": theirs.id, "request_type": "close", "description": "SECRET-THEIRS"}
        )
        self.authenticate("ccare_portal_a", "ccare_portal_a")
        page = self.url_open("/my/requests")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("SECRET-THEIRS", page.text)
        self.assertNotIn("Theirs Co", page.text)
