from datetime import date
from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestCompliance(CallPlanCommon):
    """The plan compliance report (the Manager Dashboard's buttons to it:
    crm_callplan_review)."""

    def test_compliance_per_sales_team(self):
        # the callers' teams: caller in A, caller2 in B
        team_a, team_b = self.env["crm.team"].create(
            [
                {"name": "CP Team A", "member_ids": [(6, 0, self.caller.ids)]},
                {"name": "CP Team B", "member_ids": [(6, 0, self.caller2.ids)]},
            ]
        )
        start = date.today() - timedelta(days=60)
        a1, a2, b1 = self._partners(3)
        self._history(a1, self.policy_smb, (True, True), start)  # 2 of 2 on time
        self._history(a2, self.policy_smb, (True, False), start)  # 1 of 2
        self._history(b1, self.policy_smb, (False, False), start).user_id = self.caller2
        # a call not due yet does not count; a cancelled one is not in the report
        self._call(a1, due_date=date.today() + timedelta(days=10))
        self._call(b1, self.caller2, due_date=start, state="cancelled")
        Report = self.env["crm.call.compliance.report"].with_user(self.callplan_manager)
        rows = {
            team: (calls, due, on_time, round(compliance, 1))
            for team, calls, due, on_time, compliance in Report._read_group(
                [("team_id", "in", (team_a | team_b).ids)],
                ["team_id"],
                ["call_count:sum", "due_count:sum", "on_time_count:sum", "compliance:avg"],
            )
        }
        self.assertEqual(rows[team_a], (5, 4, 3, 75.0))
        self.assertEqual(rows[team_b], (2, 2, 0, 0.0))
        # per caller and segment too
        by_caller = dict(
            Report._read_group(
                [("partner_id", "in", (a1 | a2 | b1).ids)], ["user_id"], ["compliance:avg"]
            )
        )
        self.assertEqual(by_caller, {self.caller: 75.0, self.caller2: 0.0})
        by_segment = dict(
            Report._read_group(
                [("partner_id", "in", (a1 | a2 | b1).ids)], ["segment_id"], ["compliance:avg"]
            )
        )
        self.assertEqual(by_segment, {self.segment_smb: 50.0})  # 3 on time of 6 due
        with self.assertRaises(AccessError):
            self.env["crm.call.compliance.report"].with_user(self.caller).search([])
