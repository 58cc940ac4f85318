import math
import statistics
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestEffectiveness(CallPlanCommon):
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

    def test_correlation_and_under_served(self):
        start = date.today() - timedelta(days=60)
        smb = self._partners(4)
        pattern = [(True, True), (True, False), (False, False), (True, True)]
        health = [80, 60, 30, 90]
        for partner, flags, score in zip(smb, pattern, health):
            self._history(partner, self.policy_smb, flags, start)
            partner.health_score = score
        key = self._partners(2, segment=self.segment_key)
        for partner, score in zip(key, (70, 75)):
            self._history(partner, self.policy_key, (True,), start)
            partner.health_score = score

        analysis = self.env["crm.call.effectiveness"].create(
            {"date_from": start - timedelta(days=1), "date_to": date.today(), "threshold": 80}
        )
        analysis.action_compute()
        line_smb = analysis.line_ids.filtered(lambda line: line.segment_id == self.segment_smb)
        line_key = analysis.line_ids.filtered(lambda line: line.segment_id == self.segment_key)
        self.assertEqual(line_smb.account_count, 4)
        self.assertEqual(line_smb.calls_due, 8)
        self.assertEqual(line_smb.calls_done, 5)
        self.assertAlmostEqual(line_smb.compliance, 62.5)
        regularity = [1.0, 0.5, 0.0, 1.0]
        self.assertAlmostEqual(
            line_smb.corr_health, statistics.correlation(regularity, health), places=2
        )
        self.assertAlmostEqual(line_smb.avg_health, 65.0)
        # with its sample size and two-sided p-value: r = 0.9869 over 4
        # accounts, t = r x sqrt(2 / (1 - r²)) = 8.6603, 2 df, and with 2 df
        # p = 1 - t / sqrt(2 + t²) = 0.0131 (closed form)
        r = statistics.correlation(regularity, health)
        t = r * math.sqrt(2 / (1 - r * r))
        self.assertEqual(line_smb.corr_health_n, 4)
        self.assertAlmostEqual(line_smb.corr_health_p, 1 - t / math.sqrt(2 + t * t), places=6)
        self.assertAlmostEqual(line_smb.corr_health_p, 0.0131, places=4)
        self.assertEqual(
            line_smb.corr_health_label, f"{r:.2f} (n = 4, p = {line_smb.corr_health_p:.3f})"
        )
        # every key account was called as due: regularity does not vary, the
        # correlation is undefined, shown empty (not 0) with its n
        self.assertEqual(line_key.corr_health_n, 2)
        self.assertFalse(line_key.corr_health_label)
        self.assertFalse(line_key.corr_revenue_label)
        self.assertTrue(line_smb.under_served)
        self.assertEqual(line_key.compliance, 100.0)
        self.assertFalse(line_key.under_served)
        # (demo segments may be in the analysis too)
        self.assertEqual(
            analysis.line_ids.filtered("under_served") & (line_smb | line_key), line_smb
        )
        # the manager's PDF renders the figures
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("crm_callplan.action_report_call_effectiveness", analysis.ids)[0]
            .decode()
        )
        self.assertIn("Under-served", html)
        self.assertIn("CP SMB", html)

    def test_health_change_against_regularity(self):
        start = date.today() - timedelta(days=60)
        smb = self._partners(4)
        pattern = [(True, True), (True, False), (False, False), (True, True)]
        # health before the period and after the calls: changes +30, 0, -40, +50
        before = [50, 60, 70, 40]
        after = [80, 60, 30, 90]
        History = self.env["crm.customer.health.history"]
        for index, (partner, flags) in enumerate(zip(smb, pattern)):
            self._history(partner, self.policy_smb, flags, start)
            rows = [
                {
                    "partner_id": partner.id,
                    "date": date.today() - timedelta(days=2),
                    "score": after[index],
                    "previous_score": before[index],
                }
            ]
            if index < 3:  # the last one has no row before the period: its start
                # health is the previous score of its first change
                rows.append(
                    {
                        "partner_id": partner.id,
                        "date": start - timedelta(days=30),
                        "score": before[index],
                        "previous_score": 0,
                    }
                )
            with History._ccare_append_only_unlocked():  # the health job's rows
                History.create(rows)
            partner.health_score = after[index]
        analysis = self.env["crm.call.effectiveness"].create(
            {"date_from": start - timedelta(days=1), "date_to": date.today(), "threshold": 80}
        )
        analysis.action_compute()
        line = analysis.line_ids.filtered(lambda line: line.segment_id == self.segment_smb)
        self.assertAlmostEqual(line.avg_health_change, 10.0)  # (30 + 0 - 40 + 50) / 4
        self.assertAlmostEqual(
            line.corr_health_change,
            statistics.correlation([1.0, 0.5, 0.0, 1.0], [30, 0, -40, 50]),
            places=2,
        )
        # a period that ended before the changes sees none
        earlier = self.env["crm.call.effectiveness"].create(
            {"date_from": start - timedelta(days=1), "date_to": date.today() - timedelta(days=3)}
        )
        earlier.action_compute()
        line = earlier.line_ids.filtered(lambda line: line.segment_id == self.segment_smb)
        self.assertAlmostEqual(line.avg_health_change, 0.0)

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

    def test_dashboard_launcher(self):
        """The manager dashboard shows no call figure of its own: it opens
        the compliance report, the overdue calls and the Call Plans
        spreadsheet dashboard, where the figures are."""
        manager = mail_new_test_user(
            self.env,
            login="tile_callplan_manager",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "crm_callplan.group_crm_callplan_manager",
        )
        Dashboard = self.env["crm.customer.review.dashboard"].with_user(manager)
        form = self.env.ref("crm_customer_review.crm_customer_review_dashboard_view_form")
        arch = Dashboard.get_view(form.id)["arch"]
        self.assertIn("search_default_overdue", arch)
        self.assertIn(str(self.env.ref("crm_callplan.crm_call_compliance_report_action").id), arch)
        callplan = self.env.ref("crm_callplan.spreadsheet_dashboard_callplan")
        action = (
            Dashboard.create({})
            .with_context(ccare_dashboard="crm_callplan.spreadsheet_dashboard_callplan")
            .action_open_dashboard()
        )
        self.assertEqual(action["params"]["dashboard_id"], callplan.id)
        # the Overdue filter the button applies is the calls' own overdue flag
        self.assertIn("is_overdue", self.env.ref("crm_callplan.crm_call_view_search").arch)
