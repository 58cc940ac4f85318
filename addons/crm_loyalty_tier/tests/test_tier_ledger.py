"""Tiers on the points ledger: the tier fields change only in the review,
the e-mails say why with the figures, pending points do not count, caps
count the multiplier, and each company sees its own tier history."""

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TierCommon
from .common import TierLedgerCommon


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_tiers")
class TestTierLedger(TierLedgerCommon):
    def test_tier_fields_only_through_the_review(self):
        for user in (self.env.user, self.care_user):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "set by the tier review"):
                    self.card.with_user(user).write({"crm_tier_id": self.platinum.id})
        self.card._loyalty_points_add({self.card.id: 600}, "manual", "Big order")
        self.card._loyalty_evaluate_tiers()
        self.assertEqual(self.card.crm_tier_id, self.gold)

    def test_caps_count_the_multiplier(self):
        """A Platinum member (x2) on a 50-a-day cap: a 30-point call gives
        60, clipped to 50."""
        self.card._loyalty_points_add({self.card.id: 1000}, "manual", "Big spender")
        self.card._loyalty_evaluate_tiers()
        self.env["crm.loyalty.points.rule"].create(
            {"program_id": self.program.id, "event": "call_held", "points": 30, "daily_cap": 50}
        )
        self.env["loyalty.card"]._loyalty_award("call_held", self.customer)
        self.assertLedger(self.card, [1050])

    def test_pending_points_do_not_count_for_tiers(self):
        self.program.crm_return_window_days = 14
        self.card._loyalty_points_add({self.card.id: 60}, "manual", "Welcome")
        self._order(self.care_user).action_confirm()
        self.card._loyalty_evaluate_tiers()
        self.assertFalse(self.card.crm_tier_id)  # 60 earned, 100 pending: below Silver


@tagged("post_install", "-at_install", "crm_loyalty_notifications")
class TestTierNotifications(TierCommon):
    def _mails(self, cards):
        return self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "in", cards.ids)], order="id"
        )

    def test_tier_up_and_down_with_the_figures(self):
        """600 earned in January 2024: Gold (starts at 500). In June 2025
        the 12-month window holds 0: down to no tier, below Gold's 500."""
        self.program.crm_tier_grace_days = 0
        card = self._card(self._customers(1, prefix="Tiered"))
        with freeze_time("2024-01-15"):
            card._loyalty_points_add({card.id: 600}, "manual", "Big order")
            card._loyalty_evaluate_tiers()
        with freeze_time("2025-06-01"):
            card._loyalty_evaluate_tiers()
        up, down = self._mails(card)
        self.assertIn("Welcome to Gold", up.subject)
        self.assertIn("you earned 600 points over the last 12 months", up.body_html)
        self.assertIn("Gold starts at 500", up.body_html)
        self.assertIn("is now without tier", down.body_html)
        self.assertIn("you earned 0 points over the last 12 months", down.body_html)
        self.assertIn("below the 500 that Gold needs", down.body_html)
        # the consent mail carries the unsubscribe link
        self.assertIn("unsubscribe", up.body_html.lower())


@tagged("post_install", "-at_install")
class TestTierMultiCompany(TierCommon):
    def test_tier_history_of_another_company_hidden(self):
        company_b = self.env["res.company"].create({"name": "Tier Company B"})
        program_b = self.env["loyalty.program"].create(
            {"name": "Club B", "program_type": "loyalty", "company_id": company_b.id}
        )
        customer_b = self.env["res.partner"].create(
            {"name": "Customer of B", "company_id": company_b.id}
        )
        card_b = self.env["loyalty.card"].create(
            {"program_id": program_b.id, "partner_id": customer_b.id}
        )
        History = self.env["crm.loyalty.tier.history"]
        with History._ccare_append_only_unlocked():  # the tier review's row
            History.create({"card_id": card_b.id, "direction": "up", "metric": 100})
        env = self.env(user=self.loyalty_manager)
        self.assertFalse(env["crm.loyalty.tier.history"].search([("card_id", "=", card_b.id)]))
        self.assertTrue(History.search([("card_id", "=", card_b.id)]))
