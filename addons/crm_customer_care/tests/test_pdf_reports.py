from odoo.tests import TransactionCase
from odoo.tests import tagged

from .attack_surface import declared_records
from .attack_surface import our_modules


@tagged("post_install", "-at_install")
class TestPdfReports(TransactionCase):
    """Every QWeb PDF report of our addons prints a PDF (not the HTML Odoo
    falls back to without wkhtmltopdf), enumerated from the registry: a
    report added later is printed too."""

    def _subject(self, report):
        """``(record ids, data)`` to print ``report`` with: a record of its
        model (the demo's, else one made here for the reports that need
        one), and the data a report reads beside its records."""
        Model = self.env[report.model]
        partner = self.env["res.partner"].create({"name": "PDF Customer", "is_company": True})
        if report.model == "crm.customer.subject.access":
            wizard = Model.create({"partner_id": partner.id})
            return wizard.ids, {"sections": [], "person": partner.display_name}
        record = Model.search([], limit=1)
        if not record and not Model._auto:
            # a report on a SQL view with no row in this database yet (the
            # points-liability roll-forward before any posting): printed
            # empty, as from an empty pivot
            return [], None
        if not record:
            builders = {
                "crm.call.effectiveness": lambda: Model.create({}),
                "crm.customer.review": lambda: Model.create(
                    {"scope": "account", "partner_id": partner.id}
                ),
                "crm.relationship.programme": lambda: Model.create({"name": "PDF Programme"}),
                "loyalty.card": lambda: Model.create(
                    {
                        "program_id": self.env["loyalty.program"]
                        .create({"name": "PDF Club", "program_type": "loyalty"})
                        .id,
                        "partner_id": partner.id,
                    }
                ),
            }
            self.assertIn(
                report.model, builders, f"{report.report_name}: no {report.model} to print"
            )
            record = builders[report.model]()
        return record.ids, None

    def test_every_report_prints_a_pdf(self):
        Report = self.env["ir.actions.report"]
        self.assertIn(
            Report.get_wkhtmltopdf_state(),
            ("ok", "upgrade"),
            "wkhtmltopdf is missing: every Print falls back to HTML (setup/run installs "
            "Debian's wkhtmltopdf; elsewhere install it by hand)",
        )
        data = self.env["ir.model.data"].search(
            [("module", "in", sorted(our_modules(self.env))), ("model", "=", "ir.actions.report")]
        )
        # every PDF report the installed addons' sources declare (the core's
        # own are spreadsheets; the PDFs come with the other addons)
        declared = declared_records(self.env, "ir.actions.report")
        self.assertEqual(set(data.mapped("complete_name")), set(declared))
        reports = Report.browse(data.mapped("res_id")).filtered(
            lambda r: r.report_type == "qweb-pdf"
        )
        self.assertEqual(
            sorted(reports.mapped("xml_id")),
            sorted(
                xmlid
                for xmlid, node in declared.items()
                if node.findtext("field[@name='report_type']") in (None, "qweb-pdf")
            ),
        )
        # wkhtmltopdf fetches the report's stylesheets over HTTP: from this
        # test's own server it would wait on the assets this transaction
        # holds (a deadlock); a closed port fails at once and the PDF still
        # renders, unstyled, which is what is checked here
        self.env["ir.config_parameter"].sudo().set_param("report.url", "http://127.0.0.1:9")
        for report in reports:
            with self.subTest(report=report.report_name):
                ids, values = self._subject(report)
                content, kind = Report.with_context(force_report_rendering=True)._render_qweb_pdf(
                    report, ids, data=values
                )
                self.assertEqual(kind, "pdf")
                self.assertTrue(content.startswith(b"%PDF-"), content[:40])

    def test_demo_companies_print_without_the_layout_dialog(self):
        """Odoo opens the document-layout dialog on an administrator's first
        Print while the company has no layout: the demo's companies have one."""
        if not self.env.ref("crm_customer_care.user_care_manager", raise_if_not_found=False):
            self.skipTest("no demo data")
        self.assertFalse(
            self.env["res.company"].search([("external_report_layout_id", "=", False)]),
            "a company without document layout",
        )
        report = self.env.ref(
            "crm_loyalty.action_report_points_statement", raise_if_not_found=False
        )
        if report and (card := self.env["loyalty.card"].search([], limit=1)):
            action = report.with_user(self.env.ref("base.user_admin")).report_action(card)
            self.assertEqual(action["type"], "ir.actions.report", "printed, no dialog first")
