"""Claw-back and pending points: a credit note while the order's points
are pending cuts them first; owed points are paid off by released ones."""

from freezegun import freeze_time

from odoo.addons.crm_loyalty.tests.invoicing import InvoicedOrderCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_clawback")
class TestClawbackPending(InvoicedOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.program.crm_return_window_days = 14

    def _confirm(self):
        order = self._order(self.care_user)
        order.action_confirm()
        return order.with_env(self.env)

    def test_release_pays_off_owed_points(self):
        """30 owed when 100 pending points are released (the SQL path of the
        job): the debt is paid first, 70 stay."""
        with freeze_time("2026-03-02"):
            self._confirm()
        self.card.crm_points_owed = 30  # as a spent claw-back leaves it
        with freeze_time("2026-03-16"):
            self.assertEqual(self.card._loyalty_release_pending(), 1)
            self.env.cr.flush()
        self.assertLedger(self.card, [70])
        self.assertEqual(self.card.crm_points_owed, 0)

    def test_credit_note_in_the_window(self):
        """Half the order refunded while pending: 50 of the 100 pending
        points go, the balance is untouched, 50 are released later."""
        with freeze_time("2026-03-02"):
            _order, invoice = self._invoiced_order()
            self._credit_note(invoice, qty=1)
            self.assertLedger(self.card, [0])
            self.assertEqual(self.card.crm_points_pending, 50)
            self.assertFalse(self.card.crm_points_owed)
        with freeze_time("2026-03-16"):
            self.env["loyalty.card"]._loyalty_release_pending()
        self.assertLedger(self.card, [50])
