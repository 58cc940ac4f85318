from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import InvoicingMixin
from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.addons.crm_relationship_programme.models.crm_relationship_programme import (
    _holdout_fraction,
)
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools import mute_logger

START = date(2025, 1, 1)
END = date(2025, 6, 30)


class EffectivenessCommon(InvoicingMixin, LoyaltyCommon, AccountTestInvoicingCommon):
    """Seven customers of one segment in a programme running over the first
    half of 2025 with a 30% holdout: a seed is picked that holds out exactly
    two of them, so the figures below are known whatever ids the database
    gives. Of the five invited, one withdrew consent: four members."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a segment whose rule holds these customers: invoices re-evaluate
        # segments, so a rule that matches nobody would empty it
        cls.eff_segment = cls.env["crm.customer.segment"].create(
            {
                "name": "Effectiveness",
                "domain": "[('email', '=like', 'eff%@example.com')]",
                "sequence": 0,
            }
        )
        customers = cls._customers(7, prefix="Eff")
        cls.env.cr.flush()  # segments are assigned once per transaction
        assert customers.segment_id == cls.eff_segment
        seed = cls._seed_holding_out(customers, 0.30, 2)
        held = customers.filtered(lambda p: _holdout_fraction(seed, p.id) < 0.30)
        invited = customers - held
        cls.refuser = invited[0]
        cls.refuser._ccare_record_consent("marketing", "email", "withdrawn")
        cls.m1, cls.m2, cls.m3, cls.m4 = invited[1:]
        cls.h1, cls.h2 = held
        cls.programme = cls.env["crm.relationship.programme"].create(
            {
                "name": "Half-year Club",
                "segment_ids": [Command.set(cls.eff_segment.ids)],
                "date_start": START,
                "date_end": END,
                "holdout_percent": 30,
                "holdout_seed": seed,
                "loyalty_program_id": cls.program.id,
                "point_value": 0.5,
            }
        )
        cls.programme.action_start()

    @classmethod
    def get_default_groups(cls):
        # the invoicing tests run as a non-admin user: make it a loyalty
        # manager, who designs programmes and reads their effectiveness
        return (
            super().get_default_groups()
            | cls.env.ref("crm_loyalty.group_crm_loyalty_manager")
            | cls.env.ref("crm_customer_care.group_crm_customer_care_manager")
            | cls.env.ref("survey.group_survey_manager")
        )

    @classmethod
    def _seed_holding_out(cls, partners, share, count):
        for seed in range(1, 10000):
            if sum(_holdout_fraction(seed, p.id) < share for p in partners) == count:
                return seed
        raise AssertionError("no seed holds out exactly %s customers" % count)

    @classmethod
    def _backdate(cls, records, when):
        """create_date is set by the database clock: move it to ``when``."""
        cls.env.flush_all()
        cls.env.cr.execute(
            SQL(
                "UPDATE %s SET create_date = %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                when,
                records.ids,
            )
        )
        records.invalidate_recordset(["create_date"])


@tagged("post_install", "-at_install")
class TestEffectiveness(EffectivenessCommon):
    """The figures a manager takes to a meeting, on known data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # members, in the period: m1 three invoices (1,000 + 300 + 200),
        # m2 one on the last day (800), m3 one of 1,200 and a refund of 200;
        # m4 bought only before the start
        cls._sell(cls.m1, date(2025, 2, 10), 1000)
        cls._sell(cls.m1, date(2025, 3, 10), 300)
        cls._sell(cls.m1, date(2025, 4, 20), 200)
        cls._sell(cls.m2, END, 800)
        cls._sell(cls.m2, date(2025, 3, 1), 10000, post=False)  # draft: not revenue
        cls._sell(cls.m3, date(2025, 5, 15), 1200)
        cls._sell(cls.m3, date(2025, 5, 20), 200, move_type="out_refund")
        cls._sell(cls.m4, date(2024, 12, 20), 900)
        # holdout: h1 on the first day (600), h2 300 in and 700 after the period
        cls._sell(cls.h1, START, 600)
        cls._sell(cls.h2, date(2025, 2, 1), 300)
        cls._sell(cls.h2, date(2025, 7, 15), 700)
        # not a participant: never counted
        cls._sell(cls.refuser, date(2025, 3, 1), 5000)
        cls.programme.cost_line_ids = [
            Command.create({"name": "Mailing", "amount_planned": 1000, "amount_actual": 400}),
            Command.create({"name": "Event", "amount_planned": 500, "amount_actual": 140}),
        ]
        cls.programme.kpi_ids = [
            Command.create({"kpi_type": "participation", "target": 75}),
            Command.create({"kpi_type": "revenue_uplift", "target": 100}),
            Command.create({"kpi_type": "roi", "target": 50}),
        ]

    def _redeem(self, partner, points, when):
        card = self.programme.participant_ids.filtered(lambda p: p.partner_id == partner).card_id
        request = self.env["crm.loyalty.redemption"].create({"card_id": card.id, "points": points})
        self._backdate(request, when)
        return request

    def _redemptions(self):
        """m1 redeems 120 points in the period and 50 after it; a request
        of 30 in the period is cancelled."""
        card = self.programme.participant_ids.filtered(lambda p: p.partner_id == self.m1).card_id
        card._loyalty_points_add({card.id: 300}, "manual", "Welcome points")
        self._redeem(self.m1, 120, "2025-03-15 10:00:00")
        self._redeem(self.m1, 50, "2025-08-01 10:00:00")
        # cancelled last, not flushed: the figures must still see it
        self._redeem(self.m1, 30, "2025-04-01 10:00:00").action_cancel()

    def test_enrolment(self):
        programme = self.programme
        members = programme.participant_ids.filtered(lambda p: p.group == "member")
        holdout = programme.participant_ids - members
        self.assertEqual(members.partner_id, self.m1 | self.m2 | self.m3 | self.m4)
        self.assertEqual(holdout.partner_id, self.h1 | self.h2)
        self.assertNotIn(self.refuser, programme.participant_ids.partner_id)
        self.assertEqual(programme.eligible_count, 7)
        # 7 eligible - 2 held out = 5 invited, 4 enrolled: 4 / 5 = 80%
        self.assertAlmostEqual(programme.participation_rate, 80.0)

    def test_participation_after_segment_moves(self):
        """Segments follow the data: a member and a held-out customer who
        leave the segment after enrolment still count as eligible; a
        newcomer not enrolled yet counts as invited."""
        (self.m4 | self.h2).write({"email": "moved@example.com"})
        self.assertNotEqual(self.m4.segment_id, self.eff_segment)
        self.assertNotEqual(self.h2.segment_id, self.eff_segment)
        self.programme.invalidate_recordset()
        self.assertEqual(self.programme.eligible_count, 7)
        self.assertAlmostEqual(self.programme.participation_rate, 80.0)
        newcomer = self._customers(1, prefix="Eff Late")
        self.assertEqual(newcomer.segment_id, self.eff_segment)
        self.programme.invalidate_recordset()
        # 8 eligible - 2 held out = 6 invited, 4 members: 66.67%
        self.assertEqual(self.programme.eligible_count, 8)
        self.assertAlmostEqual(self.programme.participation_rate, 100.0 * 4 / 6)

    def test_revenue_frequency_retention(self):
        programme = self.programme
        # members: 1,500 (m1) + 800 (m2) + 1,200 - 200 (m3) + 0 (m4) = 3,300 / 4 = 825
        self.assertAlmostEqual(programme.revenue_member, 825.0)
        # holdout: 600 (h1) + 300 (h2; its 700 is after the end) = 900 / 2 = 450
        self.assertAlmostEqual(programme.revenue_holdout, 450.0)
        # (825 - 450) / 450 = 83.33%
        self.assertAlmostEqual(programme.revenue_uplift, 100.0 * 375 / 450)
        # purchases (invoices, refunds not counted): 3 + 1 + 1 + 0 = 5 / 4 = 1.25
        self.assertAlmostEqual(programme.frequency_member, 1.25)
        # 1 + 1 = 2 / 2 = 1.0, uplift (1.25 - 1) / 1 = 25%
        self.assertAlmostEqual(programme.frequency_holdout, 1.0)
        self.assertAlmostEqual(programme.frequency_uplift, 25.0)
        # bought in the period: 3 of 4 members (not m4), both holdout
        self.assertAlmostEqual(programme.retention_member, 75.0)
        self.assertAlmostEqual(programme.retention_holdout, 100.0)
        self.assertAlmostEqual(programme.retention_uplift, -25.0)
        # (825 - 450) x 4 members = 1,500
        self.assertAlmostEqual(programme.incremental_revenue, 1500.0)
        Report = self.env["crm.relationship.effectiveness.report"]
        # one row per participant, the holdout included
        self.assertEqual(Report.search_count([("programme_id", "=", programme.id)]), 6)
        row = Report.search([("programme_id", "=", programme.id), ("partner_id", "=", self.m3.id)])
        self.assertRecordValues(
            row, [{"group": "member", "revenue": 1000.0, "invoice_count": 1, "retained": 1}]
        )

    def test_costs_and_roi(self):
        self._redemptions()
        programme = self.programme
        self.assertEqual(programme.cost_planned, 1500.0)
        self.assertEqual(programme.cost_actual, 540.0)  # 400 + 140
        # only the 120 points redeemed in the period: 120 x 0.5 = 60
        self.assertAlmostEqual(programme.reward_cost, 60.0)
        self.assertAlmostEqual(programme.total_cost, 600.0)  # 540 + 60
        # the lines carry no product (no cost of goods): the gross margin is
        # the revenue, 825 per member and 450 per held-out customer, so
        # (825 - 450) x 4 members = 1,500
        self.assertAlmostEqual(programme.margin_member, 825.0)
        self.assertAlmostEqual(programme.margin_holdout, 450.0)
        self.assertAlmostEqual(programme.incremental_margin, 1500.0)
        # (1,500 - 600) / 600 = 150%
        self.assertAlmostEqual(programme.roi, 150.0)
        # m1 redeemed: 1 active member of 4
        self.assertAlmostEqual(programme.active_rate, 25.0)

    def test_roi_not_measurable_without_holdout(self):
        """Issue 26: with no holdout the incremental margin is unknown, not
        0, so the ROI is "not measurable" (not -100 %): the same costs and
        members as above, the holdout's sums and moments empty."""
        self._redemptions()
        programme = self.programme
        self.assertTrue(programme.roi_measurable)
        empty = {"n": 0, "mean": 0.0, "var": 0.0, "margin": 0.0}
        members = {"n": 4, "mean": 825.0, "var": 0.0, "margin": 825.0}
        figures = programme._loyalty_effectiveness_figures(
            (4, 3300.0, 4, 4, 1, 120.0), (0, 0.0, 0, 0, 0, 0.0), members, empty, 5
        )
        self.assertFalse(figures["roi_measurable"])
        self.assertEqual(figures["roi"], 0.0)
        self.assertAlmostEqual(figures["total_cost"], 600.0)
        # the card, the form and the PDF say so instead of a figure
        for view in ("kanban", "form"):
            arch = programme.get_views([(False, view)])["views"][view]["arch"]
            self.assertIn("not measurable", arch)
        template = self.env.ref("crm_relationship_programme.report_programme_effectiveness")
        self.assertIn("not measurable", template.arch)

    def test_uplift_interval(self):
        """Welch's 95% interval of the revenue difference, by hand.

        members 1,500, 800, 1,000, 0: n 4, mean 825, s² 1,167,500 / 3 = 389,166.67
        holdout 600, 300:             n 2, mean 450, s² 45,000
        se² = 389,166.67 / 4 + 45,000 / 2 = 119,791.67, se = 346.1093
        df = se⁴ / ((97,291.67)² / 3 + 22,500² / 1) = 3.9192
        t(0.975; 3.9192) = 2.79917 (between the tables' 2.776 at 4 and 3.182
        at 3 df; by Simpson integration of the t density)
        375 ± 2.79917 x 346.1093 = [-593.82, 1,343.82]: contains 0, not
        significant, however large the 83% uplift looks.
        """
        programme = self.programme
        self.assertEqual((programme.member_count, programme.holdout_count), (4, 2))
        self.assertAlmostEqual(programme.revenue_difference, 375.0)
        self.assertAlmostEqual(programme.revenue_ci_low, 375 - 2.79917 * 346.1093, places=1)
        self.assertAlmostEqual(programme.revenue_ci_high, 375 + 2.79917 * 346.1093, places=1)
        self.assertAlmostEqual(programme.revenue_ci_low, -593.82, places=2)
        self.assertAlmostEqual(programme.revenue_ci_high, 1343.82, places=2)
        self.assertEqual(programme.revenue_significance, "not_significant")

    def test_kpi_actual_vs_target(self):
        self._redemptions()
        kpis = {kpi.kpi_type: kpi for kpi in self.programme.kpi_ids}
        # participation 80 vs 75: achieved, 80 / 75 = 106.67%
        self.assertAlmostEqual(kpis["participation"].actual, 80.0)
        self.assertTrue(kpis["participation"].achieved)
        self.assertAlmostEqual(kpis["participation"].achieved_percent, 100.0 * 80 / 75)
        # revenue uplift 83.33 vs 100: missed, 83.33%
        self.assertAlmostEqual(kpis["revenue_uplift"].actual, 100.0 * 375 / 450)
        self.assertFalse(kpis["revenue_uplift"].achieved)
        self.assertAlmostEqual(kpis["revenue_uplift"].achieved_percent, 100.0 * 375 / 450)
        # ROI 150 vs 50: achieved, three times the target
        self.assertAlmostEqual(kpis["roi"].actual, 150.0)
        self.assertTrue(kpis["roi"].achieved)
        self.assertAlmostEqual(kpis["roi"].achieved_percent, 300.0)

    def test_bad_input(self):
        CostLine = self.env["crm.relationship.cost.line"]
        for amounts in ({"amount_actual": -10}, {"amount_planned": -10}):
            with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
                CostLine.create({"programme_id": self.programme.id, "name": "Refund?", **amounts})
                self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.programme.budget = -1
            self.env.flush_all()
        with self.assertRaisesRegex(ValidationError, "End must not be before Start"):
            self.programme.date_end = date(2024, 12, 31)
        self.assertEqual(self.programme.cost_actual, 540.0)


