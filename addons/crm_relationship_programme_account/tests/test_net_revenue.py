"""Programme revenue net of the points' deferred share (issue 28), on a
figure computed by hand.

A programme member buys two cold rooms at 500 (untaxed 1,000) and earns 100
points; a point's stand-alone selling price is 0.10, so the points' share of
the price is 1,000 x 10 / 1,010 = 9.90, deferred as a contract liability.
The programme's revenue (and gross margin: the product has no cost) for the
member is 1,000 - 9.90 = **990.10** once the points are in the books; before
the posting, nothing is deferred yet: 1,000.
"""

from odoo import fields
from odoo.addons.crm_loyalty_account.tests.common import LiabilityCommon
from odoo.fields import Command
from odoo.tests import tagged

from ..hooks import uninstall_hook


@tagged("post_install", "-at_install", "crm_relationship_programme_account")
class TestProgrammeNetRevenue(LiabilityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment = cls.env["crm.customer.segment"].create(
            {
                "name": "Booked members",
                "domain": "[('email', '=like', 'booked%@example.com')]",
                "sequence": 0,
            }
        )
        cls.member = cls._customers(1, prefix="Booked")
        cls.env.cr.flush()  # segments are assigned once per transaction
        cls.member_card = cls._card(cls.member)
        cls.programme = cls.env["crm.relationship.programme"].create(
            {
                "name": "Booked Club",
                "segment_ids": [Command.set(cls.segment.ids)],
                "date_start": fields.Date.subtract(fields.Date.today(), days=30),
                "holdout_percent": 0,
                "loyalty_program_id": cls.program.id,
                "point_value": 0.10,
            }
        )
        cls.programme.action_start()

    def _member_row(self):
        Report = self.env["crm.relationship.effectiveness.report"]
        Report.invalidate_model()
        return Report.search(
            [("programme_id", "=", self.programme.id), ("partner_id", "=", self.member.id)]
        )

    def test_member_revenue_is_net_of_the_deferred_share(self):
        self.assertEqual(self.member.segment_id, self.segment)
        self.assertEqual(self.programme.member_count, 1)
        order = self.env["sale.order"].create(
            {
                "partner_id": self.member.id,
                "order_line": [
                    Command.create({"product_id": self.product.id, "product_uom_qty": 2})
                ],
            }
        )
        order._update_programs_and_rewards()
        order.action_confirm()
        invoice = order._create_invoices()
        invoice.action_post()
        self.assertEqual(self.member_card.points, 100)
        self.assertRecordValues(self._member_row(), [{"revenue": 1000.0, "margin": 1000.0}])
        self._post()
        self.assertEqual(
            self._entries("issue").filtered(lambda e: e.partner_id == self.member).amount, 9.90
        )
        self.assertRecordValues(self._member_row(), [{"revenue": 990.10, "margin": 990.10}])
        self.programme.invalidate_recordset()
        self.assertAlmostEqual(self.programme.revenue_member, 990.10, places=2)
        # no holdout: the return is not measurable (issue 26), not -100 %
        self.assertFalse(self.programme.roi_measurable)
        self.assertEqual(self.programme.roi, 0.0)

    def test_uninstall_recreates_the_view_with_nothing_deferred(self):
        """The uninstall hook: the view no longer reads the sub-ledger."""
        uninstall_hook(self.env)
        self.env.cr.execute(
            "SELECT pg_get_viewdef('crm_relationship_effectiveness_report'::regclass)"
        )
        self.assertNotIn("crm_loyalty_account_entry", self.env.cr.fetchone()[0])
        self.env["crm.relationship.effectiveness.report"].init()
        self.env.cr.execute(
            "SELECT pg_get_viewdef('crm_relationship_effectiveness_report'::regclass)"
        )
        self.assertIn("crm_loyalty_account_entry", self.env.cr.fetchone()[0])
