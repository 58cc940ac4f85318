from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import AgreementCommon


@tagged("post_install", "-at_install", "ccare_agency_agreement", "ccare_security")
class TestAgentAccess(AgreementCommon):
    def _visible(self, user, calls):
        return self.env["crm.call"].with_user(user).search([("id", "in", calls.ids)])

    def test_access_ends_by_itself_the_day_after_the_window(self):
        """A call held today with a 10-day window: Dora sees it today and
        on day 10, not on day 11; no job runs in between."""
        call = self._agency_call(self.caller_dora, self.today)
        self.assertEqual(self._visible(self.agent_dora, call), call)
        with freeze_time(self.today + timedelta(days=self.WINDOW)):
            self.assertEqual(self._visible(self.agent_dora, call), call)
            call.with_user(self.agent_dora).check_access("read")
        with freeze_time(self.today + timedelta(days=self.WINDOW + 1)):
            self.env.invalidate_all()
            self.assertFalse(self._visible(self.agent_dora, call))
            with self.assertRaises(AccessError):
                call.with_user(self.agent_dora).check_access("read")

    def test_agreement_start_and_end(self):
        """A call planned inside an agreement that starts next week is
        visible from its start; an agreement ended early hides it at once."""
        future = self._agreement(
            self.dialling,
            name="Next term",
            date_start=self.today + timedelta(days=101),
            date_end=self.today + timedelta(days=400),
            purpose_marketing=True,
            channel_email=True,
        )
        future.action_start()
        call = self._agency_call(
            self.caller_dora, self.today + timedelta(days=120), channel="email"
        )
        self.assertEqual(call.agency_agreement_id, future)
        self.assertFalse(self._visible(self.agent_dora, call))
        with freeze_time(self.today + timedelta(days=101)):
            self.assertEqual(self._visible(self.agent_dora, call), call)
        now = self._agency_call(self.caller_dora, self.today)
        self.assertEqual(self._visible(self.agent_dora, now), now)
        self.agreement.action_end()
        self.assertFalse(self._visible(self.agent_dora, now))

    def test_another_agencys_calls(self):
        """Dora (Dialling Ltd) never sees Rival Calls' calls, nor Rita
        Dialling Ltd's, though both are in their windows."""
        dora_call = self._agency_call(self.caller_dora, self.today)
        rita_call = self._agency_call(self.caller_rita, self.today)
        calls = dora_call | rita_call
        self.assertEqual(self._visible(self.agent_dora, calls), dora_call)
        self.assertEqual(self._visible(self.agent_rita, calls), rita_call)
        with self.assertRaises(AccessError):
            rita_call.with_user(self.agent_dora).read(["name"])

    def test_fields_outside_the_agreement(self):
        """Dora's agreement shares the name, phone, topic and checklist:
        no e-mail, no address, no contact person; Rita's shares the e-mail
        and the address (visits). Neither reads the contact record."""
        contact = self.env["res.partner"].create(
            {"name": "Mr Chan", "parent_id": self.customer.id, "phone": "+852 2111 0000"}
        )
        dora_call = self._agency_call(
            self.caller_dora, self.today, contact_id=contact.id, policy_id=self.policy_smb.id
        )
        values = dora_call.with_user(self.agent_dora).read(
            ["partner_name", "phone", "contact_name", "agency_email", "agency_address"]
        )[0]
        self.assertEqual(values["partner_name"], "Kwun Tong Trading")
        self.assertEqual(values["phone"], "+852 2111 0000")
        self.assertFalse(values["contact_name"])
        self.assertFalse(values["agency_email"])
        self.assertFalse(values["agency_address"])
        self.assertEqual(
            dora_call.with_user(self.agent_dora).agency_topic, "SMB: phone every 2 weeks"
        )
        # our own callers see the call as before
        self.assertEqual(dora_call.with_user(self.callplan_manager).contact_name, "Mr Chan")
        rita_call = self._agency_call(self.caller_rita, self.today, channel="visit")
        values = rita_call.with_user(self.agent_rita).read(["agency_email", "agency_address"])[0]
        self.assertEqual(values["agency_email"], "buyer@kwuntong.example")
        self.assertIn("1 Hoi Bun Road", values["agency_address"])
        for agent, call in ((self.agent_dora, dora_call), (self.agent_rita, rita_call)):
            with self.assertRaises(AccessError):
                call.with_user(agent).read(["partner_id"])
            with self.assertRaises(AccessError):
                self.customer.with_user(agent).read(["name"])
            with self.assertRaises(AccessError):
                call.with_user(agent).read(["agency_agreement_id"])

    def test_checklist_only_when_shared(self):
        """The checklist answers follow the call and the agreement: shared
        by Dora's agreement, not by one that keeps it."""
        call = self._agency_call(self.caller_dora, self.today, policy_id=self.policy_smb.id)
        self.assertEqual(len(call.answer_ids), 3)
        Answer = self.env["crm.call.checklist.answer"]
        self.assertEqual(
            Answer.with_user(self.agent_dora).search([("call_id", "=", call.id)]), call.answer_ids
        )
        quiet = self._agreement(
            self.rival,
            name="No checklist",
            share_checklist=False,
            date_start=self.today + timedelta(days=101),
            date_end=self.today + timedelta(days=200),
        )
        quiet.action_start()
        later = self._agency_call(
            self.caller_rita, self.today + timedelta(days=110), policy_id=self.policy_smb.id
        )
        self.assertEqual(later.agency_agreement_id, quiet)
        with freeze_time(self.today + timedelta(days=110)):
            self.assertEqual(self._visible(self.agent_rita, later), later)
            self.assertFalse(Answer.with_user(self.agent_rita).search([("call_id", "=", later.id)]))

    def test_meeting_of_a_video_call_follows_the_call(self):
        """A video call's meeting, named after the customer, is Dora's
        while she sees the call, gone with it the day after the window."""
        call = self._agency_call(self.caller_dora, self.today, channel="video")
        call._create_meetings()
        event = call.calendar_event_id
        self.assertIn("Kwun Tong Trading", event.name)
        Event = self.env["calendar.event"].with_user(self.agent_dora)
        self.assertEqual(Event.search([("id", "=", event.id)]), event)
        with freeze_time(self.today + timedelta(days=self.WINDOW + 1)):
            self.env.invalidate_all()
            self.assertFalse(Event.search([("id", "=", event.id)]))
            with self.assertRaises(AccessError):
                event.with_user(self.agent_dora).read(["name"])
