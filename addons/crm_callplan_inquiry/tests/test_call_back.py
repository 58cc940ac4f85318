import re
from datetime import datetime
from datetime import timedelta

from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCallBackPortal(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_partner = cls.env["res.partner"].create(
            {"name": "Portal Customer Co", "is_company": True}
        )
        cls.portal_user = mail_new_test_user(
            cls.env, login="cpi_portal", name="Paula Portal", groups="base.group_portal"
        )
        cls.portal_user.partner_id.parent_id = cls.company_partner

    def _planned(self):
        return self.env["crm.call"].search(
            [("partner_id", "=", self.company_partner.id), ("state", "=", "planned")]
        )

    def test_callback_request_creates_planned_call(self):
        self.authenticate("cpi_portal", "cpi_portal")
        page = self.url_open("/my/calls").text
        self.assertIn("Request a call back", page)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        response = self.url_open(
            "/my/calls/callback", data={"topic": "New contract", "date": "", "csrf_token": token}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("we will call you back shortly", response.text)
        call = self._planned()
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
            self.env, login="cpi_portal_other", name="Otto Other", groups="base.group_portal"
        )
        other.partner_id.parent_id = self.env["res.partner"].create(
            {"name": "Other Customer Ltd", "is_company": True}
        )
        self.authenticate("cpi_portal_other", "cpi_portal_other")
        self.assertNotIn(inquiry.number, self.url_open("/my/tickets").text)
        self.assertFalse(
            self.env["helpdesk.ticket"].with_user(other).search([("id", "=", inquiry.id)])
        )
        call.write({"outcome": "reached", "summary": "Agreed the new contract terms"})
        call.action_done()
        self.assertIn("Agreed the new contract terms", inquiry.message_ids[0].body)

    def test_portal_callback_tour(self):
        self.start_tour(
            "/my/calls", "crm_callplan_inquiry_portal_callback_tour", login="cpi_portal"
        )
        self.assertIn("Renewal of our contract", self._planned().name)


@tagged("post_install", "-at_install", "ccare_consent")
class TestCallBackConsent(CallPlanCommon):
    def test_portal_call_back_is_the_exception(self):
        """The customer asked: the call back is planned even though sales
        calls by phone were withdrawn, with the request as its evidence;
        only do-not-contact at all stops it."""
        account = self._partners(1)
        account._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        call = self.env["crm.call"]._callplan_request_callback(
            account, account, datetime.now() + timedelta(days=1), "My invoice"
        )
        self.assertEqual(call.state, "planned")
        self.assertIn("Call back requested", call.consent_evidence)
        self.assertEqual(call._callplan_is_requested(), call)
        account._ccare_record_consent("sales_calls", "phone", "refused", source="form")
        self.assertEqual(call.state, "planned")
        account.dnc_all = True
        self.assertEqual(call.state, "cancelled")

    def test_other_calls_are_not_requested(self):
        """A call without a portal inquiry of its own customer is not a
        request: withdrawing sales calls by phone cancels it."""
        account, other = self._partners(2)
        call = self._call(account, channel="phone")
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Someone else's inquiry",
                "description": "-",
                "partner_id": other.id,
                "channel_id": self.env.ref(
                    "crm_customer_inquiry.helpdesk_ticket_channel_portal"
                ).id,
            }
        )
        call.sudo().inquiry_id = ticket
        self.assertFalse(call._callplan_is_requested())
        account._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        self.assertEqual(call.state, "cancelled")
