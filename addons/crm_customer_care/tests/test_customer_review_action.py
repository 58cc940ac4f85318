"""A review leads to action: its recommended actions become their owners'
activities when it is approved, are done with them, and the next review of
the same scope shows what became of them."""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import tagged

from .rpc import RpcCase
from .test_customer_review import CustomerReviewCommon


class ReviewActionMixin:
    def _approved_review_with_actions(self):
        review = self._review(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31))
        review.with_user(self.care_manager).write(
            {
                "action_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Call the three lapsed accounts",
                            "user_id": self.care_user.id,
                            "date_deadline": date(2025, 4, 30),
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Offer the upgrade bundle",
                            "user_id": self.care_manager.id,
                            "date_deadline": date(2025, 5, 31),
                        },
                    ),
                ]
            }
        )
        review.action_compute()
        review.with_user(self.care_manager).action_approve()
        return review


@tagged("post_install", "-at_install")
class TestReviewActions(ReviewActionMixin, CustomerReviewCommon):
    def test_approval_schedules_each_action_for_its_owner(self):
        review = self._approved_review_with_actions()
        call, offer = review.action_ids
        self.assertEqual((call.state, offer.state), ("open", "open"))
        self.assertEqual(call.activity_id.user_id, self.care_user)
        self.assertEqual(call.activity_id.date_deadline, date(2025, 4, 30))
        self.assertEqual(call.activity_id.summary, "Call the three lapsed accounts")
        self.assertEqual(
            (call.activity_id.res_model, call.activity_id.res_id), (review._name, review.id)
        )
        self.assertEqual(offer.activity_id.user_id, self.care_manager)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_customer_care.crm_customer_review_report_pdf", review.ids)[0]
            .decode()
        )
        self.assertIn("Call the three lapsed accounts", html)

    def test_done_activity_marks_the_action_done(self):
        review = self._approved_review_with_actions()
        call, offer = review.action_ids
        call.activity_id.with_user(self.care_user).action_feedback(feedback="Two reactivated")
        self.assertEqual(call.state, "done")
        self.assertEqual(call.done_date, date.today())
        self.assertEqual(call.feedback, "Two reactivated")
        self.assertTrue(call.is_late, "done after its due date (30 April 2025)")
        self.assertEqual(offer.state, "open")

    def test_next_review_shows_what_became_of_them(self):
        first = self._approved_review_with_actions()
        first.action_ids[0].activity_id.action_feedback(feedback="Done")
        later = self._review(date_from=date(2025, 4, 1), date_to=date(2025, 6, 30))
        self.assertEqual(later.previous_review_id, first)
        self.assertEqual(
            [(a.name, a.state) for a in later.previous_action_ids],
            [("Call the three lapsed accounts", "done"), ("Offer the upgrade bundle", "open")],
        )
        # another segment's review is not this one's history
        other = self.env["crm.customer.segment"].create({"name": "Other", "domain": "[]"})
        self.assertFalse(self._review(segment_id=other.id).previous_review_id)
        later.action_compute()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_customer_care.crm_customer_review_report_pdf", later.ids)[0]
            .decode()
        )
        self.assertIn("What the Previous Review Recommended", html)

    def test_approved_actions_are_final(self):
        review = self._approved_review_with_actions()
        with self.assertRaises(UserError):
            review.action_ids[0].with_user(self.care_manager).write({"name": "Something else"})
        with self.assertRaises(UserError):
            review.action_ids[0].with_user(self.care_manager).unlink()
        with self.assertRaises(UserError):
            self.env["crm.customer.review.action"].with_user(self.care_manager).create(
                {"review_id": review.id, "name": "Late idea", "date_deadline": date(2025, 6, 1)}
            )


@tagged("post_install", "-at_install")
class TestReviewActionAttacks(ReviewActionMixin, RpcCase, CustomerReviewCommon):
    def test_state_only_through_the_activity(self):
        review = self._approved_review_with_actions()
        action = review.action_ids[0]
        for vals in ({"state": "done"}, {"done_date": "2025-04-01"}, {"feedback": "All fine"}):
            self.assertRefused(
                "care_user", "crm.customer.review.action", "write", [action.ids, vals]
            )
        self.assertRefused(
            "care_user",
            "crm.customer.review.action",
            "create",
            [{"review_id": review.id, "name": "x", "date_deadline": "2025-06-01", "state": "done"}],
        )
        self.assertEqual(action.state, "open")

    def test_users_change_only_their_reviews_actions(self):
        review = self._review(date_from=date(2025, 1, 1), date_to=date(2025, 3, 31))
        self.assertRefused(
            "care_user",
            "crm.customer.review.action",
            "create",
            [{"review_id": review.id, "name": "Not mine", "date_deadline": "2025-06-01"}],
        )
