from datetime import datetime
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install", "ccare_consent")
class TestWithdrawalCancelsPlannedCalls(CallPlanCommon):
    """A customer's narrowed consent cancels what is already planned, on the
    caller's list (``cancel_reason``) and in the call's chatter."""

    def _notes(self, call):
        return " ".join(call.message_ids.mapped(lambda m: str(m.body)))

    def test_issue_scenario_withdraw_then_do_not_contact(self):
        """The issue's demo: two planned calls (phone, visit); withdrawn for
        sales calls by phone cancels the phone call only; do-not-contact
        cancels the visit."""
        account = self._partners(1)
        phone = self._call(account, channel="phone")
        visit = self._call(account, channel="visit")
        account._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        self.assertEqual(phone.state, "cancelled")
        self.assertEqual(phone.cancel_reason, "consent withdrawn")
        self.assertIn("consent withdrawn", self._notes(phone))
        self.assertEqual(visit.state, "planned")
        self.assertFalse(visit.cancel_reason)
        account.dnc_all = True
        self.assertEqual(visit.state, "cancelled")
        self.assertEqual(visit.cancel_reason, "do not contact")
        # the caller's list no longer shows them as to do
        mine = self.env["crm.call"].search(
            [
                ("user_id", "=", self.caller.id),
                ("state", "=", "planned"),
                ("partner_id", "=", account.id),
            ]
        )
        self.assertFalse(mine)

    def test_account_closure_and_suspension_cancel(self):
        if "crm.account.service.request" not in self.env:
            self.skipTest("account requests are crm_account_service_request's")
        closed, suspended = self._partners(2)
        calls = self._call(closed) | self._call(suspended, channel="visit")
        for partner, request_type in ((closed, "close"), (suspended, "suspend")):
            request = self.env["crm.account.service.request"].create(
                {"partner_id": partner.id, "request_type": request_type}
            )
            # carried out as the service does once approved
            request._apply()
        self.assertEqual(set(calls.mapped("state")), {"cancelled"})
        self.assertEqual(set(calls.mapped("cancel_reason")), {"do not contact"})

    def test_company_decision_cancels_calls_to_its_contacts(self):
        company = self._partners(1)
        alice, bob = self.env["res.partner"].create(
            [{"name": "Alice", "parent_id": company.id}, {"name": "Bob", "parent_id": company.id}]
        )
        to_alice = self._call(company, contact_id=alice.id)
        to_bob = self._call(company, contact_id=bob.id)
        to_company = self._call(company)
        # a contact's own choice governs that contact only
        alice._ccare_record_consent("sales_calls", "phone", "refused", source="form")
        self.assertEqual(to_alice.state, "cancelled")
        self.assertEqual((to_bob | to_company).mapped("state"), ["planned", "planned"])
        # the account's withdrawal governs every contact
        company._ccare_record_consent("sales_calls", "phone", "withdrawn", source="form")
        self.assertEqual((to_bob | to_company).mapped("state"), ["cancelled", "cancelled"])
        self.assertEqual(to_bob.cancel_reason, "consent withdrawn (for the whole account)")

    def test_a_grant_cancels_nothing(self):
        account = self._partners(1)
        call = self._call(account)
        account._ccare_record_consent("sales_calls", "phone", "granted", source="form")
        account._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        self.assertEqual(call.state, "planned")

    def test_pending_marketing_mail_cancelled(self):
        """A queued notification (tier, expiry...) waits in the mail queue:
        a withdrawal cancels it with the reason; a transactional mail stays."""
        account = self._partners(1, email="mail@example.com")
        account._ccare_record_consent("marketing", "email", "granted", source="form")
        Mail = self.env["mail.mail"].sudo()
        notice = Mail.create(
            Mail._ccare_consent_mail_values(account, "marketing", "Tier", "<p>Hi</p>")
        )
        invoice = Mail.create(
            {"subject": "Invoice", "body_html": "x", "recipient_ids": [(4, account.id)]}
        )
        account._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        self.assertEqual(notice.state, "cancel")
        self.assertIn("consent withdrawn", notice.failure_reason)
        self.assertEqual(invoice.state, "outgoing")

    def test_planned_call_activity_cancelled(self):
        account = self._partners(1)
        activity = account.activity_schedule("mail.mail_activity_data_call", summary="Ring them")
        account.dnc_phone = True
        self.assertFalse(activity.exists())
        self.assertIn("Ring them", " ".join(account.message_ids.mapped(lambda m: str(m.body))))

    def _world(self, count):
        partners = self._partners(count)
        self.env["crm.call"].create(
            [
                {
                    "partner_id": p.id,
                    "user_id": self.caller.id,
                    "channel": "phone",
                    "planned_date": datetime.combine(self.date_from, datetime.min.time()),
                }
                for p in partners
            ]
        )
        return partners

    def _withdraw(self, partners):
        self.env["crm.customer.consent"].create(
            [
                {
                    "partner_id": p.id,
                    "purpose": "sales_calls",
                    "channel": "phone",
                    "state": "withdrawn",
                }
                for p in partners
            ]
        )

    def test_withdrawal_is_set_based(self):
        """One decision for many customers: the same number of queries for 10
        and 100 customers, calls cancelled included."""
        self._withdraw(self._world(3))  # warm the caches
        few, many = self._world(10), self._world(100)
        # the world's own pending work is done before either measure
        self.env.flush_all()
        self.assertEqual(
            self.count_queries(self._withdraw, many), self.count_queries(self._withdraw, few)
        )
        cancelled = self.env["crm.call"].search([("partner_id", "in", many.ids)])
        self.assertEqual(set(cancelled.mapped("state")), {"cancelled"})
        self.assertEqual(len(cancelled), 100)

    def test_do_not_contact_is_set_based(self):
        self._world(3).write({"dnc_all": True})
        few, many = self._world(10), self._world(100)
        self.env.flush_all()
        self.assertEqual(
            self.count_queries(many.write, {"dnc_all": True}),
            self.count_queries(few.write, {"dnc_all": True}),
        )


