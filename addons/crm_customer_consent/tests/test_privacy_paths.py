import ast
import re
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tools import hash_sign

from ..models.mail_mail import PREFERENCE_SCOPE


@tagged("post_install", "-at_install", "ccare_consent")
class TestCompanyAndContactRule(CustomerCareCommon):
    """People and companies, one rule (``_ccare_contact_blocks``): a
    contact's own choice governs that contact; the account's do-not-contact,
    refusal or withdrawal governs every contact of the company; a contact
    that decided nothing follows the account."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls.env["res.partner"].create({"name": "Acme", "is_company": True})
        cls.alice, cls.bob = cls.env["res.partner"].create(
            [
                {"name": "Alice", "parent_id": cls.acme.id, "email": "alice@acme.example"},
                {"name": "Bob", "parent_id": cls.acme.id, "email": "bob@acme.example"},
            ]
        )
        cls.everyone = cls.acme | cls.alice | cls.bob

    def _blocked(self, purpose="sales_calls", channel="phone"):
        return self.everyone._ccare_contact_blocks(purpose, channel)

    def test_a_contacts_choice_governs_that_contact_only(self):
        self.alice._ccare_record_consent("sales_calls", "phone", "withdrawn", source="portal")
        self.assertEqual(self._blocked(), {self.alice.id: "consent withdrawn"})
        self.bob.dnc_phone = True
        self.assertEqual(set(self._blocked()), {self.alice.id, self.bob.id})
        self.assertNotIn(self.acme.id, self._blocked())

    def test_account_withdrawal_governs_every_contact(self):
        self.alice._ccare_record_consent("sales_calls", "phone", "granted", source="portal")
        self.acme._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        self.assertEqual(
            self._blocked(),
            {
                self.acme.id: "consent withdrawn",
                # Alice's own grant does not outweigh her company's withdrawal
                self.alice.id: "consent withdrawn (for the whole account)",
                self.bob.id: "consent withdrawn (for the whole account)",
            },
        )

    def test_account_do_not_contact_governs_every_contact(self):
        self.acme.dnc_all = True
        self.assertEqual(
            set(self._blocked("marketing", "email").values()),
            {"do not contact", "do not contact (for the whole account)"},
        )
        self.assertEqual(len(self._blocked("marketing", "email")), 3)

    def test_account_grant_covers_contacts_without_a_decision(self):
        # marketing is opt-in: nobody may be e-mailed before a grant
        self.assertEqual(len(self._blocked("marketing", "email")), 3)
        self.acme._ccare_record_consent("marketing", "email", "granted", source="form")
        self.assertEqual(self._blocked("marketing", "email"), {})
        # Bob's own refusal governs Bob
        self.bob._ccare_record_consent("marketing", "email", "refused", source="form")
        self.assertEqual(self._blocked("marketing", "email"), {self.bob.id: "consent refused"})

    def test_one_query_for_people_and_companies(self):
        with self.assertQueryCount(1):
            self.everyone._ccare_contact_blocks("sales_calls", "visit")


@tagged("post_install", "-at_install", "ccare_consent")
class TestOptOutWithoutLogin(HttpCase):
    """The unsubscribe link of our mails opens a public preference page
    (no login) that records the decision with its evidence; a forged or
    expired token gets a clear page and records nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create(
            {"name": "Una Subscriber", "email": "una@example.com"}
        )
        cls.partner._ccare_record_consent("marketing", "email", "granted", source="form")

    def _current(self):
        return self.env["crm.customer.consent"].search(
            [
                ("partner_id", "=", self.partner.id),
                ("purpose", "=", "marketing"),
                ("channel", "=", "email"),
                ("is_current", "=", True),
            ]
        )

    def test_mail_carries_link_and_list_unsubscribe_header(self):
        Mail = self.env["mail.mail"].sudo()
        mail = Mail.create(
            Mail._ccare_consent_mail_values(self.partner, "marketing", "Your tier", "<p>Gold!</p>")
        )
        self.assertIn("/ccare/preferences/", str(mail.body_html))
        headers = ast.literal_eval(mail.headers)  # Odoo stores them as a dict repr
        self.assertRegex(headers["List-Unsubscribe"], r"^<http.*/ccare/unsubscribe/[\w-]+>$")
        self.assertEqual(headers["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click")
        # the headers reach the outgoing message
        outgoing = mail._prepare_outgoing_list()[0]
        self.assertIn("List-Unsubscribe", outgoing["headers"])

    def test_preference_page_records_a_withdrawal_without_login(self):
        url = self.partner._ccare_preference_url("marketing")
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Una Subscriber", page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        token = url.rsplit("/", 1)[1]
        response = self.url_open(
            f"/ccare/preferences/{token}/update",
            data={
                "purpose": "marketing",
                "channel": "email",
                "state": "withdrawn",
                "csrf_token": csrf,
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Your choice has been recorded", response.text)
        current = self._current()
        self.assertEqual((current.state, current.source), ("withdrawn", "web"))
        self.assertIn(token[-12:], current.evidence)
        self.assertTrue(current.date)
        self.assertFalse(self.partner._ccare_is_contactable("marketing", "email"))

    def test_one_click_unsubscribe(self):
        url = self.partner._ccare_preference_url("marketing", oneclick=True)
        response = self.url_open(url, data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual((self._current().state, self._current().source), ("withdrawn", "web"))

    def test_forged_and_expired_tokens_record_nothing(self):
        good = self.partner._ccare_preference_token("marketing")
        expired = hash_sign(
            self.env(su=True),
            PREFERENCE_SCOPE,
            {"partner_id": self.partner.id, "purpose": "marketing"},
            expiration=timedelta(seconds=-60),
        )
        forged = hash_sign(
            self.env(su=True),
            "another.scope",
            {"partner_id": self.partner.id, "purpose": "marketing"},
        )
        for token in (expired, forged, good[:-4] + "AAAA", "garbage"):
            page = self.url_open(f"/ccare/preferences/{token}")
            self.assertEqual(page.status_code, 403, token)
            self.assertIn("This link is no longer valid", page.text)
            self.assertNotIn("Una Subscriber", page.text)
            self.url_open(f"/ccare/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
        self.assertEqual(self._current().state, "granted")

    def test_portal_shows_the_account_decision(self):
        """``/my/privacy`` (same implementation): a company contact sees that
        the company's withdrawal holds for them."""
        company = self.env["res.partner"].create({"name": "Acme Portal", "is_company": True})
        user = mail_new_test_user(
            self.env, login="ccare_b2b_portal", groups="base.group_portal", name="Pia Portal"
        )
        user.partner_id.parent_id = company
        company._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        self.authenticate("ccare_b2b_portal", "ccare_b2b_portal")
        page = self.url_open("/my/privacy")
        self.assertIn("Not allowed for your whole company", page.text)

    def _row(self, page, purpose, channel):
        """The /my/privacy table row of one purpose and channel."""
        return re.search(
            rf'<tr[^>]*data-purpose="{purpose}"[^>]*data-channel="{channel}".*?</tr>', page, re.S
        ).group(0)

    def test_a_customer_can_refuse_what_was_never_asked(self):
        """Profiling by e-mail, never asked: the customer may allow it or
        refuse it; refused, the row says so and offers to allow it."""
        user = mail_new_test_user(
            self.env, login="ccare_refuser", groups="base.group_portal", name="Rita Refuser"
        )
        self.authenticate("ccare_refuser", "ccare_refuser")
        row = self._row(self.url_open("/my/privacy").text, "profiling", "email")
        self.assertIn("Not asked yet", row)
        self.assertIn("o_ccare_grant", row)
        self.assertIn("o_ccare_refuse", row)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', row).group(1)
        page = self.url_open(
            "/my/privacy/update",
            data={
                "purpose": "profiling",
                "channel": "email",
                "state": "refused",
                "csrf_token": csrf,
            },
        ).text
        current = self.env["crm.customer.consent"].search(
            [("partner_id", "=", user.partner_id.id), ("is_current", "=", True)]
        )
        self.assertEqual(
            (current.purpose, current.state, current.source), ("profiling", "refused", "portal")
        )
        row = self._row(page, "profiling", "email")
        self.assertIn("Not allowed", row)
        self.assertNotIn("o_ccare_refuse", row)
        self.assertIn("o_ccare_grant", row)

    def test_a_contact_sees_the_company_grant_that_covers_them(self):
        """The company agreed to marketing by e-mail on a signed form: its
        contact, who decided nothing, sees that it holds for them (not "Not
        asked yet"), and may still decide for themselves."""
        company = self.env["res.partner"].create({"name": "Granting Corp", "is_company": True})
        user = mail_new_test_user(
            self.env, login="ccare_covered", groups="base.group_portal", name="Cora Covered"
        )
        user.partner_id.parent_id = company
        company._ccare_record_consent("marketing", "email", "granted", source="form")
        self.assertTrue(user.partner_id._ccare_is_contactable("marketing", "email"))
        self.authenticate("ccare_covered", "ccare_covered")
        row = self._row(self.url_open("/my/privacy").text, "marketing", "email")
        self.assertNotIn("Not asked yet", row)
        self.assertIn("Allowed by your company", row)
        self.assertIn("Granting Corp decided on", row)
        self.assertIn("o_ccare_refuse", row)
