from odoo.tests import HttpCase
from odoo.tests import tagged

from .test_ledger import LedgerCommon


@tagged("post_install", "-at_install", "ccare_security", "ccare_loyalty_ledger")
class TestLoyaltyAttacksOverRpc(LedgerCommon, HttpCase):
    """The attacks of issue 14 on the points ledger, over the web client's
    own JSON-RPC route, as the users who tried them: each is refused and the
    balance still equals the open lots."""

    def setUp(self):
        super().setUp()
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")

    def _rpc(self, login, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` as ``login`` through
        ``/web/dataset/call_kw``: the decoded JSON answer."""
        self.authenticate(login, login + "x" * (8 - len(login)))
        response = self.url_open(
            "/web/dataset/call_kw",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "id": 1,
                "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
            },
        )
        response.raise_for_status()
        return response.json()

    def _request(self):
        """A Loyalty User requests 50 points of the card: the request's id."""
        vals = {"card_id": self.card.id, "points": 50}
        return self._rpc("loy_user", "crm.loyalty.redemption", "create", [vals])["result"][0]

    def assertRefused(self, answer, error, text):
        self.assertIn("error", answer, f"the server accepted it: {answer}")
        self.assertEqual(answer["error"]["data"]["name"], f"odoo.exceptions.{error}")
        self.assertIn(text, answer["error"]["data"]["message"])

    def test_salesperson_writes_points(self):
        answer = self._rpc("care_user", "loyalty.card", "write", [self.card.id], {"points": 500})
        self.assertRefused(answer, "AccessError", "Only Loyalty Managers")
        answer = self._rpc(
            "care_user",
            "loyalty.card",
            "web_save",
            [self.card.id],
            {"points": 500},
            specification={"points": {}},
        )
        self.assertRefused(answer, "AccessError", "Only Loyalty Managers")
        self.assertLedger(self.card, [70])

    def test_salesperson_creates_history(self):
        answer = self._rpc(
            "care_user",
            "loyalty.history",
            "create",
            [{"card_id": self.card.id, "description": "Fake statement", "issued": 400}],
        )
        self.assertRefused(answer, "AccessError", "Only Loyalty Managers")
        self.assertEqual(len(self.card.history_ids), 1)
        self.assertLedger(self.card, [70])

    def test_salesperson_update_balance_wizard(self):
        answer = self._rpc(
            "care_user",
            "loyalty.card.update.balance",
            "create",
            [{"card_id": self.card.id, "new_balance": 540, "description": "Gift"}],
        )
        wizard_id = answer["result"][0]
        answer = self._rpc(
            "care_user", "loyalty.card.update.balance", "action_update_card_point", [wizard_id]
        )
        self.assertRefused(answer, "AccessError", "Only Loyalty Managers")
        self.assertLedger(self.card, [70])

    def test_inflate_redemption_then_cancel(self):
        request = self._request()
        self.assertLedger(self.card, [20])
        answer = self._rpc(
            "loy_user", "crm.loyalty.redemption", "write", [request], {"points": 500}
        )
        self.assertRefused(answer, "UserError", "own actions")
        answer = self._rpc("loy_user", "crm.loyalty.redemption", "action_cancel", [request])
        self.assertNotIn("error", answer)
        self.assertLedger(self.card, [70])

    def test_reopen_cancelled_redemption(self):
        request = self._request()
        self._rpc("loy_user", "crm.loyalty.redemption", "action_cancel", [request])
        self.assertLedger(self.card, [70])
        answer = self._rpc(
            "loy_user", "crm.loyalty.redemption", "write", [request], {"state": "requested"}
        )
        self.assertRefused(answer, "UserError", "own actions")
        answer = self._rpc("loy_user", "crm.loyalty.redemption", "action_cancel", [request])
        self.assertRefused(answer, "UserError", "Only a pending redemption")
        self.assertLedger(self.card, [70])

    def test_write_cancel_state_loses_nothing(self):
        request = self._request()
        answer = self._rpc(
            "loy_user", "crm.loyalty.redemption", "write", [request], {"state": "cancel"}
        )
        self.assertRefused(answer, "UserError", "own actions")
        self.assertEqual(self.env["crm.loyalty.redemption"].browse(request).state, "requested")
        self.assertLedger(self.card, [20])

    def test_manager_may_over_rpc(self):
        """The right is deliberate: a Loyalty Manager's hand adjustment goes
        through, with its lot and statement line."""
        answer = self._rpc("loy_manager", "loyalty.card", "write", [self.card.id], {"points": 500})
        self.assertNotIn("error", answer)
        self.assertLedger(self.card, [500])
        self.assertEqual(self.card.history_ids.filtered("issued")[:1].issued, 430)
