from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests import users

from .common import CustomerCareCommon


@tagged("post_install", "-at_install")
class TestSegments(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a clean slate: only this test's segments are active
        cls.env["crm.customer.segment"].search([]).active = False
        Segment = cls.env["crm.customer.segment"]
        cls.big = Segment.create(
            {
                "name": "Big spenders",
                "sequence": 1,
                "domain": "[('is_company', '=', True), ('credit_limit', '>=', 50000)]",
            }
        )
        cls.companies = Segment.create(
            {"name": "Companies", "sequence": 5, "domain": "[('is_company', '=', True)]"}
        )
        cls.people = Segment.create(
            {"name": "People", "sequence": 9, "domain": "[('is_company', '=', False)]"}
        )

    def _partners(self, count, **vals):
        """New customers, as at the end of the transaction that created
        them (their segment is assigned then)."""
        partners = self.env["res.partner"].create(
            [{"name": f"Segment test {i}", **vals} for i in range(count)]
        )
        self.env.cr.flush()
        return partners

    def test_first_matching_segment_wins(self):
        acme = self._partners(1, is_company=True, credit_limit=90000)
        shop = self._partners(1, is_company=True)
        jane = self._partners(1)
        self.assertEqual(acme.segment_id, self.big, "matches two rules: the first wins")
        self.assertEqual(shop.segment_id, self.companies)
        self.assertEqual(jane.segment_id, self.people)

    def test_contacts_of_a_company_are_not_segmented(self):
        company = self._partners(1, is_company=True)
        contact = self.env["res.partner"].create({"name": "Employee", "parent_id": company.id})
        self.assertFalse(contact.segment_id)
        self.assertEqual(contact.commercial_partner_id.segment_id, self.companies)

    def test_change_moves_partner_and_keeps_history(self):
        shop = self._partners(1, is_company=True)
        shop.credit_limit = 60000
        self.assertEqual(shop.segment_id, self.big)
        history = shop.segment_history_ids.sorted("id")
        self.assertEqual(
            [(h.segment_from_id, h.segment_to_id, h.cause) for h in history],
            [
                (self.env["crm.customer.segment"], self.companies, "change"),
                (self.companies, self.big, "change"),
            ],
        )
        self.assertEqual(shop.segment_history_count, 2)
        # writing unrelated fields or re-running moves nothing
        shop.comment = "a note"
        shop._ccare_assign_segments(cause="cron")
        self.assertEqual(shop.segment_history_count, 2)

    def test_segment_analysis_exports_to_xlsx(self):
        partners = self._partners(2, is_company=True)
        rows = self.env["crm.segment.analysis.report"].search([("partner_id", "in", partners.ids)])
        self.assertTrue(rows)
        self.assertEqual(rows.segment_id, self.companies)
        content, kind = (
            self.env["ir.actions.report"]
            .with_context(active_model=rows._name)
            ._render_xlsx("crm_customer_care.crm_segment_analysis_report_xlsx", rows.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        self.assertTrue(content.startswith(b"PK"))

    def test_no_segment_matches(self):
        self.people.active = False
        jane = self._partners(1)
        self.assertFalse(jane.segment_id)

    def test_rule_change_reassigns_in_jobs(self):
        shops = self._partners(3, is_company=True)
        with trap_jobs() as trap:
            self.companies.domain = "[('is_company', '=', True), ('name', 'ilike', 'nothing')]"
            self.assertTrue(trap.enqueued_jobs, "changing a rule queues the reassignment")
            trap.perform_enqueued_jobs()
        self.assertFalse(shops.segment_id)
        self.assertEqual(set(shops.segment_history_ids.mapped("cause")), {"change", "rule"})

    def test_cron_queues_chunks_once(self):
        self._partners(3)
        with trap_jobs() as trap:
            self.env["crm.customer.segment"]._cron_assign_segments()
            jobs = len(trap.enqueued_jobs)
            self.assertGreaterEqual(jobs, 1)
            trap.perform_enqueued_jobs()

    def test_invalid_rule_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not a valid filter on Contact records"):
            self.env["crm.customer.segment"].create(
                {"name": "Broken", "domain": "[('no_such_field', '=', 1)]"}
            )
        with self.assertRaisesRegex(ValidationError, "not a valid filter on Contact records"):
            self.env["crm.customer.segment"].create({"name": "Garbage", "domain": "[(("})

    def test_assignment_is_set_based(self):
        """Same number of queries for 10 and for 100 partners."""
        small = self._partners(10, is_company=True)
        large = self._partners(100, is_company=True)
        (small | large).write({"segment_id": False})
        self.env.invalidate_all()
        counts = []
        for partners in (small, large):
            # half of each batch moves to the big spenders
            partners[: len(partners) // 2].with_context(ccare_assigning_segment=True).write(
                {"credit_limit": 80000}
            )
            self.env.invalidate_all()
            counts.append(self.count_queries(partners._ccare_assign_segments, cause="cron"))
        self.assertEqual(counts[0], counts[1], "queries must not grow with the partners")
        self.assertEqual(set((small | large).mapped("segment_id")), {self.big, self.companies})

    @users("care_user")
    def test_users_read_segments_and_history_but_do_not_change_them(self):
        partner = self.env["res.partner"].create({"name": "Visible", "is_company": True})
        self.env.cr.flush()
        self.assertEqual(partner.segment_id.name, "Companies")
        self.assertTrue(partner.segment_history_ids)
        with self.assertRaises(AccessError):
            partner.segment_history_ids.write({"cause": "manual"})
        with self.assertRaises(AccessError):
            self.env["crm.customer.segment.history"].create(
                {"partner_id": partner.id, "cause": "manual"}
            )
        with self.assertRaises(AccessError):
            self.companies.with_user(self.env.user).write({"name": "Renamed"})
