from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_day")
class TestCallBackDayTours(HttpCase):
    """A role's day on the demo data, as the demo user, through the UI."""

    def test_member_day_call_back(self):
        """A portal member asks to be called back from /my/calls: a planned
        phone call on their company, answering a portal inquiry. The
        loyalty demo's member when crm_loyalty is installed, else Odoo's
        demo portal user."""
        users = self.env["res.users"].search([("login", "in", ["member.company", "portal"])])
        user = users.filtered(lambda u: u.login == "member.company") or users
        account = user.commercial_partner_id
        before = self.env["crm.call"].search([("partner_id", "=", account.id)])
        self.start_tour("/my", "member_day_call_back", login=user.login)
        call = self.env["crm.call"].search([("partner_id", "=", account.id)]) - before
        self.assertEqual(len(call), 1)
        self.assertEqual((call.state, call.channel), ("planned", "phone"))
        self.assertIn("Our next order of desks", call.name)
        self.assertTrue(call.inquiry_id, "the call back answers an inquiry")
