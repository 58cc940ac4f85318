from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools import mute_logger

from .common import LoyaltyCommon


class LedgerCommon(LoyaltyCommon):
    """A program that gives 100 points per confirmed order and a 50-point
    voucher (10% off), one customer with a card and a product."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.write(
            {
                "trigger": "auto",
                "applies_on": "both",
                "rule_ids": [
                    (5, 0, 0),
                    (0, 0, {"reward_point_mode": "order", "reward_point_amount": 100}),
                ],
            }
        )
        cls.reward = cls.program.reward_ids
        cls.product = cls.env["product.product"].create({"name": "Cold room", "list_price": 500})
        cls.customer = cls._customers(1, prefix="Ledger")
        cls.card = cls._card(cls.customer)

    def assertLedger(self, cards, balances):
        """Each card's balance is ``balances[i]`` and equals the remaining
        points of its open lots, read from the database."""
        self.env.flush_all()
        rows = {
            card_id: (points, lots)
            for card_id, points, lots in self.env.execute_query(
                SQL(
                    """
                    SELECT c.id, c.points, coalesce(sum(l.remaining), 0)
                      FROM loyalty_card c LEFT JOIN crm_loyalty_points_lot l ON l.card_id = c.id
                     WHERE c.id = ANY(%s) GROUP BY c.id
                    """,
                    cards.ids,
                )
            )
        }
        for card, balance in zip(cards, balances, strict=True):
            points, lots = rows[card.id]
            self.assertAlmostEqual(points, balance, msg=f"balance of {card.code}")
            self.assertAlmostEqual(lots, balance, msg=f"open lots of {card.code}")

    def _order(self, user=None, reward=False):
        order = (
            self.env["sale.order"]
            .with_user(user or self.env.user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})],
                }
            )
        )
        order._update_programs_and_rewards()
        if reward:
            self.assertFalse(order._apply_program_reward(self.reward, self.card).get("error"))
        return order


@tagged("post_install", "-at_install", "ccare_loyalty_ledger")
class TestLedgerPaths(LedgerCommon):
    """Balance = open lots after every path that changes a balance."""

    def test_award(self):
        self.env["loyalty.card"]._loyalty_award(
            "call_held", self.customer, points=70, program=self.program
        )
        self.assertLedger(self.card, [70])
        self.assertEqual(self.card.crm_lot_ids.source, "call_held")

    def test_redeem_then_cancel_refunds_once(self):
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        request = (
            self.env["crm.loyalty.redemption"]
            .with_user(self.loyalty_user)
            .create({"card_id": self.card.id, "reward_id": self.reward.id})
        )
        self.assertEqual(request.points, 50)
        self.assertLedger(self.card, [20])
        request.action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertLedger(self.card, [70])
        self.assertEqual(request.refund_lot_ids.points, 50)
        self.assertEqual(request.refund_lot_ids.source, "refund")
        with self.assertRaisesRegex(UserError, "Only a pending redemption"):
            request.action_cancel()
        self.assertLedger(self.card, [70])

    def test_expire(self):
        with freeze_time("2023-03-01"):
            self.card._loyalty_points_add({self.card.id: 40}, "manual", "Old")
        with freeze_time("2024-01-01"):
            self.card._loyalty_points_add({self.card.id: 30}, "manual", "New")
        with freeze_time("2024-06-01"):
            self.assertEqual(self.env["loyalty.card"]._loyalty_expire_points(), 1)
        self.assertLedger(self.card, [30])
        self.assertEqual(self.card.history_ids.filtered(lambda h: h.used).used, 40)

    # noon UTC: the test's user (Brussels) and the manager date their
    # lots the same day (late in the evening UTC they differ, and the
    # oldest lot first would be the other one)
    @freeze_time("2026-06-15 12:00:00")
    def test_card_form_by_a_manager(self):
        """The issue's case: the card form gave a balance of 500 against
        open lots of 70. 70 earned, set to 500 by hand: a lot of 430; set to
        20: 480 taken oldest first (70, then 410 of the 430)."""
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        card = self.card.with_user(self.loyalty_manager)
        card.write({"points": 500})
        self.assertLedger(self.card, [500])
        # the newest lot (the lots' order is by date: the manager's today
        # may be another day than the test's user's)
        hand = self.card.crm_lot_ids.filtered(lambda lot: lot.source == "manual").sorted("id")[-1:]
        self.assertEqual(hand.points, 430)
        self.assertEqual(hand.description, "Adjusted by hand by Mia Manager")
        line = self.card.history_ids.filtered(lambda h: h.issued == 430)
        self.assertEqual(line.description, "Adjusted by hand by Mia Manager")
        card.write({"points": 20})
        self.assertLedger(self.card, [20])
        first, second = self.card.crm_lot_ids.sorted("id")
        self.assertEqual((first.remaining, second.remaining), (0, 20))
        self.assertEqual(self.card.history_ids.filtered(lambda h: h.used).used, 480)

    # noon UTC: the test's user (Brussels) and the manager date their
    # lots the same day (late in the evening UTC they differ, and the
    # oldest lot first would be the other one)
    @freeze_time("2026-06-15 12:00:00")
    def test_update_balance_wizard(self):
        """The issue's case: Update Balance gave 540 against 110. One
        statement line per change (the wizard's, with its reason)."""
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        Wizard = self.env["loyalty.card.update.balance"].with_user(self.loyalty_manager)
        wizard = Wizard.create(
            {"card_id": self.card.id, "new_balance": 540, "description": "Goodwill"}
        )
        wizard.action_update_card_point()
        self.assertLedger(self.card, [540])
        goodwill = self.card.history_ids.filtered(lambda h: h.description == "Goodwill")
        self.assertEqual((goodwill.issued, goodwill.used), (470, 0))
        self.assertEqual(len(self.card.history_ids), 2)  # Welcome, Goodwill
        self.assertEqual(self.card.crm_lot_ids.sorted("id")[-1:].description, "Goodwill")
        Wizard.create(
            {"card_id": self.card.id, "new_balance": 30, "description": "Correction"}
        ).action_update_card_point()
        self.assertLedger(self.card, [30])
        self.assertEqual(len(self.card.history_ids), 3)

    def test_generate_coupons_wizard(self):
        other = self._customers(1, prefix="Gift")
        self.env["loyalty.generate.wizard"].with_user(self.loyalty_manager).create(
            {
                "program_id": self.program.id,
                "mode": "selected",
                "customer_ids": [(6, 0, other.ids)],
                "points_granted": 25,
                "description": "Fair gift",
            }
        ).generate_coupons()
        card = self.env["loyalty.card"].search([("partner_id", "=", other.id)])
        self.assertLedger(card, [25])
        self.assertEqual(card.history_ids.description, "Fair gift")
        self.assertEqual(len(card.history_ids), 1)

    def test_sale_confirmation_by_a_salesperson(self):
        """A Customer Care User (a salesperson) confirms their order: the
        100 points land as a Sale lot, though they may not touch a balance
        by hand. Cancelling takes them back (as an administrator: Odoo lets
        only Sales Administrators delete an order's coupon points)."""
        order = self._order(self.care_user)
        order.action_confirm()
        self.assertLedger(self.card, [100])
        self.assertEqual(self.card.crm_lot_ids.source, "sale")
        self.assertIn(order.name, self.card.crm_lot_ids.description)
        order.with_env(self.env)._action_cancel()
        self.assertLedger(self.card, [0])

    def test_reward_on_a_sale_order(self):
        """70 points; an order spends 50 on the voucher and earns 100: the 50
        come from the oldest lot and a 100 Sale lot opens (not a net +50)."""
        with freeze_time("2024-01-01"):
            self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        order = self._order(self.care_user, reward=True)
        order.action_confirm()
        self.assertLedger(self.card, [120])
        welcome, sale = self.card.crm_lot_ids.sorted("id")
        self.assertEqual((welcome.consumed, welcome.remaining), (50, 20))
        self.assertEqual((sale.source, sale.points), ("sale", 100))

    def test_cancel_gives_back_what_a_reward_spent(self):
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        order = self._order(self.care_user, reward=True)
        order.action_confirm()
        order.with_env(self.env)._action_cancel()
        # the 100 earned are taken back, the 50 spent come back as a refund
        self.assertLedger(self.card, [70])
        self.assertEqual(self.card.crm_lot_ids.sorted("id")[-1].source, "refund")
        self.assertEqual(self.card.crm_lot_ids.sorted("id")[-1].points, 50)

    def test_history_lines_no_longer_make_lots(self):
        """A statement line (a manager's) changes no balance and makes no
        lot: the lots follow the balance only."""
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        self.env["loyalty.history"].with_user(self.loyalty_manager).create(
            {"card_id": self.card.id, "description": "Note", "issued": 25, "used": 0}
        )
        self.assertLedger(self.card, [70])
        self.assertEqual(len(self.card.crm_lot_ids), 1)

    def test_partner_merge_moves_the_balance(self):
        """Odoo's contact merge moves the points of the merged cards (sudo):
        the lots follow."""
        keep, twin = self._customers(2, consent=False, prefix="Twin")
        keep_card, twin_card = self._card(keep, 70), self._card(twin, 30)
        self.env["base.partner.merge.automatic.wizard"]._merge((keep | twin).ids, keep)
        self.assertLedger(keep_card | twin_card, [100, 0])

    def test_writes_stay_set_based(self):
        def run(count):
            cards = self.env["loyalty.card"].create(
                [
                    {"program_id": self.program.id, "partner_id": p.id}
                    for p in self._customers(count, consent=False, prefix=f"Set{count}")
                ]
            )
            cards._loyalty_points_add({c.id: 40 for c in cards}, "manual", "Warm-up")
            award = self.count_queries(
                cards._loyalty_points_add, {c.id: 10 for c in cards}, "manual", "Bonus"
            )
            by_hand = self.count_queries(cards.write, {"points": 20})
            self.assertLedger(cards, [20] * count)
            return award, by_hand

        run(3)  # warm-up of caches
        self.assertEqual(run(10), run(100))


@tagged("post_install", "-at_install", "ccare_loyalty_ledger")
class TestBalanceRights(LedgerCommon):
    """Who may change a balance by hand: Loyalty Managers and Sales
    Administrators. Customer Care Users (salespeople) and Loyalty Users may
    not, on any path; their sales orders still move points."""

    def test_salesperson_and_loyalty_user_refused(self):
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        for user in (self.care_user, self.loyalty_user):
            with self.subTest(user=user.login):
                card = self.card.with_user(user)
                if user == self.care_user:
                    # the salesperson has write access to cards (sale_loyalty)
                    with self.assertRaisesRegex(AccessError, "Only Loyalty Managers"):
                        card.write({"points": 500})
                    with self.assertRaisesRegex(AccessError, "Only Loyalty Managers"):
                        self.env["loyalty.history"].with_user(user).create(
                            {"card_id": self.card.id, "description": "Fake", "issued": 400}
                        )
                    line = self.card.history_ids.with_user(user)
                    with self.assertRaisesRegex(AccessError, "Only Loyalty Managers"):
                        line.write({"issued": 700})
                    wizard = (
                        self.env["loyalty.card.update.balance"]
                        .with_user(user)
                        .create({"card_id": self.card.id, "new_balance": 540, "description": "x"})
                    )
                    with self.assertRaisesRegex(AccessError, "Only Loyalty Managers"):
                        wizard.action_update_card_point()
                else:
                    with self.assertRaises(AccessError):
                        card.write({"points": 500})
                    with self.assertRaises(AccessError):
                        self.env["loyalty.history"].with_user(user).create(
                            {"card_id": self.card.id, "description": "Fake", "issued": 400}
                        )
                self.assertFalse(card.crm_may_adjust_balance)
        self.assertLedger(self.card, [70])
        self.assertEqual(len(self.card.history_ids), 1)

    def test_manager_may(self):
        self.assertTrue(self.card.with_user(self.loyalty_manager).crm_may_adjust_balance)
        self.card.with_user(self.loyalty_manager).write({"points": 5})
        self.assertLedger(self.card, [5])

    def test_negative_reward_line_refused(self):
        order = self._order(self.care_user)
        with self.assertRaisesRegex(UserError, "negative points"):
            order.with_user(self.care_user).write(
                {
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "coupon_id": self.card.id,
                                "points_cost": -500,
                            },
                        )
                    ]
                }
            )

    def test_points_cost_on_a_confirmed_order_refused(self):
        """Writing a confirmed reward line's cost would move the card's
        points outside sale_loyalty's flows."""
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        order = self._order(self.care_user, reward=True)
        order.action_confirm()
        line = order.order_line.filtered("reward_id").with_user(self.care_user)
        with self.assertRaisesRegex(AccessError, "Only Loyalty Managers"):
            line.write({"points_cost": 10})
        self.assertLedger(self.card, [120])


