from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.addons.crm_customer_care.tests.attack_surface import probe
from odoo.addons.crm_customer_care.tests.attack_surface import unreadable_partner_fields
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users


@tagged("post_install", "-at_install", "ccare_security", "ccare_buying_habits")
class TestCampaignAttacks(RpcCase, CallPlanCommon):
    """A campaign's promises over real RPC: only managers launch it; once
    started its list and policy stay; a call's campaign is the server's;
    its holdout is drawn once and stays; the hit report is the managers'."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls._partners(10)
        cls.target = cls.env["crm.customer.target.list"].create(
            {
                "name": "Attack list",
                "partner_domain": repr([("id", "in", cls.customers.ids)]),
                "holdout_percent": 20.0,
            }
        )
        Run = cls.env["crm.call.plan.run"]
        cls.draft = Run.create(
            {
                "date_from": cls.date_from,
                "target_list_id": cls.target.id,
                "campaign_policy_id": cls.policy_smb.id,
            }
        )
        cls.started = Run.create(
            {
                "date_from": cls.date_from,
                "target_list_id": cls.target.id,
                "campaign_policy_id": cls.policy_smb.id,
            }
        )
        cls.started.action_generate()
        cls.holdout = cls.started.line_ids.filtered(lambda line: line.line_type == "holdout")
        cls.call = cls.started.call_ids.filtered(lambda c: c.user_id == cls.caller)[:1]

    @users("cp_agent")
    def test_agent_sees_no_campaign_list(self):
        """An outsourced agent does not learn which list a call came from."""
        self.assertNotIn("target_list_id", self.env["crm.call"].fields_get())
        with self.assertRaises(AccessError):
            self.env["crm.call.plan.run"].search([])

    def test_caller_cannot_launch(self):
        self.assertRefused("cp_caller", "crm.call.plan.run", "action_generate", [[self.draft.id]])
        self.assertEqual(self.draft.state, "draft")

    def test_started_campaign_keeps_its_list(self):
        self.assertRefused(
            "callplan_manager",
            "crm.call.plan.run",
            "write",
            [[self.started.id], {"target_list_id": False}],
        )
        self.assertRefused(
            "callplan_manager",
            "crm.call.plan.run",
            "write",
            [[self.started.id], {"campaign_policy_id": self.policy_key.id}],
        )

    def test_call_campaign_is_the_servers(self):
        self.assertTrue(self.call)
        self.assertRefused(
            "cp_caller", "crm.call", "write", [[self.call.id], {"target_list_id": False}]
        )
        self.assertRefused(
            "cp_caller",
            "crm.call",
            "create",
            [
                {
                    "partner_id": self.customers[0].id,
                    "user_id": self.caller.id,
                    "target_list_id": self.target.id,
                }
            ],
        )
        self.assertEqual(self.call.target_list_id, self.target)

    def test_holdout_stays_as_drawn(self):
        self.assertEqual(len(self.holdout), 2)  # 20% of ten
        line = self.holdout[0]
        self.assertRefused("callplan_manager", "crm.call.plan.run.line", "unlink", [line.ids])
        self.assertRefused(
            "callplan_manager",
            "crm.call.plan.run.line",
            "write",
            [line.ids, {"partner_id": self.customers[0].id}],
        )
        self.assertRefused(
            "callplan_manager",
            "crm.call.plan.run.line",
            "create",
            [
                {
                    "run_id": self.started.id,
                    "line_type": "holdout",
                    "partner_id": self.customers[0].id,
                    "reason": "mine",
                }
            ],
        )
        # a report line that is not the holdout stays the managers' to tidy
        skipped = self.env["crm.call.plan.run.line"].create(
            {"run_id": self.started.id, "line_type": "policy", "reason": "note"}
        )
        self.call_kw("callplan_manager", "crm.call.plan.run.line", "unlink", [skipped.ids])
        self.assertFalse(skipped.exists())
        self.assertEqual(self.started.holdout_count, 2)

    def test_hit_report_is_the_managers(self):
        self.assertRefused("cp_caller", "crm.call.next.product.report", "search_read", [[]])
        self.call_kw("callplan_manager", "crm.call.next.product.report", "search_read", [[]])


@tagged("post_install", "-at_install", "ccare_security", "ccare_buying_habits")
class TestCampaignListFilters(RpcCase, CallPlanCommon):
    """A campaign calls the members of its list, found as superuser: who
    points a campaign at a list must be able to read what its filters test
    (a list on ID numbers would otherwise show, call by call, whose ID
    starts with what)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every field of contacts the manager may not read, with the addons
        # installed: a list on each, written by an administrator
        cls.refused = unreadable_partner_fields(cls.callplan_manager)
        Target = cls.env["crm.customer.target.list"].with_user(cls.env.ref("base.user_admin"))
        cls.sensitive_lists = {
            name: Target.create({"name": f"By {name}", "partner_domain": repr([probe(field)])})
            for name, field in cls.refused.items()
        }
        cls.plain_list = cls.env["crm.customer.target.list"].create(
            {"name": "By name", "partner_domain": "[('name', '=like', 'X%')]"}
        )

    def _campaign(self, target):
        return {
            "date_from": str(self.date_from),
            "target_list_id": target.id,
            "campaign_policy_id": self.policy_smb.id,
        }

    def test_manager_without_sensitive_data_cannot_use_the_list(self):
        self.assertTrue(self.refused)
        Partner = self.env["res.partner"]
        if hasattr(Partner, "_ccare_sensitive_fields"):  # crm_customer_sensitive_data
            self.assertLessEqual({"ccare_id_number", "ccare_birthdate"}, set(self.refused))
        run_id = self.call_kw(
            "callplan_manager", "crm.call.plan.run", "create", [self._campaign(self.plain_list)]
        )
        for name, target in self.sensitive_lists.items():
            with self.subTest(field=name):
                self.assertRefused(
                    "callplan_manager", "crm.call.plan.run", "create", [self._campaign(target)]
                )
                self.assertRefused(
                    "callplan_manager",
                    "crm.call.plan.run",
                    "write",
                    [[run_id], {"target_list_id": target.id}],
                )
