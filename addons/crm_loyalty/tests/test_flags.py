"""Issue 18, anomaly flags: the detection job raises each anomaly once, with
why and the figures, on a review queue that Loyalty Managers clear with a
note."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_clawback import ClawbackCommon


class FlagCommon(ClawbackCommon):
    def _flags(self, cards, kind):
        return self.env["crm.loyalty.flag"].search(
            [("card_id", "in", cards.ids), ("kind", "=", kind)]
        )


@tagged("post_install", "-at_install", "crm_loyalty_fraud")
class TestAnomalyFlags(FlagCommon):
    def test_velocity_far_above_the_median(self):
        """Five members earn 20 this week, one 500: the median is 20, and
        500 > 5 x 20 (and >= 100) flags the sixth only, once."""
        partners = self._customers(6, consent=False, prefix="Velo")
        cards = self.env["loyalty.card"].create(
            [{"program_id": self.program.id, "partner_id": p.id} for p in partners]
        )
        self.env["loyalty.card"]._crm_points_add(
            {**{card.id: 20 for card in cards[:5]}, cards[5].id: 500}, "call_held", "Calls"
        )
        Flag = self.env["crm.loyalty.flag"]
        Flag._crm_detect_anomalies()
        flags = self._flags(cards, "velocity")
        self.assertEqual(flags.card_id, cards[5])
        self.assertIn("500 points earned in 7 days", flags.reason)
        self.assertIn("median of 20", flags.reason)
        self.assertEqual(Flag._crm_detect_anomalies(), 0)  # re-run: nothing new

    def test_redemption_right_after_earning(self):
        self.card._crm_points_add({self.card.id: 100}, "call_held", "Calls")
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 90})
        self.env["crm.loyalty.flag"]._crm_detect_anomalies()
        flag = self._flags(self.card, "quick_redeem")
        self.assertIn("90 points redeemed", flag.reason)
        self.assertIn("after earning 100", flag.reason)

    def test_cards_sharing_an_email(self):
        twins = self.env["res.partner"].create(
            [
                {"name": "Twin A", "email": "Same@Example.com"},
                {"name": "Twin B", "email": " same@example.com"},
            ]
        )
        cards = self.env["loyalty.card"].create(
            [{"program_id": self.program.id, "partner_id": p.id} for p in twins]
        )
        self.env["crm.loyalty.flag"]._crm_detect_anomalies()
        flags = self._flags(cards, "shared_contact")
        self.assertEqual(flags.card_id, cards)
        self.assertIn("same@example.com is also on 1 other member", flags[0].reason)

    def test_points_from_a_refunded_source(self):
        _order, invoice = self._invoiced_order()
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 80})
        self._credit_note(invoice)
        self.env["crm.loyalty.flag"]._crm_detect_anomalies()
        flag = self._flags(self.card, "refunded_source")
        self.assertIn("80 points refunded", flag.reason)

    def test_clear_with_a_note(self):
        self.card._crm_points_add({self.card.id: 100}, "call_held", "Calls")
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 90})
        self.env["crm.loyalty.flag"]._crm_detect_anomalies()
        flag = self._flags(self.card, "quick_redeem")
        with self.assertRaises(AccessError):
            flag.with_user(self.loyalty_user).action_clear("fine")
        manager = flag.with_user(self.loyalty_manager)
        with self.assertRaisesRegex(UserError, "review note"):
            manager.action_clear()
        manager.write({"clear_note": "Known customer, counter redemption"})
        manager.action_clear()
        self.assertEqual(
            (flag.state, flag.cleared_by_id, flag.clear_note),
            ("cleared", self.loyalty_manager, "Known customer, counter redemption"),
        )
        with self.assertRaisesRegex(UserError, "own actions"):
            manager.write({"clear_note": "changed afterwards"})


@tagged("post_install", "-at_install", "ccare_security", "crm_loyalty_fraud")
class TestAnomalyFlagsOverRpc(FlagCommon, RpcCase):
    def test_queue_cannot_be_forged_or_silenced(self):
        self.card._crm_points_add({self.card.id: 100}, "call_held", "Calls")
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 90})
        self.env["crm.loyalty.flag"]._crm_detect_anomalies()
        flag = self._flags(self.card, "quick_redeem")
        self.assertRefused(
            "loy_manager", "crm.loyalty.flag", "write", [flag.ids, {"state": "cleared"}]
        )
        self.assertRefused("loy_manager", "crm.loyalty.flag", "write", [flag.ids, {"reason": "x"}])
        self.assertRefused("loy_user", "crm.loyalty.flag", "action_clear", [flag.ids, "ok"])
        self.assertRefused(
            "loy_manager",
            "crm.loyalty.flag",
            "create",
            [[{"card_id": self.card.id, "kind": "velocity", "key": "k", "reason": "fake"}]],
        )
        self.assertRefused("loy_manager", "crm.loyalty.flag", "unlink", [flag.ids])
        flag.invalidate_recordset()
        self.assertEqual(flag.state, "open")
        self.call_kw("loy_manager", "crm.loyalty.flag", "action_clear", [flag.ids, "Checked"])
        flag.invalidate_recordset()
        self.assertEqual(flag.state, "cleared")
