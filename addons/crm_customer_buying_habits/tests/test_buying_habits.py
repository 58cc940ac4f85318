from datetime import date
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.tests import tagged

TODAY = date(2026, 6, 30)


@tagged("post_install", "-at_install", "ccare_buying_habits")
@freeze_time("2026-06-30 10:00:00")
class TestBuyingHabits(CustomerCareCommon, AccountTestInvoicingCommon):
    """Five customers of a fresh company on 2026-06-30, products A and B in
    category Safety, C in Office (minimum support 0.2, confidence 0.3):

    ========  ===========================  ========  =====  ======  =====
    customer  invoices (each)              last      F      M       RFM
    ========  ===========================  ========  =====  ======  =====
    c1        1 x A 100                    300 d     1      100     111
    c2        2 x (A 100 + B 50)           200 d     2      300     222
    c3        3 x (A 100 + B 100)          100 d     3      600     333
    c4        4 x (A 100 + B 100 + C 50)    50 d     4      1000    444
    c5        5 x (B 200 + C 100)            5 d     5      1500    555
    ========  ===========================  ========  =====  ======  =====

    Classes: c1 Lost (R1 F1), c2 Hibernating (R2 F2), c3 Loyal (R3 F3),
    c4 and c5 Champions. Baskets {A} {A,B} {A,B} {A,B,C} {B,C}: A in 4, B
    in 4, C in 2, A&B 3, B&C 2, A&C 1 of 5 customers, so
    A->B support 0.6 confidence 0.75 lift 0.75/0.8 = 0.9375;
    B->C support 0.4 confidence 0.5 lift 0.5/0.4 = 1.25;
    C->B confidence 1.0 lift 1.25; A->C confidence 0.25 < 0.3: no rule.
    Office share: c4 200/1000 = 20%, c5 500/1500 = 33.33%, average over
    the five = 10.667%, index c5 = 3.125.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.group_ids += cls.env.ref("crm_customer_care.group_crm_customer_care_manager")
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("crm_customer_care.rule_min_support", "0.2")
        params.set_param("crm_customer_care.rule_min_confidence", "0.3")
        Category = cls.env["product.category"]
        cls.safety = Category.create({"name": "Safety"})
        cls.office = Category.create({"name": "Office"})
        Product = cls.env["product.product"]
        cls.a, cls.b, cls.c = Product.create(
            [
                {"name": "Product A", "categ_id": cls.safety.id},
                {"name": "Product B", "categ_id": cls.safety.id},
                {"name": "Product C", "categ_id": cls.office.id},
            ]
        )
        Partner = cls.env["res.partner"]
        cls.customers = Partner.create(
            [
                {"name": f"Customer {i}", "is_company": True, "company_id": cls.env.company.id}
                for i in range(1, 6)
            ]
        )
        baskets = [
            (1, 300, [(cls.a, 100)]),
            (2, 200, [(cls.a, 100), (cls.b, 50)]),
            (3, 100, [(cls.a, 100), (cls.b, 100)]),
            (4, 50, [(cls.a, 100), (cls.b, 100), (cls.c, 50)]),
            (5, 5, [(cls.b, 200), (cls.c, 100)]),
        ]
        for customer, (count, last, lines) in zip(cls.customers, baskets):
            for n in range(count):
                cls._sell_products(customer, TODAY - timedelta(days=last + n), lines)
        cls.env["res.partner"]._ccare_compute_all_buying_habits()

    @classmethod
    def _sell_products(cls, partner, when, lines):
        return cls._create_invoice(
            move_type="out_invoice",
            partner_id=partner.id,
            invoice_date=when,
            invoice_line_ids=[
                Command.create(
                    {"product_id": p.id, "quantity": 1, "price_unit": price, "tax_ids": []}
                )
                for p, price in lines
            ],
            post=True,
        )

    def _rfm(self, customer):
        return self.env["crm.customer.rfm"].search(
            [("partner_id", "=", customer.id), ("period", "=", date(2026, 6, 1))]
        )

    def _rule(self, x, y):
        return self.env["crm.customer.product.rule"].search(
            [
                ("company_id", "=", self.env.company.id),
                ("segment_id", "=", False),
                ("antecedent_product_id", "=", x.id if x else False),
                ("consequent_product_id", "=", y.id),
            ]
        )

    def test_rfm_quintiles_and_classes(self):
        c1, c2, c3, c4, c5 = self.customers
        codes = [self._rfm(c).rfm_code for c in self.customers]
        self.assertEqual(codes, ["111", "222", "333", "444", "555"])
        self.assertEqual(self._rfm(c1).recency_days, 300)
        self.assertEqual(self._rfm(c4).frequency, 4)
        self.assertEqual(self._rfm(c5).monetary, 1500.0)
        ref = self.env.ref
        self.assertEqual(c1.rfm_class_id, ref("crm_customer_buying_habits.rfm_class_lost"))
        self.assertEqual(c2.rfm_class_id, ref("crm_customer_buying_habits.rfm_class_hibernating"))
        self.assertEqual(c3.rfm_class_id, ref("crm_customer_buying_habits.rfm_class_loyal"))
        self.assertEqual(
            (c4 | c5).rfm_class_id, ref("crm_customer_buying_habits.rfm_class_champions")
        )
        # filterable and usable in a segment rule (a domain on contacts)
        champions = self.env["res.partner"].search(
            [("rfm_class_id.code", "=", "champions"), ("id", "in", self.customers.ids)]
        )
        self.assertEqual(champions, c4 | c5)

    def test_classes_do_not_name_a_lifecycle_stage(self):
        """Active and At Risk are the customer's lifecycle stage, one
        definition (days without a purchase, health) on every screen: no RFM
        class badge names a stage for a customer whose stage is another (the
        class "At Risk" called active customers at risk)."""
        if "lifecycle_stage" not in self.env["res.partner"]._fields:
            self.skipTest("needs crm_customer_health, which defines the lifecycle stage")
        classes = self.env["crm.customer.rfm.class"].with_context(active_test=False).search([])
        stage = self.env["res.partner"]._fields["lifecycle_stage"]
        for lang, _name in self.env["res.lang"].get_installed():
            env = self.env(context=dict(self.env.context, lang=lang))
            stages = {label.lower() for _key, label in stage._description_selection(env)}
            names = {name.lower() for name in classes.with_env(env).mapped("name")}
            self.assertFalse(names & stages, lang)

    def test_class_change_reevaluates_segment_rules(self):
        """The classes are set by one UPDATE, not write(): a segment rule
        reading the class still follows, and the cache shows the new class."""
        c3, c4, c5 = self.customers[2:]
        with trap_jobs():
            champions = self.env["crm.customer.segment"].create(
                {
                    "name": "Champions",
                    "sequence": 1,
                    "domain": "[('rfm_class_id.code', '=', 'champions')]",
                }
            )
        self.customers._ccare_assign_segments(cause="manual")
        self.assertEqual(self.customers.filtered(lambda c: c.segment_id == champions), c4 | c5)
        # c3 becomes a champion and c5 loses its class: only their rows move
        champions_class = self.env.ref("crm_customer_buying_habits.rfm_class_champions")
        self.env.cr.execute(
            "UPDATE crm_customer_rfm SET class_id = %s WHERE partner_id = %s",
            [champions_class.id, c3.id],
        )
        self.env.cr.execute(
            "UPDATE crm_customer_rfm SET class_id = NULL WHERE partner_id = %s", [c5.id]
        )
        self.env["crm.customer.rfm"].invalidate_model()
        self.assertTrue(c5.rfm_class_id, "read into the cache before the update")
        self.customers._ccare_write_rfm_class(TODAY)
        self.assertEqual(c3.rfm_class_id, champions_class)
        self.assertFalse(c5.rfm_class_id)
        self.assertEqual(self.customers.filtered(lambda c: c.segment_id == champions), c3 | c4)
        moved_in = self.env["crm.customer.segment.history"].search(
            [("partner_id", "in", self.customers.ids), ("segment_to_id", "=", champions.id)]
        )
        self.assertEqual(moved_in.partner_id, c3 | c4 | c5, "c4 and c5 moved in, then c3")
        c3_in = moved_in.filtered(lambda h: h.partner_id == c3)
        self.assertEqual(c3_in.cause, "change", "re-evaluated because its class moved")

    def test_rerun_writes_nothing(self):
        """A second run in the same month finds nothing changed: no RFM,
        affinity or suggestion row is written again."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT max(write_date) FROM crm_customer_rfm WHERE partner_id = ANY(%s)",
            [self.customers.ids],
        )
        before = self.env.cr.fetchone()[0]
        with freeze_time("2026-06-30 18:00:00"):
            self.customers._ccare_compute_buying_habits()
            self.env.flush_all()
        self.env.cr.execute(
            "SELECT max(write_date) FROM crm_customer_rfm WHERE partner_id = ANY(%s)",
            [self.customers.ids],
        )
        self.assertEqual(self.env.cr.fetchone()[0], before)

    def test_association_rules(self):
        ab = self._rule(self.a, self.b)
        self.assertAlmostEqual(ab.support, 0.6)
        self.assertAlmostEqual(ab.confidence, 0.75)
        self.assertAlmostEqual(ab.lift, 0.9375)
        self.assertEqual((ab.customer_count, ab.scope_count), (3, 5))
        bc = self._rule(self.b, self.c)
        self.assertAlmostEqual(bc.support, 0.4)
        self.assertAlmostEqual(bc.confidence, 0.5)
        self.assertAlmostEqual(bc.lift, 1.25)
        self.assertAlmostEqual(self._rule(self.c, self.b).confidence, 1.0)
        self.assertFalse(self._rule(self.a, self.c), "confidence 0.25 is below 0.3")
        self.assertAlmostEqual(self._rule(False, self.c).support, 0.4)

    def test_category_affinity(self):
        c4, c5 = self.customers[3:]
        Affinity = self.env["crm.customer.category.affinity"]
        office = Affinity.search([("partner_id", "=", c5.id), ("categ_id", "=", self.office.id)])
        self.assertAlmostEqual(office.share, 33.3333, places=3)
        self.assertAlmostEqual(office.segment_share, 10.6667, places=3)
        self.assertAlmostEqual(office.affinity_index, 3.125, places=3)
        safety = Affinity.search([("partner_id", "=", c4.id), ("categ_id", "=", self.safety.id)])
        self.assertAlmostEqual(safety.share, 80.0)

    def test_next_best_products_and_hits(self):
        c1, c2 = self.customers[:2]
        self.assertEqual(c1.next_product_ids.mapped("product_id"), self.b | self.c)
        self.assertEqual(c1.next_product_ids[0].reason, "bought by 80% of customers")
        self.assertEqual(c2.next_product_ids.product_id, self.c)
        self.assertEqual(
            c2.next_product_ids.reason, "bought by 50% of customers who buy Product B; lift 1.2"
        )
        # c1 buys the suggested B: a hit, and B leaves its suggestions
        suggestion = c1.next_product_ids.filtered(lambda s: s.product_id == self.b)
        move = self._sell_products(c1, TODAY, [(self.b, 10)])
        c1._ccare_compute_buying_habits()
        self.assertFalse(suggestion.active)
        self.assertEqual((suggestion.hit_rate, suggestion.hit_move_id), (100.0, move))
        # c2 wins an opportunity proposing C: a hit linked to the lead
        lead = self.env["crm.lead"].create(
            {
                "name": "Gloves for c2",
                "type": "opportunity",
                "partner_id": c2.id,
                "ccare_proposed_product_id": self.c.id,
            }
        )
        self.assertEqual(lead.ccare_next_product_ids.product_id, self.c)
        lead.action_set_won()
        hit = (
            self.env["crm.customer.next.product"]
            .with_context(active_test=False)
            .search([("partner_id", "=", c2.id), ("product_id", "=", self.c.id)])
        )
        self.assertEqual((hit.hit_lead_id, hit.hit_rate, hit.active), (lead, 100.0, False))

    def test_target_list(self):
        champions = self.env.ref("crm_customer_buying_habits.rfm_class_champions")
        target = self.env["crm.customer.target.list"].create(
            {
                "name": "Champions over-buying Office",
                "rfm_class_ids": [Command.set(champions.ids)],
                "affinity_categ_id": self.office.id,
                "affinity_min_index": 2.0,
            }
        )
        self.assertEqual(target._partners(), self.customers[4])
        self.assertEqual(target.partner_count, 1)
        target.next_product_id = self.a
        self.assertEqual(target._partners(), self.customers[4], "A is suggested to c5")

    def test_cron_queues_chunks(self):
        with trap_jobs() as trap:
            chunks = self.env["res.partner"]._cron_compute_buying_habits()
        self.assertTrue(chunks)
        trap.assert_jobs_count(chunks)
        channels = {job.method_name: job.channel for job in trap.enqueued_jobs}
        self.assertEqual(channels["_ccare_compute_buying_habits"], "root.buying_habits")

    def test_money_figures_manager_only(self):
        rfm = self._rfm(self.customers[4])
        self.assertEqual(rfm.with_user(self.care_manager).monetary, 1500.0)
        with self.assertRaises(AccessError):
            _value = rfm.with_user(self.care_user).monetary
        self.assertEqual(rfm.with_user(self.care_user).rfm_code, "555")
        with self.assertRaises(AccessError):
            self.customers.with_user(self.care_user).action_compute_buying_habits()
        with self.assertRaises(AccessError):
            self.env["crm.customer.rfm"].with_user(self.plain_user).search([])

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        outsider = mail_new_test_user(
            self.env,
            login="outsider",
            groups="crm_customer_care.group_crm_customer_care_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        Rule = self.env["crm.customer.product.rule"].with_user(outsider)
        self.assertFalse(Rule.search([("company_id", "=", self.env.company.id)]))
        self.assertTrue(
            self.env["crm.customer.product.rule"]
            .with_user(self.care_manager)
            .with_company(self.env.company)
            .search([("company_id", "=", self.env.company.id)])
        )
