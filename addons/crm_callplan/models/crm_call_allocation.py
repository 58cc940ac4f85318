from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .crm_call_policy import CALL_CHANNELS


class CrmCallAllocation(models.Model):
    """Training, promotion materials or marketing funds allocated for a
    period to a sales team, a channel or an agency, and what was consumed."""

    _name = "crm.call.allocation"
    _description = "Call Allocation"
    _inherit = ["mail.thread"]
    _order = "date_from desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    allocation_type = fields.Selection(
        [
            ("training", "Training"),
            ("material", "Promotion Materials"),
            ("funds", "Marketing Funds"),
        ],
        string="Type",
        required=True,
        default="funds",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    team_id = fields.Many2one("crm.team", check_company=True)
    channel = fields.Selection(CALL_CHANNELS)
    agency_id = fields.Many2one("crm.call.agency", check_company=True)
    unit = fields.Char(default="units", help="For materials and training: pieces, hours, seats...")
    quantity = fields.Float("Allocated Quantity")
    budget = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("crm.call.allocation.line", "allocation_id", string="Consumption")
    consumed_quantity = fields.Float(compute="_compute_consumption", store=True)
    consumed_amount = fields.Monetary(
        compute="_compute_consumption", store=True, currency_field="currency_id"
    )
    remaining_quantity = fields.Float(compute="_compute_consumption", store=True)
    remaining_amount = fields.Monetary(
        compute="_compute_consumption", store=True, currency_field="currency_id"
    )
    is_overspent = fields.Boolean("Over-spent", compute="_compute_consumption", store=True)

    @api.constrains("date_from", "date_to", "budget", "quantity")
    def _check_values(self):
        for allocation in self:
            if allocation.date_to < allocation.date_from:
                raise ValidationError(
                    self.env._(
                        "Allocation “%(name)s”: the period cannot end before it starts.",
                        name=allocation.name,
                    )
                )
            if allocation.budget < 0 or allocation.quantity < 0:
                raise ValidationError(
                    self.env._(
                        "Allocation “%(name)s”: the budget and the quantity cannot be negative.",
                        name=allocation.name,
                    )
                )
            if not (allocation.team_id or allocation.channel or allocation.agency_id):
                raise ValidationError(
                    self.env._(
                        "Allocation “%(name)s”: allocate it to a team, a channel or an agency.",
                        name=allocation.name,
                    )
                )

    @api.depends("line_ids.quantity", "line_ids.amount", "budget", "quantity")
    def _compute_consumption(self):
        for allocation in self:
            quantity = sum(allocation.line_ids.mapped("quantity"))
            amount = sum(allocation.line_ids.mapped("amount"))
            allocation.consumed_quantity = quantity
            allocation.consumed_amount = amount
            allocation.remaining_quantity = allocation.quantity - quantity
            allocation.remaining_amount = allocation.budget - amount
            allocation.is_overspent = bool(
                (allocation.budget and amount > allocation.budget)
                or (allocation.quantity and quantity > allocation.quantity)
            )