@tagged("post_install", "-at_install", "ccare_consent")
class TestEveryCallPathChecksConsent(CallPlanCommon):
    def test_refused_outcome_records_withdrawal_with_evidence(self):
        account = self._partners(1)
        call, other = self._call(account), self._call(account)
        call.write({"outcome": "refused"})
        call.action_done()
        consent = self.env["crm.customer.consent"].search(
            [("partner_id", "=", account.id), ("is_current", "=", True)]
        )
        self.assertEqual(
            (consent.purpose, consent.channel, consent.state, consent.source),
            ("sales_calls", "phone", "withdrawn", "call"),
        )
        self.assertIn(f"crm.call #{call.id}", consent.evidence)
        self.assertEqual(other.state, "cancelled")

    def test_manual_call_refused(self):
        account = self._partners(1, dnc_phone=True)
        with self.assertRaisesRegex(UserError, "do not contact by Phone"):
            self._call(account, channel="phone")
        # a visit is another channel
        self.assertEqual(self._call(account, channel="visit").state, "planned")

    def test_manual_call_by_a_caller_refused(self):
        account = self._partners(1)
        account._ccare_record_consent("sales_calls", "visit", "refused", source="form")
        with self.assertRaisesRegex(UserError, "consent refused"):
            self.env["crm.call"].with_user(self.caller).create(
                {"partner_id": account.id, "channel": "visit", "user_id": self.caller.id}
            )

    def test_follow_up_refused(self):
        account = self._partners(1)
        call = self._call(account)
        account.with_context(tracking_disable=True).write({"dnc_phone": True})
        with self.assertRaisesRegex(UserError, "may not be contacted"):
            call.action_schedule_next_call()

    def test_follow_up_on_completion_skipped_with_a_note(self):
        account = self._partners(1)
        call = self._call(account, next_call_date=self.date_from + timedelta(days=14))
        call.write({"outcome": "refused"})
        call.action_done()
        self.assertFalse(self.env["crm.call"].search([("previous_call_id", "=", call.id)]))
        self.assertIn(
            "No follow-up call planned", " ".join(call.message_ids.mapped(lambda m: str(m.body)))
        )

    def test_reschedule_and_replan_refused(self):
        account = self._partners(1)
        call = self._call(account)
        missed = self._call(account)
        missed.action_missed()
        # a do-not-contact set through SQL-free paths already cancelled the
        # planned one; the missed call cannot be planned again
        account.dnc_all = True
        self.assertEqual(call.state, "cancelled")
        with self.assertRaisesRegex(UserError, "do not contact"):
            missed.action_reset()
        with self.assertRaisesRegex(UserError, "do not contact"):
            call.action_reset()

    def test_reschedule_planned_call_refused(self):
        account = self._partners(1)
        call = self._call(account)
        # consent recorded without the hook (as an import of an old decision
        # would be, before a plan)... the check on rescheduling still holds
        self.env["crm.customer.consent"].create(
            {
                "partner_id": account.id,
                "purpose": "sales_calls",
                "channel": "phone",
                "state": "granted",
            }
        )
        call.planned_date = call.planned_date + timedelta(days=1)  # allowed
        self.env.cr.execute("UPDATE res_partner SET dnc_phone = true WHERE id = %s", [account.id])
        account.invalidate_recordset(["dnc_phone"])
        with self.assertRaisesRegex(UserError, "do not contact by Phone"):
            call.planned_date = call.planned_date + timedelta(days=1)

    def test_email_call_refused(self):
        account = self._partners(1, email="e@example.com")
        call = self._call(account, channel="email")
        self.env.cr.execute("UPDATE res_partner SET dnc_email = true WHERE id = %s", [account.id])
        account.invalidate_recordset(["dnc_email"])
        with self.assertRaisesRegex(UserError, "cannot be e-mailed"):
            call.action_send_email()
