from odoo.addons.crm_customer_care.tests.common import menu_visible
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestCallPlanGroups(CallPlanCommon):
    def test_group_ladder(self):
        agent = self.env.ref("crm_callplan.group_crm_callplan_agent")
        caller = self.env.ref("crm_callplan.group_crm_callplan_caller")
        manager = self.env.ref("crm_callplan.group_crm_callplan_manager")
        care_user = self.env.ref("crm_customer_care.group_crm_customer_care_user")
        self.assertIn(caller, manager.all_implied_ids)
        self.assertIn(care_user, caller.all_implied_ids)
        # an outsourced agent must not inherit access to customer profiles
        self.assertNotIn(care_user, agent.all_implied_ids)
        self.assertEqual({agent.privilege_id, caller.privilege_id}, {manager.privilege_id})

    @users("cp_caller", "callplan_manager")
    def test_callers_see_policies(self):
        self.assertTrue(menu_visible(self.env, "crm_callplan.crm_call_policy_menu"))
        policies = self.env["crm.call.policy"].search([])
        self.assertIn(self.policy_smb, policies)
        self.assertIn(self.policy_key, policies)
        self.assertEqual(
            self.env["crm.call.policy"].browse(self.policy_smb.id).read(["name"])[0]["name"],
            "SMB: phone every 2 weeks",
        )

    @users("cp_caller")
    def test_caller_cannot_change_policies(self):
        with self.assertRaises(AccessError):
            self.env["crm.call.policy"].create(
                {"name": "Weekly", "segment_id": self.segment_smb.id}
            )

    @users("callplan_manager")
    def test_manager_defines_policy(self):
        policy = self.env["crm.call.policy"].create(
            {
                "name": "Weekly",
                "interval_number": 1,
                "interval_type": "weeks",
                "partner_id": self._partners(1).id,
            }
        )
        self.assertEqual(policy.company_id, self.env.company)

    @users("cp_agent")
    def test_agent_sees_no_customers(self):
        self.assertFalse(menu_visible(self.env, "crm_customer_care.res_partner_menu_customers"))
        self.assertFalse(menu_visible(self.env, "crm_callplan.crm_call_policy_menu"))
        with self.assertRaises(AccessError):
            self.env["crm.call.policy"].search([])
        # employees read segments (their names show on contacts); agents none
        self.assertFalse(self.env["crm.customer.segment"].search([]))
        with self.assertRaises(AccessError):
            self.env["crm.customer.segment"].browse(self.segment_key.id).read(["name"])
