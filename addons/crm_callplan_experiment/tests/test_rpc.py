from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.tests import tagged

from .common import ExperimentCommon


@tagged("post_install", "-at_install", "ccare_experiment", "ccare_security")
class TestExperimentRpc(RpcCase, ExperimentCommon):
    """Over JSON-RPC, callers and Customer Care users can neither read nor
    start an experiment; the call-plan manager can."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._partners(2)
        cls.experiment = cls._experiment()

    def test_caller_and_care_user_refused(self):
        model = "crm.call.experiment"
        ids = [self.experiment.id]
        for login in ("cp_caller", "care_user"):
            self.assertRefused(login, model, "read", [ids, ["name"]])
            self.assertRefused(login, model, "search_read", [[]], {"fields": ["name"]})
            self.assertRefused(login, model, "action_start", [ids])
            self.assertRefused(login, "crm.call.experiment.member", "search_read", [[]])
            self.assertRefused(login, "crm.call.experiment.result", "search_read", [[]])
        self.assertEqual(self.experiment.state, "draft")
        self.assertEqual(
            self.call_kw("callplan_manager", model, "read", [ids, ["name"]])[0]["name"],
            "Weekly SMB calls?",
        )
        self.call_kw("callplan_manager", model, "action_start", [ids])
        self.experiment.invalidate_recordset(["state"])
        self.assertEqual(self.experiment.state, "running")
        # nor can the manager move the state by hand, whatever the context says
        self.assertRefused(
            "callplan_manager",
            model,
            "write",
            [ids, {"state": "done"}],
            context={"install_mode": 1},
        )
