from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.fields import Domain
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestDemoFiguresCrossScreen(TransactionCase):
    """On the demo data, as Carla (care.manager): a figure the manager
    dashboard shows is the figure the segment analysis and a whole-book
    review show, read through the same methods the screens use."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager = cls.env.ref("crm_customer_care.user_care_manager")
        cls.uenv = cls.env(user=manager, context=dict(cls.env.context, lang="en_US"))
        cls.company = manager.company_id
        cls.dashboard = cls.uenv["crm.customer.review.dashboard"].create(
            {"company_id": cls.company.id}
        )
        cls.today = fields.Date.context_today(cls.dashboard)

    def _analysis(self, aggregates, groupby=()):
        return self.uenv["crm.segment.analysis.report"]._read_group(
            Domain("company_id", "=", self.company.id), list(groupby), aggregates
        )

    def _book_review(self):
        """A whole-book review of the last 12 months, computed (frozen) as
        the manager does it: its lines are what the review screen shows."""
        review = self.uenv["crm.customer.review"].create(
            {
                "scope": "book",
                "company_id": self.company.id,
                "date_from": self.today - relativedelta(years=1) + relativedelta(days=1),
                "date_to": self.today,
            }
        )
        review.action_compute()
        return review

    def test_customers_are_the_same_everywhere(self):
        """Customers: dashboard = segment analysis = the review's Customers,
        and per segment the analysis's = the review's segment lines."""
        [(customers,)] = self._analysis(["customer_count:sum"])
        self.assertTrue(customers, "the demo has customers")
        self.assertEqual(self.dashboard.customer_count, customers)
        lines = self._book_review().line_ids
        self.assertEqual(lines.filtered(lambda line: line.name == "Customers").value, customers)
        by_segment = {
            segment.display_name or "No segment": count
            for segment, count in self._analysis(["customer_count:sum"], ["segment_id"])
        }
        review_segments = {
            line.name: line.value
            for line in lines.filtered(
                lambda line: line.section == "segments" and line.kind != "money"
            )
        }
        self.assertEqual(review_segments, by_segment)

    def test_pipeline_is_the_segment_analysis_pipeline(self):
        """Open opportunities and pipeline: dashboard = segment analysis."""
        [(count, amount)] = self._analysis(["pipeline_count:sum", "pipeline_revenue:sum"])
        self.assertTrue(count, "the demo has open opportunities of customers")
        self.assertEqual(self.dashboard.open_opportunities, count)
        self.assertAlmostEqual(self.dashboard.open_pipeline, amount, places=2)

    def test_health_bands_sum_to_the_customers(self):
        """The three health bands add up to the customers (a score not
        computed yet reads 0, on the contact form too: it is in 0-39), and
        the average is the segment analysis's."""
        dashboard = self.dashboard
        [(customers, average)] = self._analysis(["customer_count:sum", "health_score:avg"])
        self.assertEqual(
            dashboard.health_poor + dashboard.health_fair + dashboard.health_good, customers
        )
        self.assertEqual(dashboard.customer_count, customers)
        # the dashboard shows one decimal
        self.assertAlmostEqual(dashboard.average_health, average or 0.0, delta=0.05 + 1e-9)

    def test_revenue_is_the_same_everywhere(self):
        """Revenue of the last 12 months: dashboard = segment analysis =
        Customer Revenue report = the review's revenue per segment."""
        [(analysis_revenue,)] = self._analysis(["revenue:sum"])
        [(report_revenue,)] = self.uenv["crm.customer.revenue.report"]._read_group(
            Domain("company_id", "=", self.company.id)
            & Domain("date", ">", self.today - relativedelta(years=1))
            & Domain("date", "<=", self.today),
            [],
            ["revenue:sum"],
        )
        self.assertTrue(report_revenue, "the demo has invoices of the last 12 months")
        self.assertAlmostEqual(self.dashboard.revenue_12_months, report_revenue, places=2)
        self.assertAlmostEqual(analysis_revenue, report_revenue, places=2)
        review_revenue = sum(
            self._book_review()
            .line_ids.filtered(lambda line: line.section == "segments" and line.kind == "money")
            .mapped("value")
        )
        self.assertAlmostEqual(review_revenue, report_revenue, places=2)
