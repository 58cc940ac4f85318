from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.addons.crm_customer_care.vat import normalize_vat
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import AccessError
from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install", "ccare_data_quality")
class TestDataQuality(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Check = cls.env["crm.data.quality.check"]
        Check.search([]).active = False  # only the checks of these tests run
        cls.be = cls.env.ref("base.be")
        cls.segment = cls.env["crm.customer.segment"].create(
            {"name": "DQ Key", "sequence": 99, "domain": "[('ref', '=', 'CCARE-NEVER')]"}
        )
        cls.check_email = Check.create(
            {"name": "Valid email", "check_type": "email", "severity": "high"}
        )
        cls.check_phone = Check.create(
            {"name": "Valid phone", "check_type": "phone", "severity": "medium"}
        )
        cls.check_duplicate = Check.create(
            {"name": "Duplicates", "check_type": "duplicate", "severity": "low"}
        )
        cls.check_required = Check.create(
            {
                "name": "Key accounts need a tax ID",
                "check_type": "required",
                "severity": "critical",
                "segment_ids": [(6, 0, cls.segment.ids)],
                "field_ids": [(6, 0, cls.env.ref("base.field_res_partner__vat").ids)],
            }
        )
        cls.check_stale = Check.create(
            {"name": "Reviewed yearly", "check_type": "stale", "stale_days": 365, "severity": "low"}
        )
        Partner = cls.env["res.partner"]
        cls.good = Partner.create(
            {
                "name": "Good Data SA",
                "is_company": True,
                "email": "good@dq-test.example.com",
                "phone": "+32 2 511 17 30",
                "country_id": cls.be.id,
                "vat": "BE0999000101",
                "user_id": cls.care_user.id,
            }
        )
        cls.bad_email = Partner.create(
            {
                "name": "Bad Email",
                "email": "bad@dq-test",
                "phone": "+32 2 511 17 31",
                "country_id": cls.be.id,
                "user_id": cls.care_user.id,
            }
        )
        cls.bad_phone = Partner.create(
            {
                "name": "Bad Phone",
                "email": "phone@dq-test.example.com",
                "phone": "12 34",
                "country_id": cls.be.id,
                "user_id": cls.care_manager.id,
            }
        )
        cls.twin_a = Partner.create(
            {"name": "Twin A", "email": "Twin@DQ-test.example.com", "country_id": cls.be.id}
        )
        cls.twin_b = Partner.create(
            {"name": "Twin B", "email": "twin@dq-test.example.com", "country_id": cls.be.id}
        )
        cls.key = Partner.create(
            {
                "name": "Key No VAT",
                "is_company": True,
                "email": "key@dq-test.example.com",
                "country_id": cls.be.id,
            }
        )
        cls.key.with_context(ccare_assigning_segment=True).write({"segment_id": cls.segment.id})
        cls.partners = cls.good | cls.bad_email | cls.bad_phone | cls.twin_a | cls.twin_b | cls.key

    def _run(self, partners=None):
        (partners or self.partners)._ccare_run_data_quality()

    def _issues(self, state="open"):
        return self.env["crm.data.quality.issue"].search(
            [("partner_id", "in", self.partners.ids), ("state", "=", state)]
        )

    def _pairs(self, issues):
        return {(issue.check_id, issue.partner_id) for issue in issues}

    def test_issues_opened_one_per_record_and_check(self):
        self._run()
        self.assertEqual(
            self._pairs(self._issues()),
            {
                (self.check_email, self.bad_email),
                (self.check_phone, self.bad_phone),
                (self.check_duplicate, self.twin_a),
                (self.check_duplicate, self.twin_b),
                (self.check_required, self.key),
            },
        )
        twin_issue = self._issues().filtered(lambda i: i.partner_id == self.twin_a)
        self.assertIn("Twin B", twin_issue.message)
        self.assertIn(
            "Missing: Tax ID", self._issues().filtered(lambda i: i.partner_id == self.key).message
        )
        # assigned to the account manager
        phone_issue = self._issues().filtered(lambda i: i.partner_id == self.bad_phone)
        self.assertEqual(phone_issue.user_id, self.care_manager)
        self.assertEqual(phone_issue.severity, "medium")

    def test_rerun_never_duplicates(self):
        self._run()
        first = self._issues()
        self._run()
        self._run()
        self.assertEqual(self._issues(), first)

    def test_unique_index_refuses_a_second_live_issue(self):
        self._run()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.IntegrityError):
            with self.env.cr.savepoint():
                self.env["crm.data.quality.issue"].create(
                    {"check_id": self.check_email.id, "partner_id": self.bad_email.id}
                )
                self.env.flush_all()

    def test_fixed_data_closes_issue_and_restores_score(self):
        self._run()
        self.assertEqual(self.bad_email.data_quality_score, 80)  # high: -20
        self.assertEqual(self.key.data_quality_score, 60)  # critical: -40
        self.assertEqual(self.good.data_quality_score, 100)
        self.bad_email.email = "bad@dq-test.example.com"
        self.key.vat = "BE0999000102"
        self._run()
        self.assertFalse(
            self._issues().filtered(lambda i: i.partner_id in self.bad_email | self.key)
        )
        fixed = self._issues("fixed")
        self.assertEqual(
            self._pairs(fixed),
            {(self.check_email, self.bad_email), (self.check_required, self.key)},
        )
        self.assertTrue(all(fixed.mapped("date_closed")))
        self.assertEqual(self.bad_email.data_quality_score, 100)
        self.assertEqual(self.key.data_quality_score, 100)
        # broken again: a new issue is opened (the fixed one stays as history)
        self.bad_email.email = "again@"
        self._run()
        self.assertEqual(
            len(
                self.env["crm.data.quality.issue"].search(
                    [("partner_id", "=", self.bad_email.id), ("check_id", "=", self.check_email.id)]
                )
            ),
            2,
        )

    def test_our_own_partners_are_not_judged(self):
        """Our company, its contacts and our staff have no customer profile:
        the checks never open an issue on them, and rerunning closes those
        opened before. E.g. a colleague's phone "12 34" is not an issue."""
        own = self.env.company.partner_id
        colleague = self.env["res.partner"].create(
            {"name": "DQ Colleague", "parent_id": own.id, "phone": "12 34", "email": "x@dq"}
        )
        staff = self.care_user.partner_id
        staff.write({"phone": "12 34", "country_id": self.be.id})
        own_partners = own | colleague | staff
        self.env["crm.data.quality.issue"].create(
            {"check_id": self.check_phone.id, "partner_id": staff.id}
        )
        self._run(self.partners | own_partners)
        live = self.env["crm.data.quality.issue"].search(
            [("partner_id", "in", own_partners.ids), ("state", "=", "open")]
        )
        self.assertFalse(live, "no data-quality issue on our own company, contacts or staff")
        self.assertEqual(staff.data_quality_score, 100)
        self.assertIn((self.check_phone, self.bad_phone), self._pairs(self._issues()))

    def test_score_adds_the_weights(self):
        self.bad_email.phone = "999"
        self._run()
        self.assertEqual(self.bad_email.data_quality_score, 70)  # high 20 + medium 10
        self.assertEqual(self.bad_email.data_quality_issue_count, 2)

    def test_mark_reviewed_accepts_until_fixed(self):
        self._run()
        issue = self._issues().filtered(lambda i: i.partner_id == self.bad_phone)
        issue.with_user(self.care_manager).action_mark_reviewed()
        self.assertEqual(issue.state, "reviewed")
        # the reviewer's today (her time zone, not the test's user's)
        today = fields.Date.context_today(issue.with_user(self.care_manager))
        self.assertEqual(self.bad_phone.data_reviewed_date, today)
        self.assertEqual(self.bad_phone.data_quality_score, 100)
        self._run()
        self.assertEqual(issue.state, "reviewed", "a reviewed issue is not reopened")
        self.assertFalse(self._issues().filtered(lambda i: i.partner_id == self.bad_phone))
        self.bad_phone.phone = "+32 2 511 17 32"
        self._run()
        self.assertEqual(issue.state, "fixed")

    def test_stale_profiles(self):
        old = fields.Datetime.now() - timedelta(days=400)
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = ANY(%s)",
            [old, [self.good.id, self.twin_a.id]],
        )
        self.twin_a.data_reviewed_date = fields.Date.today() - timedelta(days=10)
        self.env.invalidate_all()
        self._run()
        stale = self._issues().filtered(lambda i: i.check_id == self.check_stale)
        self.assertEqual(stale.partner_id, self.good)
        stale.action_mark_reviewed()
        self.assertEqual(stale.state, "fixed")
        self._run()
        self.assertFalse(self._issues().filtered(lambda i: i.check_id == self.check_stale))

    def test_custom_domain_and_reassignment(self):
        check = self.env["crm.data.quality.check"].create(
            {
                "name": "Companies need a website",
                "check_type": "domain",
                "severity": "low",
                "domain": "[('is_company', '=', True), ('website', '=', False)]",
            }
        )
        self._run()
        issues = self._issues().filtered(lambda i: i.check_id == check)
        self.assertEqual(issues.partner_id, self.good | self.key)
        self.good.user_id = self.care_manager
        self._run()
        issue = issues.filtered(lambda i: i.partner_id == self.good)
        self.assertEqual(issue.user_id, self.care_manager)

    def test_impossible_configurations(self):
        Check = self.env["crm.data.quality.check"]
        with self.assertRaisesRegex(ValidationError, "not a valid filter"):
            Check.create({"name": "Broken", "check_type": "domain", "domain": "[('nope', '=', 1)]"})
        with self.assertRaisesRegex(ValidationError, "not a valid filter"):
            Check.create({"name": "Garbage", "check_type": "domain", "domain": "[(("})
        with self.assertRaisesRegex(ValidationError, "write a Rule"):
            Check.create({"name": "Empty", "check_type": "domain", "domain": "[]"})
        with self.assertRaisesRegex(ValidationError, "Required Field"):
            Check.create({"name": "Nothing required", "check_type": "required"})
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            Check.create({"name": "Never stale", "check_type": "stale", "stale_days": 0})

    def test_constant_queries_per_chunk(self):
        Partner = self.env["res.partner"]
        many = Partner.create(
            [
                {
                    "name": f"DQ bulk {i}",
                    "email": f"bulk{i}@dq-test" if i % 3 else f"bulk{i}@dq-test.example.com",
                    "phone": "12" if i % 4 == 0 else False,
                    "country_id": self.be.id,
                    "user_id": self.care_user.id,
                }
                for i in range(100)
            ]
        )
        self.env.flush_all()
        ten, hundred = many[:10], many
        # warm the caches (checks, fields, countries) once
        many[10:12]._ccare_run_data_quality()
        self.env.invalidate_all()
        queries_10 = self.count_queries(ten._ccare_run_data_quality)
        self.env.invalidate_all()
        queries_100 = self.count_queries(hundred._ccare_run_data_quality)
        self.assertEqual(queries_10, queries_100)
        self.env.invalidate_all()
        rerun = self.count_queries(hundred._ccare_run_data_quality)
        self.assertLessEqual(rerun, queries_100)

    def test_cron_queues_chunks(self):
        with trap_jobs() as trap:
            chunks = self.env["crm.data.quality.check"]._cron_run_checks()
            trap.assert_jobs_count(chunks)
            self.assertGreaterEqual(chunks, 1)
            trap.perform_enqueued_jobs()
        self.assertTrue(self._issues())

    def test_access(self):
        self._run()
        Issue = self.env["crm.data.quality.issue"]
        with self.assertRaises(AccessError):
            self.env["crm.data.quality.check"].with_user(self.care_user).create(
                {"name": "Mine", "check_type": "email"}
            )
        mine = Issue.with_user(self.care_user).search([("partner_id", "in", self.partners.ids)])
        self.assertEqual(
            mine.partner_id,
            self.bad_email | self.twin_a | self.twin_b | self.key,
            "own and unassigned issues only",
        )
        all_ = Issue.with_user(self.care_manager).search([("partner_id", "in", self.partners.ids)])
        self.assertIn(self.bad_phone, all_.partner_id)
        # the user works their queue
        mine.filtered(lambda i: i.partner_id == self.bad_email).action_mark_reviewed()

    def test_profile_actions(self):
        self.bad_email.action_check_data_quality()
        self.assertEqual(self.bad_email.data_quality_issue_count, 1)
        action = self.bad_email.action_open_data_quality_issues()
        self.assertEqual(
            self.env["crm.data.quality.issue"].search(action["domain"]).partner_id, self.bad_email
        )
        issue = self.bad_email.data_quality_issue_ids
        self.assertEqual(issue.action_open_record()["res_id"], self.bad_email.id)

    def test_duplicates_found_by_the_chinese_name(self):
        """Two records of one customer, in English written differently but
        with the same Chinese name (spaces aside), are duplicate candidates;
        a different Chinese name is not."""
        Partner = self.env["res.partner"]
        wing = Partner.create({"name": "Chan Tai Man", "ccare_name_zh": "陳大文"})
        again = Partner.create({"name": "Tai-man CHAN", "ccare_name_zh": "陳 大文"})
        other = Partner.create({"name": "Chan Siu Ming", "ccare_name_zh": "陳小明"})
        found = (wing | again | other)._ccare_duplicate_candidates()
        self.assertEqual(found[again.id], f"Same Chinese name as Chan Tai Man (#{wing.id})")
        self.assertIn(wing.id, found)
        self.assertNotIn(other.id, found)

    def test_duplicates_found_by_the_tax_id_written_differently(self):
        """The tax ID is compared by the core's one rule (letters and digits,
        upper case): "be 0999.000.103" is the same as "BE-0999 000 103"."""
        Partner = self.env["res.partner"]
        first = Partner.create({"name": "VAT One", "is_company": True, "vat": "be 0999.000.103"})
        second = Partner.create({"name": "VAT Two", "is_company": True, "vat": "BE-0999 000 103"})
        found = (first | second)._ccare_duplicate_candidates()
        self.assertEqual(found[second.id], f"Same tax ID as VAT One (#{first.id})")
        self.assertEqual(normalize_vat(first.vat), normalize_vat(second.vat))

    def test_open_duplicates_for_other_features(self):
        """``_ccare_open_duplicates`` (the core's extension point, read by
        call plans): the partners an open duplicate issue flags, with why;
        no longer once the issue is marked reviewed."""
        self._run()
        flagged = self.partners._ccare_open_duplicates()
        self.assertEqual(set(flagged), {self.twin_a.id, self.twin_b.id})
        self.assertIn("Same email as Twin B", flagged[self.twin_a.id])
        self._issues().filtered(lambda i: i.partner_id == self.twin_a).action_mark_reviewed()
        self.assertEqual(set(self.partners._ccare_open_duplicates()), {self.twin_b.id})

    def test_average_score_for_reviews_and_dashboards(self):
        """The score is among the averages reviews show
        (``_ccare_average_scores``, the core's extension point), and the
        Data Quality column of the segment analysis: the average of the scores."""
        self._run()
        Partner = self.env["res.partner"]
        self.assertIn("data_quality_score", dict(Partner._ccare_average_scores()))
        domain = [("id", "in", (self.good | self.bad_email | self.key).ids)]
        [(average,)] = Partner._read_group(domain, [], ["data_quality_score:avg"])
        self.assertEqual(average, (100 + 80 + 60) / 3)
        Analysis = self.env["crm.segment.analysis.report"]
        [(score,)] = Analysis._read_group(
            [("partner_id", "=", self.key.id)], [], ["data_quality_score:avg"]
        )
        self.assertEqual(score, 60)

    def test_dashboard_charts_read_what_exists(self):
        """The Data Quality dashboard: every chart reads fields that exist,
        for a care user (their own and unassigned issues) and a manager."""
        xmlid = "crm_customer_data_quality.spreadsheet_dashboard_data_quality"
        for user in (self.care_user, self.care_manager):
            titles = check_spreadsheet_dashboard(self, xmlid, user)
            self.assertIn("Open data-quality issues by check", titles)


@tagged("post_install", "-at_install", "ccare_data_quality")
class TestDataQualityDemo(TransactionCase):
    def test_demo_shows_real_issues(self):
        """Data Quality in the demo: the Jolly Joinery records' real problems,
        not our own company's or staff's phones, nor Odoo's made-up numbers."""
        if not self.env.ref(
            "crm_customer_data_quality.partner_jolly_joinery", raise_if_not_found=False
        ):
            self.skipTest("no demo data")
        issues = self.env["crm.data.quality.issue"].search([("state", "=", "open")])
        self.assertEqual(
            {(issue.partner_id.name, issue.check_id.name) for issue in issues},
            {
                ("Jolly Joinery", "Valid email address"),
                ("Jolly Joinery", "Phone dialable in E.164"),
                ("Jolly Joinery SRL", "Probable duplicates"),
                ("Jolly Joinery (old record)", "Probable duplicates"),
            },
        )
