import base64
import io
from unittest.mock import patch

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.vat import normalize_vat
from odoo.addons.crm_customer_care.vat import vat_normalized_sql
from odoo.addons.crm_customer_import.models.crm_customer_import import suggest_import_field
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tests import users
from odoo.tests import warmup
from odoo.tools import SQL
from odoo.tools import mute_logger

IMPORT_LOGGER = "odoo.addons.crm_customer_import.models.crm_customer_import"
HEADER = "Name,Email,Phone,Country,Tax ID,City\n"


def make_csv(rows, header=HEADER):
    return (header + "".join(",".join(row) + "\n" for row in rows)).encode()


@tagged("post_install", "-at_install", "ccare_import")
class TestCustomerImport(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source = cls.env["utm.source"].create({"name": "Trade fair 2025"})
        cls.belgium = cls.env.ref("base.be")
        cls.france = cls.env.ref("base.fr")
        Partner = cls.env["res.partner"]
        cls.known_by_email = Partner.create(
            {
                "name": "Emma Known",
                "email": "emma.known@example.com",
                "city": "Ghent",
            }
        )
        cls.known_by_phone = Partner.create(
            {
                "name": "Paul Phone",
                "phone": "+32 470 12 34 56",
                "country_id": cls.belgium.id,
            }
        )
        cls.known_by_vat = Partner.create(
            {
                "name": "Vatty SA",
                "is_company": True,
                "vat": "BE0477472701",
                "country_id": cls.belgium.id,
            }
        )
        # a contact of the company shares its tax ID: it must not make the match ambiguous
        Partner.create({"name": "Vera Contact", "parent_id": cls.known_by_vat.id})

    def run_import(
        self, content, target="partner", dry_run=False, file_name="customers.csv", user=None
    ):
        Import = self.env["crm.customer.import"].with_user(user or self.care_manager)
        report = Import.create(
            {"source_id": self.source.id, "target": target, "file_name": file_name}
        )
        headers, rows = Import._read_import_file(content, file_name)
        mapping = {i: key for i, h in enumerate(headers) if (key := suggest_import_field(h))}
        report._run(headers, rows, mapping, dry_run=dry_run)
        return report

    def line(self, report, row_number):
        return report.line_ids.filtered(lambda line: line.row_number == row_number)

    # ------------------------------------------------------------------
    # creating, matching, rejecting
    # ------------------------------------------------------------------

    def test_create_and_rejection_reasons(self):
        report = self.run_import(
            make_csv(
                [
                    ["Nora New", " Nora.New@Example.COM ", "+33 1 23 45 67 89", "FR", "", "Paris"],
                    ["Bad Email", "bad-email@", "", "", "", ""],
                    ["Bad Phone", "bad.phone@example.com", "12", "BE", "", ""],
                    ["", "nameless@example.com", "", "", "", ""],
                    ["Lost Country", "lost@example.com", "", "Atlantis", "", ""],
                ]
            )
        )
        self.assertEqual(report.state, "done")
        self.assertEqual(
            (
                report.row_count,
                report.created_count,
                report.matched_count,
                report.duplicate_count,
                report.rejected_count,
            ),
            (5, 1, 0, 0, 4),
        )
        nora = self.line(report, 2)
        self.assertEqual(nora.status, "new")
        self.assertEqual(nora.partner_id.name, "Nora New")
        self.assertEqual(nora.partner_id.email_normalized, "nora.new@example.com")
        self.assertEqual(nora.partner_id.phone, "+33123456789", "phone stored in E.164")
        self.assertEqual(nora.partner_id.country_id, self.france)
        self.assertIn("bad email", self.line(report, 3).reason)
        self.assertIn("bad phone", self.line(report, 4).reason)
        self.assertIn("missing name", self.line(report, 5).reason)
        self.assertIn("unknown country Atlantis", self.line(report, 6).reason)
        for row in (3, 4, 5, 6):
            self.assertEqual(self.line(report, row).status, "reject")
            self.assertFalse(self.line(report, row).partner_id)
        self.assertFalse(
            self.env["res.partner"].search_count(
                [
                    (
                        "email_normalized",
                        "in",
                        ["bad.phone@example.com", "nameless@example.com", "lost@example.com"],
                    )
                ]
            )
        )

    def test_phone_uses_company_country(self):
        company_be = self.env["res.company"].create(
            {"name": "Care BE", "country_id": self.belgium.id}
        )
        self.care_manager.company_ids |= company_be
        Import = (
            self.env["crm.customer.import"].with_user(self.care_manager).with_company(company_be)
        )
        report = Import.create({"source_id": self.source.id})
        headers, rows = Import._read_import_file(
            make_csv([["Local Number", "", "0470 99 88 77", "", "", ""]]), "be.csv"
        )
        report._run(headers, rows, {0: "name", 2: "phone"}, dry_run=False)
        self.assertEqual(report.company_id, company_be)
        self.assertEqual(report.line_ids.partner_id.phone, "+32470998877")

    def test_match_by_email_phone_vat(self):
        count = self.env["res.partner"].search_count([])
        report = self.run_import(
            make_csv(
                [
                    ["Emma Known", "EMMA.KNOWN@example.com ", "", "", "", "Brussels"],
                    ["Paul Phone", "", "0470/12.34.56", "BE", "", ""],
                    ["Vatty SA", "billing@vatty.example.com", "", "", "be 0477.472.701", ""],
                ]
            )
        )
        self.assertEqual(report.matched_count, 3)
        self.assertEqual(report.created_count, 0)
        self.assertEqual(self.env["res.partner"].search_count([]), count, "nothing created")
        self.assertEqual(self.line(report, 2).partner_id, self.known_by_email)
        self.assertEqual(self.line(report, 2).updated_fields, "city")
        self.assertIn("email", self.line(report, 2).reason)
        self.assertEqual(self.known_by_email.city, "Brussels")
        self.assertEqual(self.line(report, 3).partner_id, self.known_by_phone)
        self.assertFalse(self.line(report, 3).updated_fields, "same number, same country")
        self.assertEqual(self.line(report, 4).partner_id, self.known_by_vat)
        self.assertEqual(self.line(report, 4).updated_fields, "email")
        self.assertEqual(self.known_by_vat.email, "billing@vatty.example.com")

    def test_vat_normalised_once(self):
        """The import compares tax IDs with the core's one normalisation,
        the same in Python and in SQL: ``be 0477.472.701`` is BE0477472701."""
        samples = ["be 0477.472.701", "BE0477472701", " fr-12 345/678 ", "", "--"]
        expected = ["BE0477472701", "BE0477472701", "FR12345678", False, False]
        self.assertEqual([normalize_vat(vat) for vat in samples], expected)
        for vat, normalised in zip(samples, expected, strict=True):
            [[in_sql]] = self.env.execute_query(
                SQL("SELECT %s FROM (SELECT %s::varchar AS vat) p", vat_normalized_sql("p"), vat)
            )
            self.assertEqual(in_sql or False, normalised)
        report = self.run_import(
            make_csv([["Vatty Again", "", "", "", "be 0477.472.701", ""]]), dry_run=True
        )
        self.assertEqual(report.line_ids.partner_id, self.known_by_vat)

    def test_duplicates_in_file(self):
        report = self.run_import(
            make_csv(
                [
                    ["First", "twin@example.com", "+32 470 00 00 01", "", "", ""],
                    ["Second", "Twin@Example.com", "", "", "", ""],
                    ["Third", "third@example.com", "+32470000001", "", "", ""],
                    ["Fourth", "", "", "", "FR40303265045", ""],
                    ["Fifth", "", "", "", "fr 40 303 265 045", ""],
                ]
            )
        )
        self.assertEqual(self.line(report, 2).status, "new")
        self.assertEqual(self.line(report, 3).status, "duplicate")
        self.assertIn("duplicate of row 2 in the file (same email)", self.line(report, 3).reason)
        self.assertEqual(self.line(report, 4).status, "duplicate")
        self.assertIn("(same phone)", self.line(report, 4).reason)
        self.assertEqual(self.line(report, 5).status, "new")
        self.assertEqual(self.line(report, 6).status, "duplicate")
        self.assertIn("duplicate of row 5 in the file (same tax ID)", self.line(report, 6).reason)
        self.assertEqual((report.created_count, report.duplicate_count), (2, 3))
        self.assertEqual(
            self.env["res.partner"].search_count([("email_normalized", "=", "twin@example.com")]),
            1,
            "never merged, never twice",
        )

    def test_same_partner_twice_in_file(self):
        dora = self.env["res.partner"].create(
            {"name": "Dora Double", "email": "dora@example.com", "phone": "+32 470 77 77 77"}
        )
        report = self.run_import(
            make_csv(
                [
                    ["Dora", "dora@example.com", "", "", "", "Ypres"],
                    ["Dora by phone", "", "+32 470 77 77 77", "", "", "Ostend"],
                ]
            )
        )
        self.assertEqual(self.line(report, 2).status, "match")
        self.assertEqual(self.line(report, 3).status, "duplicate")
        self.assertIn("matches the same partner as row 2", self.line(report, 3).reason)
        self.assertEqual(dora.city, "Ypres")

    def test_duplicates_in_database(self):
        Partner = self.env["res.partner"]
        twins = Partner.create(
            [
                {"name": "Twin One", "email": "twins@example.com"},
                {"name": "Twin Two", "email": "TWINS@example.com"},
            ]
        )
        report = self.run_import(
            make_csv(
                [
                    ["Twin", "twins@example.com", "", "", "", "Liège"],
                    ["Conflict", "emma.known@example.com", "+32 470 12 34 56", "BE", "", "Mons"],
                ]
            )
        )
        twin_line, conflict_line = self.line(report, 2), self.line(report, 3)
        self.assertEqual(twin_line.status, "duplicate")
        self.assertIn("several existing partners", twin_line.reason)
        self.assertIn("Twin One", twin_line.reason)
        self.assertEqual(conflict_line.status, "duplicate")
        self.assertIn("conflicting matches", conflict_line.reason)
        self.assertIn("Paul Phone", conflict_line.reason)
        self.assertFalse(any(twins.mapped("city")), "flagged rows write nothing")
        self.assertEqual(self.known_by_email.city, "Ghent")
        self.assertFalse(self.known_by_phone.city)
        self.assertEqual(report.duplicate_count, 2)

    # ------------------------------------------------------------------
    # dry run, atomicity
    # ------------------------------------------------------------------

    def test_dry_run_writes_nothing(self):
        Partner, Lead = self.env["res.partner"], self.env["crm.lead"]
        partners, leads = Partner.search_count([]), Lead.search_count([])
        content = make_csv(
            [
                ["Dry New", "dry.new@example.com", "", "", "", ""],
                ["Emma Known", "emma.known@example.com", "", "", "", "Antwerp"],
            ]
        )
        report = self.run_import(content, dry_run=True)
        self.assertEqual(report.state, "dry_run")
        self.assertEqual((report.created_count, report.matched_count), (1, 1))
        self.assertEqual(self.line(report, 3).updated_fields, "city")
        self.assertEqual(Partner.search_count([]), partners)
        self.assertEqual(self.known_by_email.city, "Ghent")
        lead_report = self.run_import(content, target="lead", dry_run=True)
        self.assertEqual(lead_report.created_count, 2)
        self.assertEqual(Lead.search_count([]), leads)
        self.assertFalse(lead_report.line_ids.lead_id)

    def test_atomic_when_writing_fails(self):
        """Partners are created first, then matched ones updated: a crash on
        the update rolls the creations back too."""
        Partner = self.env["res.partner"]
        count = Partner.search_count([])
        content = make_csv(
            [
                ["Atom One", "atom.one@example.com", "", "", "", ""],
                ["Atom Two", "atom.two@example.com", "", "", "", ""],
                ["Emma Known", "emma.known@example.com", "", "", "", "Namur"],
            ]
        )
        original_write = type(Partner).write

        def failing_write(records, vals):
            if "city" in vals:
                raise ValueError("disk full")
            return original_write(records, vals)

        with (
            patch.object(type(Partner), "write", failing_write),
            mute_logger(IMPORT_LOGGER),
        ):
            report = self.run_import(content)
        self.assertEqual(report.state, "failed")
        self.assertIn("disk full", report.error_message)
        self.assertIn("Nothing was imported", report.error_message)
        self.assertEqual(Partner.search_count([]), count, "no partner half-imported")
        self.assertFalse(
            Partner.search_count(
                [("email_normalized", "in", ["atom.one@example.com", "atom.two@example.com"])]
            )
        )
        self.assertEqual(self.known_by_email.city, "Ghent")
        self.assertFalse(report.line_ids.filtered(lambda line: line.status == "new").partner_id)

    def test_atomic_leads(self):
        Lead = self.env["crm.lead"]
        count = Lead.search_count([])
        original_create = type(Lead).create

        def failing_create(records, vals_list):
            original_create(records, vals_list)
            raise RuntimeError("crash after the leads were created")

        with patch.object(type(Lead), "create", failing_create), mute_logger(IMPORT_LOGGER):
            report = self.run_import(
                make_csv(
                    [
                        ["Lead One", "lead.one@example.com", "+32 470 55 55 55", "", "", ""],
                        ["Lead Two", "lead.two@example.com", "+32 470 55 55 56", "", "", ""],
                    ]
                ),
                target="lead",
            )
        self.assertEqual(report.state, "failed")
        self.assertIn("crash after the leads were created", report.error_message)
        self.assertEqual(Lead.search_count([]), count)
        self.assertFalse(report.line_ids.lead_id)

    # ------------------------------------------------------------------
    # leads
    # ------------------------------------------------------------------

    def test_import_leads(self):
        partners = self.env["res.partner"].search_count([])
        report = self.run_import(
            make_csv(
                [
                    ["Emma Known", "emma.known@example.com", "", "", "", "", "Fair visit", ""],
                    [
                        "Lena Lead",
                        "lena@example.com",
                        "+32 470 11 11 11",
                        "BE",
                        "",
                        "Liège",
                        "",
                        "Lena Corp",
                    ],
                ],
                header="Name,Email,Phone,Country,Tax ID,City,Lead Title,Company\n",
            ),
            target="lead",
        )
        self.assertEqual(report.created_count, 2)
        emma_lead, lena_lead = self.line(report, 2).lead_id, self.line(report, 3).lead_id
        self.assertEqual(emma_lead.name, "Fair visit")
        self.assertEqual(emma_lead.partner_id, self.known_by_email)
        self.assertEqual(emma_lead.source_id, self.source)
        self.assertEqual(self.line(report, 2).partner_id, self.known_by_email)
        self.assertEqual(self.known_by_email.city, "Ghent", "a lead import updates no partner")
        self.assertEqual(lena_lead.name, "Lena Lead")
        self.assertFalse(lena_lead.partner_id)
        self.assertEqual(lena_lead.source_id, self.source)
        self.assertEqual(lena_lead.email_from, "lena@example.com")
        self.assertEqual(lena_lead.partner_name, "Lena Corp")
        self.assertEqual(lena_lead.phone, "+32470111111")
        self.assertEqual(self.env["res.partner"].search_count([]), partners)

    # ------------------------------------------------------------------
    # bad files
    # ------------------------------------------------------------------

    def assertBadFile(self, content, file_name, *fragments, **kwargs):
        Import = self.env["crm.customer.import"].with_user(self.care_manager)
        with self.assertRaises(UserError) as caught:
            headers, rows = Import._read_import_file(content, file_name, **kwargs)
            report = Import.create({"source_id": self.source.id})
            mapping = {i: key for i, h in enumerate(headers) if (key := suggest_import_field(h))}
            report._run(headers, rows, mapping, dry_run=False)
        for fragment in fragments:
            self.assertIn(fragment, str(caught.exception))
        return caught.exception

    def test_bad_file_format(self):
        self.assertBadFile(
            b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
            "customers.pdf",
            "customers.pdf",
            "only CSV and XLSX",
        )
        png = base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
            "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
        )
        self.assertBadFile(png, "customers.csv", "only CSV and XLSX", "image/png")
        self.assertBadFile(b"this is not a spreadsheet", "customers.xlsx", "not a valid XLSX")

    def test_bad_file_encoding(self):
        latin1 = "Name,Email\nRené Café,rene@example.com\n".encode("latin-1")
        self.assertBadFile(latin1, "latin.csv", "latin.csv", "encoding")
        # with the right encoding the same file reads fine
        _headers, rows = self.env["crm.customer.import"]._read_import_file(
            latin1, "latin.csv", encoding="iso-8859-1"
        )
        self.assertEqual(rows, [["René Café", "rene@example.com"]])

    def test_bad_file_empty(self):
        self.assertBadFile(b"", "empty.csv", "empty.csv is empty")
        self.assertBadFile(b"\n\n  \n", "blank.csv", "is empty")
        self.assertBadFile(b"Name,Email\n", "header.csv", "no data rows")
        self.assertBadFile(b"Name Email\nA b\n", "onecolumn.csv", "single column", separator=",")

    def test_bad_file_too_many_rows(self):
        content = HEADER.encode() + b"Someone,someone@example.com,,,,\n" * 200000
        self.assertBadFile(
            content,
            "huge.csv",
            "huge.csv",
            "limit of 100000 rows",
            "crm_customer_care.import_max_rows",
        )
        self.env["ir.config_parameter"].sudo().set_param("crm_customer_care.import_max_rows", "3")
        self.assertBadFile(
            make_csv([[f"R{i}", "", "", "", "", ""] for i in range(4)]),
            "four.csv",
            "limit of 3 rows",
        )

    def test_bad_file_garbage_column(self):
        exc = self.assertBadFile(
            make_csv([[f"Name {i}", f"qwXz{i}!!", "", "", "", ""] for i in range(10)]),
            "garbage.csv",
            "Email",
            "garbage",
            "10 of its 10 values",
        )
        self.assertIn("Column Email", str(exc))
        self.assertBadFile(
            make_csv([[f"Name {i}", "", f"ph{i}-ne", "", "", ""] for i in range(10)]),
            "garbage_phone.csv",
            "Phone",
            "garbage",
        )
        self.assertBadFile(
            make_csv([["Bin\x01ary", "x@example.com", "", "", "", ""]]),
            "binary.csv",
            "Name",
            "binary or control characters",
        )

    def test_read_xlsx(self):
        import openpyxl  # noqa: PLC0415

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["Name", "E-mail", "Phone", "Country"])
        sheet.append(["Xavier Xlsx", "xavier@example.com", 32470223344, "BE"])
        buffer = io.BytesIO()
        book.save(buffer)
        report = self.run_import(buffer.getvalue(), file_name="customers.xlsx")
        self.assertEqual(report.created_count, 1)
        self.assertEqual(report.line_ids.partner_id.phone, "+32470223344")
        self.assertEqual(report.line_ids.partner_id.email, "xavier@example.com")

    # ------------------------------------------------------------------
    # set-based matching
    # ------------------------------------------------------------------

    def _rows(self, count):
        rows = []
        for i in range(count):
            if i % 4 == 0:  # matches an existing partner by email
                rows.append([f"Bulk {i}", f"bulk{i}@example.com", "", "", "", "Ghent"])
            elif i % 4 == 1:  # matches by phone
                rows.append(
                    [f"Bulk {i}", "", f"+32 470 30 {i // 100:02d} {i % 100:02d}", "BE", "", ""]
                )
            elif i % 4 == 2:  # new
                rows.append([f"New {i}", f"new{i}@example.com", "", "FR", "", ""])
            else:  # rejected
                rows.append([f"Bad {i}", "", "", "Atlantis", "", ""])
        return make_csv(rows)

    @warmup
    def test_query_count_constant(self):
        self.env["res.partner"].create(
            [
                {
                    "name": f"Bulk {i}",
                    "email": f"bulk{i}@example.com",
                    "phone": f"+32 470 30 {i // 100:02d} {i % 100:02d}",
                    "country_id": self.belgium.id,
                }
                for i in range(100)
            ]
        )
        Import = self.env["crm.customer.import"].with_user(self.care_manager)
        parsed = {n: Import._read_import_file(self._rows(n), f"{n}.csv") for n in (10, 100)}
        mapping = {0: "name", 1: "email", 2: "phone", 3: "country", 4: "vat", 5: "city"}
        reports = Import.create([{"source_id": self.source.id}] * 2)
        counts = {}
        for report, size in ((reports[0], 10), (reports[1], 100)):
            self.env.invalidate_all()
            with self.assertQueryCount(10):
                before = self.cr.sql_log_count
                report._run(*parsed[size], mapping)
            counts[size] = self.cr.sql_log_count - before
        if self.warm:
            self.assertEqual(counts[10], counts[100], "as many queries for 100 rows as for 10")
        self.assertEqual(
            (reports[1].matched_count, reports[1].created_count, reports[1].rejected_count),
            (50, 25, 25),
        )

    # ------------------------------------------------------------------
    # report download, wizard, access
    # ------------------------------------------------------------------

    def test_csv_download(self):
        report = self.run_import(
            make_csv(
                [
                    ["Carla Csv", "carla@example.com", "", "", "", ""],
                    ["Emma Known", "emma.known@example.com", "", "", "", "Leuven"],
                    ["", "no.name@example.com", "", "", "", ""],
                ]
            )
        )
        action = report.with_user(self.care_user).action_download_csv()
        attachment = report.report_attachment_id
        self.assertEqual(action["url"], f"/web/content/{attachment.id}?download=true")
        self.assertEqual((attachment.res_model, attachment.res_id), (report._name, report.id))
        lines = attachment.raw.decode().splitlines()
        self.assertEqual(
            lines[0],
            "row,status,name,email,phone,vat,country,partner_id,partner,"
            "lead_id,updated_fields,reason",
        )
        carla = self.line(report, 2).partner_id
        self.assertEqual(lines[1], f"2,New,Carla Csv,carla@example.com,,,,{carla.id},Carla Csv,,,")
        self.assertEqual(
            lines[2],
            f"3,Matched,Emma Known,emma.known@example.com,,,,{self.known_by_email.id},"
            "Emma Known,,city,matched by email",
        )
        self.assertEqual(lines[3], "4,Rejected,,no.name@example.com,,,,,,,,missing name")
        # a second download replaces the file, it does not pile attachments up
        report.action_download_csv()
        self.assertEqual(report.report_attachment_id, attachment)

    @users("care_manager")
    def test_wizard_flow(self):
        wizard = self.env["crm.customer.import.wizard"].create(
            {
                "file": base64.b64encode(
                    make_csv(
                        [
                            ["Wanda Wizard", "wanda@example.com", "", "", "", ""],
                            ["Emma Known", "emma.known@example.com", "", "", "", "Bruges"],
                        ]
                    )
                ),
                "file_name": "wizard.csv",
                "source_id": self.source.id,
            }
        )
        wizard.action_parse()
        self.assertEqual(wizard.state, "mapped")
        self.assertEqual(
            wizard.mapping_ids.mapped("import_field"),
            ["name", "email", "phone", "country", "vat", "city"],
        )
        self.assertEqual(wizard.mapping_ids[1].sample, "wanda@example.com")
        wizard.mapping_ids[5].import_field = False  # do not import the city
        wizard.action_dry_run()
        self.assertEqual(wizard.state, "dry_run")
        self.assertEqual((wizard.created_count, wizard.matched_count), (1, 1))
        self.assertFalse(self.env["res.partner"].search([("email", "=", "wanda@example.com")]))
        action = wizard.action_import()
        report = self.env["crm.customer.import"].browse(action["res_id"])
        self.assertEqual(report, wizard.import_id, "the dry run report becomes the import report")
        self.assertEqual(report.state, "done")
        self.assertTrue(self.env["res.partner"].search([("email", "=", "wanda@example.com")]))
        self.assertEqual(self.known_by_email.city, "Ghent", "unmapped column not imported")
        wizard.mapping_ids[0].import_field = "email"
        with self.assertRaisesRegex(UserError, "Several columns are mapped to Email"):
            wizard.action_dry_run()

    def test_access(self):
        content = make_csv([["Sneaky", "sneaky@example.com", "", "", "", ""]])
        with self.assertRaises(AccessError):
            self.env["crm.customer.import.wizard"].with_user(self.care_user).create(
                {
                    "file": base64.b64encode(content),
                    "file_name": "x.csv",
                    "source_id": self.source.id,
                }
            )
        with self.assertRaises(AccessError):
            self.env["crm.customer.import"].with_user(self.care_user).create(
                {"source_id": self.source.id}
            )
        report = self.env["crm.customer.import"].create({"source_id": self.source.id})
        headers, rows = report._read_import_file(content, "x.csv")
        with self.assertRaises(AccessError):
            report.with_user(self.care_user)._run(headers, rows, {0: "name", 1: "email"})
        self.assertFalse(self.env["res.partner"].search([("email", "=", "sneaky@example.com")]))
        # a care user reads the reports of their company, not of another one
        report._run(headers, rows, {0: "name", 1: "email"}, dry_run=True)
        self.assertEqual(report.with_user(self.care_user).line_ids.name, "Sneaky")
        other = self.env["res.company"].create({"name": "Elsewhere"})
        hidden = self.env["crm.customer.import"].create(
            {"source_id": self.source.id, "company_id": other.id}
        )
        visible = self.env["crm.customer.import"].with_user(self.care_user).search([])
        self.assertIn(report, visible)
        self.assertNotIn(hidden, visible)
