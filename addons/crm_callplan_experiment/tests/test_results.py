from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests import users

from .common import ExperimentCommon


@tagged("post_install", "-at_install", "ccare_experiment")
class TestResults(ExperimentCommon):
    """Three customers per arm over a period that ended ten days ago.

    ============  =============  ===============  ================
    arm           health change  satisfaction     stage at the end
    ============  =============  ===============  ================
    control       0, 1, 2        2, 3, 4          active, lapsed, active
    weekly        10, 11, 12     3, 4, 5          active x 3
    ============  =============  ===============  ================

    Health: means 1 and 11, variances 1 and 1, n = 3 each: se = √(2/3) =
    0.816497, Welch's df = 4, t₀.₉₇₅,₄ = 2.776445, half-width 2.266958:
    difference 10 in [7.733042, 12.266958], significant, so the weekly arm
    wins. Satisfaction: difference 1 in [-1.266958, 3.266958]. Retention
    (%): 100 against 66.667 (variance 3333.33, the weekly arm's 0): se² =
    1111.11, df = 2, t₀.₉₇₅,₂ = 4.302653, half-width 143.42176: difference
    33.333 in [-110.08843, 176.75509]. Revenue: none in either arm, no
    variation, no interval."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = date.today()
        cls.experiment = cls._experiment(
            date_start=today - timedelta(days=100), date_end=today - timedelta(days=10)
        )
        cls.control_partners = cls._partners(3, name="Control")
        cls.weekly_partners = cls._partners(3, name="Weekly")
        History = cls.env["crm.customer.health.history"]
        rows = []
        start, end = cls.experiment.date_start, cls.experiment.date_end
        figures = [
            (cls.control_partners, (0, 1, 2), (2, 3, 4), ("active", "lapsed", "active")),
            (cls.weekly_partners, (10, 11, 12), (3, 4, 5), ("active",) * 3),
        ]
        for partners, changes, ratings, stages in figures:
            for partner, change, rating, stage in zip(
                partners, changes, ratings, stages, strict=True
            ):
                rows.append(
                    {"partner_id": partner.id, "date": start - timedelta(days=1), "score": 50}
                )
                rows.append(
                    {
                        "partner_id": partner.id,
                        "date": end - timedelta(days=5),
                        "score": 50 + change,
                        "lifecycle_stage": stage,
                    }
                )
                when = datetime.combine(start + timedelta(days=30), time(10))
                cls._call_done(partner, when, rating)
        with History._ccare_append_only_unlocked():
            History.create(rows)

    @classmethod
    def _call_done(cls, partner, when, rating):
        Call = cls.env["crm.call"]
        with Call._ccare_transition():
            Call.create(
                {
                    "partner_id": partner.id,
                    "user_id": cls.caller.id,
                    "planned_date": when,
                    "state": "done",
                    "date_done": when,
                    "outcome": "reached",
                    "satisfaction": rating,
                }
            )

    def setUp(self):
        super().setUp()
        self.control, self.weekly = self._arms(self.experiment)
        self._assign(self.experiment, {self.control: self.control_partners})
        self._assign(self.experiment, {self.weekly: self.weekly_partners})

    def _result(self, metric, arm=None):
        return self.experiment.result_ids.filtered(
            lambda r: r.metric == metric and r.arm_id == (arm or self.weekly)
        )

    @users("callplan_manager")
    def test_results_against_control(self):
        experiment = self.experiment.with_user(self.env.user)
        experiment.action_done()
        self.assertEqual(experiment.state, "done")
        health = self._result("health")
        self.assertEqual((health.count, health.mean, health.control_mean), (3, 11.0, 1.0))
        self.assertAlmostEqual(health.difference, 10.0)
        self.assertAlmostEqual(health.low, 7.733042, places=5)
        self.assertAlmostEqual(health.high, 12.266958, places=5)
        self.assertTrue(health.significant)
        satisfaction = self._result("satisfaction")
        self.assertAlmostEqual(satisfaction.difference, 1.0)
        self.assertAlmostEqual(satisfaction.low, -1.266958, places=5)
        self.assertAlmostEqual(satisfaction.high, 3.266958, places=5)
        self.assertFalse(satisfaction.significant)
        retention = self._result("retention")
        self.assertAlmostEqual(retention.control_mean, 66.6667, places=3)
        self.assertAlmostEqual(retention.difference, 33.3333, places=3)
        self.assertAlmostEqual(retention.low, -110.08843, places=3)
        self.assertAlmostEqual(retention.high, 176.75509, places=3)
        revenue = self._result("revenue")
        self.assertEqual((revenue.count, revenue.difference), (3, 0.0))
        self.assertFalse(revenue.has_interval)
        # the control's own rows carry its means, without interval
        self.assertFalse(self._result("health", self.control).has_interval)
        self.assertEqual(experiment.winner_arm_id, self.weekly)
        self.assertIn("every 1 weeks", experiment.proposal)

    @users("callplan_manager")
    def test_apply_policy(self):
        experiment = self.experiment.with_user(self.env.user)
        with self.assertRaises(UserError):  # nothing to apply yet
            experiment.action_apply_policy()
        experiment.action_done()
        experiment.action_apply_policy()
        policy = self.policy_smb
        self.assertEqual((policy.interval_number, policy.interval_type), (1, "weeks"))
        self.assertTrue(experiment.policy_applied)
        self.assertIn("now calls every 1 weeks", experiment.message_ids[0].body)
        with self.assertRaises(UserError):
            experiment.action_apply_policy()

    def test_no_winner_keeps_the_policy(self):
        """With revenue as the primary figure nothing wins: no proposal."""
        self.experiment.primary_metric = "revenue"
        self.experiment.action_done()
        self.assertFalse(self.experiment.winner_arm_id)
        self.assertIn("keep the current policy", self.experiment.proposal)
