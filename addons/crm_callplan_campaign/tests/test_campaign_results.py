from datetime import date
from datetime import datetime
from datetime import time

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.addons.crm_customer_care.stats import welch_interval
from odoo.tests import tagged

START = date(2026, 6, 1)  # a Monday; two weeks: the window ends 2026-06-14 + 30 days


@tagged("post_install", "-at_install", "ccare_buying_habits")
@freeze_time("2026-06-30 10:00:00")
class TestCampaignResults(CallPlanCommon, AccountTestInvoicingCommon):
    """A campaign over a list of ten SMB customers with a 30% holdout:
    round(3.0) = 3 held out, 7 called. Product P (cost 40) is suggested to
    all of them since 2026-05-01; Q (cost 200) was suggested too but that
    suggestion closed on 2026-05-15, before the campaign. In the window
    (2026-06-01 .. 2026-07-14), by rank in each group (ids ascending):

    =========  ========================  ==================  ======  ======
    unit       opportunity               invoices            P rev.  margin
    =========  ========================  ==================  ======  ======
    called 1   won 2026-06-30            P 100               100      60
    called 2   won 2026-06-30            P 300               300     260
    called 3   pending                   Q 500                 0     300
    called 4   won 2026-05-20 (before)   -                     0       0
    called 5   -                         P 1000 on 07-20       0       0
    called 6-7 -                         -                     0       0
    holdout 1  won 2026-06-30            P 60                 60      20
    holdout 2  -                         -                     0       0
    holdout 3  -                         -                     0       0
    =========  ========================  ==================  ======  ======

    Conversion 2/7 = 28.57% against 1/3 = 33.33%; suggested-product
    revenue 400/7 = 57.14 against 60/3 = 20.00 per unit (difference
    37.14); margin 620/7 = 88.57 against 20/3 = 6.67."""

    @classmethod
    def get_default_groups(cls):
        return (
            super().get_default_groups()
            | cls.env.ref("crm_callplan.group_crm_callplan_manager")
            | cls.env.ref("crm_customer_care.group_crm_customer_care_manager")
            | cls.env.ref("sales_team.group_sale_manager")
        )

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.p, cls.q = Product.create(
            [
                {"name": "Product P", "standard_price": 40.0},
                {"name": "Product Q", "standard_price": 200.0},
            ]
        )
        cls.customers = cls._partners(10)
        Suggestion = cls.env["crm.customer.next.product"].sudo()  # the job writes them
        for customer in cls.customers:
            Suggestion.create(
                [
                    {
                        "partner_id": customer.id,
                        "company_id": cls.env.company.id,
                        "product_id": cls.p.id,
                        "segment_id": cls.segment_smb.id,
                        "date_suggested": date(2026, 5, 1),
                    },
                    {
                        "partner_id": customer.id,
                        "company_id": cls.env.company.id,
                        "product_id": cls.q.id,
                        "segment_id": cls.segment_smb.id,
                        "date_suggested": date(2026, 5, 1),
                        "date_closed": date(2026, 5, 15),
                        "active": False,
                    },
                ]
            )
        cls.target = cls.env["crm.customer.target.list"].create(
            {
                "name": "Results list",
                "partner_domain": repr([("id", "in", cls.customers.ids)]),
                "holdout_percent": 30.0,
            }
        )

    def _campaign(self):
        run = self.env["crm.call.plan.run"].create(
            {
                "date_from": START,
                "horizon_weeks": 2,
                "target_list_id": self.target.id,
                "campaign_policy_id": self.policy_smb.id,
            }
        )
        run.action_generate()
        return run

    def _sell(self, partner, when, product, amount):
        return self._create_invoice(
            move_type="out_invoice",
            partner_id=partner.id,
            invoice_date=when,
            invoice_line_ids=[
                Command.create(
                    {"product_id": product.id, "quantity": 1, "price_unit": amount, "tax_ids": []}
                )
            ],
            post=True,
        )

    def _win(self, partner, closed=None):
        lead = self.env["crm.lead"].create(
            {"name": f"Deal {partner.name}", "type": "opportunity", "partner_id": partner.id}
        )
        lead.action_set_won()
        if closed:
            lead.date_closed = datetime.combine(closed, time(12))
        return lead

    def test_results_against_holdout(self):
        run = self._campaign()
        held = run.line_ids.filtered(lambda line: line.line_type == "holdout").partner_id
        called = self.env["crm.call"].search([("plan_run_id", "=", run.id)]).partner_id
        self.assertEqual(len(held), 3)
        self.assertEqual(run.holdout_count, 3)
        self.assertEqual(len(called), 7)
        self.assertFalse(held & called, "the holdout is never called")
        self.assertEqual(held | called, self.customers)
        c, h = called.sorted("id"), held.sorted("id")
        self._win(c[0])
        self._win(c[1])
        self.env["crm.lead"].create({"name": "Pending", "partner_id": c[2].id})
        self._win(c[3], closed=date(2026, 5, 20))
        self._win(h[0])
        self._sell(c[0], date(2026, 6, 20), self.p, 100.0)
        self._sell(c[1], date(2026, 6, 20), self.p, 300.0)
        self._sell(c[2], date(2026, 6, 20), self.q, 500.0)
        self._sell(c[4], date(2026, 7, 20), self.p, 1000.0)
        self._sell(h[0], date(2026, 6, 20), self.p, 60.0)
        self.env.flush_all()
        run.invalidate_recordset()

        self.assertEqual(run.called_unit_count, 7)
        # shown rounded: percentages to 0.1, amounts to the cent
        self.assertAlmostEqual(run.conversion_called, 28.6)
        self.assertAlmostEqual(run.conversion_holdout, 33.3)
        self.assertAlmostEqual(run.revenue_called, 57.14)
        self.assertAlmostEqual(run.revenue_holdout, 20.0)
        self.assertAlmostEqual(run.margin_called, 88.57)
        self.assertAlmostEqual(run.margin_holdout, 6.67)
        # the interval of the difference, from the units' figures as listed above
        for name, called_values, held_values, scale in (
            ("conversion", [1, 1, 0, 0, 0, 0, 0], [1, 0, 0], 100.0),
            ("revenue", [100, 300, 0, 0, 0, 0, 0], [60, 0, 0], 1.0),
            ("margin", [60, 260, 300, 0, 0, 0, 0], [20, 0, 0], 1.0),
        ):
            expected = welch_interval(*_moments(called_values), *_moments(held_values))
            places = 1 if name == "conversion" else 2
            self.assertAlmostEqual(run[f"{name}_low"], expected[1] * scale, places, msg=name)
            self.assertAlmostEqual(run[f"{name}_high"], expected[2] * scale, places, msg=name)
        self.assertAlmostEqual((run.revenue_low + run.revenue_high) / 2, 37.14, 2)
        self.assertLess(run.revenue_low, 0, "seven and three customers tell nothing yet")
        self.assertFalse(run.results_note)

    def test_holdout_drawn_once_per_list(self):
        """A second campaign over the same list holds out the same customers
        (the list's stored seed), and each draw is stored on its report."""
        first = self._campaign()
        second = self._campaign()
        held = [
            run.line_ids.filtered(lambda line: line.line_type == "holdout").partner_id
            for run in (first, second)
        ]
        self.assertEqual(held[0], held[1])
        # a list with no holdout: no interval, and the report says why
        self.target.holdout_percent = 0
        third = self._campaign()
        self.assertEqual(third.holdout_count, 0)
        self.assertTrue(third.results_note)


