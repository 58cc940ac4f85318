"""Issue 18, pending points: a program's return window keeps the points an
order earns pending (not spendable, not expiring) until it closes; a
set-based job (chunked queue_job, daily cron) then makes them available,
once. Pending, available and expiring points show on the card, the
statement and /my/loyalty."""

from datetime import date

from freezegun import freeze_time

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import UserError
from odoo.tests import HttpCase
from odoo.tests import tagged

from .invoicing import InvoicedOrderCommon


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_pending")
class TestPendingPoints(InvoicedOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.crm_return_window_days = 14

    def _confirm(self):
        order = self._order(self.care_user)
        order.action_confirm()
        return order.with_env(self.env)

    def test_pending_until_the_window_closes(self):
        """Confirmed on 2 March with a 14-day window: 100 pending until 16
        March, not spendable, not expiring; released on the 16th with an
        expiry 12 months later; a second run releases nothing."""
        with freeze_time("2026-03-02"):
            self._confirm()
            self.assertLedger(self.card, [0])
            self.assertEqual(self.card.crm_points_pending, 100)
            self.assertEqual(self.card.crm_next_release_date, date(2026, 3, 16))
            lot = self.card.crm_lot_ids
            self.assertEqual((lot.state, lot.expiry_date), ("pending", False))
            with self.assertRaisesRegex(UserError, "Cannot redeem"):
                self.env["crm.loyalty.redemption"].create(
                    {"card_id": self.card.id, "reward_id": self.reward.id}
                )
        with freeze_time("2026-03-15"):
            self.assertEqual(self.env["loyalty.card"]._loyalty_release_pending(), 0)
        with freeze_time("2028-01-01"):
            # years later the expiry job still leaves pending points alone
            self.env["loyalty.card"]._loyalty_expire_points()
            self.assertEqual(lot.pending, 100)
        with freeze_time("2026-03-16"):
            Card = self.env["loyalty.card"]
            self.assertEqual(Card._loyalty_release_pending(), 1)
            self.assertEqual(Card._loyalty_release_pending(), 0)
        self.assertLedger(self.card, [100])
        self.assertEqual((lot.state, lot.remaining, lot.pending), ("open", 100, 0))
        self.assertEqual(lot.expiry_date, date(2027, 3, 16))
        self.card.invalidate_recordset()
        self.assertEqual(self.card.crm_points_pending, 0)
        release = self.card.crm_posting_ids.filtered(lambda p: p.event == "release")
        self.assertEqual((release.issued, release.origin), (100, lot))
        sale = self.card.crm_posting_ids.filtered(lambda p: p.event == "sale")
        self.assertEqual(sale.issued, 0)  # the release posts the points

    def test_release_fires_odoo_when_reaching(self):
        """The release job writes the balances of most cards in one UPDATE,
        but a card whose program has a "When reaching" communication goes
        through the ORM: 100 released past 50 sends Odoo's mail, once."""
        template = self.env["mail.template"].create(
            {
                "name": "Reached 50",
                "model_id": self.env.ref("loyalty.model_loyalty_card").id,
                "subject": "You reached 50 points",
                "body_html": "<p>Well done</p>",
                "partner_to": "{{ object.partner_id.id }}",
            }
        )
        self.program.communication_plan_ids = [
            (0, 0, {"trigger": "points_reach", "points": 50, "mail_template_id": template.id})
        ]
        with freeze_time("2026-03-02"):
            self._confirm()
        mails = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", self.card.id)]
        )
        self.assertFalse(mails.filtered(lambda m: m.subject == "You reached 50 points"))
        with freeze_time("2026-03-16"):
            self.assertEqual(self.card._loyalty_release_pending(), 1)
            self.assertEqual(self.card._loyalty_release_pending(), 0)
        self.assertLedger(self.card, [100])
        mails = self.env["mail.mail"].search(
            [("model", "=", "loyalty.card"), ("res_id", "=", self.card.id)]
        )
        self.assertEqual(mails.mapped("subject").count("You reached 50 points"), 1)
        line = self.card.history_ids.filtered(lambda h: h.description == "Pending points released")
        self.assertEqual((line.issued, line.used), (100, 0))

    def test_release_without_communication_in_one_update(self):
        """No "When reaching" communication: the balance and the statement
        line are written by SQL, the ORM sees them at once."""
        with freeze_time("2026-03-02"):
            self._confirm()
        self.assertEqual(self.card.points, 0)
        with freeze_time("2026-03-16"):
            self.assertEqual(self.card._loyalty_release_pending(), 1)
        self.assertEqual(self.card.points, 100)
        line = self.card.history_ids.filtered(lambda h: h.description == "Pending points released")
        self.assertEqual((line.issued, line.used), (100, 0))

    def test_cron_queues_the_release(self):
        with freeze_time("2026-03-02"):
            self._confirm()
        with freeze_time("2026-03-20"):
            with trap_jobs() as trap:
                self.assertEqual(self.env["loyalty.card"]._cron_release_pending_points(), 1)
            self.assertEqual(trap.enqueued_jobs[0].method_name, "_loyalty_release_pending")
            trap.perform_enqueued_jobs()
        self.assertLedger(self.card, [100])

    def test_cancel_in_the_window(self):
        """An order cancelled while its points are pending: they go, the
        balance (30 welcome points) is untouched and the cancel is not
        refused for points never available."""
        self.card._loyalty_points_add({self.card.id: 30}, "manual", "Welcome")
        order = self._confirm()
        self.assertLedger(self.card, [30])
        order._action_cancel()
        self.assertLedger(self.card, [30])
        self.assertFalse(self.card.crm_lot_ids.filtered("pending"))
        self.card.invalidate_recordset()
        self.assertEqual(self.card.crm_points_pending, 0)

    def test_statement_and_portal_show_pending(self):
        self.card._loyalty_points_add({self.card.id: 30}, "manual", "Welcome")
        self._confirm()
        values = self.card._loyalty_statement_values()
        self.assertEqual((values["pending"], values["balance"]), (100, 30))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_loyalty.action_report_points_statement", self.card.ids)[0]
            .decode()
        )
        self.assertIn("Pending", html)
        self.assertIn("o_crm_statement_pending", html)


@tagged("post_install", "-at_install", "crm_loyalty_pending")
class TestPendingOnThePortal(InvoicedOrderCommon, HttpCase):
    def test_member_sees_pending_available_expiring(self):
        self.program.crm_return_window_days = 14
        self.env["res.users"].create(
            {
                "name": "Pending Member",
                "login": "loy_pending",
                "password": "loy_pending",
                "partner_id": self.customer.id,
                "group_ids": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        self.card._loyalty_points_add({self.card.id: 30}, "manual", "Welcome")
        order = self._order(self.care_user)
        order.action_confirm()
        self.authenticate("loy_pending", "loy_pending")
        page = self.url_open("/my/loyalty").text
        self.assertIn("Available", page)
        self.assertRegex(page, r"Pending: <b>100")
        self.assertIn("available from", page)
        self.assertRegex(page, r"Expiring soon: <b>0")
