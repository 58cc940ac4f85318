from odoo.tests import tagged

from .common import QualityCommon


@tagged("post_install", "-at_install", "ccare_call_quality")
class TestReport(QualityCommon):
    """The scorecard report of a sample, on hand-made totals:

    - Carl (staff): 80, 90, 70; Cleo (staff): 60, 80;
    - Agnes (CallForce): 50, 60, 70.

    Staff: n = 5, mean = 380 / 5 = 76, squared deviations 16 + 196 + 36 +
    256 + 16 = 520, variance 520 / 4 = 130. Agnes: n = 3, mean 60,
    variance (100 + 0 + 100) / 2 = 100.

    Agencies - staff = 60 - 76 = -16; se² = 100/3 + 130/5 = 59.333, se =
    7.7028; Welch's df = 59.333² / ((100/3)²/2 + 26²/4) = 3520.4 / 724.56 =
    4.8588; t(0.975; 4.8588) = 2.5932 (between the tables' 2.5706 at 5 df
    and 2.7764 at 4); half-width 2.5932 * 7.7028 = 19.975: the interval
    (-35.98, 3.98) holds zero: not significant.

    Carl against the other staff (Cleo): 80 - 70 = +10, df 1.68.

    Bar 70, minimum sample 3: Agnes (3 calls, mean 60) is below the bar;
    Cleo (mean 70, 2 calls) is not judged; Carl (80) is above."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sample = cls._sample()
        cls._scored(cls.sample, cls.caller_carl, [80, 90, 70])
        cls._scored(cls.sample, cls.caller_cleo, [60, 80])
        cls._scored(cls.sample, cls.caller_agnes, [50, 60, 70])

    def _line(self, kind, caller=None, agency=None):
        return self.sample.result_ids.filtered(
            lambda r: (
                r.kind == kind
                and (caller is None or r.caller_id == caller)
                and (agency is None or r.agency_id == agency)
            )
        )

    def test_groups_side_by_side(self):
        staff = self._line("staff")
        self.assertEqual(staff.sample_size, 5)
        self.assertAlmostEqual(staff.mean, 76.0)
        self.assertAlmostEqual(staff.std_dev**2, 130.0)  # sqrt(130) = 11.40
        self.assertFalse(staff.has_interval)
        for line in (self._line("agencies"), self._line("agency", agency=self.agency)):
            self.assertEqual(line.sample_size, 3)
            self.assertAlmostEqual(line.mean, 60.0)
            self.assertAlmostEqual(line.staff_mean, 76.0)
            self.assertAlmostEqual(line.difference, -16.0)
            self.assertTrue(line.has_interval)
            self.assertAlmostEqual(line.ci_low, -35.975, places=2)
            self.assertAlmostEqual(line.ci_high, 3.975, places=2)
            self.assertFalse(line.significant)

    def test_per_caller(self):
        carl = self._line("caller", caller=self.caller_carl)
        self.assertEqual((carl.sample_size, carl.label), (3, "Carl Caller"))
        self.assertAlmostEqual(carl.mean, 80.0)
        self.assertAlmostEqual(carl.staff_mean, 70.0)
        self.assertAlmostEqual(carl.difference, 10.0)
        self.assertFalse(carl.significant)
        agnes = self._line("caller", caller=self.caller_agnes)
        self.assertEqual(agnes.caller_group, "agency")
        self.assertAlmostEqual(agnes.staff_mean, 76.0)
        self.assertEqual(len(self.sample.result_ids), 6)

    def test_significant_only_when_interval_excludes_zero(self):
        """Agency 40, 45, 50 (mean 45, variance 25) against the staff above:
        -31, se² = 25/3 + 26 = 34.333, df = 34.333² / ((25/3)²/2 + 26²/4)
        = 5.786, t = 2.476, half-width 14.467: (-45.47, -16.53), significant."""
        figures = self.env["crm.call.qa.result"]._ccare_qa_figures(
            [40, 45, 50], [80, 90, 70, 60, 80]
        )
        self.assertAlmostEqual(figures["difference"], -31.0)
        self.assertAlmostEqual(figures["ci_low"], -45.467, places=2)
        self.assertAlmostEqual(figures["ci_high"], -16.533, places=2)
        self.assertTrue(figures["significant"])
        # one scored call on a side: no interval, never significant
        figures = self.env["crm.call.qa.result"]._ccare_qa_figures([10], [80, 90, 70])
        self.assertFalse(figures["has_interval"] or figures["significant"])

    def test_coaching_once_for_the_agency_supervisor(self):
        agnes = self._line("caller", caller=self.caller_agnes)
        self.assertTrue(agnes.below_bar)
        self.assertFalse(self._line("caller", caller=self.caller_cleo).below_bar)
        self.assertFalse(self._line("caller", caller=self.caller_carl).below_bar)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "crm.call.qa.result"), ("res_id", "in", self.sample.result_ids.ids)]
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.res_id, agnes.id)
        self.assertEqual(activities.user_id, self.agent2)  # CallForce's supervisor
        self.assertEqual(
            activities.activity_type_id,
            self.env.ref("crm_callplan_quality.mail_activity_type_qa_coaching"),
        )
        self.assertIn("60.0", str(activities.note))
        # refreshed again (the cron, another card done): no second activity
        self.sample._qa_refresh_results()
        self._scored(self.sample, self.caller_agnes, [60])
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "crm.call.qa.result"), ("res_id", "=", agnes.id)]
            ),
            1,
        )
        # the supervisor sees the line and its activity; Bea (Dialwell) does not
        self.assertTrue(agnes.with_user(self.agent2).activity_ids)
        self.assertFalse(
            self.env["crm.call.qa.result"].with_user(self.agent_b).search([("id", "=", agnes.id)])
        )

    def test_staff_coach_is_the_team_leader(self):
        team = self.env["crm.team"].create({"name": "Callers", "user_id": self.callplan_manager.id})
        team.member_ids = self.caller2
        self._scored(self.sample, self.caller_cleo, [40, 50])
        cleo = self._line("caller", caller=self.caller_cleo)
        self.assertTrue(cleo.below_bar)  # 60, 80, 40, 50: mean 57.5 over 4
        self.assertEqual(cleo.coach_id, self.callplan_manager)
        self.assertEqual(cleo.activity_ids.user_id, self.callplan_manager)
