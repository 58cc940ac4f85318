"""Fraud controls: anomaly flags on the loyalty managers' review queue,
raised by the detection job over the points journal on known data (the
figures in each reason are hand-computed), raised once, cleared with a
note, and untouchable otherwise."""

from datetime import timedelta

from odoo import fields
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL


class AnomalyWorld:
    @classmethod
    def _anomaly_world(cls):
        cls.now = fields.Datetime.now()
        cls.a, cls.b, cls.d, cls.e, cls.f = cls._customers(5, prefix="Anom")
        cls.cards = {p: cls._card(p) for p in (cls.a, cls.b, cls.d, cls.e, cls.f)}
        rows = []

        def post(partner, when, issued=0.0, used=0.0, owed=0.0, event="earn"):
            rows.append(
                (
                    when,
                    {
                        "card_id": cls.cards[partner].id,
                        "event": event,
                        "source": "other" if event == "earn" else None,
                        "issued": issued,
                        "used": used,
                        "owed": owed,
                        "description": f"test posting {len(rows)}",
                    },
                )
            )

        # A: 20 a week for 12 weeks, then 150 this week (7.5 times its median)
        for week in range(1, 13):
            post(cls.a, cls.now - timedelta(days=7 * week + 1), issued=20)
        post(cls.a, cls.now - timedelta(days=3), issued=150)
        post(cls.a, cls.now, used=10, event="redeem")  # nothing earned the day before
        # B: 60 a week, then 150 (2.5 times: usual enough); 100 earned 2 hours
        # before redeeming 90
        for week in range(1, 13):
            post(cls.b, cls.now - timedelta(days=7 * week + 1), issued=60)
        post(cls.b, cls.now - timedelta(days=3), issued=50)
        post(cls.b, cls.now - timedelta(hours=2), issued=100)
        post(cls.b, cls.now - timedelta(hours=1), used=90, event="redeem")
        # D and E are new: D earns 1000 this week against the week's median of
        # the segment (A 150, B 150, D 1000, E 20: 150), E only 20 (below 100)
        post(cls.d, cls.now - timedelta(days=2), issued=1000)
        post(cls.e, cls.now - timedelta(days=2), issued=20)
        # F spent 30 points a credit note then took back
        post(cls.f, cls.now - timedelta(days=1), owed=30, event="clawback")
        Posting = cls.env["crm.loyalty.posting"]
        Posting._loyalty_post([row for __, row in rows])
        for when, row in rows:
            cls.env.cr.execute(
                SQL(
                    "UPDATE crm_loyalty_posting SET date = %s WHERE description = %s",
                    when,
                    row["description"],
                )
            )
        # E uses D's e-mail address
        cls.e.email = cls.d.email
        cls.env.flush_all()
        cls.Anomaly = cls.env["crm.loyalty.anomaly"]

    def _flags(self, partner=None):
        domain = [("card_id", "in", [c.id for c in self.cards.values()])]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        return self.Anomaly.search(domain)


@tagged("post_install", "-at_install")
class TestAnomalyDetection(AnomalyWorld, LoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._anomaly_world()

    def test_each_rule_on_known_data(self):
        self.Anomaly._loyalty_detect_anomalies(now=self.now)
        flags = {(f.partner_id, f.kind): f for f in self._flags()}
        self.assertEqual(
            set(flags),
            {
                (self.a, "velocity"),
                (self.d, "velocity"),
                (self.b, "redeem_after_earn"),
                (self.d, "shared_contact"),
                (self.e, "shared_contact"),
                (self.f, "refunded_source"),
            },
        )
        self.assertEqual(
            flags[self.a, "velocity"].reason,
            "Earned 150.00 points in the last 7 days: 7.5 times the median of 20.00 "
            "(the member's own weeks).",
        )
        self.assertEqual(
            flags[self.d, "velocity"].reason,
            "Earned 1000.00 points in the last 7 days: 6.7 times the median of 150.00 "
            "(the members of the same segment this week).",
        )
        self.assertEqual(
            flags[self.b, "redeem_after_earn"].reason,
            "Redeemed 90.00 points within 24 hours of earning 100.00 points.",
        )
        # the breadcrumb of the review form names the rule and the member
        self.assertEqual(
            flags[self.b, "redeem_after_earn"].display_name,
            f"Redeemed right after earning: {self.b.display_name}",
        )
        self.assertEqual(
            flags[self.e, "shared_contact"].reason,
            "Shares its e-mail address with 1 other member account(s).",
        )
        self.assertNotIn(self.d.email, flags[self.e, "shared_contact"].reason)
        self.assertIn("30.00 points were spent", flags[self.f, "refunded_source"].reason)
        self.assertEqual(set(self._flags().mapped("state")), {"open"})

    def test_raised_once(self):
        self.Anomaly._loyalty_detect_anomalies(now=self.now)
        count = len(self._flags())
        self.assertEqual(self.Anomaly._loyalty_detect_anomalies(now=self.now), 0)
        self.assertEqual(len(self._flags()), count)

    def test_thresholds_per_program(self):
        self.program.crm_anomaly_velocity_factor = 7
        self.Anomaly._loyalty_detect_anomalies(now=self.now)
        velocity = self._flags().filtered(lambda f: f.kind == "velocity")
        self.assertEqual(velocity.partner_id, self.a, "D's 6.7 times is under 7 now")

    def test_cleared_with_a_note_by_a_manager(self):
        self.Anomaly._loyalty_detect_anomalies(now=self.now)
        flag = self._flags(self.a).with_user(self.loyalty_manager)
        with self.assertRaisesRegex(UserError, "write a review note"):
            flag.action_clear()
        flag.clear_note = "Bought for the whole office: checked with the account manager."
        flag.action_clear()
        self.assertEqual((flag.state, flag.cleared_by_id), ("cleared", self.loyalty_manager))
        with self.assertRaises(UserError):
            flag.clear_note = "Changed my mind"
        with self.assertRaises(UserError):
            flag.unlink()
        with self.assertRaises(UserError):
            self.Anomaly.create(
                {"card_id": self.cards[self.a].id, "kind": "velocity", "key": "x", "reason": "x"}
            )

    def test_cron_queues_one_job(self):
        from odoo.addons.queue_job.tests.common import trap_jobs  # noqa: PLC0415

        with trap_jobs() as trap:
            self.Anomaly._cron_detect_anomalies()
            self.Anomaly._cron_detect_anomalies()
        trap.assert_jobs_count(1, only=self.Anomaly._loyalty_detect_anomalies)
        self.assertEqual(trap.enqueued_jobs[0].channel, "root.loyalty_anomalies")


@tagged("post_install", "-at_install")
class TestAnomalyAttacks(AnomalyWorld, RpcCase, LoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._anomaly_world()
        cls.Anomaly._loyalty_detect_anomalies(now=cls.now)

    def test_only_managers_review_and_only_through_clear(self):
        flag = self._flags(self.a)
        self.assertRefused("loy_user", "crm.loyalty.anomaly", "read", [flag.ids, ["reason"]])
        self.assertRefused("loy_user", "crm.loyalty.anomaly", "action_clear", [flag.ids])
        for vals in ({"state": "cleared"}, {"reason": "nothing"}, {"cleared_by_id": 1}):
            self.assertRefused("loy_manager", "crm.loyalty.anomaly", "write", [flag.ids, vals])
        self.assertRefused("loy_manager", "crm.loyalty.anomaly", "unlink", [flag.ids])
        self.assertEqual(flag.state, "open")
