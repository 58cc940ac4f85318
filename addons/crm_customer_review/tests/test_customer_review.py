from datetime import date

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Command
from odoo.tests import tagged


class CustomerReviewCommon(CustomerCareCommon):
    """A segment of our own (first by sequence) with three accounts and
    their opportunities; independent of demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment = cls.env["crm.customer.segment"].create(
            {
                "name": "Review Test Segment",
                "sequence": -100,
                "domain": "[('ref', '=like', 'CCREV-%')]",
            }
        )
        cls.partners = cls.env["res.partner"].create(
            [
                {
                    "name": f"Review Account {i}",
                    "is_company": True,
                    "ref": f"CCREV-{i}",
                    "user_id": cls.care_user.id,
                }
                for i in range(3)
            ]
        )
        cls.partners._ccare_assign_segments()
        cls.leads = cls.env["crm.lead"].create(
            [
                {
                    "name": f"Review Opportunity {i}",
                    "type": "opportunity",
                    "partner_id": partner.id,
                    "expected_revenue": 10000,
                }
                for i, partner in enumerate(cls.partners)
            ]
        )
        cls.Review = cls.env["crm.customer.review"]

    def _review(self, **values):
        return self.Review.with_user(self.care_manager).create(
            {
                "scope": "segment",
                "segment_id": self.segment.id,
                "date_from": date(2024, 1, 1),
                "date_to": date.today(),
                **values,
            }
        )

    @staticmethod
    def _figure(review, name):
        return review.line_ids.filtered(lambda line: line.name == name)


@tagged("post_install", "-at_install")
class TestCustomerReview(CustomerReviewCommon):
    def test_compute_freezes_figures(self):
        self.assertEqual(self.partners.segment_id, self.segment)
        review = self._review()
        review.action_compute()
        self.assertEqual(review.state, "computed")
        self.assertEqual(self._figure(review, "Customers").value, 3)
        self.assertEqual(self._figure(review, "Open pipeline").value, 30000)
        self.assertEqual(self._figure(review, "Open opportunities").value, 3)
        # the data changes afterwards: the review does not
        self.leads[0].expected_revenue = 90000
        self.env["crm.lead"].create(
            {
                "name": "Late",
                "type": "opportunity",
                "partner_id": self.partners[1].id,
                "expected_revenue": 5,
            }
        )
        self.env.invalidate_all()
        self.assertEqual(self._figure(review, "Open pipeline").value, 30000)
        review.with_user(self.care_manager).write({"findings": "<p>Pipeline is thin.</p>"})
        review.with_user(self.care_manager).action_approve()
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.approver_id, self.care_manager)
        with self.assertRaises(UserError):
            review.action_compute()
        with self.assertRaises(UserError):
            review.with_user(self.care_manager).write({"findings": "<p>Changed</p>"})
        with self.assertRaises(UserError):
            review.line_ids[0].sudo().write({"value": 1})
        with self.assertRaises(UserError):
            review.with_user(self.care_manager).unlink()
        self.assertEqual(self._figure(review, "Open pipeline").value, 30000)

    def test_recompute_before_approval_takes_new_data(self):
        review = self._review()
        review.action_compute()
        self.leads[0].expected_revenue = 20000
        review.action_compute()
        self.assertEqual(self._figure(review, "Open pipeline").value, 40000)
        self.assertEqual(len(self._figure(review, "Open pipeline")), 1)

    def test_empty_period(self):
        with self.assertRaisesRegex(ValidationError, "empty"):
            self._review(date_from=date(2024, 6, 1), date_to=date(2024, 5, 1))
        review = self._review(date_from=False)
        with self.assertRaisesRegex(UserError, "empty period"):
            review.action_compute()
        with self.assertRaises(ValidationError):
            self._review(segment_id=False)

    def test_only_managers_approve(self):
        review = self.Review.with_user(self.care_user).create(
            {
                "scope": "account",
                "partner_id": self.partners[0].id,
                "date_from": date(2024, 1, 1),
                "date_to": date(2024, 12, 31),
            }
        )
        review.action_compute()
        self.assertEqual(self._figure(review, "Customers").value, 1)
        with self.assertRaises(AccessError):
            review.action_approve()
        review.with_user(self.care_manager).action_approve()
        self.assertEqual(review.state, "approved")

    def test_users_change_only_their_reviews(self):
        review = self._review()
        review.with_user(self.care_user).read(["name"])
        with self.assertRaises(AccessError):
            review.with_user(self.care_user).write({"findings": "<p>Mine now</p>"})
        with self.assertRaises(AccessError):
            review.with_user(self.plain_user).read(["name"])

    def test_book_review_and_previous_period(self):
        review = self._review(
            scope="book", segment_id=False, date_from=date(2024, 1, 1), date_to=date(2024, 1, 31)
        )
        review.action_compute()
        self.assertEqual(review._ccare_previous_period(), (date(2023, 12, 1), date(2023, 12, 31)))
        segments = review.line_ids.filtered(lambda line: line.section == "segments")
        self.assertIn("Review Test Segment", segments.mapped("name"))
        self.assertTrue(self._figure(review, "Revenue").has_previous)

    def test_print_pdf_and_xlsx(self):
        review = self._review(findings="<p>Healthy segment</p>")
        review.action_compute()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_customer_review.crm_customer_review_report_pdf", review.ids)[0]
            .decode()
        )
        self.assertIn("Healthy segment", html)
        self.assertIn("Open pipeline", html)
        self.assertIn("Not approved yet", html)
        action = review.action_print()
        self.assertEqual(action["report_type"], "qweb-pdf")
        content, kind = self.env["ir.actions.report"]._render_xlsx(
            "crm_customer_review.crm_customer_review_report_xlsx", review.ids, {}
        )
        self.assertEqual(kind, "xlsx")
        self.assertTrue(content.startswith(b"PK"))

    def test_analysis_xlsx_and_dashboard(self):
        rows = self.env["crm.segment.analysis.report"].search(
            [("segment_id", "=", self.segment.id)]
        )
        self.assertEqual(len(rows), 3)
        self.assertEqual(sum(rows.mapped("pipeline_revenue")), 30000)
        content, _kind = (
            self.env["ir.actions.report"]
            .with_context(active_model=rows._name)
            ._render_xlsx("crm_customer_care.crm_segment_analysis_report_xlsx", rows.ids, {})
        )
        self.assertTrue(content.startswith(b"PK"))
        dashboard = (
            self.env["crm.customer.review.dashboard"].with_user(self.care_manager).create({})
        )
        # a proper title in the breadcrumb, not "crm.customer.review.dashboard,NewId_0x..."
        self.assertEqual(dashboard.display_name, "Manager Dashboard")
        new = self.env["crm.customer.review.dashboard"].with_user(self.care_manager).new({})
        self.assertEqual(new.display_name, "Manager Dashboard")
        # a launcher: it opens the analyses and the spreadsheet dashboards
        action = dashboard.with_context(
            ccare_report_action="crm_segment_analysis_report_action"
        ).action_open_report()
        self.assertEqual(action["res_model"], "crm.segment.analysis.report")
        action = dashboard.with_context(
            ccare_dashboard="crm_customer_care.spreadsheet_dashboard_customer_care"
        ).action_open_dashboard()
        self.assertEqual(action["tag"], "action_spreadsheet_dashboard")
        self.assertEqual(
            action["params"]["dashboard_id"],
            self.env.ref("crm_customer_care.spreadsheet_dashboard_customer_care").id,
        )
        # only our dashboards, and only those the user may see
        for xmlid in (
            "spreadsheet_dashboard.anything",
            "crm_customer_care.crm_segment_analysis_report_action",
            "crm_customer_care.spreadsheet_dashboard_customer_care_my_work'] or [",
        ):
            with self.assertRaises(UserError):
                dashboard.with_context(ccare_dashboard=xmlid).action_open_dashboard()


@tagged("post_install", "-at_install")
class TestAccountReviewScheduling(CustomerReviewCommon):
    def test_schedule_idempotent(self):
        self.segment.review_frequency = "quarterly"
        # an account without account manager is not scheduled
        self.partners[2].user_id = False
        with trap_jobs() as trap:
            chunks = self.env["crm.customer.segment"]._cron_schedule_account_reviews()
            self.assertGreaterEqual(chunks, 1)
            trap.perform_enqueued_jobs()
        Schedule = self.env["crm.customer.review.schedule"]
        planned = Schedule.search([("partner_id", "in", self.partners.ids)])
        self.assertEqual(planned.partner_id, self.partners[:2])
        self.assertEqual(planned.activity_id.user_id, self.care_user)
        self.assertEqual(
            planned.activity_id.activity_type_id,
            self.env.ref("crm_customer_review.mail_activity_type_account_review"),
        )
        self.assertEqual(planned[0].period_start.month % 3, 1)
        # running again plans nothing more: not even a job for our accounts
        due = self.env["crm.customer.segment"]._ccare_accounts_due_for_review()
        self.assertFalse(due & self.partners[:2])
        self.assertEqual(self.partners._ccare_schedule_account_reviews(), 0)
        self.assertEqual(Schedule.search_count([("partner_id", "in", self.partners.ids)]), 2)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "in", self.partners.ids)]
        )
        self.assertEqual(len(activities), 2)
        # the next period is a new review
        self.assertEqual(
            self.partners._ccare_schedule_account_reviews(today=date.today().replace(year=2099)),
            2,
        )

    def test_no_frequency_no_review(self):
        self.assertEqual(self.segment.review_frequency, "none")
        self.assertEqual(self.partners._ccare_schedule_account_reviews(), 0)

    def test_query_count_constant(self):
        self.segment.review_frequency = "monthly"
        more = self.env["res.partner"].create(
            [
                {
                    "name": f"Bulk {i}",
                    "is_company": True,
                    "ref": f"CCREV-B{i}",
                    "user_id": self.care_user.id,
                    "category_id": [Command.clear()],
                }
                for i in range(30)
            ]
        )
        more._ccare_assign_segments()
        small = self.count_queries(more[:5]._ccare_schedule_account_reviews)
        large = self.count_queries(more[5:]._ccare_schedule_account_reviews)
        self.assertLessEqual(large, small + 2)
