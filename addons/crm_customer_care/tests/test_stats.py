import math

from odoo.addons.crm_customer_care.stats import correlation_p_value
from odoo.addons.crm_customer_care.stats import t_cdf
from odoo.addons.crm_customer_care.stats import t_ppf
from odoo.addons.crm_customer_care.stats import welch_interval
from odoo.tests import BaseCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_figures")
class TestStats(BaseCase):
    """The statistics behind the programme and call figures, against
    published table values (no scipy)."""

    def test_t_quantiles_match_the_tables(self):
        # two-sided 95% critical values of Student's t
        for df, expected in ((1, 12.7062), (2, 4.3027), (5, 2.5706), (10, 2.2281), (30, 2.0423)):
            self.assertAlmostEqual(t_ppf(0.975, df), expected, places=4)
        self.assertAlmostEqual(t_cdf(0.0, 7), 0.5)
        self.assertAlmostEqual(t_cdf(2.0, 5), 0.949030, places=6)
        self.assertAlmostEqual(t_cdf(-2.0, 5), 1 - 0.949030, places=6)

    def test_welch_interval_by_hand(self):
        """Two groups of 6 with variance 4, means 10 and 7:
        se² = 4/6 + 4/6 = 1.3333, df = 1.3333² / (2 x 0.6667² / 5) = 10,
        t(0.975; 10) = 2.228139, half-width 2.228139 x 1.154701 = 2.572833:
        3 ± 2.572833 = [0.427167, 5.572833], significant."""
        diff, low, high, df = welch_interval(6, 10.0, 4.0, 6, 7.0, 4.0)
        self.assertAlmostEqual(df, 10.0)
        self.assertAlmostEqual(diff, 3.0)
        self.assertAlmostEqual(low, 0.427167, places=5)
        self.assertAlmostEqual(high, 5.572833, places=5)
        # undefined with fewer than two in a group, or no variance at all
        self.assertIsNone(welch_interval(1, 5.0, 0.0, 6, 7.0, 4.0))
        self.assertIsNone(welch_interval(3, 5.0, 0.0, 3, 5.0, 0.0))

    def test_correlation_p_value(self):
        # r = 0.5 over 20 pairs: t = 0.5 x sqrt(18 / 0.75) = 2.4495, 18 df, p = 0.0248
        self.assertAlmostEqual(correlation_p_value(0.5, 20), 0.0248, places=4)
        self.assertAlmostEqual(
            correlation_p_value(0.5, 20), 2 * (1 - t_cdf(0.5 * math.sqrt(18 / 0.75), 18))
        )
        self.assertIsNone(correlation_p_value(0.9, 2), "two points always line up")
        self.assertIsNone(correlation_p_value(None, 10))
