from collections import Counter

from odoo.addons.crm_callplan_experiment.models.crm_call_experiment import allocate
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ExperimentCommon


@tagged("post_install", "-at_install", "ccare_experiment")
class TestAssignment(ExperimentCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 5 customers in the low health band, 4 in the middle one, 3 high
        cls.low = cls._partners(5, name="Low")
        cls.mid = cls._partners(4, name="Mid")
        cls.high = cls._partners(3, name="High")

    def setUp(self):
        super().setUp()
        self._set_health(self.low, 20)
        self._set_health(self.mid, 55)
        self._set_health(self.high, 85)

    def _draw(self, seed, **values):
        experiment = self._experiment(seed=seed, **values)
        experiment.action_draw()
        return experiment, {m.partner_id.id: m.arm_id.name for m in experiment.member_ids}

    def test_allocate(self):
        """Largest remainders, ties to the earlier arm."""
        self.assertEqual(allocate(7, [50, 50]), [4, 3])
        self.assertEqual(allocate(10, [20, 30, 50]), [2, 3, 5])
        self.assertEqual(allocate(4, [50, 50]), [2, 2])
        self.assertEqual(allocate(3, [25, 75]), [1, 2])

    def test_seeded_stratified_draw(self):
        """Every customer of the segment is drawn once; within each health
        band the arms get floor or ceiling of half: 5 → 3 + 2, 4 → 2 + 2,
        3 → 2 + 1 (the control, first arm, takes the odd one)."""
        experiment, arms = self._draw(7)
        self.assertEqual(set(arms), set((self.low | self.mid | self.high).ids))
        per_stratum = Counter((m.stratum, m.arm_id.name) for m in experiment.member_ids)
        self.assertEqual(
            per_stratum,
            Counter(
                {
                    ("health < 40", "Fortnightly (control)"): 3,
                    ("health < 40", "Weekly"): 2,
                    ("health 40-69", "Fortnightly (control)"): 2,
                    ("health 40-69", "Weekly"): 2,
                    ("health 70+", "Fortnightly (control)"): 2,
                    ("health 70+", "Weekly"): 1,
                }
            ),
        )
        control, weekly = self._arms(experiment)
        self.assertEqual((control.member_count, weekly.member_count), (7, 5))
        # the same seed draws the same arms, again and in another experiment
        experiment.action_draw()
        self.assertEqual({m.partner_id.id: m.arm_id.name for m in experiment.member_ids}, arms)
        _other, same = self._draw(7, name="Same seed")
        self.assertEqual(same, arms)
        # another seed, another draw (checked for these seeds)
        draws = {tuple(sorted(self._draw(seed, name=f"s{seed}")[1].items())) for seed in (1, 2, 3)}
        self.assertGreater(len(draws), 1)

    def test_revenue_terciles(self):
        """By revenue tercile: the 12 customers ranked on last year's revenue
        (none here: by id) in thirds of 4, each split 2 + 2."""
        experiment, _arms = self._draw(7, stratify_by="revenue")
        per_stratum = Counter((m.stratum, m.arm_id.is_control) for m in experiment.member_ids)
        self.assertEqual(
            per_stratum,
            Counter(
                {(f"revenue T{t}", control): 2 for t in (1, 2, 3) for control in (True, False)}
            ),
        )

    def test_arms_checked_and_frozen(self):
        experiment = self._experiment()
        control, weekly = self._arms(experiment)
        weekly.share = 40
        with self.assertRaisesRegex(UserError, "100%"):
            experiment.action_draw()
        weekly.share = 50
        control.is_control = False
        with self.assertRaisesRegex(UserError, "control"):
            experiment.action_start()
        control.is_control = True
        experiment.action_start()
        self.assertEqual(experiment.state, "running")
        self.assertEqual(experiment.member_count, 12)
        # once running: arms, members and state are the transitions' only
        with self.assertRaises(UserError):
            weekly.share = 60
        with self.assertRaises(UserError):
            experiment.member_ids[0].arm_id = control
        with self.assertRaises(UserError):
            experiment.member_ids[0].unlink()
        with self.assertRaises(UserError):
            experiment.write({"state": "done"})
        with self.assertRaises(UserError):
            experiment.seed = 8
        with self.assertRaises(UserError):
            experiment.action_draw()

    def test_one_running_experiment_at_a_time(self):
        first = self._experiment(name="First")
        second = self._experiment(name="Second")
        first.action_draw()
        second.action_draw()
        first.action_start()
        with self.assertRaisesRegex(UserError, "one running experiment at a time"):
            second.action_start()
        self.assertEqual(second.state, "draft")
        # drawn again, the second experiment finds no customer free
        second.action_draw()
        self.assertEqual(second.member_count, 0)
        # once the first is cancelled, its customers are free again
        first.action_cancel()
        second.action_draw()
        second.action_start()
        self.assertEqual(second.member_count, 12)

    def test_draw_is_set_based(self):
        """Drawing 12 or 112 customers costs the same number of queries."""
        small = self._experiment(name="Small")
        small_count = self.count_queries(small.action_draw)
        self._partners(100, name="More")
        large = self._experiment(name="Large")
        large_count = self.count_queries(large.action_draw)
        self.assertEqual(large.member_count, 112)
        self.assertEqual(small_count, large_count)
