"""Issue 28: the points' share follows the invoices, and lots from before
the configuration's start date come in as an opening balance; figures
computed by hand (SSP of a point 0.10, expected redemption 80 %).

Allocation by invoice. The order: two cold rooms at 500, untaxed 1,000,
earns 100 points (points SSP 100 x 0.10 = 10). Each invoice's revenue is
split in proportion to the stand-alone selling prices, 1,000 : 10:

- confirmed, nothing invoiced: nothing deferred (issue of 100 points at
  **0.00**);
- invoice for one cold room, 500: 500 x 10 / 1,010 = 4.950495 -> **4.95**
  deferred (Dr revenue / Cr liability), a point worth 0.0495050;
- invoice for the second, 500 more: 1,000 x 10 / 1,010 = 9.900990 ->
  9.90, so **4.95** more (the sale's full share, as in
  test_points_liability).

Opening balance. A gift of 100 points (no sale: worth 100 x 0.10 =
10.00) earned 60 days before the start date; 40 redeemed before it, 20
after.

- The day before the start: redeemed 40 x 0.10 = 4.00; breakage 40 / 80
  x (100 x 20 % x 0.10 = 2.00) = 1.00; the lot owes 10.00 - 4.00 - 1.00 =
  **5.00** for 60 points: one journal entry, Dr undistributed
  profits/losses 5.00 / Cr liability 5.00, dated the day before the start.
- After the start: 20 redeemed, 20 x 0.10 = **2.00** (Dr liability / Cr
  revenue); breakage re-assessed 60 / 80 x 2.00 = 1.50, so **0.50** more
  (Dr liability / Cr marketing expense: the points came without a sale).
  Closing 5.00 - 2.00 - 0.50 = **2.50** for 40 points (= 10.00 x (80 -
  60) / 80).
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import tagged

from .common import LiabilityCommon


@tagged("post_install", "-at_install", "crm_loyalty_account")
class TestPointsLiabilityAllocation(LiabilityCommon):
    def test_partly_invoiced_order_defers_the_invoiced_share(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 2})],
            }
        )
        order._update_programs_and_rewards()
        order.action_confirm()
        self.assertFalse(self._post(), "nothing invoiced: no journal entry")
        issue = self._entries("issue")
        self.assertEqual((issue.points, issue.amount, issue.with_sale), (100, 0.0, True))
        self.assertLiability(0.0, 100)

        first = order._create_invoices()
        first.invoice_line_ids.filtered("sale_line_ids").write({"quantity": 1})
        first.action_post()
        self.assertEqual(first.amount_untaxed, 500)
        moves = self._post()
        self.assertEqual(len(moves), 1)
        self.assertEqual(sorted(self._entries("issue").mapped("amount")), [0.0, 4.95])
        latest = self._entries("issue").sorted("id")[-1]
        self.assertAlmostEqual(latest.unit_value, 0.0495050, places=6)
        self.assertAlmostEqual(self._gl(self.config.revenue_account_id), 4.95)
        self.assertLiability(4.95, 100)

        second = order._create_invoices()
        second.action_post()
        self.assertEqual(second.amount_untaxed, 500)
        self._post()
        self.assertEqual(sorted(self._entries("issue").mapped("amount")), [0.0, 4.95, 4.95])
        self.assertAlmostEqual(self._gl(self.config.revenue_account_id), 9.90)
        self.assertLiability(9.90, 100)
        self.assertFalse(self._post(), "a re-run posts nothing")

    def test_lots_before_the_start_date_are_an_opening_balance(self):
        today = fields.Date.context_today(self.config)
        self.config.date_start = today
        self.card._loyalty_points_add(
            {self.card.id: 100}, "manual", "Welcome gift", date=today - relativedelta(days=60)
        )
        lot = self.env["crm.loyalty.points.lot"].search([("card_id", "=", self.card.id)])
        self.assertEqual(lot.date, today - relativedelta(days=60))
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 40})
        # the redemption was made before the start date
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_loyalty_account_use SET create_date = create_date - interval '10 days'"
            " WHERE lot_id = %s",
            [lot.id],
        )
        self.env["crm.loyalty.redemption"].create({"card_id": self.card.id, "points": 20})

        moves = self._post()
        opening = moves.filtered(lambda move: move.date == today - relativedelta(days=1))
        self.assertEqual(len(opening), 1, "one opening entry, the day before the start")
        equity = self.env.company.get_unaffected_earnings_account()
        self.assertEqual(
            {(line.account_id, line.balance) for line in opening.line_ids},
            {(equity, 5.00), (self.config.liability_account_id, -5.00)},
        )
        self.assertEqual(opening.state, "posted")
        opened = self.env["crm.loyalty.account.entry"].search(
            [("config_id", "=", self.config.id), ("opening", "=", True)]
        )
        self.assertEqual(round(sum(opened.mapped("amount")), 2), 5.00)
        self.assertEqual(sum(opened.mapped("points")), 60)
        self.assertTrue(all(entry.date == today - relativedelta(days=1) for entry in opened))

        period = moves - opening
        self.assertEqual(period.date, today)
        redeem = self._entries("redeem").filtered(lambda e: not e.opening)
        breakage = self._entries("breakage").filtered(lambda e: not e.opening)
        self.assertEqual((redeem.points, redeem.amount), (-20, -2.00))
        self.assertEqual((breakage.points, breakage.amount), (0, -0.50))
        self.assertAlmostEqual(self._gl(self.config.revenue_account_id), -2.00)
        self.assertAlmostEqual(self._gl(self.config.expense_account_id), -0.50)
        self.assertAlmostEqual(self._gl(equity), 5.00)
        self.assertLiability(2.50, 40)
        self.assertFalse(self._post(), "a re-run posts nothing")

    def test_two_runs_at_once_book_each_row_once(self):
        """Two runs computed their rows at the same time: gifts of 50 and 30
        points (5.00 and 3.00 of marketing expense). The first books the
        50; the second, holding both lots' rows, finds the 50's keys taken:
        its journal entry keeps only the 30's lines (3.00)."""
        other = self._card(self._customers(1, prefix="Twice"))
        self.card._loyalty_points_add({self.card.id: 50}, "manual", "Gift")
        other._loyalty_points_add({other.id: 30}, "manual", "Gift")
        self.env.flush_all()
        Lot = self.env["crm.loyalty.points.lot"]
        lots = Lot.search([("program_id", "=", self.program.id)], order="id")
        figures, configs = lots._loyalty_account_figures()
        units = {lot["id"]: (0.10, False) for lot in figures}
        Entry = self.env["crm.loyalty.account.entry"].sudo()
        today = fields.Date.context_today(self.config)
        rows = Entry._loyalty_movement_rows(figures, configs, units, today)
        self.assertEqual([row["amount"] for row in rows], [5.00, 3.00])
        with Entry._ccare_append_only_unlocked():
            first = Entry._loyalty_post_rows([dict(rows[0])], today)
            second = Entry._loyalty_post_rows([dict(row) for row in rows], today)
        self.assertEqual(first.line_ids.mapped("balance"), [-5.00, 5.00])
        self.assertEqual(sorted(second.line_ids.mapped("balance")), [-3.00, 3.00])
        self.assertEqual(second.state, "posted")
        self.assertEqual(len(self._entries("issue")), 2)
        self.assertLiability(8.00, 80)
