"""Issue 14, call plans: attacks a curious user runs over the real server
(JSON-RPC as the web client sends it, XML-RPC, the portal), each refused."""

from datetime import datetime
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install", "ccare_security")
class TestCallPlanAttacks(RpcCase, CallPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.acme = Partner.create(
            {
                "name": "Acme Attack Co",
                "is_company": True,
                "email": "boss@acme.example",
                "phone": "+1 555 0101",
                "street": "1 Secret Street",
                "city": "Springfield",
            }
        )
        cls.globex = Partner.create(
            {"name": "Globex Attack Co", "is_company": True, "email": "ceo@globex.example"}
        )
        cls.portal_acme = mail_new_test_user(
            cls.env, login="portal_acme", name="Pia Acme", groups="base.group_portal"
        )
        cls.portal_acme.partner_id.parent_id = cls.acme
        cls.portal_globex = mail_new_test_user(
            cls.env, login="portal_globex", name="Gil Globex", groups="base.group_portal"
        )
        cls.portal_globex.partner_id.parent_id = cls.globex
        Call = cls.env["crm.call"]
        with Call._ccare_transition():  # a call held last week, shared with Acme
            cls.acme_done = Call.create(
                {
                    "partner_id": cls.acme.id,
                    "user_id": cls.caller.id,
                    "planned_date": datetime.now() - timedelta(days=7),
                    "state": "done",
                    "date_done": datetime.now() - timedelta(days=7),
                    "outcome": "reached",
                    "share_with_customer": True,
                    "summary": "Quarterly review agreed",
                    "findings": "<p>Internal: price sensitive</p>",
                    "propensity": "high",
                    "satisfaction": 2,
                }
            )
        cls.agent_call = Call.create(
            {
                "partner_id": cls.acme.id,
                "user_id": cls.agent.id,
                "caller_id": cls.caller_agnes.id,
                "planned_date": datetime.now() + timedelta(days=1),
                "checklist_template_id": cls.template.id,
            }
        )

    # ------------------------------------------------------------ workflow
    def test_agent_cannot_write_state_or_done_date(self):
        """An agent marks a call done by writing its state over XML-RPC:
        refused, nothing billed (JSON-RPC writes and creates of every guarded
        field: ``test_attack_guarded.py``); ``action_done`` still asks for the
        outcome and the required checklist answers."""
        call = self.agent_call
        self.assertXmlRpcRefused("cp_agent", "crm.call", "write", [[call.id], {"state": "done"}])
        self.assertEqual((call.state, call.date_done, call.cost), ("planned", False, 0.0))
        # the transition: outcome first, then the required answer
        self.assertRefused("cp_agent", "crm.call", "action_done", [[call.id]])
        self.call_kw("cp_agent", "crm.call", "write", [[call.id], {"outcome": "reached"}])
        self.assertRefused("cp_agent", "crm.call", "action_done", [[call.id]])
        required = call.answer_ids.filtered("required")
        self.call_kw(
            "cp_agent",
            "crm.call.checklist.answer",
            "write",
            [required.ids, {"value_yes_no": "yes"}],
        )
        self.call_kw("cp_agent", "crm.call", "action_done", [[call.id]])
        call.invalidate_recordset()
        self.assertEqual(call.state, "done")
        self.assertTrue(call.date_done)
        self.assertEqual(call.cost, 12.5, "CallForce bills 12.50 per done call")
        # once held, what the call was is frozen
        self.assertRefused("cp_agent", "crm.call", "write", [[call.id], {"outcome": "refused"}])
        self.assertRefused(
            "cp_agent",
            "crm.call.checklist.answer",
            "write",
            [required.ids, {"value_yes_no": "no"}],
        )

    def test_cancel_with_reason(self):
        """The transition other features call (consent withdrawn): the
        reason is kept; a held call cannot be cancelled."""
        self.agent_call.with_user(self.callplan_manager).action_cancel("Consent withdrawn")
        self.assertEqual(
            (self.agent_call.state, self.agent_call.cancel_reason),
            ("cancelled", "Consent withdrawn"),
        )
        self.assertRefused("cp_caller", "crm.call", "action_cancel", [[self.acme_done.id]])

    # ------------------------------------------------------------ fields by audience
    def test_portal_reads_no_internal_call_fields(self):
        visible = self.call_kw(
            "portal_acme",
            "crm.call",
            "search_read",
            [[]],
            {"fields": ["summary", "date_done"]},
        )
        self.assertEqual([v["id"] for v in visible], [self.acme_done.id])
        for field in ("findings", "propensity", "satisfaction"):
            self.assertRefused(
                "portal_acme",
                "crm.call",
                "search_read",
                [[("id", "=", self.acme_done.id)]],
                {"fields": [field]},
            )
        self.assertRefused("portal_acme", "crm.call", "read", [[self.acme_done.id], ["findings"]])
        # the portal page still shows the shared summary, not the findings
        self.authenticate("portal_acme", "portal_acme")
        page = self.url_open("/my/calls")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Quarterly review agreed", page.text)
        self.assertNotIn("price sensitive", page.text)

    def test_agent_reads_no_internal_call_fields(self):
        for field in ("findings", "propensity", "satisfaction"):
            self.assertRefused("cp_agent", "crm.call", "read", [[self.agent_call.id], [field]])
        values = self.call_kw(
            "cp_agent", "crm.call", "read", [[self.agent_call.id], ["partner_name", "phone"]]
        )[0]
        self.assertEqual(
            (values["partner_name"], values["phone"]), ("Acme Attack Co", "+1 555 0101")
        )

    def test_meetings_expose_no_customer_contact_data(self):
        """Visits and video calls we put in calendars carry no customer
        attendee (e-mail, phone) and, for others, no address."""
        Call = self.env["crm.call"]
        visit = Call.create(
            {
                "partner_id": self.acme.id,
                "user_id": self.caller.id,
                "caller_id": self.caller_carl.id,
                "channel": "visit",
                "planned_date": datetime.now() + timedelta(days=2),
            }
        )
        video = Call.create(
            {
                "partner_id": self.acme.id,
                "user_id": self.agent.id,
                "caller_id": self.caller_agnes.id,
                "channel": "video",
                "planned_date": datetime.now() + timedelta(days=3),
            }
        )
        Call.browse((visit | video).ids)._create_meetings()
        events = (visit | video).calendar_event_id
        self.assertEqual(len(events), 2)
        self.assertNotIn(self.acme, events.partner_ids)
        self.assertIn(
            "Springfield", visit.calendar_event_id.location, "the caller sees the address"
        )
        attendees = self.call_kw(
            "cp_agent",
            "calendar.attendee",
            "search_read",
            [[("event_id", "in", events.ids)]],
            {"fields": ["email", "phone", "common_name"]},
        )
        self.assertFalse(
            [a for a in attendees if a["email"] == "boss@acme.example" or a["phone"]],
            attendees,
        )
        seen = self.call_kw(
            "cp_agent",
            "calendar.event",
            "search_read",
            [[("id", "in", events.ids)]],
            {"fields": ["location", "name", "partner_ids"]},
        )
        # an agent sees only their own calendar: the video call, not the visit
        self.assertEqual([event["id"] for event in seen], video.calendar_event_id.ids)
        for event in seen:
            self.assertFalse(event["location"], event)
            self.assertNotIn(self.acme.id, event["partner_ids"])

    def test_agent_reads_no_portal_users(self):
        found = self.call_kw(
            "cp_agent",
            "res.users",
            "search_read",
            [[("id", "in", [self.portal_acme.id, self.portal_globex.id])]],
            {"fields": ["email", "phone", "street"]},
        )
        self.assertEqual(found, [])
        self.assertRefused(
            "cp_agent", "res.users", "read", [[self.portal_acme.id], ["email", "phone"]]
        )

    # ------------------------------------------------------------ public methods
    def test_portal_cannot_plan_calls_on_another_customer(self):
        before = self.env["crm.call"].search_count([("partner_id", "=", self.acme.id)])
        self.assertRefused(
            "portal_globex", "crm.call", "action_schedule_next_call", [[self.acme_done.id]]
        )
        # even on the visitor's own call: the portal only reads calls
        self.assertRefused(
            "portal_acme", "crm.call", "action_schedule_next_call", [[self.acme_done.id]]
        )
        self.assertEqual(
            self.env["crm.call"].search_count([("partner_id", "=", self.acme.id)]), before
        )
        for method in ("action_done", "action_cancel", "action_reset", "action_missed"):
            self.assertRefused("portal_acme", "crm.call", method, [[self.acme_done.id]])

    # ------------------------------------------------------------ honest users
    def test_manager_and_admin_create_callers(self):
        """A Call Plans manager (and the administrator) adds a caller over
        the web client's own path; its working hours and time zone land on
        its resource."""
        newcomer = mail_new_test_user(
            self.env, login="cp_newcomer", groups="crm_callplan.group_crm_callplan_caller"
        )
        caller_id = self.call_kw(
            "callplan_manager",
            "crm.call.caller",
            "create",
            [
                {
                    "user_id": newcomer.id,
                    "daily_capacity": 6,
                    "resource_calendar_id": self.calendar.id,
                    "tz": "Europe/Brussels",
                }
            ],
        )
        caller = self.env["crm.call.caller"].browse(caller_id)
        self.assertEqual(caller.name, newcomer.name)
        self.assertEqual(caller.resource_id.calendar_id, self.calendar)
        self.assertEqual(caller.tz, "Europe/Brussels")
        self.assertEqual(caller.company_id, self.env.company)
        self.call_kw("callplan_manager", "crm.call.caller", "write", [[caller_id], {"tz": "UTC"}])
        self.assertEqual(caller.resource_id.tz, "UTC")
        # the administrator too, over XML-RPC
        other = mail_new_test_user(
            self.env, login="cp_other", groups="crm_callplan.group_crm_callplan_caller"
        )
        admin = self.env.ref("base.user_admin")
        admin.password = "admin_pw"
        uid = self.xmlrpc_common.authenticate(self.env.cr.dbname, "admin", "admin_pw", {})
        admin_made = self.xmlrpc_object.execute_kw(
            self.env.cr.dbname,
            uid,
            "admin_pw",
            "crm.call.caller",
            "create",
            [{"user_id": other.id, "daily_capacity": 3}],
        )
        self.assertEqual(self.env["crm.call.caller"].browse(admin_made).user_id, other)
        # a caller cannot add callers
        another = mail_new_test_user(
            self.env, login="cp_another", groups="crm_callplan.group_crm_callplan_caller"
        )
        self.assertRefused("cp_caller", "crm.call.caller", "create", [{"user_id": another.id}])
        self.assertFalse(self.env["crm.call.caller"].search([("user_id", "=", another.id)]))
