from datetime import date

from freezegun import freeze_time

from odoo import tools
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import TierCommon


@tagged("post_install", "-at_install")
class TestTiers(TierCommon):
    def test_overlapping_thresholds_refused(self):
        Tier = self.env["crm.loyalty.tier"]
        for name, sequence, threshold in (("Bronze", 4, 50), ("Twin", 5, 1000)):
            with self.assertRaisesRegex(ValidationError, "overlap"), self.cr.savepoint():
                Tier.create(
                    {
                        "program_id": self.program.id,
                        "name": name,
                        "sequence": sequence,
                        "threshold": threshold,
                    }
                )
        self.env.invalidate_all()
        self.assertEqual(Tier.search_count([("program_id", "=", self.program.id)]), 3)

    def test_upgrade_then_downgrade_after_grace(self):
        partner = self._customers(1)
        card = self._card(partner)
        with freeze_time("2024-01-10"):
            card._loyalty_points_add({card.id: 600}, "manual", "Big order")
            self.assertEqual(card._loyalty_evaluate_tiers(), {card.id: "up"})
        self.assertEqual(card.crm_tier_id, self.gold)
        self.assertEqual(card.crm_tier_since, date(2024, 1, 10))
        # the same day nothing changes
        with freeze_time("2024-01-10"):
            self.assertEqual(card._loyalty_evaluate_tiers(), {})
        # 12 months later the 600 points left the window: grace starts, tier kept
        with freeze_time("2025-01-11"):
            card._loyalty_points_add({card.id: 150}, "manual", "Small order")
            self.assertEqual(card._loyalty_evaluate_tiers(), {card.id: "grace"})
        self.assertEqual(card.crm_tier_id, self.gold)
        self.assertEqual(card.crm_downgrade_date, date(2025, 2, 10))
        with freeze_time("2025-02-01"):
            self.assertEqual(card._loyalty_evaluate_tiers(), {})
            self.assertEqual(card.crm_tier_id, self.gold)
        with freeze_time("2025-02-10"):
            self.assertEqual(card._loyalty_evaluate_tiers(), {card.id: "down"})
        self.assertEqual(card.crm_tier_id, self.silver)
        self.assertFalse(card.crm_downgrade_date)
        self.assertEqual(
            card.crm_tier_history_ids.sorted("id").mapped("direction"), ["up", "grace", "down"]
        )
        self.assertEqual(card.crm_tier_history_ids.sorted("id")[-1].tier_from_id, self.gold)

    def test_back_above_threshold_cancels_grace(self):
        card = self._card(self._customers(1))
        with freeze_time("2024-01-10"):
            card._loyalty_points_add({card.id: 150}, "manual", "Start")
            card._loyalty_evaluate_tiers()
        with freeze_time("2025-01-20"):
            card._loyalty_evaluate_tiers()
            self.assertTrue(card.crm_downgrade_date)
            card._loyalty_points_add({card.id: 120}, "manual", "Came back")
            card._loyalty_evaluate_tiers()
        self.assertEqual(card.crm_tier_id, self.silver)
        self.assertFalse(card.crm_downgrade_date)

    def test_tier_notification_respects_consent(self):
        willing = self._customers(1, prefix="Willing")
        withdrawn = self._customers(1, prefix="Withdrawn")
        withdrawn._ccare_record_consent("marketing", "email", "withdrawn")
        cards = self._card(willing, 200) | self._card(withdrawn, 200)
        cards._loyalty_evaluate_tiers()
        self.assertEqual(cards.crm_tier_id, self.silver)
        mails = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "in", cards.ids)]
        )
        self.assertEqual(mails.recipient_ids, willing)
        self.assertIn("Silver", mails.subject)
        history = cards.crm_tier_history_ids
        self.assertEqual(history.filtered("notified").partner_id, willing)

    def test_demo_story_leaves_no_empty_message(self):
        """As the demo does (a year of sales points, then the tier review
        e-mails the member): every message on the card says something (a
        body or a tracked change); the chatter shows no "This message has
        been removed". The e-mail's copy on the card is its text, without
        the footer's signed unsubscribe link."""
        partner = self._customers(1, prefix="Chatter")
        self.env["loyalty.card"]._loyalty_award(
            "sale", partner, 1150, self.program, "Orders of the year"
        )
        card = self.env["loyalty.card"].search([("partner_id", "=", partner.id)])
        self.assertEqual(card.points, 1150)
        card._loyalty_evaluate_tiers()
        self.assertEqual(card.crm_tier_id, self.platinum)
        card.invalidate_recordset()
        empty = card.message_ids.filtered(
            lambda m: (
                not tools.html2plaintext(m.body or "").strip()
                and not m.tracking_value_ids
                and not m.attachment_ids
            )
        )
        self.assertFalse(empty, "an empty message on the card")
        mail = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", card.id)]
        )
        self.assertIn("Platinum", tools.html2plaintext(mail.mail_message_id.body))
        self.assertIn("o_ccare_unsubscribe", mail.body_html)
        self.assertNotIn("o_ccare_unsubscribe", mail.mail_message_id.body)

    def test_platinum_multiplies_activity_points(self):
        partner = self._customers(1)
        card = self._card(partner, 1200)
        card._loyalty_evaluate_tiers()
        self.assertEqual(card.crm_tier_id, self.platinum)
        self.env["crm.loyalty.points.rule"].create(
            {"program_id": self.program.id, "event": "event_attended", "points": 10}
        )
        self.env["loyalty.card"]._loyalty_award("event_attended", partner)
        self.assertEqual(card.points, 1220)

    def test_tier_review_constant_queries(self):
        def run(count):
            partners = self._customers(count, prefix=f"Tier{count}")
            cards = self.env["loyalty.card"].create(
                [{"program_id": self.program.id, "partner_id": p.id} for p in partners]
            )
            cards._loyalty_points_add(
                {c.id: 100 * (i % 10) for i, c in enumerate(cards)}, "manual", "x"
            )
            self.env.invalidate_all()
            return self.count_queries(cards._loyalty_evaluate_tiers)

        run(5)  # warm-up: first-time caches (mail defaults, parameters)
        self.assertEqual(run(10), run(100))

    def test_cron_queues_chunked_jobs(self):
        card = self._card(self._customers(1), 120)
        with trap_jobs() as trap:
            self.env["loyalty.card"]._cron_evaluate_tiers()
        self.assertTrue(trap.enqueued_jobs)
        self.assertEqual(trap.enqueued_jobs[0].method_name, "_loyalty_evaluate_tiers")
        trap.perform_enqueued_jobs()
        self.assertEqual(card.crm_tier_id, self.silver)
