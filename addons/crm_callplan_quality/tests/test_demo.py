from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install", "ccare_call_quality")
class TestDemoStory(TransactionCase):
    """The demo's story holds: half of Cal's and Anna's six calls of the
    month before last drawn and scored, staff and agency side by side,
    Anna below the bar with one coaching activity for Sam, CallForce's
    supervisor, who sees it."""

    def test_demo_sample(self):
        sample = self.env.ref("crm_callplan_quality.qa_sample_demo", raise_if_not_found=False)
        if not sample:
            self.skipTest("needs the demo data")
        cards = sample.scorecard_ids
        cal = self.env.ref("crm_callplan.caller_cal")
        anna = self.env.ref("crm_callplan.caller_anna")
        # 50 % of six calls each: round(3.0) = 3
        self.assertEqual(len(cards.filtered(lambda c: c.caller_id == cal)), 3)
        self.assertEqual(len(cards.filtered(lambda c: c.caller_id == anna)), 3)
        self.assertEqual(set(cards.mapped("state")), {"done"})
        lines = sample.result_ids
        anna_line = lines.filtered(lambda r: r.kind == "caller" and r.caller_id == anna)
        cal_line = lines.filtered(lambda r: r.kind == "caller" and r.caller_id == cal)
        self.assertTrue(50 <= anna_line.mean <= 70 and anna_line.below_bar)
        self.assertTrue(80 <= cal_line.mean <= 100 and not cal_line.below_bar)
        sam = self.env.ref("crm_callplan_quality.user_agency_supervisor")
        self.assertEqual(anna_line.activity_ids.user_id, sam)
        self.assertEqual(anna_line.with_user(sam).activity_ids.user_id, sam)
        self.assertFalse(cal_line.with_user(sam).has_access("read"))
