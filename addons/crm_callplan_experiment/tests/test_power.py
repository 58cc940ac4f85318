from odoo.addons.crm_callplan_experiment.models.crm_call_experiment import sample_size
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ExperimentCommon


@tagged("post_install", "-at_install", "ccare_experiment")
class TestPower(ExperimentCommon):
    def test_sample_size_by_hand(self):
        """n = 2·((z₀.₉₇₅ + z₀.₈)·sd/effect)² with z₀.₉₇₅ = 1.95996, z₀.₈ = 0.84162:
        effect=5, sd=20: 2 · 2.80159² · 16 = 251.16 → 252 per arm;
        effect=10, sd=20: 2 · 2.80159² · 4 = 62.79 → 63;
        effect=5, sd=20, power 0.9 (z = 1.28155): 2 · 3.24152² · 16 = 336.24 → 337."""
        self.assertEqual(sample_size(5, 20, 0.05, 0.8), 252)
        self.assertEqual(sample_size(10, 20, 0.05, 0.8), 63)
        self.assertEqual(sample_size(5, 20, 0.05, 0.9), 337)
        self.assertEqual(sample_size(0, 20), 0)

    def test_power_on_the_form(self):
        experiment = self._experiment(power_effect=5, power_sd=20)
        self.assertEqual(experiment.power_sample_size, 252)
        self._partners(6)
        experiment.action_draw()
        self.assertIn("fewer than the 252 needed", experiment.power_note)
        experiment.power_effect = 100  # 2·2.80159²·0.04 = 0.63 → 1
        self.assertEqual(experiment.power_sample_size, 1)
        self.assertIn("enough", experiment.power_note)
        with self.assertRaises(ValidationError):
            experiment.power_alpha = 1.5
