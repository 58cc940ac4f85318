from odoo import fields
from odoo import models

from ..models.crm_customer_import import IMPORT_FIELDS


class CrmCustomerImportWizardMapping(models.TransientModel):
    _name = "crm.customer.import.wizard.mapping"
    _description = "Import Column Mapping"
    _order = "column_index"

    wizard_id = fields.Many2one("crm.customer.import.wizard", required=True, ondelete="cascade")
    column_index = fields.Integer(required=True)
    column_name = fields.Char(string="Column", readonly=True)
    sample = fields.Char(readonly=True)
    import_field = fields.Selection(IMPORT_FIELDS, string="Import as")
