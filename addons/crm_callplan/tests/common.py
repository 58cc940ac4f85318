from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.mail.tests.common import mail_new_test_user


def next_monday(days_ahead=7):
    day = date.today() + timedelta(days=days_ahead)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def agency_agreement_for_tests(env, agency):
    """With crm_callplan_agency_agreement installed, an agency's agents
    see their calls only under an agreement in force: the tests' agencies
    get one that covers every purpose, channel and date they use."""
    if "crm.call.agency.agreement" not in env:
        return
    agreement = env["crm.call.agency.agreement"].create(
        {
            "name": f"{agency.name} test agreement",
            "agency_id": agency.id,
            "date_start": date.today() - timedelta(days=3650),
            "date_end": date.today() + timedelta(days=3650),
            "window_days": 3650,
            **dict.fromkeys(["purpose_marketing", "purpose_profiling", "purpose_sharing"], True),
            **dict.fromkeys(["channel_visit", "channel_email", "share_email"], True),
            **dict.fromkeys(["share_contact", "share_address"], True),
        }
    )
    agreement.action_start()


class CallPlanCommon(CustomerCareCommon):
    """Callers on a UTC 8-12/13-17 Monday-Friday calendar, an agency with an
    agent, two test segments with policies, a checklist; nothing from the
    demo data is used."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.caller = mail_new_test_user(
            cls.env,
            login="cp_caller",
            name="Carl Caller",
            groups="crm_callplan.group_crm_callplan_caller",
        )
        cls.caller2 = mail_new_test_user(
            cls.env,
            login="cp_caller2",
            name="Cleo Caller",
            groups="crm_callplan.group_crm_callplan_caller",
        )
        cls.callplan_manager = mail_new_test_user(
            cls.env,
            login="callplan_manager",
            name="Mona Callplan",
            groups="crm_callplan.group_crm_callplan_manager",
        )
        cls.agent = mail_new_test_user(
            cls.env,
            login="cp_agent",
            name="Agnes Agent",
            groups="crm_callplan.group_crm_callplan_agent",
        )
        cls.agent2 = mail_new_test_user(
            cls.env,
            login="cp_agent2",
            name="Arno Agent",
            groups="crm_callplan.group_crm_callplan_agent",
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {"name": "Callers 40h (UTC)", "tz": "UTC"}
        )
        cls.segment_key = cls.env["crm.customer.segment"].create(
            {"name": "CP Key", "sequence": 900, "domain": "[('id', '=', 0)]"}
        )
        cls.segment_smb = cls.env["crm.customer.segment"].create(
            {"name": "CP SMB", "sequence": 901, "domain": "[('id', '=', 0)]"}
        )
        # the demo policies (if any) must not plan calls in our runs
        cls.env["crm.call.policy"].search([]).active = False
        cls.template = cls.env["crm.call.checklist.template"].create(
            {
                "name": "Account review",
                "question_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Happy with our service?",
                            "question_type": "yes_no",
                            "required": True,
                        },
                    ),
                    (0, 0, {"name": "Score the last delivery", "question_type": "score"}),
                    (
                        0,
                        0,
                        {
                            "name": "Next need",
                            "question_type": "choice",
                            "choices": "none, more, other product",
                        },
                    ),
                ],
            }
        )
        cls.policy_smb = cls.env["crm.call.policy"].create(
            {
                "name": "SMB: phone every 2 weeks",
                "segment_id": cls.segment_smb.id,
                "channel": "phone",
                "interval_number": 2,
                "interval_type": "weeks",
                "duration": 30,
                "tolerance_days": 4,
                "checklist_template_id": cls.template.id,
            }
        )
        cls.policy_key = cls.env["crm.call.policy"].create(
            {
                "name": "Key: monthly visit",
                "segment_id": cls.segment_key.id,
                "channel": "visit",
                "interval_number": 1,
                "interval_type": "months",
                "duration": 60,
            }
        )
        cls.agency = cls.env["crm.call.agency"].create(
            {"name": "CallForce", "cost_per_call": 12.5, "supervisor_ids": [(4, cls.agent2.id)]}
        )
        cls._callplan_agency_agreement(cls.agency)
        Caller = cls.env["crm.call.caller"]
        cls.caller_carl = Caller.create(
            {
                "user_id": cls.caller.id,
                "daily_capacity": 8,
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
            }
        )
        cls.caller_cleo = Caller.create(
            {
                "user_id": cls.caller2.id,
                "daily_capacity": 8,
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
            }
        )
        cls.caller_agnes = Caller.create(
            {
                "user_id": cls.agent.id,
                "agency_id": cls.agency.id,
                "daily_capacity": 8,
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
            }
        )
        cls.date_from = next_monday()

    @classmethod
    def _callplan_agency_agreement(cls, agency):
        agency_agreement_for_tests(cls.env, agency)

    @classmethod
    def _partners(cls, count, segment=None, **values):
        segment = segment or cls.segment_smb
        return (
            cls.env["res.partner"]
            .with_context(ccare_assigning_segment=True)
            .create(
                [
                    {
                        "name": f"{segment.name} account {i}",
                        "is_company": True,
                        "segment_id": segment.id,
                        "phone": f"+1 555 010{i:04d}",
                        **values,
                    }
                    for i in range(count)
                ]
            )
        )

    def _run(self, date_from=None, weeks=4, company=None):
        run = self.env["crm.call.plan.run"].create(
            {
                "date_from": date_from or self.date_from,
                "horizon_weeks": weeks,
                "company_id": (company or self.env.company).id,
            }
        )
        run.action_generate()
        return run

    def _call(self, partner, user=None, **values):
        Call = self.env["crm.call"]
        vals = {
            "partner_id": partner.id,
            "user_id": (user or self.caller).id,
            "planned_date": datetime.combine(self.date_from, datetime.min.time()),
            **values,
        }
        if "state" in values:  # a call of the past, as its transitions left it
            with Call._ccare_transition():
                return Call.create(vals)
        return Call.create(vals)

    def _history(self, partner, policy, done_flags, start):
        """Calls due every 14 days from ``start``; done on their due date or missed."""
        calls = self.env["crm.call"]
        for index, done in enumerate(done_flags):
            due = start + timedelta(days=14 * index)
            call = self._call(
                partner,
                policy_id=policy.id,
                due_date=due,
                planned_date=datetime.combine(due, time(9)),
                satisfaction="5" if done else False,
            )
            with call._ccare_transition():  # a past call, held or missed
                call.write(
                    {"state": "done", "date_done": call.planned_date, "outcome": "reached"}
                    if done
                    else {"state": "missed"}
                )
            calls |= call
        return calls
