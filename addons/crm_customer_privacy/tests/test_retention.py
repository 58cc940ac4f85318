from datetime import date

from freezegun import freeze_time

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestRetention(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.ccare_retention_months = 24
        Partner = cls.env["res.partner"]
        cls.old = Partner.create(
            {
                "name": "Old Closed Ltd",
                "is_company": True,
                "email": "old@closed.example",
                "street": "1 Gone Road",
                "comment": "Met the owner at the fair",
                "vat": "BE0477472701",
            }
        )
        cls.old_contact = Partner.create(
            {"name": "Olga Old", "parent_id": cls.old.id, "email": "olga@closed.example"}
        )
        cls.recent = Partner.create(
            {"name": "Recent Closed Ltd", "is_company": True, "email": "recent@closed.example"}
        )
        cls.open = Partner.create(
            {"name": "Open Ltd", "is_company": True, "email": "open@example.com"}
        )
        (cls.old | cls.recent).write({"lifecycle_override": "closed"})
        cls.old.ccare_closed_date = date(2024, 1, 10)
        cls.recent.ccare_closed_date = date(2026, 1, 10)
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Old deal", "partner_id": cls.old.id, "email_from": "old@closed.example"}
        )
        cls.env["ir.attachment"].create(
            {
                "name": "id-card.pdf",
                "res_model": "res.partner",
                "res_id": cls.old.id,
                "raw": b"%PDF-1.4",
            }
        )

    @freeze_time("2026-06-01")
    def test_cron_anonymises_accounts_past_retention(self):
        with trap_jobs() as trap:
            self.env["res.partner"]._cron_anonymise_closed_accounts()
            trap.assert_jobs_count(1)
            trap.perform_enqueued_jobs()
        self.assertEqual(self.old.name, f"Anonymised customer {self.old.id}")
        self.assertFalse(self.old.email or self.old.street or self.old.comment or self.old.vat)
        self.assertEqual(self.old.ccare_anonymised_date, date(2026, 6, 1))
        self.assertFalse(self.old_contact.email)
        self.assertFalse(self.old_contact.active)
        self.assertEqual(self.old_contact.name, f"Anonymised contact {self.old_contact.id}")
        self.assertEqual(
            self.old_contact.complete_name,
            f"Anonymised customer {self.old.id}, Anonymised contact {self.old_contact.id}",
            "names that depend on the name are recomputed",
        )
        self.assertFalse(self.lead.email_from)
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.old.id)]
            )
        )
        self.assertEqual(self.recent.email, "recent@closed.example", "not yet due")
        self.assertEqual(self.open.email, "open@example.com")
        log = self.env["crm.customer.anonymisation"].search([("partner_ref", "=", self.old.id)])
        self.assertEqual(log.reason, "retention")
        self.assertIn("email", log.erased)

    def test_anonymisation_is_set_based(self):
        def closed(count):
            customers = self.env["res.partner"].create(
                [
                    {"name": f"Gone {i}", "is_company": True, "email": f"gone{i}@example.com"}
                    for i in range(count)
                ]
            )
            self.env["res.partner"].create(
                [{"name": f"Staff {i}", "parent_id": c.id} for i, c in enumerate(customers)]
            )
            customers.write({"lifecycle_override": "closed"})
            return customers

        few, many = closed(2), closed(20)
        closed(1)._ccare_anonymise()  # warm the caches
        self.assertEqual(
            self.count_queries(few._ccare_anonymise), self.count_queries(many._ccare_anonymise)
        )
        self.assertTrue(all(p.name.startswith("Anonymised customer") for p in many))

    @freeze_time("2026-06-01")
    def test_idempotent(self):
        self.old._ccare_anonymise()
        self.old._ccare_anonymise()
        self.assertEqual(
            self.env["crm.customer.anonymisation"].search_count(
                [("partner_ref", "=", self.old.id)]
            ),
            1,
        )
        with trap_jobs() as trap:
            self.env["res.partner"]._cron_anonymise_closed_accounts()
            trap.assert_jobs_count(0)

    def test_only_privacy_officers_anonymise_closed_accounts(self):
        with self.assertRaisesRegex(UserError, "Only a privacy officer"):
            self.old.with_user(self.care_manager).action_anonymise()
        with self.assertRaisesRegex(UserError, "Only closed accounts"):
            self.open.with_user(self.privacy_officer).action_anonymise()
        self.old.with_user(self.privacy_officer).action_anonymise()
        self.assertTrue(self.old.ccare_anonymised_date)

    def test_log_readable_by_privacy_officers_only(self):
        self.old._ccare_anonymise()
        Log = self.env["crm.customer.anonymisation"]
        self.assertTrue(Log.with_user(self.privacy_officer).search([]))
        with self.assertRaises(AccessError):
            Log.with_user(self.care_manager).search([])
        with self.assertRaises(AccessError):
            Log.with_user(self.privacy_officer).search([]).write({"reason": "x"})
