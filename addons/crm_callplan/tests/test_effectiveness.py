import statistics
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

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
