from werkzeug.urls import url_encode

from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import MailingBridgeCommon


@tagged("post_install", "-at_install", "ccare_mass_mailing")
class TestUnsubscribeRecordsConsent(MailingBridgeCommon, HttpCase):
    """mass_mailing's own unsubscribe routes (no login, a signed token)
    record our consent withdrawal, with the server's evidence; a forged
    token records nothing."""

    def _current(self, partner):
        return self.env["crm.customer.consent"].search(
            [
                ("partner_id", "=", partner.id),
                ("purpose", "=", "marketing"),
                ("channel", "=", "email"),
                ("is_current", "=", True),
            ]
        )

    def _oneclick(self, mailing, document_id, email, token=None):
        params = {
            "document_id": document_id,
            "email": email,
            "hash_token": token or mailing._generate_mailing_recipient_token(document_id, email),
        }
        return self.url_open(
            f"/mailing/{mailing.id}/unsubscribe_oneclick?{url_encode(params)}",
            data={"List-Unsubscribe": "One-Click"},
        )

    def test_leaving_the_list_withdraws_consent(self):
        self.target.with_user(self.marketer).action_send_to_mailing_list()
        mailing_list = self.target.mailing_list_id
        mailing = self._mailing("mailing.list", contact_list_ids=[(6, 0, mailing_list.ids)])
        carla = mailing_list.contact_ids.filtered(lambda c: c.ccare_partner_id == self.c1)
        dirk = mailing_list.contact_ids.filtered(lambda c: c.ccare_partner_id == self.c2)
        # Dirk is also on a newsletter: leaving one list is no withdrawal
        newsletter = self.env["mailing.list"].create({"name": "Newsletter"})
        self.env["mailing.subscription"].create({"contact_id": dirk.id, "list_id": newsletter.id})

        forged = self._oneclick(mailing, carla.id, carla.email, token="0" * 64)
        self.assertEqual(forged.status_code, 401)
        self.assertEqual(self._current(self.c1).state, "granted")

        response = self._oneclick(mailing, carla.id, carla.email)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(carla.subscription_ids.opt_out)
        current = self._current(self.c1)
        self.assertEqual((current.state, current.source), ("withdrawn", "web"))
        self.assertIn("Offer to mailing.list", current.evidence)
        token = mailing._generate_mailing_recipient_token(carla.id, carla.email)
        self.assertIn(token[-12:], current.evidence)
        self.assertFalse(self.c1._ccare_is_contactable("marketing", "email"))
        # once more: nothing recorded twice
        self._oneclick(mailing, carla.id, carla.email)
        self.assertEqual(self._current(self.c1), current)

        self._oneclick(mailing, dirk.id, dirk.email)
        self.assertTrue(dirk.subscription_ids.filtered(lambda s: s.list_id == mailing_list).opt_out)
        self.assertEqual(self._current(self.c2).state, "granted")

    def test_blocklisting_from_a_mailing_withdraws_consent(self):
        mailing = self._mailing(
            "res.partner", mailing_domain=repr([("id", "in", (self.c1 | self.c2).ids)])
        )
        response = self._oneclick(mailing, self.c2.id, "dirk@example.com")
        self.assertEqual(response.status_code, 200)
        self.assertTrue(
            self.env["mail.blacklist"].search([("email", "=", "dirk@example.com")]).active
        )
        current = self._current(self.c2)
        self.assertEqual((current.state, current.source), ("withdrawn", "web"))
        self.assertIn("Blocklisted", current.evidence)
        self.assertEqual(self._current(self.c1).state, "granted")

    def test_subscription_page_and_blocklist_button_withdraw_consent(self):
        """The subscription page (JSON-RPC): leaving every list, or pressing
        the blocklist button, withdraws; a forged token is refused."""
        self.target.with_user(self.marketer).action_send_to_mailing_list()
        mailing_list = self.target.mailing_list_id
        mailing = self._mailing("mailing.list", contact_list_ids=[(6, 0, mailing_list.ids)])
        carla = mailing_list.contact_ids.filtered(lambda c: c.ccare_partner_id == self.c1)
        params = {
            "mailing_id": mailing.id,
            "document_id": carla.id,
            "email": carla.email,
            "lists_optin_ids": [],
        }
        forged = self.make_jsonrpc_request(
            "/mailing/list/update", {**params, "hash_token": "0" * 64}
        )
        self.assertEqual(forged, "unauthorized")
        self.assertEqual(self._current(self.c1).state, "granted")
        token = mailing._generate_mailing_recipient_token(carla.id, carla.email)
        left = self.make_jsonrpc_request("/mailing/list/update", {**params, "hash_token": token})
        self.assertEqual(left, 1)
        current = self._current(self.c1)
        self.assertEqual((current.state, current.source), ("withdrawn", "web"))
        self.assertIn("Left the mailing lists", current.evidence)

        partners_mailing = self._mailing(
            "res.partner", mailing_domain=repr([("id", "in", self.c2.ids)])
        )
        dirk = {
            "mailing_id": partners_mailing.id,
            "document_id": self.c2.id,
            "email": "dirk@example.com",
        }
        self.assertEqual(
            self.make_jsonrpc_request("/mailing/blocklist/add", {**dirk, "hash_token": "0" * 64}),
            "unauthorized",
        )
        self.assertEqual(self._current(self.c2).state, "granted")
        token = partners_mailing._generate_mailing_recipient_token(self.c2.id, "dirk@example.com")
        added = self.make_jsonrpc_request("/mailing/blocklist/add", {**dirk, "hash_token": token})
        self.assertIs(added, True)
        self.assertEqual(self._current(self.c2).state, "withdrawn")
        self.assertIn("Blocklisted", self._current(self.c2).evidence)
