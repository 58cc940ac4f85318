from datetime import datetime

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged

from .common import agency_agreement_for_tests
from .common import next_monday


@tagged("post_install", "-at_install")
class TestCallPlanTour(HttpCase):
    def test_root_view_tour(self):
        mail_new_test_user(
            self.env, login="tour_caller", groups="crm_callplan.group_crm_callplan_caller"
        )
        segment = self.env["crm.customer.segment"].create(
            {"name": "Tour segment", "domain": "[('id', '=', 0)]"}
        )
        self.env["crm.call.policy"].create({"name": "Tour policy", "segment_id": segment.id})
        self.start_tour("/odoo", "crm_callplan_root_tour", login="tour_caller")

    def test_manager_generates_plan(self):
        manager = mail_new_test_user(
            self.env, login="tour_cp_manager", groups="crm_callplan.group_crm_callplan_manager"
        )
        self.env["crm.call.policy"].search([]).active = False
        segment = self.env["crm.customer.segment"].create(
            {"name": "Tour segment", "domain": "[('id', '=', 0)]"}
        )
        self.env["crm.call.policy"].create(
            {
                "name": "Weekly",
                "segment_id": segment.id,
                "interval_number": 1,
                "interval_type": "weeks",
            }
        )
        calendar = self.env["resource.calendar"].create({"name": "Tour 40h", "tz": "UTC"})
        self.env["crm.call.caller"].search([]).active = False
        self.env["crm.call.caller"].create(
            {"user_id": manager.id, "resource_calendar_id": calendar.id}
        )
        self.env["res.partner"].with_context(ccare_assigning_segment=True).create(
            [
                {"name": f"Tour account {i}", "is_company": True, "segment_id": segment.id}
                for i in range(3)
            ]
        )
        self.start_tour(
            "/odoo/action-crm_callplan.crm_call_plan_run_action",
            "crm_callplan_manager_plan_tour",
            login="tour_cp_manager",
        )
        run = self.env["crm.call.plan.run"].search([("user_id", "=", manager.id)])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.call_count, 6)

    def test_agent_completes_call(self):
        agent = mail_new_test_user(
            self.env, login="tour_agent", groups="crm_callplan.group_crm_callplan_agent"
        )
        other = mail_new_test_user(
            self.env, login="tour_caller2", groups="crm_callplan.group_crm_callplan_caller"
        )
        template = self.env["crm.call.checklist.template"].create(
            {
                "name": "Tour checklist",
                "question_ids": [(0, 0, {"name": "Satisfied?", "required": True})],
            }
        )
        Partner = self.env["res.partner"]
        account = Partner.create(
            {"name": "Tour Account", "is_company": True, "phone": "+1 555 0100"}
        )
        hidden = Partner.create({"name": "Hidden Account", "is_company": True})
        agency = self.env["crm.call.agency"].create({"name": "Tour agency"})
        profile = self.env["crm.call.caller"].create({"user_id": agent.id, "agency_id": agency.id})
        agency_agreement_for_tests(self.env, agency)
        Call = self.env["crm.call"]
        call = Call.create(
            {
                "partner_id": account.id,
                "user_id": agent.id,
                "caller_id": profile.id,
                "checklist_template_id": template.id,
                "planned_date": datetime.combine(next_monday(), datetime.min.time()),
            }
        )
        Call.create({"partner_id": hidden.id, "user_id": other.id, "planned_date": datetime.now()})
        self.start_tour(
            "/odoo/action-crm_callplan.crm_call_action",
            "crm_callplan_agent_tour",
            login="tour_agent",
        )
        self.assertEqual(call.state, "done")
        self.assertEqual(call.answer_ids.value_yes_no, "yes")
