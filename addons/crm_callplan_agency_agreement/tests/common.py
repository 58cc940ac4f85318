from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class AgreementCommon(CallPlanCommon):
    """Two agencies of their own beside the shared world's: "Dialling Ltd"
    (agent Dora) under an agreement in force for sales calls by phone and
    video, 10 days' window, sharing the default data (name, phone, topic,
    checklist); "Rival Calls" (agent Rita) under a wide agreement."""

    WINDOW = 10

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = date.today()
        cls.agent_dora = mail_new_test_user(
            cls.env,
            login="dpa_agent_dora",
            name="Dora Dialler",
            groups="crm_callplan.group_crm_callplan_agent",
        )
        cls.agent_rita = mail_new_test_user(
            cls.env,
            login="dpa_agent_rita",
            name="Rita Rival",
            groups="crm_callplan.group_crm_callplan_agent",
        )
        Agency = cls.env["crm.call.agency"]
        cls.dialling = Agency.create({"name": "Dialling Ltd"})
        cls.rival = Agency.create({"name": "Rival Calls"})
        Caller = cls.env["crm.call.caller"]
        cls.caller_dora = Caller.create(
            {
                "user_id": cls.agent_dora.id,
                "agency_id": cls.dialling.id,
                "daily_capacity": 8,
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
            }
        )
        cls.caller_rita = Caller.create(
            {
                "user_id": cls.agent_rita.id,
                "agency_id": cls.rival.id,
                "daily_capacity": 8,
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
            }
        )
        cls.agreement = cls._agreement(cls.dialling)
        cls.agreement.action_start()
        cls.rival_agreement = cls._agreement(
            cls.rival, channel_visit=True, share_address=True, share_email=True
        )
        cls.rival_agreement.action_start()
        cls.customer = cls._partners(
            1, name="Kwun Tong Trading", email="buyer@kwuntong.example", street="1 Hoi Bun Road"
        )

    @classmethod
    def _agreement(cls, agency, **values):
        return cls.env["crm.call.agency.agreement"].create(
            {
                "name": f"{agency.name} DPA",
                "agency_id": agency.id,
                "date_start": date.today() - timedelta(days=100),
                "date_end": date.today() + timedelta(days=100),
                "window_days": cls.WINDOW,
                **values,
            }
        )

    @classmethod
    def _agency_call(cls, caller, day, partner=None, **values):
        """A call given to ``caller`` on ``day`` (done when in the past)."""
        Call = cls.env["crm.call"]
        vals = {
            "partner_id": (partner or cls.customer).id,
            "user_id": caller.user_id.id,
            "caller_id": caller.id,
            "channel": "phone",
            "planned_date": datetime.combine(day, time(10, 0)),
            **values,
        }
        if day < date.today():
            vals.update(
                state="done",
                outcome="reached",
                date_done=datetime.combine(day, time(10, 30)),
            )
            with Call._ccare_transition():
                return Call.create(vals)
        return Call.create(vals)
