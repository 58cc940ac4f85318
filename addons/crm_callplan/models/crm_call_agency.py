from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CrmCallAgency(models.Model):
    """An outsourcing agency whose agents make calls for us, at a cost per call."""

    _name = "crm.call.agency"
    _description = "Call Agency"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one("res.partner", string="Agency Contact", check_company=True)
    date_start = fields.Date("Contract Start", tracking=True)
    date_end = fields.Date("Contract End", tracking=True)
    cost_per_call = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    caller_ids = fields.One2many("crm.call.caller", "agency_id", string="Agents")
    supervisor_ids = fields.Many2many(
        "res.users",
        string="Supervisors",
        help="Agency staff who see every call of the agency.",
    )
    segment_ids = fields.Many2many("crm.customer.segment", string="Segments")
    # performance, side by side with the internal callers
    calls_done = fields.Integer(compute="_compute_performance")
    compliance_rate = fields.Float("Compliance (%)", compute="_compute_performance")
    reach_rate = fields.Float("Reach Rate (%)", compute="_compute_performance")
    avg_satisfaction = fields.Float("Satisfaction", compute="_compute_performance")
    opportunities = fields.Integer(compute="_compute_performance")
    cost_per_reached = fields.Monetary(
        "Cost per Reached", compute="_compute_performance", currency_field="currency_id"
    )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agency in self:
            if agency.date_start and agency.date_end and agency.date_end < agency.date_start:
                raise ValidationError(
                    self.env._(
                        "Agency “%(agency)s”: the contract cannot end before it starts.",
                        agency=agency.name,
                    )
                )

    def _compute_performance(self):
        self.env["crm.call"]._callplan_set_performance(self, "agency_id")

    def _is_under_contract(self, day):
        self.ensure_one()
        return (not self.date_start or self.date_start <= day) and (
            not self.date_end or day <= self.date_end
        )
