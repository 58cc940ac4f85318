"""Issue 18, fraud controls: a suspended card earns nothing and redeems
nothing (the member sees it); suspension is a transition of Loyalty
Managers, not a field; earning caps per member per day and month on a
program's points rule."""

import psycopg2
from freezegun import freeze_time

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.http import Request
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_ledger import LedgerCommon


class SuspensionCommon(LedgerCommon):
    def _portal_member(self):
        return self.env["res.users"].create(
            {
                "name": "Portal Member",
                "login": "loy_member",
                "password": "loy_member",
                "partner_id": self.customer.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_fraud")
class TestSuspension(SuspensionCommon):
    def setUp(self):
        super().setUp()
        self.card._loyalty_points_add({self.card.id: 120}, "manual", "Welcome")
        self.card.with_user(self.loyalty_manager).action_crm_suspend("Shared account")

    def test_suspended_card_earns_nothing(self):
        self.assertTrue(self.card.crm_suspended)
        self.assertEqual(self.card.crm_suspension_reason, "Shared account")
        self.env["loyalty.card"]._loyalty_award(
            "call_held", self.customer, points=30, program=self.program
        )
        order = self._order(self.care_user)
        self.assertEqual(order.coupon_point_ids.points, 0)
        order.action_confirm()
        self.assertLedger(self.card, [120])
        # reinstated, it earns again
        self.card.with_user(self.loyalty_manager).action_crm_reinstate()
        self.env["loyalty.card"]._loyalty_award(
            "call_held", self.customer, points=30, program=self.program
        )
        self.assertLedger(self.card, [150])

    def test_suspended_card_redeems_nothing(self):
        with self.assertRaisesRegex(UserError, "is suspended"):
            self.env["crm.loyalty.redemption"].with_user(self.loyalty_user).create(
                {"card_id": self.card.id, "reward_id": self.reward.id}
            )
        order = self._order(self.care_user)
        self.assertFalse(order._get_claimable_rewards())
        self.assertIn("suspended", order._apply_program_reward(self.reward, self.card)["error"])
        with self.assertRaisesRegex(ValidationError, "is suspended"):
            order.write(
                {
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "name": "Voucher",
                                "product_id": self.reward.discount_line_product_id.id,
                                "reward_id": self.reward.id,
                                "coupon_id": self.card.id,
                                "points_cost": 50,
                                "price_unit": -50,
                            },
                        )
                    ]
                }
            )
        self.assertLedger(self.card, [120])

    def test_suspension_is_a_transition(self):
        for user in (self.loyalty_manager, self.care_user):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "Reinstate"):
                self.card.with_user(user).write({"crm_suspended": False})
        with self.assertRaisesRegex(UserError, "Reinstate"):
            self.card.sudo().write({"crm_suspension_reason": "nothing"})
        with self.assertRaises(AccessError):
            self.card.with_user(self.loyalty_user).action_crm_reinstate()
        self.assertTrue(self.card.crm_suspended)


@tagged("post_install", "-at_install", "ccare_security", "crm_loyalty_fraud")
class TestSuspensionOverRpc(SuspensionCommon, RpcCase):
    def setUp(self):
        super().setUp()
        self.card._loyalty_points_add({self.card.id: 120}, "manual", "Welcome")
        self.card.action_crm_suspend("Under review")

    def test_unsuspend_by_write_refused(self):
        for login in ("loy_manager", "care_user"):
            self.assertRefused(
                login, "loyalty.card", "write", [self.card.ids, {"crm_suspended": False}]
            )
        self.assertRefused("loy_user", "loyalty.card", "action_crm_reinstate", [self.card.ids])
        self.assertRefused(
            "care_user",
            "crm.loyalty.redemption",
            "create",
            [[{"card_id": self.card.id, "reward_id": self.reward.id}]],
        )
        self.card.invalidate_recordset()
        self.assertTrue(self.card.crm_suspended)
        self.assertLedger(self.card, [120])
        # the manager's transition is the way
        self.call_kw("loy_manager", "loyalty.card", "action_crm_reinstate", [self.card.ids])
        self.card.invalidate_recordset()
        self.assertFalse(self.card.crm_suspended)

    def test_portal_shows_suspension_and_refuses(self):
        self._portal_member()
        self.authenticate("loy_member", "loy_member")
        page = self.url_open("/my/loyalty").text
        self.assertIn("Your card is suspended", page)
        self.assertIn("Under review", page)
        response = self.url_open(
            f"/my/loyalty/{self.card.id}/redeem",
            data={"reward_id": self.reward.id, "csrf_token": Request.csrf_token(self)},
        )
        self.assertIn("cannot redeem rewards", response.text)
        self.assertFalse(
            self.env["crm.loyalty.redemption"].search([("card_id", "=", self.card.id)])
        )
        self.assertLedger(self.card, [120])


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_fraud")
class TestEarningCaps(SuspensionCommon):
    def test_daily_and_monthly_caps(self):
        """30 points a call, at most 50 a day and 80 a month: day 1 earns 30
        then 20 then 0; day 2 earns 30 (80 this month); day 3 nothing; next
        month 30 again. Other events are not capped by this rule."""
        self.env["crm.loyalty.points.rule"].create(
            {
                "program_id": self.program.id,
                "event": "call_held",
                "points": 30,
                "daily_cap": 50,
                "monthly_cap": 80,
            }
        )
        Card = self.env["loyalty.card"]

        def award():
            Card._loyalty_award("call_held", self.customer)
            self.card.invalidate_recordset(["points"])
            return self.card.points

        with freeze_time("2026-03-02 10:00"):
            self.assertEqual([award(), award(), award()], [30, 50, 50])
        with freeze_time("2026-03-03 10:00"):
            self.assertEqual(award(), 80)
        with freeze_time("2026-03-04 10:00"):
            self.assertEqual(award(), 80)
            Card._loyalty_award("survey_answered", self.customer, points=5, program=self.program)
        with freeze_time("2026-04-01 10:00"):
            self.assertEqual(award(), 115)
        self.assertLedger(self.card, [115])

    def test_negative_cap_refused(self):
        with (
            self.assertRaises(psycopg2.errors.CheckViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.env["crm.loyalty.points.rule"].create(
                {"program_id": self.program.id, "event": "call_held", "points": 5, "daily_cap": -1}
            )
            self.env.flush_all()
