from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.search_defaults import default_domain
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Domain
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestCall(CallPlanCommon):
    def _planned_call(self, **values):
        partner = self._partners(1)
        return self._call(
            partner,
            policy_id=self.policy_smb.id,
            due_date=self.date_from,
            caller_id=self.caller_carl.id,
            **values,
        )

    def test_my_calls_today_shows_mine_due_by_today(self):
        """The caller's "My Calls Today": their own calls still to make
        today (or overdue), not tomorrow's, not those done, not a
        colleague's."""
        today = datetime.combine(date.today(), time(10))
        partner = self._partners(1)
        mine_today = self._call(partner, planned_date=today)
        mine_overdue = self._call(partner, planned_date=today - timedelta(days=2))
        mine_tomorrow = self._call(partner, planned_date=today + timedelta(days=1))
        mine_done = self._call(partner, planned_date=today, state="done", outcome="reached")
        theirs_today = self._call(partner, user=self.caller2, planned_date=today)
        calls = mine_today | mine_overdue | mine_tomorrow | mine_done | theirs_today
        action = self.env.ref("crm_callplan.crm_call_action_today")
        Call = self.env["crm.call"].with_user(self.caller)
        shown = Call.search(default_domain(Call.env, action) & Domain("id", "in", calls.ids))
        self.assertEqual(shown, mine_today | mine_overdue)

    def test_required_questions_block_completion(self):
        call = self._planned_call()
        self.assertEqual(len(call.answer_ids), 3)
        call.outcome = "reached"
        with self.assertRaisesRegex(UserError, "Happy with our service"):
            call.action_done()
        call.answer_ids.filtered("required").value_yes_no = "yes"
        call.action_done()
        self.assertEqual(call.state, "done")
        self.assertTrue(call.date_done)

    def test_outcome_required(self):
        call = self._planned_call()
        call.answer_ids.filtered("required").value_yes_no = "no"
        with self.assertRaisesRegex(UserError, "outcome"):
            call.action_done()

    def test_answer_validation(self):
        call = self._planned_call()
        choice = call.answer_ids.filtered(lambda a: a.question_type == "choice")
        with self.assertRaisesRegex(ValidationError, "not one of the choices"):
            choice.value_choice = "maybe"
        choice.value_choice = "more"
        self.assertTrue(choice.is_answered)
        score = call.answer_ids.filtered(lambda a: a.question_type == "score")
        self.assertFalse(score.is_answered)
        # what the checklist shows before the caller answers: nothing, not -1
        self.assertEqual(score.read(["value_score"])[0]["value_score"], False)
        score.value_score = "0"
        self.assertTrue(score.is_answered)

    def test_on_time_and_compliance(self):
        on_time = self._planned_call()
        late = self._planned_call()
        for call in on_time | late:
            call.answer_ids.filtered("required").value_yes_no = "yes"
            call.outcome = "reached"
        (on_time | late).action_done()
        self.assertTrue(on_time.is_on_time)
        with late._ccare_transition():  # as if it had been held ten days later
            late.date_done = datetime.combine(self.date_from + timedelta(days=10), time(9))
        self.assertFalse(late.is_on_time)
        self.assertEqual(self.caller_carl.calls_done, 2)
        self.assertEqual(self.caller_carl.compliance_rate, 50.0)
        self.assertEqual(self.caller_carl.reach_rate, 100.0)

    def test_rescheduled_outcome(self):
        call = self._planned_call(next_call_date=self.date_from + timedelta(days=2))
        call.answer_ids.filtered("required").value_yes_no = "yes"
        call.outcome = "rescheduled"
        call.action_done()
        self.assertEqual(call.state, "rescheduled")
        follow_up = self.env["crm.call"].search([("previous_call_id", "=", call.id)])
        self.assertEqual(follow_up.planned_date.date(), self.date_from + timedelta(days=2))
        self.assertEqual(follow_up.state, "planned")
        self.assertEqual(follow_up.user_id, call.user_id)

    def test_follow_up_opportunity(self):
        call = self._planned_call(findings="<p>Wants 20 more seats</p>")
        call.answer_ids.filtered("required").value_yes_no = "yes"
        call.outcome = "reached"
        call.action_done()
        call.action_create_opportunity()
        self.assertEqual(call.lead_id.partner_id, call.partner_id)
        self.assertIn("20 more seats", call.lead_id.description)
        with self.assertRaisesRegex(UserError, "already has an opportunity"):
            call.action_create_opportunity()

    def test_overdue_and_missed(self):
        partner = self._partners(1)
        past = self._call(
            partner,
            planned_date=datetime.now() - timedelta(days=10),
            due_date=date.today() - timedelta(days=10),
            policy_id=self.policy_smb.id,
        )
        future = self._call(partner, planned_date=datetime.now() + timedelta(days=3))
        self.assertTrue(past.is_overdue)
        self.assertFalse(future.is_overdue)
        self.assertEqual(
            self.env["crm.call"].search(
                [("partner_id", "=", partner.id), ("is_overdue", "=", True)]
            ),
            past,
        )
        self.env["crm.call"]._cron_mark_missed()
        self.assertEqual(past.state, "missed")
        self.assertEqual(future.state, "planned")

    def test_cancel_done_call_refused(self):
        call = self._planned_call()
        call.answer_ids.filtered("required").value_yes_no = "yes"
        call.outcome = "reached"
        call.action_done()
        with self.assertRaisesRegex(UserError, "cannot be cancelled"):
            call.action_cancel()

    def test_contact_dates(self):
        partner = self._partners(1)
        call = self._call(partner, planned_date=datetime.combine(self.date_from, time(10)))
        self.assertEqual(partner.next_contact_date, self.date_from)
        with call._ccare_transition():
            call.write({"state": "done", "date_done": datetime(2025, 3, 4, 10)})
        self.assertEqual(partner.last_contact_date, date(2025, 3, 4))

    def test_agency_cost_to_serve_and_allocation(self):
        allocation = self.env["crm.call.allocation"].create(
            {
                "name": "Agency funds",
                "allocation_type": "funds",
                "agency_id": self.agency.id,
                "date_from": date.today() - timedelta(days=1),
                "date_to": date.today() + timedelta(days=30),
                "budget": 20.0,
            }
        )
        partner = self._partners(1)
        calls = self._call(partner, user=self.agent, caller_id=self.caller_agnes.id)
        calls |= self._call(partner, user=self.agent, caller_id=self.caller_agnes.id)
        calls.outcome = "reached"
        calls.action_done()
        self.assertEqual(calls.mapped("cost"), [12.5, 12.5])
        costs = partner._ccare_cost_to_serve(date.today() - timedelta(1), date.today())
        self.assertEqual(costs[partner.id], 25.0)
        self.assertEqual(allocation.consumed_amount, 25.0)
        self.assertEqual(allocation.remaining_amount, -5.0)
        self.assertTrue(allocation.is_overspent)
        self.assertEqual(self.agency.calls_done, 2)
        self.assertEqual(self.agency.cost_per_reached, 12.5)

    def test_policy_validation(self):
        with self.assertRaisesRegex(ValidationError, "choose the segment"):
            self.env["crm.call.policy"].create({"name": "Nowhere"})
        with self.assertRaisesRegex(ValidationError, "preferred hours"):
            self.policy_smb.write({"hour_from": 18, "hour_to": 9})
        with self.assertRaisesRegex(ValidationError, "at least one preferred day"):
            self.policy_smb.write(
                {
                    "day_mon": False,
                    "day_tue": False,
                    "day_wed": False,
                    "day_thu": False,
                    "day_fri": False,
                }
            )
        with mute_logger("odoo.sql_db"), self.assertRaises(Exception):  # noqa: B017
            self.policy_smb.interval_number = 0
            self.env.flush_all()

    def test_allocation_validation(self):
        with self.assertRaisesRegex(ValidationError, "allocate it to a team"):
            self.env["crm.call.allocation"].create(
                {"name": "Nobody", "date_from": date.today(), "date_to": date.today()}
            )

    def test_constant_queries_completion(self):
        counts = []
        for size in (5, 10, 100):  # the first one warms the caches up
            partners = self._partners(size)
            calls = self.env["crm.call"].create(
                [
                    {
                        "partner_id": p.id,
                        "user_id": self.agent.id,
                        "caller_id": self.caller_agnes.id,
                        "planned_date": datetime.now(),
                        "outcome": "reached",
                    }
                    for p in partners
                ]
            )
            self.env.invalidate_all()
            counts.append(self.count_queries(calls.action_done))
        self.assertEqual(counts[1], counts[2])

    def test_email_call_goes_through_the_composer_with_consent(self):
        partner = self._partners(1, email="buyer@account.example")
        call = self._call(partner, channel="email", name="Quarterly check-in")
        action = call.action_send_email()
        self.assertEqual(action["res_model"], "mail.compose.message")
        composer = (
            self.env["mail.compose.message"]
            .with_context(action["context"])
            .create({"body": "<p>How did the new range sell?</p>"})
        )
        composer._action_send_mail()
        message = call.message_ids.filtered(lambda m: "new range" in (m.body or ""))
        self.assertEqual(message.partner_ids, partner)
        self.assertEqual(message.subject, "Quarterly check-in")
        # no e-mail to a customer who asked not to be e-mailed, nor without an address
        partner.dnc_email = True
        with self.assertRaisesRegex(UserError, "cannot be e-mailed for this call: do not contact"):
            call.action_send_email()
        partner.write({"dnc_email": False, "email": False})
        with self.assertRaisesRegex(UserError, "no e-mail address"):
            call.action_send_email()
