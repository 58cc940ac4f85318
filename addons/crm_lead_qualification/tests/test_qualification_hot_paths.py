from odoo.addons.crm_customer_care.tests.test_hot_paths import HotPathsCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_performance", "ccare_qualification")
class TestQualificationHotPaths(HotPathsCommon):
    """Qualification on crm.lead's hot paths: a lead's create or write only
    notes it; one set-based requalification runs at the end of the
    transaction, or earlier when the score is read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["crm.lead.qualification.ruleset"].search([]).active = False
        cls.env["queue.job"].search([]).unlink()
        cls.ruleset = cls.env["crm.lead.qualification.ruleset"].create(
            {
                "name": "Hot path rules",
                "criterion_ids": [
                    (
                        0,
                        0,
                        {"name": "Mail", "domain": "[('email_from', '!=', False)]", "points": 30},
                    ),
                    (0, 0, {"name": "Phone", "domain": "[('phone', '!=', False)]", "points": 20}),
                ],
                "grade_ids": [
                    (0, 0, {"name": "A", "min_score": 50}),
                    (0, 0, {"name": "B", "min_score": 30}),
                ],
            }
        )
        cls.grade = {grade.name: grade for grade in cls.ruleset.grade_ids}

    def test_lead_create_and_write_constant(self):
        """10 or 100 leads created, then requalified: our steps cost the same
        queries, and each lead is scored once."""

        def create_write(count):
            leads = self._create_leads(count)
            leads.write({"phone": "+32 2 555 01 01"})
            return leads

        self._deferred_cost(create_write, 3)  # warm the caches
        small_count, _small = self._deferred_cost(create_write, 10)
        big_count, big = self._deferred_cost(create_write, 100)
        self.assertEqual(small_count, big_count)
        self.assertEqual(set(big.mapped("qualification_grade_id")), {self.grade["A"]})
        self.assertEqual(set(big.mapped("qualification_score")), {50})

    def test_lead_write_of_fields_no_criterion_reads_defers_nothing(self):
        leads = self._create_leads(5)
        self.env.cr.flush()
        leads.write({"description": "<p>Called back</p>", "priority": "2"})
        self.assertFalse(self._pending(), "no field the criteria read was written")

    def test_lead_qualification_read_in_the_transaction(self):
        """Pending work runs when its result is read, before the end of the
        transaction: a reader never sees a stale score."""
        lead = self._create_leads(1)
        self.assertEqual(lead.qualification_score, 30)
        self.assertEqual(lead.qualification_grade_id, self.grade["B"])
        lead.phone = "+32 2 555 01 02"
        self.assertTrue(self._pending().get("_ccare_deferred_qualify"))
        self.assertEqual(lead.qualification_grade_id, self.grade["A"], "read: computed now")
        self.assertFalse(self._pending().get("_ccare_deferred_qualify"))
        searched = self.env["crm.lead"].search(
            [("id", "=", lead.id), ("qualification_score", "=", 50)]
        )
        self.assertEqual(searched, lead)

    def test_rescore_writes_only_changed_leads(self):
        leads = self._create_leads(20)
        self.env.cr.flush()
        self.assertEqual(leads._ccare_qualify(), 0, "nothing changed since creation")
        self.env.cr.execute(
            "UPDATE crm_lead SET phone = '+32 2 555 01 03' WHERE id = ANY(%s)", [leads[:4].ids]
        )
        leads.invalidate_recordset()
        date_before = leads[10].qualification_date
        self.assertEqual(leads._ccare_qualify(), 4)
        self.assertEqual(leads[10].qualification_date, date_before, "unchanged lead untouched")
        self.assertEqual(leads._ccare_qualify(), 0)
