from odoo import fields
from odoo import models


class CrmRelationshipCostLine(models.Model):
    _name = "crm.relationship.cost.line"
    _description = "Relationship Programme Cost"
    _order = "date, id"

    programme_id = fields.Many2one(
        "crm.relationship.programme", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="programme_id.company_id", store=True)
    currency_id = fields.Many2one(related="programme_id.currency_id")
    name = fields.Char(required=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    amount_planned = fields.Monetary("Planned")
    amount_actual = fields.Monetary("Actual")

    _amounts_positive = models.Constraint(
        "CHECK (amount_planned >= 0 AND amount_actual >= 0)", "A cost cannot be negative."
    )
