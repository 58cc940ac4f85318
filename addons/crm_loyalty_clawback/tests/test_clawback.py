"""Issue 18, claw-back: a posted customer credit note takes back the points
of the order lines it refunds, pro rata; points already spent leave the
balance at zero and the rest owed; the balance never goes negative."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.crm_loyalty.tests.invoicing import InvoicedOrderCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_loyalty_ledger", "crm_loyalty_clawback")
class TestClawback(InvoicedOrderCommon):
    def test_full_credit_note(self):
        _order, invoice = self._invoiced_order()
        self.assertLedger(self.card, [100])
        refund = self._credit_note(invoice)
        self.assertLedger(self.card, [0])
        posting = self.card.crm_posting_ids.filtered(lambda p: p.event == "clawback")
        self.assertEqual((posting.used, posting.owed, posting.origin), (100, 0, refund))
        self.assertFalse(self.card.crm_points_owed)

    def test_partial_credit_notes_pro_rata(self):
        """1,000 invoiced, 100 points: a credit note of 1 cold room (500)
        takes 50; the second 50; a third (more than was sold) nothing."""
        _order, invoice = self._invoiced_order()
        self._credit_note(invoice, qty=1)
        self.assertLedger(self.card, [50])
        self._credit_note(invoice, qty=1)
        self.assertLedger(self.card, [0])
        self.card._loyalty_points_add({self.card.id: 30}, "manual", "Gift")
        self._credit_note(invoice, qty=1)
        self.assertLedger(self.card, [30])
        self.assertEqual(
            sum(self.card.crm_posting_ids.filtered(lambda p: p.event == "clawback").mapped("used")),
            100,
        )

    def test_spent_points_become_owed(self):
        """100 earned, 80 redeemed: the full credit note takes the 20 left
        and records 80 owed; the balance stops at zero."""
        _order, invoice = self._invoiced_order()
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 80})
        self.assertLedger(self.card, [20])
        self._credit_note(invoice)
        self.assertLedger(self.card, [0])
        self.assertEqual(self.card.crm_points_owed, 80)
        posting = self.card.crm_posting_ids.filtered(lambda p: p.event == "clawback")
        self.assertEqual((posting.used, posting.owed), (20, 80))

    def test_owed_points_paid_off_by_the_next_points(self):
        """80 owed: a gift of 50 pays 50 of it (balance stays 0, 30 owed);
        the next order's 100 points (Odoo's sale_loyalty path) pay the last
        30 and leave 70; the balance is always its lots."""
        _order, invoice = self._invoiced_order()
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 80})
        self._credit_note(invoice)
        self.assertEqual(self.card.crm_points_owed, 80)
        self.card._loyalty_points_add({self.card.id: 50}, "manual", "Gift")
        self.env.cr.flush()
        self.assertLedger(self.card, [0])
        self.assertEqual(self.card.crm_points_owed, 30)
        self._invoiced_order()
        self.env.cr.flush()
        self.assertLedger(self.card, [70])
        self.assertEqual(self.card.crm_points_owed, 0)
        paid = self.card.crm_posting_ids.filtered(lambda p: p.event == "clawback" and not p.res_id)
        self.assertEqual(sorted(paid.mapped("used")), [30, 50])
        history = self.env["loyalty.history"].search(
            [("card_id", "=", self.card.id), ("description", "like", "Owed points paid off")]
        )
        self.assertEqual(sorted(history.mapped("used")), [30, 50])
        # nothing owed any more: new points stay
        self.card._loyalty_points_add({self.card.id: 5}, "manual", "Gift")
        self.env.cr.flush()
        self.assertLedger(self.card, [75])

    def test_reposted_credit_note_takes_once(self):
        _order, invoice = self._invoiced_order()
        refund = self._credit_note(invoice, qty=1)
        self.assertLedger(self.card, [50])
        refund.button_draft()
        refund.action_post()
        self.assertLedger(self.card, [50])
        self.assertEqual(
            len(self.card.crm_posting_ids.filtered(lambda p: p.event == "clawback")), 1
        )

    def test_vendor_refund_and_unlinked_credit_note_ignored(self):
        self._invoiced_order()
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_line_ids": [
                    (0, 0, {"name": "Goodwill", "quantity": 1, "price_unit": 900})
                ],
            }
        )
        refund.action_post()
        self.assertLedger(self.card, [100])


@tagged("post_install", "-at_install", "ccare_security", "crm_loyalty_clawback")
class TestClawbackOverRpc(InvoicedOrderCommon, RpcCase):
    def test_owed_points_not_writable(self):
        _order, invoice = self._invoiced_order()
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 80})
        self._credit_note(invoice)
        for login in ("care_user", "loy_user"):
            self.assertRefused(
                login, "loyalty.card", "write", [self.card.ids, {"crm_points_owed": 0}]
            )
        self.card.invalidate_recordset()
        self.assertEqual(self.card.crm_points_owed, 80)
        # a Loyalty Manager may write the debt off
        self.call_kw(
            "loy_manager", "loyalty.card", "write", [self.card.ids, {"crm_points_owed": 0}]
        )
        self.card.invalidate_recordset()
        self.assertEqual(self.card.crm_points_owed, 0)
        self.assertLedger(self.card, [0])
