"""Outsourced agents and Odoo's calendar: an agent sees only their own
calendar (the events they attend or organise, their own attendance), never
the e-mail, phone or address of the customers staff meet.

Worked example: Sam, a salesperson, plans a visit to Ada Customer (her
e-mail, phone and street on her contact) and a briefing with Ada and Olga,
an agency's agent. Over JSON-RPC Olga finds the briefing and nothing of the
visit; in the briefing she finds her own attendance, not Ada's (whose
``calendar.attendee`` row carries Ada's e-mail and phone), nor Ada's
contact, nor Ada's name among the attendees or in a grouping."""

from datetime import datetime
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .common import CallPlanCommon

AGENT = "cp_agent"


@tagged("post_install", "-at_install", "ccare_security")
class TestAgentCalendar(RpcCase, CallPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sales = mail_new_test_user(
            cls.env, login="cal_sales", name="Sam Sales", groups="sales_team.group_sale_salesman"
        )
        cls.ada = cls.env["res.partner"].create(
            {
                "name": "Ada Customer",
                "email": "ada@customer.example",
                "phone": "+1 555 0199",
                "street": "7 Private Lane",
                "city": "Springfield",
            }
        )
        Event = (
            cls.env["calendar.event"].with_user(cls.sales).with_context(no_mail_to_attendees=True)
        )
        start = datetime.now().replace(microsecond=0) + timedelta(days=3)
        cls.visit = Event.create(
            {
                "name": "Visit Ada",
                "start": start,
                "stop": start + timedelta(hours=1),
                "location": "7 Private Lane, Springfield",
                "partner_ids": [(6, 0, (cls.sales.partner_id | cls.ada).ids)],
            }
        )
        cls.briefing = Event.create(
            {
                "name": "Briefing on Ada",
                "start": start + timedelta(days=1),
                "stop": start + timedelta(days=1, hours=1),
                "partner_ids": [
                    (6, 0, (cls.sales.partner_id | cls.ada | cls.agent.partner_id).ids)
                ],
            }
        )
        cls.events = cls.visit | cls.briefing
        cls.ada_rows = cls.events.attendee_ids.filtered(lambda a: a.partner_id == cls.ada)

    def test_staff_see_the_customer(self):
        """The control: the salesperson reads Ada's contact data through
        the attendees (what the agent must not)."""
        rows = self.call_kw(
            "cal_sales",
            "calendar.attendee",
            "search_read",
            [[("event_id", "in", self.events.ids)]],
            {"fields": ["email", "phone"]},
        )
        self.assertIn("ada@customer.example", [row["email"] for row in rows])

    def test_agent_sees_only_events_they_attend(self):
        seen = self.call_kw(
            AGENT,
            "calendar.event",
            "search_read",
            [[("id", "in", self.events.ids)]],
            {"fields": ["name", "location", "partner_ids", "attendee_ids"]},
        )
        self.assertEqual([event["id"] for event in seen], self.briefing.ids)
        self.assertNotIn(self.ada.id, seen[0]["partner_ids"])
        self.assertEqual(
            seen[0]["attendee_ids"],
            self.briefing.attendee_ids.filtered(
                lambda a: a.partner_id == self.agent.partner_id
            ).ids,
        )
        self.assertRefused(AGENT, "calendar.event", "read", [self.visit.ids, ["location"]])

    def test_agent_reads_no_attendee_contact_data(self):
        rows = self.call_kw(
            AGENT,
            "calendar.attendee",
            "search_read",
            [[("event_id", "in", self.events.ids)]],
            {"fields": ["partner_id", "email", "phone", "common_name"]},
        )
        self.assertEqual([row["partner_id"][0] for row in rows], self.agent.partner_id.ids)
        self.assertRefused(AGENT, "calendar.attendee", "read", [self.ada_rows.ids, ["email"]])
        self.assertRefused(
            AGENT, "calendar.attendee", "read", [self.ada_rows.ids, ["access_token"]]
        )
        # the calendar view's attendee list of the briefing: refused (reading
        # the event's attendees needs Ada's contact, which agents may not read)
        self.assertRefused(
            AGENT, "res.partner", "get_attendee_detail", [self.ada.ids, self.briefing.ids]
        )

    def test_agent_reads_no_attendee_contact(self):
        found = self.call_kw(
            AGENT,
            "res.partner",
            "search_read",
            [[("id", "=", self.ada.id)]],
            {"fields": ["email", "phone", "street"]},
        )
        self.assertEqual(found, [])
        self.assertRefused(AGENT, "res.partner", "read", [self.ada.ids, ["email", "street"]])

    def test_agent_groupings_show_nothing_of_others(self):
        for model, groupby in (
            ("calendar.event", "partner_ids"),
            ("calendar.event", "user_id"),
            ("calendar.attendee", "partner_id"),
            ("calendar.attendee", "event_id"),
        ):
            with self.subTest(model=model, groupby=groupby):
                groups = self.call_kw(
                    AGENT,
                    model,
                    "formatted_read_group",
                    [[]],
                    {"groupby": [groupby], "aggregates": ["__count"]},
                )
                labels = str([group[groupby] for group in groups])
                self.assertNotIn("Ada", labels.replace("Briefing on Ada", ""))
                self.assertNotIn("Visit Ada", labels)

    def test_agent_keeps_their_own_calendar(self):
        """What the rules leave the agent: a recurring meeting of their own
        with a colleague, found again with its attendees."""
        start = datetime.now().replace(microsecond=0) + timedelta(days=10)
        event_id = self.call_kw(
            AGENT,
            "calendar.event",
            "create",
            [
                {
                    "name": "Agency stand-up",
                    "start": start.strftime("%Y-%m-%d %H:%M:%S"),
                    "stop": (start + timedelta(minutes=15)).strftime("%Y-%m-%d %H:%M:%S"),
                    "partner_ids": [(6, 0, (self.agent | self.agent2).partner_id.ids)],
                    "recurrency": True,
                    "rrule_type": "daily",
                    "end_type": "count",
                    "count": 3,
                }
            ],
        )
        mine = self.call_kw(
            AGENT,
            "calendar.event",
            "search_read",
            [[("recurrence_id.base_event_id", "=", event_id)]],
            {"fields": ["name"]},
        )
        self.assertEqual(len(mine), 3)
