from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.addons.crm_relationship_programme.models.crm_relationship_programme import (
    _holdout_fraction,
)
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestProgramme(LoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.members = cls._customers(60, prefix="Prog")
        cls.members.write({"segment_id": cls.segment.id})
        cls.programme = cls.env["crm.relationship.programme"].create(
            {
                "name": "Spring Club",
                "segment_ids": [(6, 0, cls.segment.ids)],
                "holdout_percent": 25,
                "holdout_seed": 4242,
                "loyalty_program_id": cls.program.id,
            }
        )

    def test_bad_input(self):
        Programme = self.env["crm.relationship.programme"]
        with self.assertRaisesRegex(ValidationError, "between 0 and 90"):
            Programme.create({"name": "Too many held out", "holdout_percent": 95})
        empty = Programme.create({"name": "No segments"})
        with self.assertRaisesRegex(UserError, "no target segment"):
            empty.action_start()
        self.assertEqual(empty.state, "draft")
        self.assertFalse(empty.participant_ids)

    def test_enrolment_with_holdout(self):
        self.programme.action_start()
        members = self.programme.participant_ids.filtered(lambda p: p.group == "member")
        holdout = self.programme.participant_ids - members
        self.assertEqual(len(members) + len(holdout), 60)
        self.assertTrue(5 <= len(holdout) <= 25, len(holdout))
        # members get a card; the holdout gets nothing and is never contacted
        self.assertEqual(members.card_id.partner_id, members.partner_id)
        cards = self.env["loyalty.card"].search([("partner_id", "in", holdout.partner_id.ids)])
        self.assertFalse(cards)
        self.assertEqual(self.programme.member_count, len(members))
        self.assertEqual(self.programme.holdout_count, len(holdout))
        # re-running enrols nobody twice
        self.programme.action_enrol()
        self.assertEqual(len(self.programme.participant_ids), 60)

    def test_holdout_is_stable(self):
        """The same seed holds out the same customers, whoever joins later."""
        self.programme.action_start()
        held = set(
            self.programme.participant_ids.filtered(lambda p: p.group == "holdout").partner_id.ids
        )
        twin = self.programme.copy({"name": "Twin", "holdout_seed": 4242})
        twin.action_start()
        twin_held = set(
            twin.participant_ids.filtered(lambda p: p.group == "holdout").partner_id.ids
        )
        self.assertEqual(held, twin_held)
        newcomers = self._customers(20, prefix="Late")
        newcomers.write({"segment_id": self.segment.id})
        self.programme.action_enrol()
        after = set(
            self.programme.participant_ids.filtered(lambda p: p.group == "holdout").partner_id.ids
        )
        self.assertEqual(after & set(self.members.ids), held)
        other_seed = self.programme.copy({"name": "Other seed", "holdout_seed": 7})
        self.assertNotEqual(other_seed._loyalty_is_holdout(self.members.ids), held)

    def test_withdrawn_consent_not_enrolled(self):
        refuser = self._customers(1, prefix="Refuser")
        refuser.write({"segment_id": self.segment.id})
        refuser._ccare_record_consent("marketing", "email", "withdrawn")
        self.programme.holdout_percent = 0
        self.programme.action_start()
        self.assertNotIn(refuser, self.programme.participant_ids.partner_id)
        self.assertEqual(self.programme.member_count, 60)

    def test_referral_gives_points(self):
        self.env["crm.loyalty.points.rule"].create(
            {"program_id": self.program.id, "event": "referral_converted", "points": 25}
        )
        referrer = self.members[0]
        referred = self.env["res.partner"].create(
            [{"name": f"Friend {i}", "referred_by_id": referrer.id} for i in range(2)]
        )
        self.env["res.partner"]._ccare_referral_converted(referred, "invoice_posted")
        card = self.env["loyalty.card"].search(
            [("partner_id", "=", referrer.id), ("program_id", "=", self.program.id)]
        )
        self.assertEqual(card.points, 50)
        self.assertEqual(set(card.crm_lot_ids.mapped("source")), {"referral_converted"})

    def test_participation_state_follows_activity(self):
        self.programme.holdout_percent = 0
        self.programme.action_start()
        member = self.programme.participant_ids[0]
        member.card_id._loyalty_points_add({member.card_id.id: 80}, "manual", "Bonus")
        reward = self.program.reward_ids[0]
        self.env["crm.loyalty.redemption"].create(
            {"card_id": member.card_id.id, "reward_id": reward.id}
        )
        self.assertEqual(member.state, "redeemed")
        self.assertEqual(member.card_id.points, 30)


@tagged("post_install", "-at_install", "ccare_figures")
class TestHoldoutAfterEligibility(LoyaltyCommon):
    """The holdout is drawn from the eligible customers (target segment and
    consent), stratified by segment: members and holdout are comparable."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.segment_2 = cls.env["crm.customer.segment"].create(
            {"name": "Loyalty Test Segment 2", "domain": "[('id', '=', 0)]", "sequence": 998}
        )
        cls.group_1 = cls._customers(20, prefix="Strat A")
        cls.group_1.write({"segment_id": cls.segment.id})
        cls.group_2 = cls._customers(10, prefix="Strat B")
        cls.group_2.write({"segment_id": cls.segment_2.id})
        cls.refusers = cls._customers(10, consent=False, prefix="Strat Refuser")
        cls.refusers.write({"segment_id": cls.segment.id})
        cls.refusers._ccare_record_consent("marketing", "email", "withdrawn")
        # a seed with which the old rule (draw first, consent after) would
        # have held out refusers: the holdout would not be like the members
        cls.seed = next(
            seed
            for seed in range(1, 10000)
            if sum(_holdout_fraction(seed, p.id) < 0.30 for p in cls.refusers) >= 3
        )
        cls.programme = cls.env["crm.relationship.programme"].create(
            {
                "name": "Stratified Club",
                "segment_ids": [(6, 0, (cls.segment | cls.segment_2).ids)],
                "holdout_percent": 30,
                "holdout_seed": cls.seed,
            }
        )

    def test_holdout_drawn_after_eligibility(self):
        self.programme.action_start()
        participants = self.programme.participant_ids
        holdout = participants.filtered(lambda p: p.group == "holdout")
        members = participants - holdout
        # no one whose consent refuses is held out (nor enrolled)
        self.assertFalse(participants.partner_id & self.refusers)
        self.assertEqual(participants.partner_id, self.group_1 | self.group_2)
        # stratified: 30% of each segment's eligible customers, 20 -> 6, 10 -> 3
        held = holdout.partner_id
        self.assertEqual(len(held & self.group_1), 6)
        self.assertEqual(len(held & self.group_2), 3)
        self.assertEqual(len(members), 21)
        # the draw is the seeded one over the eligible population, and stored
        eligible = self.group_1 | self.group_2
        self.assertEqual(set(held.ids), self.programme._loyalty_is_holdout(eligible.ids))
        self.programme.action_enrol()
        self.assertEqual(
            self.programme.participant_ids.filtered(lambda p: p.group == "holdout"), holdout
        )
