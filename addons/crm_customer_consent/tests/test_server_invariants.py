"""Attacks on the promises of crm_customer_consent, driven over the web
client's own JSON-RPC path: the evidence of a decision is the server's, and
a blacklist entry is lifted by its owner only."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

USER = "crm_customer_care.group_crm_customer_care_user"
MANAGER = "crm_customer_care.group_crm_customer_care_manager"


@tagged("post_install", "-at_install", "ccare_security")
class TestConsentInvariants(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new = mail_new_test_user
        cls.user = new(cls.env, login="inv_user", name="Ulla User", groups=USER)
        cls.manager = new(cls.env, login="inv_manager", name="Mo Manager", groups=MANAGER)
        cls.portal = new(cls.env, login="inv_portal", name="Pat Portal", groups="base.group_portal")
        cls.customer = cls.env["res.partner"].create({"name": "Invariant Customer"})

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
