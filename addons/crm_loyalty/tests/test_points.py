from datetime import date

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import LoyaltyCommon


@tagged("post_install", "-at_install")
class TestPoints(LoyaltyCommon):
    def test_award_creates_lot_history_and_balance(self):
        partner = self._customers(1)
        rule = self.env["crm.loyalty.points.rule"].create(
            {"program_id": self.program.id, "event": "call_held", "points": 15}
        )
        with freeze_time("2025-03-10"):
            lots = self.env["loyalty.card"]._loyalty_award(
                "call_held", partner, program=self.program
            )
        card = lots.card_id
        self.assertEqual(card.partner_id, partner)
        self.assertEqual(card.points, 15)
        self.assertEqual(lots.expiry_date, date(2026, 3, 10))
        self.assertEqual(card.history_ids.issued, 15)
        self.assertEqual(lots.source, "call_held")
        self.assertEqual(rule.program_id, self.program)

    def test_redemption_consumes_oldest_lots_first(self):
        card = self._card(self._customers(1))
        with freeze_time("2025-01-01"):
            card._loyalty_points_add({card.id: 30}, "manual", "January")
        with freeze_time("2025-02-01"):
            card._loyalty_points_add({card.id: 50}, "manual", "February")
        with freeze_time("2025-03-01"):
            card._loyalty_points_redeem(40, "Voucher")
        jan, feb = card.crm_lot_ids.sorted("date")
        self.assertEqual((jan.consumed, jan.remaining), (30, 0))
        self.assertEqual((feb.consumed, feb.remaining), (10, 40))
        self.assertEqual(card.points, 40)
        self.assertEqual(card.history_ids.filtered("used").used, 40)

    def test_bad_redemptions_write_nothing(self):
        card = self._card(self._customers(1), points=30)
        with self.assertRaisesRegex(UserError, "balance of card"):
            card._loyalty_points_redeem(31, "Too much")
        with self.assertRaisesRegex(UserError, "must be positive"):
            card._loyalty_points_redeem(-5, "Negative")
        with self.assertRaisesRegex(UserError, "cannot be negative"):
            card._loyalty_points_add({card.id: -5}, "manual", "Negative")
        card.expiration_date = date(2020, 1, 1)
        with self.assertRaisesRegex(UserError, "expired"):
            card._loyalty_points_redeem(5, "Expired card")
        self.assertEqual(card.points, 30)
        self.assertEqual(len(card.history_ids), 1)
        self.assertEqual(card.crm_lot_ids.remaining, 30)

    def test_database_refuses_negative_balance(self):
        card = self._card(self._customers(1), points=10)
        card.flush_recordset()
        with self.assertRaises(psycopg2.errors.CheckViolation), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                self.cr.execute("UPDATE loyalty_card SET points = -1 WHERE id = %s", [card.id])

    def test_odoo_history_lines_keep_lots_in_step(self):
        """sale_loyalty and the Update Balance wizard write loyalty.history
        and the balance: the lots follow the balance (an increase is a lot,
        a decrease consumes the oldest lots), the lines make none."""
        card = self._card(self._customers(1))
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": "Order S001", "issued": 25, "used": 0}
        )
        card.points = 25
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": "Order S002", "issued": 0, "used": 10}
        )
        card.points = 15
        self.assertEqual(card.crm_lot_ids.points, 25)
        self.assertEqual(card.crm_lot_ids.remaining, 15)

    def test_expiry_job_fifo_and_history(self):
        partner = self._customers(1)
        card = self._card(partner)
        with freeze_time("2024-01-15"):
            card._loyalty_points_add({card.id: 100}, "manual", "Old points")
        with freeze_time("2024-09-01"):
            card._loyalty_points_add({card.id: 60}, "manual", "Newer points")
            card._loyalty_points_redeem(30, "Voucher")  # from the oldest lot
        with freeze_time("2025-02-01"):
            self.assertEqual(self.env["loyalty.card"]._loyalty_expire_points(), 1)
            # running it again expires nothing more
            self.assertEqual(self.env["loyalty.card"]._loyalty_expire_points(), 0)
        old, new = card.crm_lot_ids.sorted("date")
        self.assertEqual((old.expired, old.remaining, old.state), (70, 0, "expired"))
        self.assertEqual(new.remaining, 60)
        self.assertEqual(card.points, 60)
        expired_line = card.history_ids.filtered(lambda h: h.description == "Points expired")
        self.assertEqual(expired_line.used, 70)
        values = card._loyalty_statement_values()
        self.assertEqual(
            (values["earned"], values["redeemed"], values["expired"], values["balance"]),
            (160, 30, 70, 60),
        )

    def test_expiry_constant_queries(self):
        def run(count):
            cards = self.env["loyalty.card"].create(
                [
                    {"program_id": self.program.id, "partner_id": p.id}
                    for p in self._customers(count, consent=False, prefix=f"Exp{count}")
                ]
            )
            with freeze_time("2023-01-01"):
                cards._loyalty_points_add({c.id: 10 for c in cards}, "manual", "Old")
            with freeze_time("2025-01-01"):
                return self.count_queries(cards._loyalty_expire_points)

        self.assertEqual(run(10), run(100))

    def test_expiry_warning_respects_consent(self):
        willing = self._customers(1, prefix="Willing")
        withdrawn = self._customers(1, prefix="Withdrawn")
        withdrawn._ccare_record_consent("marketing", "email", "withdrawn")
        cards = self._card(willing) | self._card(withdrawn)
        with freeze_time("2024-03-01"):
            cards._loyalty_points_add({c.id: 40 for c in cards}, "manual", "Spring points")
        Mail = self.env["mail.mail"]
        with freeze_time("2025-02-15"):
            cards._loyalty_warn_expiring_points()
            # a lot is warned once
            cards._loyalty_warn_expiring_points()
        mails = Mail.search([("model", "=", "loyalty.card"), ("res_id", "in", cards.ids)])
        self.assertEqual(mails.recipient_ids, willing)
        self.assertEqual(len(mails), 1)
        self.assertIn("expire on", mails.body_html)
        self.assertTrue(all(cards.crm_lot_ids.mapped("warning_sent")))
