from odoo.tests import HttpCase
from odoo.tests import tagged


def first_login(env, *logins):
    """The first of ``logins`` that exists: the loyalty demo's members when
    crm_loyalty is installed, else Odoo's demo portal user."""
    found = env["res.users"].search([("login", "in", logins)]).mapped("login")
    return next(login for login in logins if login in found)


@tagged("post_install", "-at_install", "ccare_day")
class TestConsentDayTour(HttpCase):
    def test_member_day_refuse_purpose(self):
        """A portal member refuses marketing by post on /my/privacy: a
        refusal recorded from the portal, and the member is no longer
        contactable that way."""
        login = first_login(self.env, "member.individual", "portal")
        partner = self.env["res.users"].search([("login", "=", login)]).partner_id
        Consent = self.env["crm.customer.consent"]
        domain = [
            ("partner_id", "=", partner.id),
            ("is_current", "=", True),
            ("purpose", "=", "marketing"),
            ("channel", "=", "post"),
        ]
        self.assertFalse(Consent.search(domain), "never asked before")
        self.start_tour("/my", "member_day_refuse_purpose", login=login)
        consent = Consent.search(domain)
        self.assertEqual((consent.state, consent.source), ("refused", "portal"))
        self.assertFalse(partner._ccare_is_contactable("marketing", "post"))
