from datetime import date
from datetime import timedelta

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import InvoicingMixin
from odoo.tests import tagged

from .common import ExperimentCommon


@tagged("post_install", "-at_install", "ccare_experiment", "ccare_figures")
class TestRevenueResult(InvoicingMixin, ExperimentCommon, AccountTestInvoicingCommon):
    """Revenue comes from the revenue report, over the period only: the
    control's customers bought 100, 200 and 300 in the period, the weekly
    arm's 200, 300 and 400 (and 5,000 before the start, not counted).
    Means 200 and 300, variances 10,000 each, n = 3: se = √(20,000/3) =
    81.649658, df = 4, t₀.₉₇₅,₄ = 2.776445, half-width 226.69579: difference
    100 in [-126.69579, 326.69579], not significant."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("crm_callplan.group_crm_callplan_manager")
            | cls.env.ref("crm_customer_care.group_crm_customer_care_manager")
            | cls.env.ref("sales_team.group_sale_manager")
        )

    def test_revenue_against_control(self):
        today = date.today()
        experiment = self._experiment(
            date_start=today - timedelta(days=100), date_end=today - timedelta(days=10)
        )
        control, weekly = self._arms(experiment)
        control_partners = self._partners(3, name="Control")
        weekly_partners = self._partners(3, name="Weekly")
        inside = experiment.date_start + timedelta(days=20)
        for partners, amounts in (
            (control_partners, (100, 200, 300)),
            (weekly_partners, (200, 300, 400)),
        ):
            for partner, amount in zip(partners, amounts, strict=True):
                self._sell(partner, inside, amount)
        self._sell(weekly_partners[0], experiment.date_start - timedelta(days=5), 5000)
        self._assign(experiment, {control: control_partners, weekly: weekly_partners})
        experiment.action_done()
        revenue = experiment.result_ids.filtered(
            lambda r: r.metric == "revenue" and r.arm_id == weekly
        )
        self.assertEqual((revenue.count, revenue.mean, revenue.control_mean), (3, 300.0, 200.0))
        self.assertAlmostEqual(revenue.low, -126.69579, places=4)
        self.assertAlmostEqual(revenue.high, 326.69579, places=4)
        self.assertFalse(revenue.significant)
