from odoo import fields
from odoo import models


class CrmCallPlanRunLoad(models.Model):
    """The load of a plan run: per caller and working day, the calls the
    caller can make (daily capacity on the days their calendar has them
    working, leaves and holidays excluded) and the calls planned. Filled
    when the run ends and on "Refresh Load"."""

    _name = "crm.call.plan.run.load"
    _description = "Call Plan Load per Caller and Day"
    _order = "day, caller_id"

    run_id = fields.Many2one("crm.call.plan.run", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="run_id.company_id", store=True, index=True)
    caller_id = fields.Many2one("crm.call.caller", required=True, ondelete="cascade")
    agency_id = fields.Many2one(related="caller_id.agency_id", store=True)
    day = fields.Date(required=True)
    capacity = fields.Integer(aggregator="sum")
    planned = fields.Integer("Planned Calls", aggregator="sum")
    free = fields.Integer(aggregator="sum", help="Capacity left (negative: overbooked).")
    used = fields.Float("Capacity Used (%)", digits=(16, 1), aggregator="avg")
    on_leave = fields.Boolean(
        help="A working day of the caller's calendar taken by a leave or holiday."
    )
