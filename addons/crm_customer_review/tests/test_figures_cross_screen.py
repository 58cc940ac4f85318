import json

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.fields import Domain
from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestDemoFiguresCrossScreen(TransactionCase):
    """On the demo data, as Carla (care.manager): a figure the Customer
    Care spreadsheet dashboard shows is the figure the segment analysis and
    a whole-book review show, read through the same methods the screens
    use. (The Manager Dashboard form is a launcher: it shows no figure.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager = cls.env.ref("crm_customer_care.user_care_manager")
        cls.uenv = cls.env(user=manager, context=dict(cls.env.context, lang="en_US"))
        cls.company = manager.company_id
        cls.today = fields.Date.context_today(cls.uenv.user)

    def _spreadsheet_chart(self, title):
        """``{group: value}`` of the chart ``title`` of the Customer Care or
        Relationship Health dashboard, read as the chart reads it (its model,
        domain, group by and measure, with the manager's record rules): an
        Odoo chart's own, or, for a chart drawn from cells (the health bands,
        coloured by meaning), those of the pivot of the same name its cells
        read."""
        [(data, chart)] = [
            (data, figure["data"])
            for xmlid in (
                "crm_customer_care.spreadsheet_dashboard_customer_care",
                "crm_customer_health.spreadsheet_dashboard_customer_health",
            )
            for data in [json.loads(self.uenv.ref(xmlid).spreadsheet_data)]
            for sheet in data["sheets"]
            for figure in sheet["figures"]
            if figure["data"]["title"]["text"] == title
        ]
        if "metaData" in chart:
            meta = chart["metaData"]
            model, domain = meta["resModel"], chart["searchParams"]["domain"]
            groupby, measure = meta["groupBy"], meta["measure"]
        else:
            [pivot] = [p for p in data["pivots"].values() if p["name"] == title]
            model, domain = pivot["model"], pivot["domain"]
            groupby = [row["fieldName"] for row in pivot["rows"]]
            [measure] = [m["fieldName"] for m in pivot["measures"]]
        aggregate = "__count" if measure == "__count" else f"{measure}:sum"
        return dict(self.uenv[model]._read_group(domain, groupby, [aggregate]))

    def test_manager_dashboard_shows_no_figure(self):
        """One dashboard technology: the form only launches screens."""
        Dashboard = self.uenv["crm.customer.review.dashboard"]
        figures = [
            name
            for name, field in Dashboard._fields.items()
            if field.type in ("integer", "float", "monetary", "html") and name != "id"
        ]
        self.assertFalse(figures)

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
        """Customers: spreadsheet (by lifecycle stage) = segment analysis =
        the review's Customers, and per segment the analysis's = the
        review's segment lines."""
        [(customers,)] = self._analysis(["customer_count:sum"])
        self.assertTrue(customers, "the demo has customers")
        self.assertEqual(
            sum(self._spreadsheet_chart("Customers by lifecycle stage").values()), customers
        )
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
        """Open opportunities and pipeline of the company's customers:
        segment analysis = a whole-book review (the spreadsheet's chart by
        stage counts every opportunity, with or without a customer, and
        says so in its title)."""
        [(count, amount)] = self._analysis(["pipeline_count:sum", "pipeline_revenue:sum"])
        self.assertTrue(count, "the demo has open opportunities of customers")
        lines = {line.name: line.value for line in self._book_review().line_ids}
        self.assertEqual(lines["Open opportunities"], count)
        self.assertAlmostEqual(lines["Open pipeline"], amount, places=2)

    def test_health_bands_sum_to_the_customers(self):
        """The health bands of the spreadsheet add up to the customers (a
        score not computed yet reads 0, on the contact form too: it is in
        0-39), each band holds the scores it names, and the figures are the
        segment analysis's."""
        [(customers,)] = self._analysis(["customer_count:sum"])
        bands = self._spreadsheet_chart("Customers by health band")
        self.assertEqual(bands, dict(self._analysis(["customer_count:sum"], ["health_band"])))
        self.assertEqual(sum(bands.values()), customers)
        Partner = self.uenv["res.partner"]
        for band, low, high in (("poor", 0, 39), ("fair", 40, 69), ("good", 70, 100)):
            rows = self.uenv["crm.segment.analysis.report"].search(
                [("company_id", "=", self.company.id), ("health_band", "=", band)]
            )
            scores = Partner.browse(rows.partner_id.ids).mapped("health_score")
            self.assertTrue(all(low <= (score or 0) <= high for score in scores), band)

    def test_revenue_is_the_same_everywhere(self):
        """Revenue of the last 12 months: spreadsheet (by segment) = segment
        analysis = Customer Revenue report = the review's revenue per
        segment."""
        [(analysis_revenue,)] = self._analysis(["revenue:sum"])
        [(report_revenue,)] = self.uenv["crm.customer.revenue.report"]._read_group(
            Domain("company_id", "=", self.company.id)
            & Domain("date", ">", self.today - relativedelta(years=1))
            & Domain("date", "<=", self.today),
            [],
            ["revenue:sum"],
        )
        self.assertTrue(report_revenue, "the demo has invoices of the last 12 months")
        self.assertAlmostEqual(analysis_revenue, report_revenue, places=2)
        self.assertAlmostEqual(
            sum(self._spreadsheet_chart("Revenue by segment (12 months)").values()),
            report_revenue,
            places=2,
        )
        review_revenue = sum(
            self._book_review()
            .line_ids.filtered(lambda line: line.section == "segments" and line.kind == "money")
            .mapped("value")
        )
        self.assertAlmostEqual(review_revenue, report_revenue, places=2)
