"""Issue 28, points liability in the books (IFRS 15 / HKFRS 15), on figures
computed by hand.

The sale: two cold rooms at 500, untaxed 1,000, earn 100 points; a point's
stand-alone selling price (SSP) is 0.10, expected redemption 80 %.

- Allocation: points SSP 100 x 0.10 = 10; goods SSP 1,000; the points'
  share of the price = 1,000 x 10 / 1,010 = 9.900990 -> **9.90** (goods
  990.10); deferred value of a point 9.900990 / 100 = 0.0990099.
  Dr revenue 9.90 / Cr liability 9.90.
- Redemption of 40: 40 x 0.0990099 = 3.960396 -> **3.96** (Dr liability /
  Cr revenue). Breakage (expected 100 x 20 % = 20 points, 1.980198) in
  proportion: 40 redeemed / 80 expected x 1.980198 = 0.990099 -> **0.99**.
  Closing 9.90 - 3.96 - 0.99 = **4.95** (= 9.90 x 40 still expected / 80),
  60 points.
- Expiry of the 60 left: the lot's remaining liability, **4.95**, is
  released; closing 0.00, 0 points.
- Credit note for half (500): 50 points clawed back, 50 x 0.0990099 =
  4.950495 -> **4.95** (Dr liability / Cr revenue, the credit note's own
  debit of revenue is 500: net 495.05, the goods' half); closing 4.95,
  50 points = 50 x 0.0990099 to the cent.
- A member who owes points: 80 redeemed (7.92; breakage 80 / 80 x 1.98 =
  **1.98**, closing 0.00), then a full credit note takes the 20 left
  (**1.98** clawed back) and records 80 owed; the lot is used up without
  expiring, so its breakage is reversed (**+1.98**): closing 0.00. A gift
  of 50 points (no sale: Dr marketing expense **5.00** / Cr liability)
  pays 50 of the debt at once: claw-back of **5.00** (Cr expense), closing
  0.00, 30 points still owed. Owed points are not a receivable (see
  readme/CONFIGURE.md): only future points settle them.
- Second company, in another currency: 200 points given by hand at SSP
  0.50 = **100.00** of that currency, Dr marketing expense / Cr liability,
  in that company's books only.
"""

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LiabilityCommon


