import base64
import csv
import io
import json
import zipfile

from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

OFFICER_GROUP = "crm_customer_care.group_crm_customer_care_privacy_officer"


class CrmCustomerSubjectAccess(models.TransientModel):
    """A subject-access request (GDPR art. 15): everything held on a person,
    as a ZIP of one JSON file, one CSV per section and a readable summary
    (PDF, or HTML where wkhtmltopdf is not installed). Privacy officers only;
    the export itself is logged in the sensitive data access log."""

    _name = "crm.customer.subject.access"
    _inherit = ["crm.customer.care.workflow.mixin"]
    _description = "Subject-Access Request"
    # the export is the server's answer, never an uploaded file
    _ccare_workflow_fields = ("zip_file", "zip_name", "summary")

    partner_id = fields.Many2one(
        "res.partner",
        "Person",
        required=True,
        help="The customer (its contacts are included) or a single contact.",
    )
    zip_file = fields.Binary("Export", readonly=True, attachment=False)
    zip_name = fields.Char(readonly=True)
    summary = fields.Text(readonly=True)

    # ------------------------------------------------------------ data
    def _people(self):
        partner = self.partner_id.sudo().with_context(active_test=False)
        if partner.is_company or not partner.parent_id:
            return partner | partner.child_ids
        return partner

    @staticmethod
    def _value(record, field):
        value = record[field.name]
        if field.type == "many2one":
            return value.display_name or ""
        if field.type in ("one2many", "many2many"):
            return ", ".join(value.mapped("display_name"))
        if field.type == "selection":
            return dict(field._description_selection(record.env)).get(value, "") if value else ""
        if field.type in ("date", "datetime"):
            return value.isoformat() if value else ""
        if field.type == "html":
            return html2plaintext(value or "")
        if field.type == "boolean":
            return bool(value)
        return "" if value is False or value is None else value

    def _sections(self):
        """``[{key, title, columns: [(name, label)], rows: [{name: value}]}]``"""
        sections = []
        for key, title, records, names in self._people()._ccare_subject_access_sections():
            model_fields = [records._fields[name] for name in names if name in records._fields]
            sections.append(
                {
                    "key": key,
                    "title": title,
                    "columns": [("id", "ID")]
                    + [(f.name, f._description_string(self.env)) for f in model_fields],
                    "rows": [
                        {"id": record.id, **{f.name: self._value(record, f) for f in model_fields}}
                        for record in records
                    ],
                }
            )
        return sections

    @staticmethod
    def _csv(section):
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow([label for __, label in section["columns"]])
        for row in section["rows"]:
            writer.writerow([row.get(name, "") for name, __ in section["columns"]])
        return out.getvalue()

    def _summary_document(self, sections):
        """The readable summary: PDF when wkhtmltopdf is there, else HTML."""
        report = self.env["ir.actions.report"].sudo()
        data = {"sections": sections, "person": self.partner_id.sudo().display_name}
        try:
            content, kind = report._render_qweb_pdf(
                "crm_customer_privacy.action_report_subject_access", self.ids, data=data
            )
        except UserError:  # wkhtmltopdf missing
            content, kind = report._render_qweb_html(
                "crm_customer_privacy.action_report_subject_access", self.ids, data=data
            )
        return content, "pdf" if kind == "pdf" else "html"

    # ------------------------------------------------------------ action
    def action_export(self):
        self.ensure_one()
        if not self.env.user.has_group(OFFICER_GROUP):
            raise AccessError(
                self.env._("Only a privacy officer can answer a subject-access request.")
            )
        # the person must be one the officer may see: the multi-company rules
        # on contacts decide (an officer of company A answers for A's
        # customers only)
        self.check_access("write")
        self.partner_id.check_access("read")
        people = self._people()
        # the person reads the export: its titles, labels and summary in
        # their language, whoever prepares it
        in_their_lang = self.with_context(lang=self.partner_id.lang or self.env.lang)
        sections = in_their_lang._sections()
        summary, kind = in_their_lang._summary_document(sections)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "data.json",
                json.dumps(
                    {
                        "person": people[:1].display_name,
                        "generated": fields.Datetime.now().isoformat(),
                        "sections": {s["key"]: s["rows"] for s in sections},
                    },
                    indent=2,
                    ensure_ascii=False,
                    default=str,
                ),
            )
            for section in sections:
                archive.writestr(f"{section['key']}.csv", self._csv(section))
            archive.writestr(f"summary.{kind}", summary)
        slug = "".join(c if c.isalnum() else "_" for c in people[:1].display_name or "person")
        summary_text = "\n".join(
            self.env._("%(title)s: %(count)s", title=s["title"], count=len(s["rows"]))
            for s in sections
        )
        with self._ccare_transition():
            self.write(
                {
                    # base64, as every binary field: the download decodes it
                    "zip_file": base64.b64encode(buffer.getvalue()),
                    "zip_name": f"subject_access_{slug}_{fields.Date.today()}.zip",
                    "summary": summary_text,
                }
            )
        self.env["crm.customer.sensitive.access"]._ccare_log(
            "subject_access", people, people._ccare_sensitive_fields()
        )
        people[:1].message_post(
            body=self.env._("Subject-access export prepared by %s.", self.env.user.name),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Subject-Access Request"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
