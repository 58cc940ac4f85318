from odoo import fields
from odoo import models


class CrmCallAllocationLine(models.Model):
    """What was consumed from an allocation: entered by hand or drawn by a call."""

    _name = "crm.call.allocation.line"
    _description = "Call Allocation Consumption"
    _order = "date desc, id desc"

    allocation_id = fields.Many2one(
        "crm.call.allocation", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="allocation_id.company_id", store=True, index=True)
    date = fields.Date(default=fields.Date.context_today, required=True)
    description = fields.Char()
    call_id = fields.Many2one("crm.call", index="btree_not_null", ondelete="set null")
    quantity = fields.Float()
    amount = fields.Monetary(currency_field="currency_id")
    currency_id = fields.Many2one(related="allocation_id.currency_id")
