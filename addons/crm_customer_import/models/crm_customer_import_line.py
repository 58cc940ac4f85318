from odoo import fields
from odoo import models


class CrmCustomerImportLine(models.Model):
    """One row of an imported file and what became of it."""

    _name = "crm.customer.import.line"
    _inherit = ["crm.customer.care.append.only.mixin"]
    # the report of a run: written by the run, erased only of personal data
    _ccare_server_create_only = True
    _ccare_erasable_fields = ("name", "email", "phone", "vat", "country")
    _description = "Customer Import Report Row"
    _order = "import_id, row_number"

    import_id = fields.Many2one(
        "crm.customer.import", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="import_id.company_id", store=True, index=True)
    row_number = fields.Integer(
        string="Row", help="Row of the file, the header being row 1 (blank lines are skipped)."
    )
    status = fields.Selection(
        [
            ("new", "New"),
            ("match", "Matched"),
            ("duplicate", "Duplicate"),
            ("reject", "Rejected"),
        ],
        required=True,
        help="New: a partner (or lead) is created. Matched: an existing partner is "
        "updated. Duplicate: flagged for review, not imported. Rejected: invalid row.",
    )
    reason = fields.Char()
    name = fields.Char()
    email = fields.Char()
    phone = fields.Char()
    vat = fields.Char(string="Tax ID")
    country = fields.Char()
    partner_id = fields.Many2one("res.partner", string="Partner", ondelete="set null")
    lead_id = fields.Many2one("crm.lead", string="Lead", ondelete="set null")
    updated_fields = fields.Char()
