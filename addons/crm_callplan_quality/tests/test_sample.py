from datetime import datetime
from unittest.mock import patch

from odoo.addons.crm_callplan_quality.models import crm_call_qa_sample as sample_module
from odoo.addons.crm_customer_care.stats import holdout_fraction
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import QualityCommon


@tagged("post_install", "-at_install", "ccare_call_quality")
class TestQaSample(QualityCommon):
    """The draw: each caller's completed calls of the period, the share
    rounded half up per caller, the lowest ``holdout_fraction(seed, call
    id)`` first; stored, and drawn again without adding anything twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.carl_calls = cls._done_calls(cls.caller_carl, 15)
        cls.cleo_calls = cls._done_calls(cls.caller_cleo, 5)
        cls.agnes_calls = cls._done_calls(cls.caller_agnes, 4)
        # not in the population: planned, missed, outside March, no caller profile
        cls._done_calls(cls.caller_carl, 2, state="missed")
        with cls.env["crm.call"]._ccare_transition():
            cls.env["crm.call"].create(
                [
                    {
                        "partner_id": cls.partner.id,
                        "user_id": cls.caller.id,
                        "caller_id": cls.caller_carl.id,
                        "planned_date": datetime(2025, 4, 1, 9, 0),
                        "date_done": datetime(2025, 4, 1, 0, 0),
                        "state": "done",
                        "outcome": "reached",
                    },
                    {
                        "partner_id": cls.partner.id,
                        "user_id": cls.caller.id,
                        "planned_date": datetime(2025, 3, 10, 9, 0),
                        "date_done": datetime(2025, 3, 10, 10, 0),
                        "state": "done",
                        "outcome": "reached",
                    },
                ]
            )

    @staticmethod
    def _lowest(calls, seed, size):
        return sorted(calls.ids, key=lambda cid: (holdout_fraction(seed, cid), cid))[:size]

    def test_share_rounded_half_up_per_caller(self):
        """10 % of Carl's 15 calls is round(1.5) = 2, of Cleo's 5 round(0.5)
        = 1, of Agnes's 4 round(0.4) = 0: three calls, the lowest draws."""
        sample = self._sample(percent=10.0, seed=7)
        sample.action_draw()
        cards = sample.scorecard_ids
        self.assertEqual(sample.state, "drawn")
        self.assertEqual(len(cards), 3)
        self.assertEqual(
            sorted(cards.call_id.ids),
            sorted(self._lowest(self.carl_calls, 7, 2) + self._lowest(self.cleo_calls, 7, 1)),
        )
        self.assertEqual(set(cards.mapped("state")), {"draft"})
        self.assertEqual(set(cards.mapped("caller_group")), {"staff"})

    def test_same_seed_same_calls_and_nothing_twice(self):
        """The same seed and calls draw the same calls (the draw undone and
        made again); drawing again (the button, the cron, a queued chunk run
        twice) adds nothing."""
        sample = self._sample(percent=30.0, seed=11)

        class Undo(Exception):
            pass

        try:
            with self.env.cr.savepoint():
                sample.action_draw()
                undone = set(sample.scorecard_ids.call_id.ids)
                raise Undo
        except Undo:
            self.env.invalidate_all()
        self.assertEqual(sample.state, "draft")
        sample.action_draw()
        first = sample.scorecard_ids
        self.assertEqual(set(first.call_id.ids), undone)
        # 30 %: Carl round(4.5) = 5, Cleo round(1.5) = 2, Agnes round(1.2) = 1
        self.assertEqual(len(first), 8)
        sample.action_draw()
        self.caller_carl._ccare_qa_draw(sample.id)
        sample.invalidate_recordset(["scorecard_ids"])
        self.assertEqual(sample.scorecard_ids, first)
        expected = (
            self._lowest(self.carl_calls, 11, 5)
            + self._lowest(self.cleo_calls, 11, 2)
            + self._lowest(self.agnes_calls, 11, 1)
        )
        self.assertEqual(sorted(first.call_id.ids), sorted(expected))
        agnes_card = first.filtered(lambda c: c.caller_id == self.caller_agnes)
        self.assertEqual(agnes_card.caller_group, "agency")
        self.assertEqual(agnes_card.agency_id, self.agency)

    def test_late_call_tops_up(self):
        """A call completed late joins its caller's stratum: Cleo's sixth
        call makes 10 % of 6 = round(0.6) = 1, as before: nothing added;
        Agnes's fifth makes round(0.5) = 1 where there was 0: one added,
        and it is one of hers."""
        sample = self._sample(percent=10.0, seed=7)
        sample.action_draw()
        self.assertEqual(len(sample.scorecard_ids), 3)
        self._done_calls(self.caller_cleo, 1, day=20)
        late = self._done_calls(self.caller_agnes, 1, day=21)
        sample.action_draw()
        sample.invalidate_recordset(["scorecard_ids"])
        self.assertEqual(len(sample.scorecard_ids), 4)
        added = sample.scorecard_ids.filtered(lambda c: c.caller_id == self.caller_agnes)
        self.assertEqual(added.call_id.ids, self._lowest(self.agnes_calls | late, 7, 1))

    def test_cards_carry_the_checklist_and_conduct_items(self):
        sample = self._sample(percent=10.0, seed=7)
        sample.action_draw()
        card = sample.scorecard_ids[:1]
        self.assertEqual(
            card.line_ids.mapped("name"),
            [
                "Happy with our service?",
                "Score the last delivery",
                "Next need",
                "Greeting",
                "Closing",
            ],
        )
        self.assertEqual(card.line_ids.mapped("kind"), ["checklist"] * 3 + ["conduct"] * 2)

    def test_frozen_once_drawn(self):
        sample = self._sample()
        sample.action_draw()
        with self.assertRaises(UserError):
            sample.seed = 8
        with self.assertRaises(UserError):
            sample.write({"state": "draft"})

    def test_cron_draws_last_month_once(self):
        Sample = self.env["crm.call.qa.sample"]
        Sample._cron_draw_samples()
        samples = Sample.search([("company_id", "=", self.env.company.id)])
        count = len(samples.scorecard_ids)
        Sample._cron_draw_samples()
        samples = Sample.search([("company_id", "=", self.env.company.id)])
        self.assertEqual(len(samples.scorecard_ids), count)

    def test_large_draw_in_queued_chunks(self):
        """Over CHUNK_SIZE callers (here 1), one queued job per chunk of
        callers; the jobs draw what the inline draw does, and a chunk run
        twice (a retry) adds nothing."""
        sample = self._sample(percent=30.0, seed=11)
        with patch.object(sample_module, "CHUNK_SIZE", 1), trap_jobs() as trap:
            sample.action_draw()
            trap.assert_jobs_count(3)
            self.assertFalse(sample.scorecard_ids)
            trap.perform_enqueued_jobs()
        sample.invalidate_recordset(["scorecard_ids"])
        # 30 %: Carl 5, Cleo 2, Agnes 1 (see above)
        self.assertEqual(len(sample.scorecard_ids), 8)
        self.caller_cleo._ccare_qa_draw(sample.id)
        sample.invalidate_recordset(["scorecard_ids"])
        self.assertEqual(len(sample.scorecard_ids), 8)
