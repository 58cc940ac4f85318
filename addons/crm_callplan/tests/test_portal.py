from datetime import datetime

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCallPlanPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "Portal Customer Co", "is_company": True}
        )
        cls.portal_user = mail_new_test_user(
            cls.env, login="cp_portal", name="Paula Portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.company_partner
        stranger = cls.env["res.partner"].create({"name": "Stranger Co", "is_company": True})
        Call = cls.env["crm.call"]
        # held calls: their state is the server's, set here as a transition
        with Call._ccare_transition():
            cls.shared = Call.create(
                {
                    "partner_id": cls.company_partner.id,
                    "planned_date": datetime.now(),
                    "state": "done",
                    "date_done": datetime.now(),
                    "share_with_customer": True,
                    "summary": "We agreed on a quarterly review",
                    "findings": "<p>Price sensitive</p>",
                }
            )
            cls.internal = Call.create(
                {
                    "partner_id": cls.company_partner.id,
                    "planned_date": datetime.now(),
                    "state": "done",
                    "date_done": datetime.now(),
                    "summary": "Internal only summary",
                }
            )
            cls.foreign = Call.create(
                {
                    "partner_id": stranger.id,
                    "planned_date": datetime.now(),
                    "state": "done",
                    "date_done": datetime.now(),
                    "share_with_customer": True,
                    "summary": "Another customer's call",
                }
            )

    def test_portal_sees_shareable_summaries_only(self):
        self.authenticate("cp_portal", "cp_portal")
        response = self.url_open("/my/calls")
        self.assertEqual(response.status_code, 200)
        self.assertIn("We agreed on a quarterly review", response.text)
        self.assertNotIn("Price sensitive", response.text)
        self.assertNotIn("Internal only summary", response.text)
        self.assertNotIn("Another customer", response.text)
        # the record rule says the same
        calls = self.env["crm.call"].with_user(self.portal_user).search([])
        self.assertEqual(calls, self.shared)

    def test_anonymous_redirected(self):
        response = self.url_open("/my/calls", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