@tagged("post_install", "-at_install", "crm_loyalty_account")
class TestPointsLiability(LiabilityCommon):
    def _sale(self):
        return self._invoiced_order()

    def _invoiced_order(self, qty=2):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": qty})],
            }
        )
        order._update_programs_and_rewards()
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        return order, invoice

    def _credit_note(self, invoice, qty=None):
        refund = invoice._reverse_moves([{"invoice_date": invoice.invoice_date}])
        if qty is not None:
            refund.invoice_line_ids.filtered("sale_line_ids").write({"quantity": qty})
        refund.action_post()
        return refund

    def _redeem(self, points):
        return self.env["crm.loyalty.redemption"].create(
            {"card_id": self.card.id, "points": points}
        )

    def test_issue_defers_the_points_share(self):
        """1,000 with 100 points: 9.90 deferred, Dr revenue / Cr liability."""
        order, _invoice = self._sale()
        moves = self._post()
        self.assertEqual(len(moves), 1)
        self.assertEqual(moves.state, "posted")
        issue = self._entries("issue")
        self.assertEqual((issue.points, issue.amount), (100, 9.90))
        self.assertAlmostEqual(issue.unit_value, 0.0990099, places=6)
        self.assertTrue(issue.with_sale)
        self.assertEqual(issue.lot_id.crm_account_order_id, order)
        self.assertAlmostEqual(self._gl(self.config.revenue_account_id), 9.90)
        self.assertLiability(9.90, 100)

    def test_partial_redemption_and_breakage(self):
        """40 of 100 redeemed: 3.96 revenue, 0.99 breakage, 4.95 left."""
        self._sale()
        self._post()
        self._redeem(40)
        self._post()
        redeem, breakage = self._entries("redeem"), self._entries("breakage")
        self.assertEqual((redeem.points, redeem.amount), (-40, -3.96))
        self.assertEqual((breakage.points, breakage.amount), (0, -0.99))
        # revenue: -9.90 deferred, +3.96 redeemed, +0.99 breakage
        self.assertAlmostEqual(self._gl(self.config.revenue_account_id), 9.90 - 3.96 - 0.99)
        self.assertLiability(4.95, 60)

    def test_breakage_reassessed_when_the_rate_changes(self):
        """40 of 100 redeemed at 80 % (breakage 0.99); the rate re-estimated
        at 50 %: expected breakage 50 x 0.0990099 = 4.950495, x 40 / 50 =
        3.960396 -> 3.96, so the next run adds 2.97; the liability, 9.90 -
        3.96 - 3.96 = 1.98 = 9.90 x (50 - 40) / 50."""
        self._sale()
        self._post()
        self._redeem(40)
        self._post()
        self.config.manual_rate = 0.50
        self._post(date=fields.Date.today() + relativedelta(months=1))
        self.assertEqual(sorted(self._entries("breakage").mapped("amount")), [-2.97, -0.99])
        self.assertLiability(1.98, 60)

    def test_expiry_releases_what_is_left(self):
        """The 60 points left expire: the lot's 4.95 is released."""
        self._sale()
        self._post()
        self._redeem(40)
        self._post()
        lot = self.env["crm.loyalty.points.lot"].search([("card_id", "=", self.card.id)])
        self.card._loyalty_expire_points(today=lot.expiry_date + relativedelta(days=1))
        self._post()
        expire = self._entries("expire")
        self.assertEqual((expire.points, expire.amount), (-60, -4.95))
        self.assertEqual(len(self._entries("breakage")), 1, "breakage stays as recognised")
        self.assertAlmostEqual(self._gl(self.config.revenue_account_id), 0.0)
        self.assertLiability(0.0, 0)

    def test_credit_note_for_half_claws_back(self):
        """A credit note of 500 takes 50 points back: 4.95 reversed."""
        _order, invoice = self._sale()
        self._post()
        self._credit_note(invoice, qty=1)
        self._post()
        clawback = self._entries("clawback")
        self.assertEqual((clawback.points, clawback.amount), (-50, -4.95))
        self.assertFalse(self._entries("breakage"), "nothing redeemed: no breakage yet")
        # 50 points open x 0.0990099 = 4.950495: 4.95 to the cent
        self.assertLiability(4.95, 50)

    def test_rerun_posts_nothing(self):
        """The job run again (twice the same day, and after a queued chunk
        was also run) books no second journal entry and no second row."""
        self._sale()
        self._post()
        self._redeem(40)
        first = self._post()
        count = self.env["crm.loyalty.account.entry"].search_count([])
        self.assertEqual(len(first), 1)
        self.assertFalse(self._post())
        self.assertFalse(self._post(date=fields.Date.today() + relativedelta(months=1)))
        self.assertEqual(self.env["crm.loyalty.account.entry"].search_count([]), count)
        self.assertLiability(4.95, 60)

    def test_configuration_with_entries_is_kept(self):
        """The sub-ledger keeps its configuration: deleting it is refused
        once points are in the books (archive it instead)."""
        self._sale()
        self._post()
        with self.assertRaises(UserError):
            self.config.unlink()
        self.config.active = False
        self.assertTrue(self._entries("issue"))

    def test_enqueue_in_chunks(self):
        """The monthly job queues the lots the books do not hold closed; a
        lot closed and settled in the books is not queued again."""
        self._sale()
        self.card._loyalty_points_add({self.card.id: 30}, "manual", "Gift")
        # what the monthly job queues for this program (the demo's has lots too)
        Lot = self.env["crm.loyalty.points.lot"]
        with trap_jobs() as trap:
            Lot._loyalty_account_enqueue(self.config, chunk_size=1)
        self.assertEqual(len(trap.enqueued_jobs), 2)
        trap.perform_enqueued_jobs()
        self.assertLiability(9.90 + 3.00, 130)
        self._redeem(130)
        self._post()
        self.assertLiability(0.0, 0)
        with trap_jobs() as trap:
            Lot._loyalty_account_enqueue(self.config)
        self.assertFalse(trap.enqueued_jobs)

    def test_member_who_owes_points(self):
        """80 redeemed, then the whole sale refunded: 20 clawed back, 80
        owed; a later gift of 50 pays 50 of the debt."""
        _order, invoice = self._sale()
        self._post()
        self._redeem(80)
        self._post()
        self.assertEqual(self._entries("breakage").amount, -1.98)
        self.assertLiability(0.0, 20)
        self._credit_note(invoice)
        self.assertEqual(self.card.crm_points_owed, 80)
        self._post()
        self.assertEqual(self._entries("clawback").amount, -1.98)
        self.assertEqual(sorted(self._entries("breakage").mapped("amount")), [-1.98, 1.98])
        self.assertLiability(0.0, 0)
        self.card._loyalty_points_add({self.card.id: 50}, "manual", "Gift")
        self.env.cr.flush()
        self.assertEqual(self.card.crm_points_owed, 30)
        self._post()
        gift = self._entries("issue").filtered(lambda e: not e.with_sale)
        self.assertEqual((gift.points, gift.amount), (50, 5.00))
        self.assertEqual(sorted(self._entries("clawback").mapped("amount")), [-5.00, -1.98])
        self.assertAlmostEqual(self._gl(self.config.expense_account_id), 0.0)
        self.assertLiability(0.0, 0)

    def test_second_company_in_its_currency(self):
        """Company B (another currency): 200 points by hand at 0.50 = 100.00
        of its currency, in B's books only."""
        currency = self.env.ref("base.EUR")
        if currency == self.env.company.currency_id:
            currency = self.env.ref("base.HKD")
        currency.active = True
        company_b = self.env["res.company"].create(
            {"name": "Loyalty Books B", "currency_id": currency.id}
        )
        program_b = self.env["loyalty.program"].create(
            {"name": "Club B", "program_type": "loyalty", "company_id": company_b.id}
        )
        partner_b = self.env["res.partner"].create({"name": "Member of B"})
        card_b = self.env["loyalty.card"].create(
            {"program_id": program_b.id, "partner_id": partner_b.id}
        )
        card_b._loyalty_points_add({card_b.id: 200}, "manual", "Welcome")
        config_b = self._config(company_b, program_b, 0.50, 0.80, prefix="LB")
        self._sale()
        self._post()
        moves_b = self._post(config_b)
        self.assertEqual(moves_b.company_id, company_b)
        self.assertEqual(moves_b.currency_id, currency)
        self.assertLiability(100.00, 200, config=config_b)
        self.assertAlmostEqual(self._gl(config_b.expense_account_id), 100.00)
        self.assertLiability(9.90, 100)
        row = self.env["crm.loyalty.account.report"].search([("company_id", "=", company_b.id)])
        self.assertEqual(row.currency_id, currency)
        # company A's loyalty manager sees none of B
        Report = self.env["crm.loyalty.account.report"].with_user(self.loyalty_manager)
        self.assertFalse(Report.search([("company_id", "=", company_b.id)]))
        self.assertTrue(Report.search([("company_id", "=", self.env.company.id)]))

    def test_rate_from_history_or_by_hand(self):
        """Below the minimum history the rate must be set by hand; the
        estimate is redeemed / (redeemed + expired) over closed lots."""
        self.config.min_history_lots = 2
        with self.assertRaises(ValidationError):
            self.config.use_manual_rate = False
        card = self._card(self._customers(1, prefix="History"))
        card._loyalty_points_add({card.id: 100}, "manual", "First")
        card._loyalty_points_add({card.id: 100}, "manual", "Second")
        lots = self.env["crm.loyalty.points.lot"].search([("card_id", "=", card.id)])
        self.env["crm.loyalty.redemption"].create({"card_id": card.id, "points": 150})
        card._loyalty_expire_points(today=max(lots.mapped("expiry_date")) + relativedelta(days=1))
        self.config.invalidate_recordset()
        self.assertEqual(self.config.history_lots, 2)
        self.assertAlmostEqual(self.config.estimated_rate, 0.75)
        self.config.use_manual_rate = False
        self.assertAlmostEqual(self.config.redemption_rate, 0.75)

    def test_posting_refused_to_non_accountants(self):
        self._sale()
        with self.assertRaises(AccessError):
            self.config.with_user(self.loyalty_manager).action_crm_post_liability()
        with trap_jobs() as trap:
            self.config.with_user(self.accountant).action_crm_post_liability()
        self.assertEqual(len(trap.enqueued_jobs), 1)

    def test_cancelled_redemption_restores_the_liability(self):
        """40 redeemed (3.96, breakage 0.99), then the request cancelled: the
        40 points come back as a lot at the value they were redeemed at,
        40 x 0.0990099 = 3.96, Dr revenue / Cr liability."""
        self._sale()
        self._post()
        request = self._redeem(40)
        self._post()
        request.action_cancel()
        self._post()
        back = self._entries("issue").filtered(lambda e: e.lot_id.redemption_id == request)
        self.assertEqual((back.points, back.amount, back.with_sale), (40, 3.96, True))
        self.assertAlmostEqual(self._gl(self.config.revenue_account_id), 9.90 - 0.99)
        self.assertLiability(4.95 + 3.96, 100)

    def test_posting_is_set_based(self):
        """The job costs the same number of queries for 10 and for 40 lots
        given by hand (issue and a partial redemption of each)."""

        def world(count):
            cards = self.env["loyalty.card"].create(
                [
                    {"program_id": self.program.id, "partner_id": partner.id}
                    for partner in self._customers(count, prefix=f"Set{count}")
                ]
            )
            cards._loyalty_points_add({card.id: 10 for card in cards}, "manual", "Gift")
            lots = self.env["crm.loyalty.points.lot"].search([("card_id", "in", cards.ids)])
            return cards, lots

        _cards, lots = world(3)
        lots._loyalty_account_post()  # warm the caches (accounts, journal, sequence)
        counts = []
        for count in (10, 40):
            _cards, lots = world(count)
            counts.append(self.count_queries(lots._loyalty_account_post))
        self.assertEqual(counts[0], counts[1])

    def test_roll_forward_pdf(self):
        """The roll-forward prints, with the period's figures."""
        self._sale()
        self._post()
        self._redeem(40)
        self._post()
        rows = self.env["crm.loyalty.account.report"].search([])
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_loyalty_account.report_points_liability", rows.ids)[0]
            .decode()
        )
        self.assertIn("Points liability roll-forward", html)
        self.assertIn("4.95", html)
        self.assertIn("9.90", html)
