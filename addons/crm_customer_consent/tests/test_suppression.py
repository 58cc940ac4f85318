"""An erased person's opt-out survives the erasure: the suppression list
keeps a keyed hash of each opted-out address (never the address), and an
address that comes back gets its opt-out back on Odoo's blacklist."""

import hashlib
import unittest

from odoo import tools
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.crm_customer_suppression import PENDING_KEY


@tagged("post_install", "-at_install")
class TestSuppression(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "crm.customer.anonymisation" not in cls.env:
            raise unittest.SkipTest("needs crm_customer_privacy (crm.customer.anonymisation)")
        Partner = cls.env["res.partner"]
        cls.gone = Partner.create(
            {
                "name": "Gina Gone",
                "email": "Gina.Gone@Example.com",
                "phone": "+32 470 12 98 76",
                "dnc_phone": True,
            }
        )
        cls.kept = Partner.create({"name": "Kim Kept", "email": "kim.kept@example.com"})
        cls.env["mail.blacklist"]._add("gina.gone@example.com")
        cls.gone.lifecycle_override = "closed"
        cls.gone._ccare_anonymise()
        cls.env.cr.flush()

    def test_opt_outs_kept_as_hashes_never_as_addresses(self):
        Suppression = self.env["crm.customer.suppression"]
        rows = Suppression.search([])
        self.assertEqual(sorted(rows.mapped("channel")), ["email", "phone"])
        self.assertEqual(
            sorted(rows.mapped("digest")),
            sorted(
                [
                    Suppression._ccare_digest("gina.gone@example.com"),
                    Suppression._ccare_digest("+32470129876"),
                ]
            ),
        )
        # a keyed hash: 64 hex digits, not the address, and the same address
        # in another case or with spaces gives the same digest
        for row in rows:
            self.assertRegex(row.digest, r"^[0-9a-f]{64}$")
            self.assertNotIn("gina", row.digest)
        self.assertEqual(
            Suppression._ccare_digest("gina.gone@example.com"),
            Suppression._ccare_digest(tools.email_normalize(" Gina.Gone@EXAMPLE.com ")),
        )
        self.assertNotEqual(
            Suppression._ccare_digest("gina.gone@example.com"),
            hashlib.sha256(b"gina.gone@example.com").hexdigest(),
            "keyed with the database secret: hashing a list of addresses elsewhere finds nothing",
        )
        blacklisted = (
            self.env["mail.blacklist"]
            .with_context(active_test=False)
            .search([("email", "=", "gina.gone@example.com")])
        )
        self.assertFalse(blacklisted, "the blacklist entry held the address: it is gone")
        # anonymising again suppresses nothing twice
        self.gone._ccare_anonymise()
        self.assertEqual(Suppression.search_count([]), 2)

    def test_a_returning_address_gets_its_opt_out_back(self):
        Partner = self.env["res.partner"]
        again = Partner.create({"name": "G. Gone", "email": " gina.gone@example.COM "})
        lead = self.env["crm.lead"].create({"name": "Call me", "phone": "+32 470 12 98 76"})
        other = Partner.create({"name": "Someone Else", "email": "else@example.com"})
        self.env.cr.flush()
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "gina.gone@example.com")])
        )
        self.assertTrue(self.env["phone.blacklist"].search([("number", "=", "+32470129876")]))
        self.assertFalse(self.env["mail.blacklist"].search([("email", "=", "else@example.com")]))
        self.assertEqual(lead.phone_sanitized, "+32470129876")
        # and so the one consent API refuses them (sales calls need no opt-in:
        # the blacklist is what refuses)
        allowed = (again | other)._filter_contactable("sales_calls", "email")
        self.assertEqual(allowed, other)
        # a partner taking the address later, by a write, too
        self.env["mail.blacklist"].search([("email", "=", "gina.gone@example.com")]).unlink()
        self.kept.email = "gina.gone@example.com"
        self.env.cr.flush()
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "gina.gone@example.com")])
        )

    def test_no_query_while_nothing_is_suppressed(self):
        Suppression = self.env["crm.customer.suppression"]
        with Suppression._ccare_append_only_unlocked():
            Suppression.search([]).unlink()
        self.env.registry.clear_cache()
        self.assertFalse(Suppression._ccare_has_entries())
        partner = self.env["res.partner"].create({"name": "Warm", "email": "warm@example.com"})
        lead = self.env["crm.lead"].create({"name": "Warm lead", "email_from": "w@example.com"})
        self.env.cr.flush()
        with self.assertQueryCount(0):
            Suppression._ccare_reapply(["someone@example.com"], ["+3212345678"])
            Suppression._ccare_defer_reapply(partner | lead.partner_id)
            Suppression._ccare_defer_reapply(lead)
            self.assertEqual(Suppression._ccare_suppressed("email", ["warm@example.com"]), set())
        self.assertNotIn(PENDING_KEY, self.env.cr.precommit.data)

    def test_the_list_is_the_servers(self):
        Suppression = self.env["crm.customer.suppression"]
        row = Suppression.search([], limit=1)
        with self.assertRaises(UserError):
            row.sudo().write({"digest": "0" * 64})
        with self.assertRaises(UserError):
            row.sudo().unlink()
        with self.assertRaises(UserError):
            Suppression.sudo().create({"channel": "email", "digest": "f" * 64})
        self.assertTrue(Suppression.with_user(self.privacy_officer).search([]))
        with self.assertRaises(AccessError):
            Suppression.with_user(self.care_manager).search([])


@tagged("post_install", "-at_install")
class TestSuppressionOverRpc(RpcCase, CustomerCareCommon):
    def test_no_one_lifts_a_suppression_over_rpc(self):
        if "crm.customer.anonymisation" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.anonymisation")
        partner = self.env["res.partner"].create(
            {
                "name": "Rita Rpc",
                "email": "rita@rpc.example",
                "dnc_email": True,
                "lifecycle_override": "closed",
            }
        )
        partner._ccare_anonymise()
        row = self.env["crm.customer.suppression"].search([("channel", "=", "email")])
        self.assertEqual(len(row), 1)
        self.assertRefused("care_manager", "crm.customer.suppression", "search_read", [[]])
        self.assertRefused("privacy_officer", "crm.customer.suppression", "unlink", [row.ids])
        self.assertRefused(
            "privacy_officer", "crm.customer.suppression", "write", [row.ids, {"digest": "x"}]
        )
        self.assertRefused(
            "privacy_officer",
            "crm.customer.suppression",
            "create",
            [{"channel": "email", "digest": "y"}],
        )
        self.assertTrue(row.exists())
