"""Attacks on the promises of crm_customer_care, driven over the web
client's own JSON-RPC path by users who must be refused: append-only
records, rules as oracles of sensitive data, the sensitive-data log on every
read path."""

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .rpc import RpcCase

USER = "crm_customer_care.group_crm_customer_care_user"
MANAGER = "crm_customer_care.group_crm_customer_care_manager"
SENSITIVE = "crm_customer_care.group_crm_customer_care_sensitive_data"


@tagged("post_install", "-at_install", "ccare_security")
class TestServerInvariants(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new = mail_new_test_user
        cls.user = new(cls.env, login="inv_user", name="Ulla User", groups=USER)
        cls.manager = new(cls.env, login="inv_manager", name="Mo Manager", groups=MANAGER)
        cls.sensitive = new(
            cls.env, login="inv_sensitive", name="Sid Sensitive", groups=f"{USER},{SENSITIVE}"
        )
        cls.portal = new(cls.env, login="inv_portal", name="Pat Portal", groups="base.group_portal")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Victim Trading Ltd", "is_company": True, "vat": "BE0477472701"}
        )

    # ------------------------------------------------------------ append-only
    def test_consent_evidence_is_the_servers(self):
        """Who recorded a decision and when are the server's; a user cannot
        claim the customer decided on the portal."""
        self.assertRefused(
            "inv_user",
            "crm.customer.consent",
            "create",
            [
                {
                    "partner_id": self.customer.id,
                    "purpose": "marketing",
                    "channel": "email",
                    "state": "granted",
                    "source": "portal",
                }
            ],
        )
        consent_id = self.call_kw(
            "inv_user",
            "crm.customer.consent",
            "create",
            [
                {
                    "partner_id": self.customer.id,
                    "purpose": "marketing",
                    "channel": "email",
                    "state": "granted",
                    "source": "form",
                    "date": "2020-01-01 00:00:00",
                    "user_id": self.manager.id,
                }
            ],
        )
        consent = self.env["crm.customer.consent"].browse(consent_id)
        self.assertEqual(consent.user_id, self.user)
        self.assertGreater(consent.date.year, 2020)

    def test_blacklist_lifted_by_its_owner_only(self):
        """A portal user sets their e-mail to a victim's blacklisted address,
        then grants marketing: the victim's entry stays."""
        victim = self.env["res.partner"].create({"name": "Vic", "email": "vic@example.com"})
        entry = self.env["mail.blacklist"].sudo()._add("vic@example.com")
        attacker = self.portal.partner_id
        attacker.sudo().email = "VIC@example.com"
        attacker.sudo()._ccare_record_consent("marketing", "email", "granted", source="portal")
        self.assertTrue(entry.active, "someone else's blacklist entry was lifted")
        # the owner, recorded by staff with evidence, lifts it
        victim._ccare_record_consent("marketing", "email", "granted", source="form")
        self.assertTrue(entry.active, "the address is shared: nobody may lift it alone")
        attacker.sudo().email = "pat@example.com"
        victim._ccare_record_consent("marketing", "email", "granted", source="form")
        self.assertFalse(entry.active)

    # ------------------------------------------------------------ oracles
    def test_rules_cannot_test_what_the_author_cannot_read(self):
        self.assertRefused(
            "inv_manager",
            "crm.customer.segment",
            "create",
            [{"name": "Born in 1970", "domain": "[('ccare_birthdate', '<', '1971-01-01')]"}],
        )

    # ------------------------------------------------------------ the log
    def test_every_read_path_of_sensitive_data_is_logged(self):
        self.customer.sudo().write({"ccare_id_number": "A123456(3)", "ccare_id_purpose": "law"})
        Log = self.env["crm.customer.sensitive.access"]
        for method, args, kwargs in (
            ("search_read", [[("id", "=", self.customer.id)]], {"fields": ["ccare_id_number"]}),
            ("read", [self.customer.ids, ["ccare_id_number"]], {}),
            (
                "web_search_read",
                [[("id", "=", self.customer.id)]],
                {"specification": {"ccare_id_number": {}}},
            ),
            (
                "formatted_read_group",
                [[("id", "=", self.customer.id)], ["ccare_id_number"], ["__count"]],
                {},
            ),
        ):
            before = Log.search_count([])
            self.call_kw("inv_sensitive", "res.partner", method, args, kwargs)
            entries = Log.search([], order="id desc", limit=Log.search_count([]) - before)
            self.assertEqual(len(entries), 1, f"{method} logged {len(entries)} entries")
            self.assertEqual(entries.user_id, self.sensitive, method)
            self.assertIn(self.customer, entries.partner_ids, method)
            self.assertIn("ccare_id_number", entries.field_names, method)
