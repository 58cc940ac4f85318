"""A review leads to action: its recommended actions become their owners'
activities when it is approved, are done with them, and the next review of
the same scope shows what became of them."""

from datetime import date

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import UserError
from odoo.tests import tagged

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
            ._render_qweb_html("crm_customer_review.crm_customer_review_report_pdf", review.ids)[0]
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
            ._render_qweb_html("crm_customer_review.crm_customer_review_report_pdf", later.ids)[0]
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


@tagged("post_install", "-at_install")
class TestReviewActionOwner(RpcCase, CustomerReviewCommon):
    """A recommended action is done when its owner says so: not the
    review's analyst, not another manager. The review's approver, who
    handed the action out, may close it in the owner's stead (the owner
    left, or is away); every "done" path of the activity is held to it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        manager = "crm_customer_care.group_crm_customer_care_manager"
        cls.analyst = mail_new_test_user(cls.env, login="rv_analyst", groups=manager)
        cls.owner = mail_new_test_user(cls.env, login="rv_owner", groups=manager)

    def _scheduled_action(self):
        review = self.Review.with_user(self.analyst).create(
            {
                "scope": "segment",
                "segment_id": self.segment.id,
                "date_from": date(2025, 1, 1),
                "date_to": date(2025, 3, 31),
                "action_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Visit the key account",
                            "user_id": self.owner.id,
                            "date_deadline": date(2025, 4, 30),
                        },
                    )
                ],
            }
        )
        review.with_user(self.analyst).action_compute()
        review.with_user(self.care_manager).action_approve()
        self.assertEqual(review.analyst_id, self.analyst)
        return review.action_ids

    def test_the_analyst_cannot_mark_anothers_action_done(self):
        action = self._scheduled_action()
        activity = action.activity_id
        for method, kwargs in (
            ("action_feedback", {"feedback": "Done by the analyst"}),
            ("action_done", {}),
            ("action_feedback_schedule_next", {"feedback": "Done"}),
        ):
            self.assertRefused("rv_analyst", "mail.activity", method, [activity.ids], kwargs)
        self.assertEqual(action.state, "open")
        self.assertTrue(activity.exists())
        self.call_kw(
            "rv_owner", "mail.activity", "action_feedback", [activity.ids], {"feedback": "Visited"}
        )
        self.assertEqual((action.state, action.feedback), ("done", "Visited"))

    def test_the_approver_closes_it_in_the_owners_stead(self):
        action = self._scheduled_action()
        self.call_kw(
            "care_manager",
            "mail.activity",
            "action_feedback",
            [action.activity_id.ids],
            {"feedback": "Owner left: visited by the team"},
        )
        self.assertEqual(action.state, "done")
