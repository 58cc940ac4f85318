from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.revenue_world import COST
from odoo.addons.crm_customer_care.tests.revenue_world import PERIOD
from odoo.addons.crm_customer_care.tests.revenue_world import REVENUE
from odoo.addons.crm_customer_care.tests.revenue_world import TODAY
from odoo.addons.crm_customer_care.tests.revenue_world import RevenueWorldMixin
from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestProgrammeRevenue(RevenueWorldMixin, LoyaltyCommon, AccountTestInvoicingCommon):
    """Programme effectiveness shows Globex's revenue and margin of the
    period as the customer's P&L does: 700 USD revenue, 220 margin in
    company A (see revenue_world)."""

    revenue_world_groups = (
        *RevenueWorldMixin.revenue_world_groups,
        "crm_loyalty.group_crm_loyalty_manager",
    )

    @freeze_time(TODAY)
    def test_programme_figures_are_the_pnl_figures(self):
        programme = self.env["crm.relationship.programme"].create(
            {
                "name": "Globex year",
                "company_id": self.company_a.id,
                "segment_ids": [Command.set(self.world_segment.ids)],
                "date_start": PERIOD[0],
                "date_end": PERIOD[1],
            }
        )
        self.env["crm.relationship.participant"].sudo().create(
            {"programme_id": programme.id, "partner_id": self.globex.id, "group": "member"}
        )
        row = self.env["crm.relationship.effectiveness.report"].search(
            [("programme_id", "=", programme.id)]
        )
        self.assertAlmostEqual(row.revenue, REVENUE)
        self.assertAlmostEqual(row.margin, REVENUE - COST)
        self.assertAlmostEqual(programme.revenue_member, REVENUE)
        self.assertAlmostEqual(programme.margin_member, REVENUE - COST)
        globex = self.globex.with_company(self.company_a)
        if "pnl_period" in globex._fields:  # with crm_customer_profitability
            globex.pnl_period = "last_12_months"
            self.assertAlmostEqual(globex.pnl_revenue, row.revenue)
            self.assertAlmostEqual(globex.pnl_revenue - globex.pnl_cogs, row.margin)
        self.assertAlmostEqual(row.revenue, self._report_revenue(self.company_a, partner=globex))
        # no holdout: no interval, and said so
        self.assertEqual(programme.revenue_significance, "undefined")
