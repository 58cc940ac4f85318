from datetime import date
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tests import tagged
from odoo.tests import users


@tagged("post_install", "-at_install")
class TestConsent(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = cls.env["res.partner"].create(
            {"name": "Alice", "email": "alice@example.com", "phone": "+32 470 12 34 56"}
        )
        cls.bob = cls.env["res.partner"].create({"name": "Bob", "email": "bob@example.com"})

    def test_new_decision_supersedes_and_history_is_kept(self):
        first = self.alice._ccare_record_consent(
            "marketing", "email", "granted", source="form", evidence="Signed form 114"
        )
        second = self.alice._ccare_record_consent("marketing", "email", "withdrawn", source="call")
        self.assertFalse(first.is_current)
        self.assertEqual(first.superseded_by_id, second)
        self.assertTrue(second.is_current)
        history = self.env["crm.customer.consent"].search([("partner_id", "=", self.alice.id)])
        self.assertEqual(history.mapped("state"), ["withdrawn", "granted"])
        self.assertIn("Marketing / Email: <b>withdrawn</b>", str(self.alice.consent_summary))

    def test_history_is_read_only(self):
        consent = self.alice._ccare_record_consent("marketing", "email", "granted")
        with self.assertRaisesRegex(UserError, "never edited"):
            consent.state = "refused"
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            consent.unlink()

    def test_opt_in_purposes_need_a_grant(self):
        partners = self.alice | self.bob
        self.assertFalse(partners._filter_contactable("marketing", "email"))
        self.alice._ccare_record_consent("marketing", "email", "granted")
        self.assertEqual(partners._filter_contactable("marketing", "email"), self.alice)
        # sales calls are allowed unless refused
        self.assertEqual(partners._filter_contactable("sales_calls", "phone"), partners)
        self.bob._ccare_record_consent("sales_calls", "phone", "refused")
        self.assertEqual(partners._filter_contactable("sales_calls", "phone"), self.alice)
        self.assertEqual(
            partners._ccare_contact_blocks("sales_calls", "phone"), {self.bob.id: "consent refused"}
        )
        # a policy can demand an explicit grant for calls too
        self.assertFalse(partners._filter_contactable("sales_calls", "phone", require_opt_in=True))

    def test_withdrawal_and_expiry_block(self):
        self.alice._ccare_record_consent(
            "marketing",
            "sms",
            "granted",
            expiry_date=date.today() - timedelta(days=1),
            date="2020-01-01 00:00:00",
        )
        self.assertEqual(
            self.alice._ccare_contact_blocks("marketing", "sms"), {self.alice.id: "consent expired"}
        )
        self.alice._ccare_record_consent("marketing", "sms", "withdrawn")
        self.assertFalse(self.alice._ccare_is_contactable("marketing", "sms"))

    def test_do_not_contact_overrides_consent(self):
        self.alice._ccare_record_consent("marketing", "email", "granted")
        self.alice.dnc_email = True
        self.assertEqual(
            self.alice._ccare_contact_blocks("marketing", "email"),
            {self.alice.id: "do not contact by Email"},
        )
        self.assertTrue(self.alice._ccare_is_contactable("sales_calls", "phone"))
        self.alice.dnc_all = True
        self.assertFalse(self.alice._ccare_is_contactable("sales_calls", "phone"))

    def test_marketing_email_kept_in_sync_with_mail_blacklist(self):
        Blacklist = self.env["mail.blacklist"].with_context(active_test=False)
        self.alice._ccare_record_consent("marketing", "email", "granted")
        self.assertFalse(
            Blacklist.search([("email", "=", "alice@example.com"), ("active", "=", True)])
        )
        self.alice._ccare_record_consent("marketing", "email", "withdrawn")
        self.assertTrue(self.alice.is_blacklisted)
        self.alice._ccare_record_consent("marketing", "email", "granted")
        self.alice.invalidate_recordset(["is_blacklisted"])
        self.assertFalse(self.alice.is_blacklisted)

    def test_odoo_blacklists_respected(self):
        self.env["phone.blacklist"]._add([self.alice.phone_sanitized])
        self.env["mail.blacklist"]._add("alice@example.com")
        self.assertEqual(
            self.alice._ccare_contact_blocks("sales_calls", "phone"), {self.alice.id: "blacklisted"}
        )
        self.assertEqual(
            self.alice._ccare_contact_blocks("sales_calls", "email"), {self.alice.id: "blacklisted"}
        )
        self.env["phone.blacklist"].search([("number", "=", self.alice.phone_sanitized)]).unlink()
        self.alice._ccare_record_consent("marketing", "sms", "granted")
        self.env["phone.blacklist"]._add([self.alice.phone_sanitized])
        self.assertEqual(
            self.alice._ccare_contact_blocks("marketing", "sms"), {self.alice.id: "blacklisted"}
        )

    def test_marketing_opt_in_cannot_be_waived(self):
        """A caller of the consent API (a call policy without "require
        opt-in") cannot switch off the opt-in that direct marketing needs."""
        self.assertIn(
            self.alice.id,
            self.alice._ccare_contact_blocks("marketing", "email", require_opt_in=False),
        )
        self.assertFalse(self.alice._filter_contactable("profiling", "email", require_opt_in=False))

    def test_explicit_grant_outweighs_a_marketing_opt_out(self):
        """Refusing marketing SMS puts the number on Odoo's phone blacklist;
        the customer who then asks for sales calls by phone gets them."""
        self.alice._ccare_record_consent("marketing", "sms", "refused")
        self.assertTrue(
            self.env["phone.blacklist"].search([("number", "=", self.alice.phone_sanitized)])
        )
        self.assertFalse(self.alice._ccare_is_contactable("sales_calls", "phone"))
        self.alice._ccare_record_consent("sales_calls", "phone", "granted")
        self.assertTrue(self.alice._ccare_is_contactable("sales_calls", "phone"))
        # but never for marketing itself
        self.assertFalse(self.alice._ccare_is_contactable("marketing", "sms"))

    def test_blacklist_sync_is_set_based(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Sync {i}", "email": f"sync{i}@example.com"} for i in range(30)]
        )
        few = self.count_queries(
            partners[:3]._ccare_record_consent, "marketing", "email", "withdrawn"
        )
        many = self.count_queries(
            partners[3:]._ccare_record_consent, "marketing", "email", "withdrawn"
        )
        self.assertLessEqual(many, few + 5)
        self.assertEqual(
            self.env["mail.blacklist"].search_count([("email", "like", "sync%@example.com")]), 30
        )
        partners._ccare_record_consent("marketing", "email", "granted")
        self.assertEqual(
            self.env["mail.blacklist"].search_count([("email", "like", "sync%@example.com")]), 0
        )

    def test_one_current_decision_per_purpose_and_channel(self):
        with self.assertRaisesRegex(UserError, "one decision per customer"):
            self.env["crm.customer.consent"].create(
                [
                    {
                        "partner_id": self.alice.id,
                        "purpose": "marketing",
                        "channel": "email",
                        "state": s,
                    }
                    for s in ("granted", "refused")
                ]
            )

    def test_filter_is_set_based(self):
        few = self.env["res.partner"].create([{"name": f"F{i}"} for i in range(10)])
        many = self.env["res.partner"].create([{"name": f"M{i}"} for i in range(100)])
        few._filter_contactable("marketing", "email")  # warm the caches
        self.assertEqual(
            self.count_queries(few._filter_contactable, "marketing", "email"),
            self.count_queries(many._filter_contactable, "marketing", "email"),
        )

    def test_unknown_purpose_or_channel(self):
        with self.assertRaises(ValueError):
            self.alice._filter_contactable("spam", "email")

    @users("care_user")
    def test_users_record_decisions_but_cannot_edit(self):
        alice = self.alice.with_env(self.env)
        consent = alice._ccare_record_consent("sales_calls", "phone", "granted", source="call")
        self.assertEqual(consent.user_id, self.env.user)
        with self.assertRaises(AccessError):
            consent.write({"state": "refused"})
        with self.assertRaisesRegex(UserError, "never edited"):
            consent.sudo().write({"state": "refused"})
        with self.assertRaises(AccessError):
            self.env["crm.customer.segment"].create({"name": "Not mine"})


@tagged("post_install", "-at_install")
class TestConsentPortal(HttpCase):
    def test_portal_customer_withdraws_marketing_consent(self):
        portal_user = mail_new_test_user(
            self.env, login="ccare_portal", groups="base.group_portal", name="Paula Portal"
        )
        partner = portal_user.partner_id
        partner._ccare_record_consent("marketing", "email", "granted", source="form")
        self.start_tour("/my/privacy", "crm_customer_care_privacy_tour", login="ccare_portal")
        current = self.env["crm.customer.consent"].search(
            [
                ("partner_id", "=", partner.id),
                ("is_current", "=", True),
                ("purpose", "=", "marketing"),
                ("channel", "=", "email"),
            ]
        )
        self.assertEqual((current.state, current.source), ("withdrawn", "portal"))
        self.assertFalse(partner._ccare_is_contactable("marketing", "email"))

    def test_portal_cannot_touch_others(self):
        mail_new_test_user(self.env, login="ccare_portal2", groups="base.group_portal")
        other = self.env["res.partner"].create({"name": "Someone else"})
        self.authenticate("ccare_portal2", "ccare_portal2")
        page = self.url_open("/my/privacy")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Someone else", page.text)
        # a forged purpose is ignored, and only the visitor's own partner is ever written
        self.url_open(
            "/my/privacy/update",
            data={
                "purpose": "sharing",
                "channel": "post",
                "state": "granted",
                "csrf_token": "invalid",
            },
        )
        self.assertFalse(self.env["crm.customer.consent"].search([("partner_id", "=", other.id)]))


@tagged("post_install", "-at_install", "ccare_consent")
class TestConsentSourcesRpc(RpcCase):
    """A decision's source is evidence: staff record what they hold (a
    signed form, a call, an import), never that the customer decided
    online. Only our own routes record the online sources."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mail_new_test_user(
            cls.env, login="src_care", groups="crm_customer_care.group_crm_customer_care_user"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Source Trading", "email": "source@example.com"}
        )

    def _create(self, source, purpose="marketing"):
        return self.call_kw(
            "src_care",
            "crm.customer.consent",
            "create",
            [
                {
                    "partner_id": self.customer.id,
                    "purpose": purpose,
                    "channel": "email",
                    "state": "granted",
                    "source": source,
                }
            ],
        )

    def test_online_sources_are_the_servers(self):
        for source in ("web", "portal", "email"):
            self.assertRefused(
                "src_care",
                "crm.customer.consent",
                "create",
                [
                    {
                        "partner_id": self.customer.id,
                        "purpose": "marketing",
                        "channel": "email",
                        "state": "granted",
                        "source": source,
                    }
                ],
            )
        self.assertFalse(self.customer.consent_ids, "no decision recorded")
        # what staff hold themselves they record
        self.assertTrue(self._create("form"))
        self.assertTrue(self._create("call", purpose="profiling"))
        # the preference page itself records "web": test_privacy_paths.py
