from datetime import date
from datetime import datetime
from datetime import timedelta

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestCompliance(CallPlanCommon):
    """The plan compliance report and the call plan tile of the manager
    dashboard."""

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

    def test_dashboard_tile(self):
        start = date.today() - timedelta(days=60)
        a1, a2 = self._partners(2)
        self._history(a1, self.policy_smb, (True, True), start)
        self._history(a2, self.policy_smb, (True, False), start)
        # one planned call overdue, one tomorrow
        self._call(a1, planned_date=datetime.now() - timedelta(days=2))
        self._call(a2, planned_date=datetime.now() + timedelta(days=1))
        manager = mail_new_test_user(
            self.env,
            login="tile_callplan_manager",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "crm_callplan.group_crm_callplan_manager",
        )
        dashboard = self.env["crm.customer.review.dashboard"].with_user(manager).create({})
        # (demo calls may be in the company too: compare with the report)
        Report = self.env["crm.call.compliance.report"]
        [(expected,)] = Report._read_group(
            [
                ("due_count", "=", 1),
                ("due_date", ">=", date.today() - timedelta(days=90)),
                ("due_date", "<=", date.today()),
                ("company_id", "=", self.env.company.id),
            ],
            [],
            ["compliance:avg"],
        )
        # the tile shows one decimal
        self.assertAlmostEqual(dashboard.plan_compliance, expected or 0.0, places=1)
        overdue = self.env["crm.call"].search_count(
            [("is_overdue", "=", True), ("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(dashboard.calls_overdue, overdue)
        self.assertGreaterEqual(dashboard.calls_overdue, 1)
        self.assertGreaterEqual(dashboard.calls_next_week, 1)
