from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AgreementCommon


@tagged("post_install", "-at_install", "ccare_agency_agreement")
class TestAgreement(AgreementCommon):
    def test_workflow_locks_the_terms(self):
        """Draft → in force → ended through the buttons only; the terms are
        locked once in force; only a draft is deleted."""
        agreement = self._agreement(self.dialling, name="Renewal")
        agreement.window_days = 20  # a draft is still edited
        with self.assertRaises(UserError):
            agreement.write({"state": "in_force"})
        agreement.action_start()
        self.assertEqual(agreement.state, "in_force")
        for vals in (
            {"window_days": 90},
            {"share_email": True},
            {"date_end": self.today + timedelta(days=900)},
            {"channel_visit": True},
        ):
            with self.assertRaises(UserError):
                agreement.write(vals)
        with self.assertRaises(UserError):
            agreement.unlink()
        agreement.action_end()
        self.assertEqual(agreement.state, "ended")
        # ended on the day of the user who ended it (her time zone)
        self.assertEqual(agreement.date_ended, fields.Date.context_today(agreement))
        self.assertEqual(agreement.ended_by_id, self.env.user)
        with self.assertRaises(UserError):
            agreement.action_end()
        draft = self._agreement(self.dialling, name="Never signed")
        draft.unlink()
        self.assertFalse(draft.exists())

    def test_constraints(self):
        """The address only with visits; dates in order; a purpose and a
        channel at least."""
        with self.assertRaises(ValidationError):
            self._agreement(self.dialling, share_address=True)
        agreement = self._agreement(self.dialling, share_address=True, channel_visit=True)
        self.assertTrue(agreement.share_address)
        with self.assertRaises(ValidationError):
            self._agreement(self.dialling, date_end=self.today - timedelta(days=200))
        with self.assertRaises(ValidationError):
            self._agreement(self.dialling, purpose_sales_calls=False)
        with self.assertRaises(ValidationError):
            self._agreement(self.dialling, channel_phone=False, channel_video=False)

    def test_defaults_share_name_phone_topic_checklist(self):
        agreement = self._agreement(self.dialling)
        self.assertEqual(agreement._shared_labels(), "Name, Phone Number, Call Topic, Checklist")
        shared = {name for name in agreement._fields if name.startswith("share_")}
        # nothing else can be shared: no revenue, health, segment or ID field
        self.assertEqual(
            shared,
            {
                "share_phone",
                "share_email",
                "share_contact",
                "share_address",
                "share_topic",
                "share_checklist",
            },
        )

    def test_call_falls_under_the_agreement(self):
        """A phone call of 3 days ago falls under the agreement and stays
        visible to the agency 10 days after it: until today + 7. An email
        call, a call before the agreement and an internal call fall under
        none."""
        day = self.today - timedelta(days=3)
        call = self._agency_call(self.caller_dora, day)
        self.assertEqual(call.agency_agreement_id, self.agreement)
        self.assertEqual(call.agency_visible_until, self.today + timedelta(days=7))
        self.assertTrue(call.agency_access)
        self.assertEqual(call.agency_shared_data, "Name, Phone Number, Call Topic, Checklist")
        email = self._agency_call(self.caller_dora, day, channel="email")
        self.assertFalse(email.agency_agreement_id)
        self.assertFalse(email.agency_visible_until)
        self.assertFalse(email.agency_access)
        before = self._agency_call(self.caller_dora, self.today - timedelta(days=101))
        self.assertFalse(before.agency_agreement_id)
        internal = self._agency_call(self.caller_carl, day)
        self.assertFalse(internal.agency_agreement_id)
        # the window never runs past the agreement's end: a call 5 days
        # before the end is visible until the end, not 10 days after it
        late = self._agency_call(self.caller_dora, self.today + timedelta(days=95))
        self.assertEqual(late.agency_visible_until, self.agreement.date_end)

    def test_ending_the_agreement_keeps_the_record(self):
        """Ended today: its calls keep their agreement (the record of what
        the agency received) and lose their access at once."""
        call = self._agency_call(self.caller_dora, self.today - timedelta(days=2))
        self.agreement.action_end()
        self.assertEqual(call.agency_agreement_id, self.agreement)
        self.assertEqual(call.agency_visible_until, self.agreement.date_ended)
        self.assertEqual(self.agreement.date_ended, fields.Date.context_today(self.agreement))
        self.assertFalse(call.agency_access)
        self.assertFalse(
            self.env["crm.call"].search([("id", "=", call.id), ("agency_access", "=", True)])
        )

    def test_subject_access_lists_the_agencies(self):
        """The export lists each call given to an agency: which agency,
        under which agreement, when, what data, until when."""
        day = self.today - timedelta(days=3)
        call = self._agency_call(self.caller_dora, day)
        self._agency_call(self.caller_carl, day)  # our own caller: not an agency
        sections = {s[0]: s for s in self.customer._ccare_subject_access_sections()}
        __, title, records, names = sections["agencies"]
        self.assertEqual(title, "Agencies that received the data")
        self.assertEqual(records, call)
        self.assertEqual(records.agency_id, self.dialling)
        self.assertIn("agency_visible_until", names)
        self.assertIn("agency_shared_data", names)
        self.assertIn("create_date", names)