@tagged("post_install", "-at_install", "ccare_buying_habits")
class TestNextProductHitReport(CallPlanCommon):
    """Hit rate of suggestions per caller and segment. Suggestions (open
    from the date suggested to the date closed):

    ====  ========  ===========  ===========  ====
    name  customer  suggested    closed       hit
    ====  ========  ===========  ===========  ====
    x1    X (SMB)   2026-06-01   2026-06-20   yes
    x2    X (SMB)   2026-06-01   -            no
    y1    Y (SMB)   2026-06-01   2026-06-25   yes
    y2    Y (SMB)   2026-06-01   2026-06-25   yes
    z1    Z (Key)   2026-06-01   -            no
    ====  ========  ===========  ===========  ====

    Done calls: Carl calls X on 06-10; Cleo calls Y on 06-10 and 06-12, and
    X on 06-22 (x1 is closed by then, x2 is open). Rows: x1/Carl, x2/Carl,
    x2/Cleo, y1/Cleo and y2/Cleo (2 calls each), z1/nobody. Carl:
    (100 + 0) / 2 = 50%; Cleo: (0 + 100 + 100) / 3 = 66.67%; nobody: 0%.
    Per segment: SMB (100 + 0 + 0 + 100 + 100) / 5 = 60%, Key 0%."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.x, cls.y = cls._partners(2)
        cls.z = cls._partners(1, segment=cls.segment_key)
        product = cls.env["product.product"].create({"name": "Hit product"})
        other = cls.env["product.product"].create({"name": "Other product"})
        Suggestion = cls.env["crm.customer.next.product"].sudo()  # the job writes them
        june = date(2026, 6, 1)

        def suggest(partner, segment, prod, hit, closed=None):
            return Suggestion.create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.env.company.id,
                    "product_id": prod.id,
                    "segment_id": segment.id,
                    "date_suggested": june,
                    "date_closed": closed,
                    "hit_rate": 100.0 if hit else 0.0,
                    "active": not closed,
                }
            )

        cls.x1 = suggest(cls.x, cls.segment_smb, product, True, date(2026, 6, 20))
        cls.x2 = suggest(cls.x, cls.segment_smb, other, False)
        cls.y1 = suggest(cls.y, cls.segment_smb, product, True, date(2026, 6, 25))
        cls.y2 = suggest(cls.y, cls.segment_smb, other, True, date(2026, 6, 25))
        cls.z1 = suggest(cls.z, cls.segment_key, product, False)
        for partner, user, caller, day in (
            (cls.x, cls.caller, cls.caller_carl, 10),
            (cls.y, cls.caller2, cls.caller_cleo, 10),
            (cls.y, cls.caller2, cls.caller_cleo, 12),
            (cls.x, cls.caller2, cls.caller_cleo, 22),
        ):
            when = datetime(2026, 6, day, 9)
            call = cls.env["crm.call"].create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "caller_id": caller.id,
                    "planned_date": when,
                }
            )
            with call._ccare_transition():
                call.write({"state": "done", "date_done": when, "outcome": "reached"})

    def _report(self, groupby):
        Report = self.env["crm.call.next.product.report"]
        domain = [("next_product_id", "in", (self.x1 | self.x2 | self.y1 | self.y2 | self.z1).ids)]
        return {
            key: (rate, count)
            for key, rate, count in Report._read_group(
                domain, [groupby], ["hit_rate:avg", "call_count:sum"]
            )
        }

    def test_hit_rate_per_caller_and_segment(self):
        self.env.flush_all()
        rows = self.env["crm.call.next.product.report"].search(
            [("next_product_id", "in", (self.x1 | self.x2 | self.y1 | self.y2 | self.z1).ids)]
        )
        pairs = {(row.next_product_id, row.user_id) for row in rows}
        Users = self.env["res.users"]
        self.assertEqual(
            pairs,
            {
                (self.x1, self.caller),
                (self.x2, self.caller),
                (self.x2, self.caller2),
                (self.y1, self.caller2),
                (self.y2, self.caller2),
                (self.z1, Users),
            },
        )
        by_caller = self._report("user_id")
        self.assertAlmostEqual(by_caller[self.caller][0], 50.0)
        self.assertAlmostEqual(by_caller[self.caller2][0], 200 / 3)
        self.assertEqual(by_caller[self.caller2][1], 5)  # y1 and y2 twice, x2 once
        self.assertAlmostEqual(by_caller[Users][0], 0.0)
        by_segment = self._report("segment_id")
        self.assertAlmostEqual(by_segment[self.segment_smb][0], 60.0)
        self.assertAlmostEqual(by_segment[self.segment_key][0], 0.0)


def _moments(values):
    n = len(values)
    mean = sum(values) / n
    return n, mean, sum((v - mean) ** 2 for v in values) / (n - 1)
