import math
import statistics
from datetime import date
from datetime import timedelta

from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users


@tagged("post_install", "-at_install")
class TestEffectiveness(CallPlanCommon):
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
            ._render_qweb_html(
                "crm_callplan_effectiveness.action_report_call_effectiveness", analysis.ids
            )[0]
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

    @users("cp_agent", "cp_caller")
    def test_analysis_is_the_managers(self):
        """Callers and outsourced agents neither read nor run the analysis."""
        for model in ("crm.call.effectiveness", "crm.call.effectiveness.line"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].search([])
        with self.assertRaises(AccessError):
            self.env["crm.call.effectiveness"].create({})
