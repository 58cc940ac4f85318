from datetime import datetime
from datetime import timedelta

from odoo.tests import tagged

from .test_stage_history import StageHistoryCommon

BASE = datetime(2024, 3, 1, 9, 0, 0)


@tagged("post_install", "-at_install", "ccare_sales_record")
class TestSalesStatistics(StageHistoryCommon):
    """Four leads with a known story (days after 1 March 2024):

    A: New (0) -> Qualified (2) -> Won (5), 1,000
    B: New (0) -> Qualified (4) -> New (6) -> lost on day 8 (reason "Too expensive")
    C: New (0) -> Won (10), 3,000
    D: New (0), still open
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reason = cls.env["crm.lost.reason"].create({"name": "SR Too expensive"})
        Lead = cls.env["crm.lead"]
        cls.lead_a, cls.lead_b, cls.lead_c, cls.lead_d = Lead.create(
            [
                {
                    "name": name,
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "stage_id": cls.stage_new.id,
                    "expected_revenue": revenue,
                }
                for name, revenue in (("A", 1000), ("B", 500), ("C", 3000), ("D", 800))
            ]
        )
        leads = cls.lead_a | cls.lead_b | cls.lead_c | cls.lead_d
        cls._date_last(leads, 0)
        cls._move(cls.lead_a, cls.stage_qualified, 2)
        cls._move(cls.lead_a, cls.stage_won, 5)
        cls._move(cls.lead_b, cls.stage_qualified, 4)
        cls._move(cls.lead_b, cls.stage_new, 6)
        cls.lead_b.action_set_lost(lost_reason_id=cls.reason.id)
        cls._move(cls.lead_c, cls.stage_won, 10)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = ANY(%s)", [BASE, leads.ids]
        )
        for lead, day in ((cls.lead_a, 5), (cls.lead_b, 8), (cls.lead_c, 10)):
            cls.env.cr.execute(
                "UPDATE crm_lead SET date_closed = %s WHERE id = %s",
                [BASE + timedelta(days=day), lead.id],
            )
        cls.env.invalidate_all()
        cls.domain = [("team_id", "=", cls.team.id)]

    @classmethod
    def _date_last(cls, leads, day):
        """Date the latest stage line of each lead ``day`` days after BASE."""
        cls.env.cr.flush()  # the stage record is written once per flush
        cls.env.cr.execute(
            """
            UPDATE crm_lead_stage_history SET date = %s
             WHERE id IN (SELECT max(id) FROM crm_lead_stage_history
                           WHERE lead_id = ANY(%s) GROUP BY lead_id)
            """,
            [BASE + timedelta(days=day), leads.ids],
        )

    @classmethod
    def _move(cls, lead, stage, day):
        lead.write({"stage_id": stage.id})
        cls._date_last(lead, day)

    def test_per_stage(self):
        Report = self.env["crm.sales.cycle.report"]
        rows = {
            stage: (entries, advanced, won, days)
            for stage, entries, advanced, won, days in Report._read_group(
                self.domain,
                ["stage_id"],
                [
                    "entry_count:sum",
                    "advanced_rate:avg",
                    "won_rate:avg",
                    "days_in_stage:avg",
                ],
            )
        }
        entries, advanced, won, days = rows[self.stage_new]
        self.assertEqual(entries, 5, "A, B twice, C, D entered New")
        # left forward: A, B (1st), C; B (2nd) was lost there; D undecided
        self.assertAlmostEqual(advanced, 75.0)
        # eventually won: A, C out of A, B, B, C (D undecided)
        self.assertAlmostEqual(won, 50.0)
        self.assertAlmostEqual(days, (2 + 4 + 10) / 3)
        entries, advanced, won, days = rows[self.stage_qualified]
        self.assertEqual(entries, 2)
        self.assertAlmostEqual(advanced, 50.0, msg="A moved on to Won, B went back to New")
        self.assertAlmostEqual(days, (3 + 2) / 2)
        self.assertEqual(rows[self.stage_won][0], 2)

    def test_next_stage_and_conversion_pairs(self):
        Report = self.env["crm.sales.cycle.report"]
        pairs = {
            (stage, nxt): count
            for stage, nxt, count in Report._read_group(
                [*self.domain, ("next_stage_id", "!=", False)],
                ["stage_id", "next_stage_id"],
                ["entry_count:sum"],
            )
        }
        self.assertEqual(pairs[(self.stage_new, self.stage_qualified)], 2)
        self.assertEqual(pairs[(self.stage_new, self.stage_won)], 1)
        self.assertEqual(pairs[(self.stage_qualified, self.stage_won)], 1)
        self.assertEqual(pairs[(self.stage_qualified, self.stage_new)], 1)

    def test_per_lead_win_loss_and_cycle(self):
        Report = self.env["crm.sales.cycle.lead.report"]
        total = Report._read_group(
            self.domain,
            [],
            [
                "lead_count:sum",
                "won_count:sum",
                "lost_count:sum",
                "win_rate:avg",
                "days_to_won:avg",
                "won_revenue:sum",
            ],
        )[0]
        self.assertEqual(total[:3], (4, 2, 1))
        self.assertAlmostEqual(total[3], 200 / 3)
        self.assertAlmostEqual(total[4], 7.5)
        self.assertEqual(total[5], 4000)
        reasons = dict(
            Report._read_group(
                [*self.domain, ("won_status", "=", "lost")], ["lost_reason_id"], ["__count"]
            )
        )
        self.assertEqual(reasons, {self.reason: 1})
        stage_changes = dict(
            Report._read_group(self.domain, ["lead_id"], ["stage_change_count:sum"])
        )
        self.assertEqual(stage_changes[self.lead_b], 2)
        self.assertEqual(stage_changes[self.lead_d], 0)

    def test_velocity(self):
        (row,) = self.env["crm.sales.cycle.lead.report"]._ccare_velocity(self.domain)
        # 4 opportunities x 2/3 won x 2,000 average won deal / 7.5 days
        self.assertAlmostEqual(row["velocity"], 4 * (2 / 3) * 2000 / 7.5)
        self.assertAlmostEqual(row["win_rate"], 200 / 3)
        by_user = self.env["crm.sales.cycle.lead.report"]._ccare_velocity(self.domain, ["user_id"])
        self.assertTrue(by_user)

    def test_period_grouping(self):
        rows = self.env["crm.sales.cycle.report"]._read_group(
            self.domain, ["date_in:month"], ["entry_count:sum"]
        )
        self.assertEqual([count for _month, count in rows], [9])

    def test_activity_report(self):
        self.lead_d.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.care_user.id, summary="Call D"
        )
        activity = self.lead_a.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.care_user.id
        )
        activity.action_feedback("done")
        self.env["calendar.event"].create(
            {
                "name": "Meet C",
                "opportunity_id": self.lead_c.id,
                "user_id": self.care_user.id,
                "start": BASE,
                "stop": BASE + timedelta(hours=1),
            }
        )
        self.env.flush_all()
        rows = dict(
            self.env["crm.sales.activity.report"]._read_group(
                [("lead_id", "in", (self.lead_a | self.lead_c | self.lead_d).ids)],
                ["kind"],
                ["activity_count:sum"],
            )
        )
        self.assertEqual(rows.get("activity_open"), 1)
        self.assertEqual(rows.get("meeting"), 1)
        self.assertEqual(rows.get("activity_done"), 1)
