from odoo.tests import TransactionCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestDemoCallPlan(TransactionCase):
    """What a new user sees in the demo's generated plan (skipped without
    demo data)."""

    def setUp(self):
        super().setUp()
        self.run_demo = self.env.ref("crm_callplan.plan_run_demo", raise_if_not_found=False)
        if not self.run_demo:
            self.skipTest("no demo data")

    def test_demo_plan_calls_customers_only(self):
        """YourCompany and My US Company are us: the agency never gets them."""
        called = self.run_demo.call_ids.partner_id
        ours = self.env["res.company"].search([]).partner_id
        self.assertTrue(called)
        self.assertFalse(called & ours)
        self.assertFalse(called.filtered(lambda p: p.user_ids.filtered(lambda u: not u.share)))

    def test_demo_report_says_who_was_not_called_and_why(self):
        """The Report tab: Lumber Inc refused sales calls; two of the three
        Jolly Joinery records are probable duplicates (the third is called)."""
        reasons = {line.partner_id.name: line.reason for line in self.run_demo.line_ids}
        self.assertEqual(reasons.get("Lumber Inc"), "consent refused")
        # the Jolly Joinery records are Data Quality's demo: an optional
        # companion, not a dependency of Call Plans
        jolly = "crm_customer_data_quality.partner_jolly_joinery"
        if not self.env.ref(jolly, raise_if_not_found=False):
            return
        self.assertIn("probable duplicate", reasons.get("Jolly Joinery SRL", ""))
        self.assertIn("probable duplicate", reasons.get("Jolly Joinery (old record)", ""))
        called = self.run_demo.call_ids.partner_id.mapped("name")
        self.assertIn("Jolly Joinery", called)
        self.assertNotIn("Jolly Joinery SRL", called)
