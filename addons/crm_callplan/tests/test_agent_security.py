from datetime import datetime

from odoo.addons.crm_customer_care.tests.common import menu_visible
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users

from .common import CallPlanCommon

CALLPLAN_MODELS = [
    "crm.call.policy",
    "crm.call.agency",
    "crm.call.caller",
    "crm.call.plan.run",
    "crm.call.plan.run.line",
    "crm.call.allocation",
    "crm.call.allocation.line",
]


@tagged("post_install", "-at_install")
class TestAgentIsolation(CallPlanCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.account = cls._partners(1, name="Secret Corp", email="ceo@secret.example")
        cls.other_account = cls._partners(1, name="Other Corp")
        cls.agent_call = cls.env["crm.call"].create(
            {
                "partner_id": cls.account.id,
                "user_id": cls.agent.id,
                "caller_id": cls.caller_agnes.id,
                "planned_date": datetime.now(),
                "policy_id": cls.policy_smb.id,
                "findings": "<p>Budget is 50k</p>",
            }
        )
        cls.other_call = cls.env["crm.call"].create(
            {
                "partner_id": cls.other_account.id,
                "user_id": cls.caller.id,
                "caller_id": cls.caller_carl.id,
                "planned_date": datetime.now(),
            }
        )
        cls.lead = cls.env["crm.lead"].create({"name": "Big deal", "partner_id": cls.account.id})

    @users("cp_agent")
    def test_agent_sees_only_own_calls(self):
        Call = self.env["crm.call"]
        self.assertEqual(Call.search([]), self.agent_call)
        with self.assertRaises(AccessError):
            Call.browse(self.other_call.id).read(["name"])
        call = Call.browse(self.agent_call.id)
        # what the agent needs, through the call
        values = call.read(["partner_name", "contact_name", "phone", "answer_ids"])[0]
        self.assertEqual(values["partner_name"], "Secret Corp")
        self.assertEqual(values["phone"], self.account.phone)
        self.assertEqual(len(values["answer_ids"]), 3)

    @users("cp_agent")
    def test_agent_sees_no_customers_leads_or_money(self):
        partners = self.env["res.partner"].search([])
        self.assertNotIn(self.account.id, partners.ids)
        with self.assertRaises(AccessError):
            self.env["res.partner"].browse(self.account.id).read(["email"])
        with self.assertRaises(AccessError):
            self.env["crm.lead"].search([])
        # employees read segments (their names show on contacts); agents
        # none (nor RFM classes: crm_callplan_buying_habits)
        self.assertFalse(self.env["crm.customer.segment"].search([]))
        with self.assertRaises(AccessError):
            self.env["crm.customer.segment"].browse(self.segment_key.id).read(["name"])
        call = self.env["crm.call"].browse(self.agent_call.id)
        for field in (
            "partner_id",
            "contact_id",
            "cost",
            "lead_id",
            "segment_id",
            "policy_id",
            # the internal assessment is the company's, not the agency's
            "findings",
            "propensity",
            "satisfaction",
        ):
            with self.assertRaises(AccessError, msg=field):
                call.read([field])
        for model in CALLPLAN_MODELS:
            with self.assertRaises(AccessError, msg=model):
                self.env[model].search([])
        self.assertFalse(menu_visible(self.env, "crm_callplan.crm_call_menu"))
        self.assertTrue(menu_visible(self.env, "crm_callplan.crm_call_agent_menu"))

    @users("cp_agent")
    def test_agent_fills_checklist_and_completes(self):
        call = self.env["crm.call"].browse(self.agent_call.id)
        call.write(
            {
                "outcome": "reached",
                "answer_ids": [
                    (1, answer.id, {"value_yes_no": "yes"})
                    for answer in call.answer_ids.filtered("required")
                ],
            }
        )
        call.action_done()
        self.assertEqual(call.state, "done")
        with self.assertRaises(AccessError):
            self.env["crm.call"].create({"partner_id": self.account.id, "user_id": self.agent.id})
        with self.assertRaises(AccessError):
            self.env["crm.call"].browse(self.other_call.id).write({"outcome": "reached"})

    @users("cp_agent2")
    def test_supervisor_sees_agency_calls(self):
        self.assertEqual(self.env["crm.call"].search([]), self.agent_call)

    @users("cp_caller")
    def test_caller_sees_own_calls_not_agents(self):
        calls = self.env["crm.call"].search([])
        self.assertIn(self.other_call, calls)
        self.assertNotIn(self.agent_call, calls)
        with self.assertRaises(AccessError):
            self.env["crm.call"].browse(self.agent_call.id).read(["name"])

    @users("callplan_manager")
    def test_manager_sees_everything(self):
        calls = self.env["crm.call"].search([])
        self.assertIn(self.other_call, calls)
        self.assertIn(self.agent_call, calls)
        for model in CALLPLAN_MODELS:
            self.env[model].search([])

    @users("cp_caller")
    def test_caller_reads_but_does_not_manage(self):
        for model in (
            "crm.call.policy",
            "crm.call.agency",
            "crm.call.caller",
            "crm.call.allocation",
        ):
            self.env[model].search([])
        with self.assertRaises(AccessError):
            self.env["crm.call.agency"].create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["crm.call.plan.run"].create({})

    def test_other_company_calls_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["res.partner"].create({"name": "Foreign", "company_id": other.id})
        call = self.env["crm.call"].create(
            {
                "partner_id": foreign.id,
                "company_id": other.id,
                "user_id": False,
                "planned_date": datetime.now(),
            }
        )
        self.assertNotIn(call, self.env["crm.call"].with_user(self.callplan_manager).search([]))