@tagged("post_install", "-at_install", "ccare_loyalty_ledger")
class TestRedemptionWorkflow(LedgerCommon):
    """A redemption's state and points change only through its
    transitions; a refund is paid once, whatever writes the state."""

    def setUp(self):
        super().setUp()
        self.card._loyalty_points_add({self.card.id: 70}, "manual", "Welcome")
        self.request = (
            self.env["crm.loyalty.redemption"]
            .with_user(self.loyalty_user)
            .create({"card_id": self.card.id, "reward_id": self.reward.id})
        )

    def test_write_refused(self):
        request = self.request.with_user(self.loyalty_user)
        for vals in (
            {"points": 500},
            {"state": "cancel"},
            {"state": "done"},
            {"card_id": self._card(self._customers(1, prefix="Other")).id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(UserError, "own actions"):
                request.write(vals)
        # sudo as well
        with self.assertRaisesRegex(UserError, "own actions"):
            self.request.sudo().write({"points": 500})
        self.assertEqual((self.request.points, self.request.state), (50, "requested"))
        request.write({"note": "Delivered at the counter"})  # other fields stay editable
        self.assertLedger(self.card, [20])

    def test_inflate_then_cancel_pays_the_real_amount(self):
        with self.assertRaises(UserError):
            self.request.with_user(self.loyalty_user).write({"points": 500})
        self.request.with_user(self.loyalty_user).action_cancel()
        self.assertLedger(self.card, [70])

    def test_reopen_cancelled_refused(self):
        self.request.with_user(self.loyalty_user).action_cancel()
        with self.assertRaisesRegex(UserError, "own actions"):
            self.request.with_user(self.loyalty_user).write({"state": "requested"})
        with self.assertRaisesRegex(UserError, "Only a pending redemption"):
            self.request.with_user(self.loyalty_user).action_cancel()
        self.assertLedger(self.card, [70])

    def test_create_with_other_points_or_state_refused(self):
        Redemption = self.env["crm.loyalty.redemption"].with_user(self.loyalty_user)
        with self.assertRaisesRegex(UserError, "costs 50"):
            Redemption.create({"card_id": self.card.id, "reward_id": self.reward.id, "points": 1})
        with self.assertRaisesRegex(UserError, "own actions"):
            Redemption.create({"card_id": self.card.id, "points": 5, "state": "cancel"})
        self.assertLedger(self.card, [20])

    def test_database_refunds_once(self):
        """Even a server bug that reopened the request could not refund it
        twice: the refund posting is keyed by the redemption (and the refund
        lot is unique per redemption), so the second cancellation gives
        nothing back."""
        self.request.action_cancel()
        self.assertLedger(self.card, [70])
        with self.request._ccare_transition():
            self.request.write({"state": "requested"})
        self.request.action_cancel()
        self.assertLedger(self.card, [70])
        self.assertEqual(len(self.request.refund_lot_ids), 1)
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["crm.loyalty.points.lot"].create(
                {
                    **self.card._loyalty_lot_values(50, "refund", "Twice", date.today()),
                    "redemption_id": self.request.id,
                }
            )
            self.env.flush_all()

    def test_delivered_cannot_be_deleted(self):
        self.request.with_user(self.loyalty_user).action_done()
        self.assertEqual(self.request.state, "done")
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            self.request.with_user(self.loyalty_manager).unlink()