@tagged("post_install", "-at_install")
class TestFeedback(EffectivenessCommon):
    """A survey of the programme, with an NPS question (0-10) and a
    satisfaction question (1-5), answered before and after the start."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "How are we doing?",
                "crm_programme_id": cls.programme.id,
                "question_and_page_ids": [
                    Command.create(
                        {
                            "title": "How likely are you to recommend us?",
                            "question_type": "scale",
                            "scale_min": 0,
                            "scale_max": 10,
                        }
                    ),
                    Command.create(
                        {
                            "title": "How satisfied are you?",
                            "question_type": "scale",
                            "scale_min": 1,
                            "scale_max": 5,
                        }
                    ),
                ],
            }
        )
        cls.q_nps, cls.q_satisfaction = cls.survey.question_ids
        cls.respondents = cls._customers(13, prefix="Resp")

    @classmethod
    def _answer(cls, partner, nps=None, satisfaction=None, done=True, **values):
        user_input = cls.env["survey.user_input"].create(
            {"survey_id": cls.survey.id, "partner_id": partner.id, **values}
        )
        for question, value in ((cls.q_nps, nps), (cls.q_satisfaction, satisfaction)):
            if value is not None:
                cls.env["survey.user_input.line"].create(
                    {
                        "user_input_id": user_input.id,
                        "question_id": question.id,
                        "answer_type": "scale",
                        "value_scale": value,
                    }
                )
        if done:
            user_input._mark_done()
        return user_input

    def _feedback(self):
        """Before the start (December 2024): 9, 7, 5, 3 and a satisfaction
        of 1 of 5. After it: 10, 9, 9, 8, 6 and one invited in December who
        answered 10 after the start; satisfaction 5, 4, 3, 4. Not counted:
        an invitation never opened, an answer left half-way (NPS 0), a test
        entry (NPS 0, satisfaction 1)."""
        people = iter(self.respondents)
        before = self.env["survey.user_input"]
        for nps, satisfaction in ((9, 1), (7, None), (5, None), (3, None)):
            before |= self._answer(next(people), nps, satisfaction)
        before.end_datetime = "2024-12-10 10:00:00"
        self._backdate(before, "2024-12-10 09:00:00")
        for nps, satisfaction in ((10, 5), (9, 4), (9, 3), (8, 4), (6, None)):
            self._answer(next(people), nps, satisfaction)
        invited_early = self._answer(next(people), done=False)
        self._backdate(invited_early, "2024-12-20 09:00:00")
        self.env["survey.user_input.line"].create(
            {
                "user_input_id": invited_early.id,
                "question_id": self.q_nps.id,
                "answer_type": "scale",
                "value_scale": 10,
            }
        )
        invited_early._mark_done()
        self._answer(next(people), done=False)
        self._answer(next(people), nps=0, done=False, state="in_progress")
        self._answer(next(people), nps=0, satisfaction=1, test_entry=True)

    def test_nps_question_recognised(self):
        self.assertTrue(self.q_nps.crm_is_nps)
        self.assertFalse(self.q_satisfaction.crm_is_nps)
        # 1-10 is not the NPS scale
        self.q_nps.scale_min = 1
        self.assertFalse(self.q_nps.crm_is_nps)

    def test_nps_satisfaction_response_rate(self):
        self._feedback()
        programme = self.programme
        # before: promoters 1 of 4 (9), detractors 2 of 4 (5, 3): 25 - 50 = -25
        self.assertAlmostEqual(programme.nps_before, -25.0)
        # after: promoters 4 of 6 (10, 9, 9, 10), detractors 1 of 6 (6):
        # 66.67 - 16.67 = 50; the early invitation counts when answered
        self.assertAlmostEqual(programme.nps_after, 50.0)
        self.assertAlmostEqual(programme.nps_change, 75.0)
        # after only, on 0-100: (5, 4, 3, 4) -> (100, 75, 50, 75) -> 75
        self.assertAlmostEqual(programme.satisfaction, 75.0)
        # 10 answered of 12 asked (the test entry is nobody's answer)
        self.assertAlmostEqual(programme.response_rate, 100.0 * 10 / 12)
        kpi = self.env["crm.relationship.kpi"].create(
            {"programme_id": programme.id, "kpi_type": "nps", "target": 40}
        )
        self.assertAlmostEqual(kpi.actual, 50.0)
        self.assertTrue(kpi.achieved)
        self.assertAlmostEqual(kpi.achieved_percent, 125.0)

    def _survey_points(self, partner):
        card = self.env["loyalty.card"].search(
            [("program_id", "=", self.program.id), ("partner_id", "=", partner.id)]
        )
        lots = card.crm_lot_ids.filtered(lambda lot: lot.source == "survey_answered")
        return sum(lots.mapped("points"))

    def _member_card(self, partner):
        return self.programme.participant_ids.filtered(lambda p: p.partner_id == partner).card_id

    def test_no_points_without_rule(self):
        self._answer(self.m1, 9, 4)
        self.assertEqual(self._survey_points(self.m1), 0)
        self.assertEqual(self._member_card(self.m1).points, 0)

    def test_points_rule_once_per_answer(self):
        self.env["crm.loyalty.points.rule"].create(
            {"program_id": self.program.id, "event": "survey_answered", "points": 15}
        )
        answer = self._answer(self.m1, 9, 4)
        self.assertEqual(self._survey_points(self.m1), 15)
        # submitted again: still one earning
        answer._mark_done()
        self.assertEqual(self._survey_points(self.m1), 15)
        self.assertEqual(self._member_card(self.m1).points, 15)
        # a second answer earns again; a test entry never does
        self._answer(self.m1, 10, 5)
        self._answer(self.m2, 10, 5, test_entry=True)
        self.assertEqual(self._survey_points(self.m1), 30)
        self.assertEqual(self._survey_points(self.m2), 0)
        # answering marks the member active
        participant = self.programme.participant_ids.filtered(lambda p: p.partner_id == self.m1)
        self.assertEqual(participant.state, "active")

    def test_holdout_answers_count_but_earn_nothing(self):
        self.env["crm.loyalty.points.rule"].create(
            {"program_id": self.program.id, "event": "survey_answered", "points": 15}
        )
        self._answer(self.h1, 3, 2)
        self.assertEqual(self._survey_points(self.h1), 0, "a reward would treat the holdout")
        self.assertFalse(
            self.env["loyalty.card"].search(
                [("partner_id", "=", self.h1.id), ("program_id", "=", self.program.id)]
            ),
            "no card is opened for a holdout member",
        )
        self._answer(self.m1, 9, 4)
        self.assertEqual(self._survey_points(self.m1), 15)

    def test_survey_points_override_rule(self):
        self.env["crm.loyalty.points.rule"].create(
            {"program_id": self.program.id, "event": "survey_answered", "points": 15}
        )
        self.survey.crm_points_on_completion = 20
        self._answer(self.m3, 7)
        self.assertEqual(self._survey_points(self.m3), 20)

    def test_survey_points_not_negative(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.survey.crm_points_on_completion = -5
            self.env.flush_all()
