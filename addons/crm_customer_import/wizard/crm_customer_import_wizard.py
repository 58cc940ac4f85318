import base64

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError

from ..models.crm_customer_import import IMPORT_FIELDS
from ..models.crm_customer_import import suggest_import_field


class CrmCustomerImportWizard(models.TransientModel):
    """Upload a file, map its columns, see the dry run, then import."""

    _name = "crm.customer.import.wizard"
    _description = "Import Customers or Leads"

    file = fields.Binary(required=True)
    file_name = fields.Char()
    target = fields.Selection(
        [("partner", "Customers"), ("lead", "Leads")],
        string="Import as",
        required=True,
        default="partner",
    )
    source_id = fields.Many2one("utm.source", string="Source", required=True)
    encoding = fields.Selection(
        [
            ("utf-8", "UTF-8"),
            ("iso-8859-1", "Latin-1 (ISO-8859-1)"),
            ("windows-1252", "Windows-1252"),
            ("utf-16", "UTF-16"),
        ],
        required=True,
        default="utf-8",
        help="Encoding of a CSV file (ignored for XLSX).",
    )
    separator = fields.Selection(
        [(",", "Comma"), (";", "Semicolon"), ("\t", "Tab")],
        help="Column separator of a CSV file; detected when empty.",
    )
    state = fields.Selection(
        [("upload", "Upload"), ("mapped", "Mapping"), ("dry_run", "Dry Run")],
        default="upload",
        required=True,
    )
    mapping_ids = fields.One2many(
        "crm.customer.import.wizard.mapping", "wizard_id", string="Column Mapping"
    )
    import_id = fields.Many2one("crm.customer.import", string="Dry Run Report", readonly=True)
    import_line_ids = fields.One2many(related="import_id.line_ids", string="Dry Run Rows")
    created_count = fields.Integer(related="import_id.created_count")
    matched_count = fields.Integer(related="import_id.matched_count")
    duplicate_count = fields.Integer(related="import_id.duplicate_count")
    rejected_count = fields.Integer(related="import_id.rejected_count")

    @api.onchange("file", "encoding", "separator")
    def _onchange_file(self):
        self.state = "upload"
        self.mapping_ids = [fields.Command.clear()]

    def _read_upload(self):
        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Upload a CSV or XLSX file first."))
        return self.env["crm.customer.import"]._read_import_file(
            base64.b64decode(self.file), self.file_name, self.encoding, self.separator
        )

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Import Customers"),
        }

    def action_parse(self):
        """Read the file and propose a mapping from its header names."""
        self.check_access("write")
        headers, rows = self._read_upload()
        self.mapping_ids = [fields.Command.clear()] + [
            fields.Command.create(
                {
                    "column_index": index,
                    "column_name": header,
                    "sample": next((row[index] for row in rows[:20] if row[index]), "")[:80],
                    "import_field": suggest_import_field(header),
                }
            )
            for index, header in enumerate(headers)
        ]
        self.state = "mapped"
        return self._reopen()

    def _get_mapping(self):
        mapping = {m.column_index: m.import_field for m in self.mapping_ids if m.import_field}
        fields_used = list(mapping.values())
        if duplicated := {f for f in fields_used if fields_used.count(f) > 1}:
            labels = dict(IMPORT_FIELDS)
            raise UserError(
                self.env._(
                    "Several columns are mapped to %s: map each field once.",
                    ", ".join(labels[f] for f in duplicated),
                )
            )
        return mapping

    def _prepare_report(self):
        vals = {
            "target": self.target,
            "source_id": self.source_id.id,
            "file_name": self.file_name,
            "name": self.file_name or self.env._("Import"),
        }
        if self.import_id and self.import_id.state == "dry_run":
            self.import_id.write(vals)
        else:
            self.import_id = self.env["crm.customer.import"].create(vals)
        return self.import_id

    def action_dry_run(self):
        """Show what the import would do, without writing any partner or lead."""
        self.check_access("write")
        headers, rows = self._read_upload()
        mapping = self._get_mapping()
        self._prepare_report()._run(headers, rows, mapping, dry_run=True)
        self.state = "dry_run"
        return self._reopen()

    def action_import(self):
        """Import for real, all or nothing, and open the report."""
        self.check_access("write")
        headers, rows = self._read_upload()
        mapping = self._get_mapping()
        report = self._prepare_report()
        report._run(headers, rows, mapping, dry_run=False)
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.customer.import",
            "res_id": report.id,
            "view_mode": "form",
            "target": "current",
        }
