from odoo import fields
from odoo import models


class CrmCustomerAnonymisation(models.Model):
    """The trail of an irreversible anonymisation: which customer record
    (by id only: the name is gone), when, by whom, under which rule, what
    was erased. Readable by privacy officers, never editable."""

    _name = "crm.customer.anonymisation"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Customer Anonymisation Log"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", readonly=True, ondelete="set null", index=True)
    partner_ref = fields.Integer("Record ID", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    user_id = fields.Many2one("res.users", "By", default=lambda self: self.env.user, readonly=True)
    reason = fields.Char(readonly=True)
    erased = fields.Text("What was erased", readonly=True)
