"""Issue 18, tier privileges enforced by the server: tier-only rewards
(``crm.loyalty.tier.reward_ids``) for members of that tier or above, on the
portal, in the backend and on sales orders; the tier multiplier on the
points sale_loyalty gives on orders; the benefits listed on /my/loyalty."""

from odoo.addons.crm_customer_care.models.ccare_guard import unlocked
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.crm_loyalty_tier.models.loyalty_card import TIER
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.http import Request
from odoo.tests import tagged

from .common import TierLedgerCommon


class TierRewardCommon(TierLedgerCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.lounge = cls.env["loyalty.reward"].create(
            {
                "program_id": cls.program.id,
                "reward_type": "discount",
                "discount": 20,
                "required_points": 50,
                "description": "Gold lounge",
            }
        )
        cls.gold.write({"reward_ids": [(6, 0, cls.lounge.ids)], "benefits": "<p>Free delivery</p>"})

    def _member(self, points):
        """The test card with ``points`` earned and its tier reviewed."""
        self.card._loyalty_points_add({self.card.id: points}, "manual", "Earned")
        self.card._loyalty_evaluate_tiers()
        return self.card

    def _portal_member(self):
        return self.env["res.users"].create(
            {
                "name": "Tier Member",
                "login": "loy_tier",
                "password": "loy_tier",
                "partner_id": self.customer.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_tiers")
class TestTierRewards(TierRewardCommon):
    def test_silver_refused_gold_and_platinum_may(self):
        self.assertEqual(self._member(200).crm_tier_id, self.silver)
        Redemption = self.env["crm.loyalty.redemption"].with_user(self.loyalty_user)
        with self.assertRaisesRegex(UserError, "reserved for Gold members"):
            Redemption.create({"card_id": self.card.id, "reward_id": self.lounge.id})
        self.assertLedger(self.card, [200])
        # an ordinary reward stays open to all
        Redemption.create({"card_id": self.card.id, "reward_id": self.reward.id})
        self.assertLedger(self.card, [150])
        self._member(450)  # 650 earned: Gold
        self.assertEqual(self.card.crm_tier_id, self.gold)
        Redemption.create({"card_id": self.card.id, "reward_id": self.lounge.id})
        self.assertLedger(self.card, [550])
        self._member(400)  # 1,050 earned: Platinum, above Gold
        self.assertEqual(self.card.crm_tier_id, self.platinum)
        self.assertFalse(self.card._loyalty_locked_rewards(self.lounge))

    def test_delivery_refused_after_a_downgrade(self):
        self._member(600)
        request = self.env["crm.loyalty.redemption"].create(
            {"card_id": self.card.id, "reward_id": self.lounge.id}
        )
        with unlocked(TIER):
            self.card.write({"crm_tier_id": self.silver.id})
        with self.assertRaisesRegex(UserError, "reserved for Gold"):
            request.with_user(self.loyalty_user).action_done()
        self.assertEqual(request.state, "requested")
        request.action_cancel()
        self.assertLedger(self.card, [600])

    def test_order_reward_refused_below_tier(self):
        self._member(200)
        order = self._order(self.care_user)
        self.assertNotIn(self.lounge, order._get_claimable_rewards().get(self.card, []))
        self.assertIn(self.reward, order._get_claimable_rewards()[self.card])
        answer = order._apply_program_reward(self.lounge, self.card)
        self.assertIn("reserved for Gold", answer["error"])
        self.assertFalse(order.order_line.filtered("reward_id"))
        # a reward line written by hand is refused by the line itself
        with self.assertRaisesRegex(ValidationError, "reserved for Gold"):
            order.with_user(self.care_user).write(
                {
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "name": "Gold lounge",
                                "product_id": self.lounge.discount_line_product_id.id,
                                "reward_id": self.lounge.id,
                                "coupon_id": self.card.id,
                                "points_cost": 50,
                                "price_unit": -100,
                            },
                        )
                    ]
                }
            )

    def test_order_reward_for_gold(self):
        self._member(600)
        order = self._order(self.care_user)
        self.assertIn(self.lounge, order._get_claimable_rewards()[self.card])
        self.assertFalse(order._apply_program_reward(self.lounge, self.card).get("error"))

    def test_multiplier_on_order_points(self):
        """A Platinum member (x2) confirms an order worth 100 points: 200
        land on the card, as a Sale lot (balance = lots); a member without
        tier earns 100."""
        self._member(1000)
        self.assertEqual(self.card.crm_tier_id, self.platinum)
        order = self._order(self.care_user)
        self.assertEqual(order.coupon_point_ids.points, 200)
        order.action_confirm()
        self.assertLedger(self.card, [1200])
        self.assertEqual(self.card.crm_lot_ids.sorted("id")[-1].points, 200)
        self.assertEqual(self.card.crm_lot_ids.sorted("id")[-1].source, "sale")
        # cancelling takes back the 200
        order.with_env(self.env)._action_cancel()
        self.assertLedger(self.card, [1000])


@tagged("post_install", "-at_install", "ccare_security", "crm_loyalty_tiers")
class TestTierRewardsOverRpc(TierRewardCommon, RpcCase):
    def test_loyalty_user_requests_tier_reward_over_rpc(self):
        self._member(200)
        self.assertRefused(
            "loy_user",
            "crm.loyalty.redemption",
            "create",
            [[{"card_id": self.card.id, "reward_id": self.lounge.id}]],
        )
        self.assertLedger(self.card, [200])

    def test_salesperson_writes_tier_reward_line_over_rpc(self):
        self._member(200)
        order = self._order(self.care_user)
        line = {
            "order_id": order.id,
            "name": "Gold lounge",
            "product_id": self.lounge.discount_line_product_id.id,
            "reward_id": self.lounge.id,
            "coupon_id": self.card.id,
            "points_cost": 50,
            "price_unit": -100,
        }
        error = self.assertRefused("care_user", "sale.order.line", "create", [[line]])
        self.assertEqual(error, "odoo.exceptions.ValidationError")
        self.assertFalse(order.order_line.filtered("reward_id"))

    def test_portal_member_below_tier(self):
        """The portal lists the tiers and their benefits, shows the lounge
        locked, and refuses a forged redeem of it."""
        self._portal_member()
        self._member(200)
        self.authenticate("loy_tier", "loy_tier")
        page = self.url_open("/my/loyalty").text
        self.assertIn("Tier benefits", page)
        self.assertIn("Free delivery", page)
        self.assertIn("reserved for <b>Gold</b> members", page)
        self.assertIn("x2", page)  # Platinum's multiplier
        response = self.url_open(
            f"/my/loyalty/{self.card.id}/redeem",
            data={"reward_id": self.lounge.id, "csrf_token": Request.csrf_token(self)},
        )
        self.assertIn("reserved for members of a higher tier", response.text)
        self.assertFalse(
            self.env["crm.loyalty.redemption"].search([("card_id", "=", self.card.id)])
        )
        self.assertLedger(self.card, [200])
