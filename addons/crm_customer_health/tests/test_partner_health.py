from datetime import date
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.common import InvoicingMixin
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import tagged

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install")
@freeze_time("2026-06-30 10:00:00")
class TestPartnerHealth(InvoicingMixin, CustomerCareCommon, AccountTestInvoicingCommon):
    """Health and lifecycle of four customers on 2026-06-30 (thresholds:
    at risk after 90 days, lapsed after 365, health floor 40):

    - loyal: an invoice of 1,000 every month for a year -> active, healthy;
    - slipping: one invoice of 1,000, 120 days ago -> at risk;
    - gone: one invoice of 5,000, 400 days ago -> lapsed;
    - prospect: never invoiced.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.loyal = Partner.create({"name": "Loyal Ltd", "is_company": True})
        cls.slipping = Partner.create({"name": "Slipping Ltd", "is_company": True})
        cls.gone = Partner.create({"name": "Gone Ltd", "is_company": True})
        cls.prospect = Partner.create({"name": "Prospect Ltd", "is_company": True})
        for months in range(12):
            cls._sell(cls.loyal, TODAY - timedelta(days=30 * months + 5), 1000)
        cls._sell(cls.slipping, TODAY - timedelta(days=120), 1000)
        cls._sell(cls.gone, TODAY - timedelta(days=400), 5000)
        cls.customers = cls.loyal | cls.slipping | cls.gone | cls.prospect

    def test_lifecycle_stages(self):
        self.customers._ccare_recompute_health()
        self.assertEqual(
            self.customers.mapped("lifecycle_stage"), ["active", "at_risk", "lapsed", "prospect"]
        )
        self.assertEqual(self.loyal.last_purchase_date, TODAY - timedelta(days=5))

    def test_health_score_and_reasons(self):
        self.customers._ccare_recompute_health()
        self.assertGreater(self.loyal.health_score, 80)
        self.assertLess(self.slipping.health_score, self.loyal.health_score)
        self.assertEqual(self.prospect.health_score, 0)
        labels = [part["label"] for part in self.loyal.health_details]
        self.assertEqual(labels, ["Recency", "Frequency", "Monetary value"])
        explanation = str(self.loyal.health_explanation)
        self.assertIn("12 invoices in 12 months", explanation)
        self.assertIn("last purchase 5 days ago", explanation)
        # the lapsed customer has no revenue in the window: frequency 0
        gone = {p["label"]: p for p in self.gone.health_details}
        self.assertEqual(gone["Frequency"]["points"], 0)

    def test_refunds_reduce_monetary_value(self):
        self.customers._ccare_recompute_health()
        before = {p["label"]: p["points"] for p in self.slipping.health_details}
        self._sell(self.slipping, TODAY - timedelta(days=100), 900, move_type="out_refund")
        after = {p["label"]: p["points"] for p in self.slipping.health_details}
        self.assertLess(after["Monetary value"], before["Monetary value"])

    def test_thresholds_come_from_settings(self):
        self.env.company.ccare_at_risk_days = 150
        self.slipping._ccare_recompute_health()
        self.assertEqual(self.slipping.lifecycle_stage, "at_risk", "health below the floor")
        self.env.company.ccare_health_floor = 0
        self.slipping._ccare_recompute_health()
        self.assertEqual(self.slipping.lifecycle_stage, "active")

    def test_posting_an_invoice_updates_the_profile(self):
        self._sell(self.prospect, TODAY, 300)
        self.assertEqual(self.prospect.lifecycle_stage, "active")
        self.assertEqual(self.prospect.last_purchase_date, TODAY)

    def test_manual_override_is_tracked_and_reversible(self):
        self.customers._ccare_recompute_health()
        # records created in the same transaction are not tracked: forget that
        # the test created this one, as a later transaction would
        self.env.cr.precommit.data.pop("mail.tracking.res.partner", None)
        self.gone.with_context(
            tracking_disable=False, mail_notrack=False
        ).lifecycle_override = "closed"
        self.assertEqual(self.gone.lifecycle_stage, "closed")
        self.env.flush_all()
        self.env.cr.precommit.run()  # tracking values are written before commit
        self.assertTrue(
            self.gone.message_ids.tracking_value_ids.filtered(
                lambda t: t.field_id.name == "lifecycle_override"
            )
        )
        self.gone.lifecycle_override = False
        self.assertEqual(self.gone.lifecycle_stage, "lapsed")

    def test_override_belongs_to_the_company(self):
        contact = self.env["res.partner"].create({"name": "Bob", "parent_id": self.loyal.id})
        with self.assertRaisesRegex(ValidationError, "belongs to the company"):
            contact.lifecycle_override = "closed"

    def test_recompute_is_set_based(self):
        others = self.env["res.partner"].create(
            [{"name": f"Bulk {i}", "is_company": True} for i in range(40)]
        )
        self.customers._ccare_recompute_health()  # warm the caches
        self.env.invalidate_all()
        few = self.count_queries(self.customers._ccare_recompute_health)
        self.env.invalidate_all()
        many = self.count_queries((self.customers | others)._ccare_recompute_health)
        self.assertEqual(few, many)

    def test_cron_queues_chunk_jobs(self):
        with trap_jobs() as trap:
            self.env["res.partner"]._cron_recompute_health()
            self.assertTrue(trap.enqueued_jobs)
            trap.perform_enqueued_jobs()
        self.assertEqual(self.loyal.lifecycle_stage, "active")

    def test_health_history_one_row_per_change_and_day(self):
        History = self.env["crm.customer.health.history"].sudo()
        self.customers._ccare_recompute_health()
        today = History.search([("partner_id", "=", self.loyal.id), ("date", "=", TODAY)])
        self.assertEqual(len(today), 1)
        self.assertEqual(today.score, self.loyal.health_score)
        self.assertEqual(today.lifecycle_stage, "active")
        count = History.search_count([("partner_id", "in", self.customers.ids)])
        self.customers._ccare_recompute_health()
        self.assertEqual(
            History.search_count([("partner_id", "in", self.customers.ids)]),
            count,
            "nothing changed: no new row",
        )
        with freeze_time("2026-07-15 10:00:00"):
            self._sell(self.prospect, date(2026, 7, 15), 2000)
            self.prospect._ccare_recompute_health()
        moved = History.search([("partner_id", "=", self.prospect.id), ("date", "=", "2026-07-15")])
        self.assertEqual(moved.previous_score, 0)
        self.assertEqual(moved.score, self.prospect.health_score)
        self.assertEqual(moved.change, self.prospect.health_score)
        self.assertGreater(moved.change, 0)
        self.assertEqual(moved.lifecycle_stage, "active")

    def test_health_history_is_read_only_and_per_company(self):
        self.customers._ccare_recompute_health()
        History = self.env["crm.customer.health.history"]
        row = History.sudo().search([("partner_id", "=", self.loyal.id)], limit=1)
        self.assertEqual(History.with_user(self.care_user).search([("id", "=", row.id)]), row)
        with self.assertRaises(AccessError):
            row.with_user(self.care_manager).write({"score": 100})
        with self.assertRaises(AccessError):
            History.with_user(self.care_manager).create(
                {"partner_id": self.loyal.id, "date": TODAY}
            )
        other = self.env["res.company"].create({"name": "Health Company B"})
        with History._ccare_append_only_unlocked():
            foreign = History.sudo().create(
                {"partner_id": self.prospect.id, "date": date(2026, 1, 1), "company_id": other.id}
            )
        self.assertFalse(History.with_user(self.care_user).search([("id", "=", foreign.id)]))

    def test_new_customer_is_a_prospect_at_once(self):
        customer, contact = self.env["res.partner"].create(
            [{"name": "Brand New Ltd", "is_company": True}, {"name": "Solo Contact"}]
        )
        self.assertEqual(
            (customer.lifecycle_stage, contact.lifecycle_stage), ("prospect", "prospect")
        )
        child = self.env["res.partner"].create({"name": "Their buyer", "parent_id": customer.id})
        self.assertFalse(child.lifecycle_stage, "contacts follow their company's profile")
        closed = self.env["res.partner"].create(
            {"name": "Closed at import", "is_company": True, "lifecycle_override": "closed"}
        )
        self.assertEqual(closed.lifecycle_stage, "closed")


@tagged("post_install", "-at_install")
class TestHealthReasonsRpc(RpcCase):
    """The health reasons are read by every internal user; per-customer
    revenue is not (the revenue report refuses it to a care user). The
    reasons say where the customer stands, not what it spent: the score is
    the figure's, the text leaves the figure out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mail_new_test_user(
            cls.env, login="hr_care", groups="crm_customer_care.group_crm_customer_care_user"
        )
        Partner = cls.env["res.partner"]
        company = cls.env.company
        cls.customer = Partner.create({"name": "Big Spender Ltd", "is_company": True})
        cls.small = Partner.create({"name": "Small Buyer Ltd", "is_company": True})
        for partner, amount in ((cls.customer, 43310), (cls.small, 700)):
            cls.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "invoice_date": date.today() - timedelta(days=10),
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Service", "quantity": 1, "price_unit": amount, "tax_ids": []}
                        )
                    ],
                }
            ).action_post()
        (cls.customer | cls.small)._ccare_recompute_health()

    def test_reasons_leave_the_revenue_out(self):
        today = date.today()
        median = self.env["res.partner"]._ccare_median_revenue(today)
        self.assertGreater(median, 0)
        self.assertRefused(
            "hr_care",
            "crm.customer.revenue.report",
            "search_read",
            [[("commercial_partner_id", "=", self.customer.id)], ["revenue"]],
        )
        rows = self.call_kw(
            "hr_care",
            "res.partner",
            "read",
            [
                (self.customer | self.small).ids,
                ["health_score", "health_details", "health_explanation"],
            ],
        )
        company = self.env.company
        weight = company.ccare_health_weight_monetary
        for row, revenue in zip(rows, (43310, 700), strict=True):
            text = " ".join(part["reason"] for part in row["health_details"])
            text += str(row["health_explanation"])
            for figure in (str(revenue), f"{revenue:,}", str(round(median))):
                self.assertNotIn(figure, text)
            monetary = {part["label"]: part for part in row["health_details"]}["Monetary value"]
            self.assertNotRegex(monetary["reason"], r"\d", "no amount in the monetary reason")
            # the score still weighs the revenue exactly as before
            ratio = min(revenue / (company.ccare_health_monetary_cap * median), 1.0)
            self.assertEqual(monetary["points"], round(weight * ratio))
            self.assertEqual(
                row["health_score"], self.env["res.partner"].browse(row["id"]).health_score
            )
