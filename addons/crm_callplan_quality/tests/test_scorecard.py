from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QualityCommon


@tagged("post_install", "-at_install", "ccare_call_quality")
class TestScorecard(QualityCommon):
    """A scorecard's total is the points earned out of the points possible
    (10 per item) on 0-100; done locks it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sample = cls._sample()
        cls.card = cls._cards(cls.sample, cls._done_calls(cls.caller_agnes, 1))

    def test_total_points_out_of_possible(self):
        """Items 8 and 6 scored, three not yet: 14 of 20 = 70.0; all five
        scored 8, 6, 10, 7, 9: 40 of 50 = 80.0."""
        card = self.card.with_user(self.reviewer)
        lines = card.line_ids
        self.assertEqual(len(lines), 5)
        lines[0].score, lines[1].score = "8", "6"
        self.assertEqual(card.scored_count, 2)
        self.assertAlmostEqual(card.total, 70.0)
        with self.assertRaisesRegex(UserError, "Score every item"):
            card.action_done()
        lines[2].score, lines[3].score, lines[4].score = "10", "7", "9"
        self.assertAlmostEqual(card.total, 80.0)
        card.action_done()
        self.assertEqual(card.state, "done")
        self.assertEqual(card.reviewer_id, self.reviewer)
        self.assertTrue(card.date_reviewed)

    def test_done_is_locked(self):
        self._score(self.card, [5, 5, 5, 5, 5])
        self.assertAlmostEqual(self.card.total, 50.0)
        # not the reviewer, not the manager, not the server outside a transition
        for env in (self.reviewer, self.callplan_manager):
            card = self.card.with_user(env)
            with self.assertRaises(UserError):
                card.line_ids[0].score = "10"
            with self.assertRaises(UserError):
                card.comment = "Changed my mind"
            with self.assertRaises(UserError):
                card.write({"state": "draft"})
            with self.assertRaises(UserError):
                card.action_done()
        with self.assertRaises(UserError):
            self.card.sudo().write({"total": 100.0})
        with self.assertRaises(UserError):
            self.card.sudo().unlink()
        self.assertAlmostEqual(self.card.total, 50.0)

    def test_only_the_draw_makes_cards_and_items(self):
        call = self._done_calls(self.caller_carl, 1)
        with self.assertRaises(UserError):
            self.env["crm.call.qa.scorecard"].create(
                {"sample_id": self.sample.id, "call_id": call.id, "company_id": self.env.company.id}
            )
        with self.assertRaises(UserError):
            self.env["crm.call.qa.scorecard.line"].create(
                {"scorecard_id": self.card.id, "name": "Extra", "kind": "conduct"}
            )
        # an item's wording is the draw's; the reviewer writes score and comment
        with self.assertRaises(UserError):
            self.card.line_ids[0].with_user(self.reviewer).name = "Easier question"
