import re
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

    def test_callback_request_creates_planned_call(self):
        self.authenticate("cp_portal", "cp_portal")
        page = self.url_open("/my/calls").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open(
            "/my/calls/callback", data={"topic": "New contract", "date": "", "csrf_token": token}
        )
        self.assertEqual(response.status_code, 200)
        call = self.env["crm.call"].search(
            [("partner_id", "=", self.company_partner.id), ("state", "=", "planned")]
        )
        self.assertEqual(len(call), 1)
        self.assertEqual(call.contact_id, self.portal_user.partner_id)
        self.assertIn("New contract", call.name)
        # the request is also an inquiry through the portal channel, answered by the call
        inquiry = call.inquiry_id
        self.assertEqual(inquiry.partner_id, self.portal_user.partner_id)
        self.assertEqual(
            inquiry.channel_id, self.env.ref("crm_customer_inquiry.helpdesk_ticket_channel_portal")
        )
        self.assertIn("New contract", inquiry.name)
        # the customer follows it among their tickets; another customer does not see it
        self.assertIn(inquiry.number, self.url_open("/my/tickets").text)
        other = mail_new_test_user(
            self.env, login="cp_portal_other", name="Otto Other", groups="base.group_portal"
        )
        other.partner_id.parent_id = self.env["res.partner"].create(
            {"name": "Other Customer Ltd", "is_company": True}
        )
        self.authenticate("cp_portal_other", "cp_portal_other")
        self.assertNotIn(inquiry.number, self.url_open("/my/tickets").text)
        self.assertFalse(
            self.env["helpdesk.ticket"].with_user(other).search([("id", "=", inquiry.id)])
        )
        call.write({"outcome": "reached", "summary": "Agreed the new contract terms"})
        call.action_done()
        self.assertIn("Agreed the new contract terms", inquiry.message_ids[0].body)

    def test_portal_callback_tour(self):
        self.start_tour("/my/calls", "crm_callplan_portal_callback_tour", login="cp_portal")
        self.assertTrue(
            self.env["crm.call"].search(
                [("partner_id", "=", self.company_partner.id), ("state", "=", "planned")]
            )
        )

    def test_anonymous_redirected(self):
        response = self.url_open("/my/calls", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
