from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .crm_call_policy import CALL_CHANNELS

ALLOCATION_TYPES = [
    ("training", "Training"),
    ("material", "Promotion Materials"),
    ("funds", "Marketing Funds"),
]
# what an allocation may be given to, the call's value it matches, and how
# narrow a recipient it is: an allocation matches a call when every one it
# sets is the call's; the narrowest match pays (a caller's own allocation
# before their agency's, their team's, the segment's or the channel's)
MATCH_FIELDS = {
    "caller_id": (16, lambda call: call.caller_id),
    "agency_id": (8, lambda call: call.agency_id),
    "team_id": (4, lambda call: call.user_id.sale_team_id),
    # the segment the call was planned for, else the account's (as the
    # compliance report does)
    "segment_id": (2, lambda call: call.segment_id or call.partner_id.segment_id),
    "channel": (1, lambda call: call.channel),
}


class CrmCallAllocation(models.Model):
    """Training, promotion materials or marketing funds allocated for a
    period to a sales team, a caller, an agency, a channel or a segment,
    and what held calls, visits and training sessions consumed of it."""

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
        ALLOCATION_TYPES,
        string="Type",
        required=True,
        default="funds",
    )
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    team_id = fields.Many2one("crm.team", check_company=True)
    channel = fields.Selection(CALL_CHANNELS)
    agency_id = fields.Many2one("crm.call.agency", check_company=True)
    caller_id = fields.Many2one("crm.call.caller", "Caller", check_company=True)
    segment_id = fields.Many2one("crm.customer.segment", "Segment")
    unit = fields.Char(default="units", help="For materials and training: pieces, hours, seats...")
    quantity = fields.Float("Allocated Quantity")
    budget = fields.Monetary(currency_field="currency_id", tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("crm.call.allocation.line", "allocation_id", string="Consumption")
    # training sessions are calendar events: each attendee (the organizer,
    # who gives it, aside) takes one unit,
    # and the session's cost is spent from the budget
    training_event_ids = fields.One2many(
        "calendar.event", "callplan_allocation_id", string="Training Sessions"
    )
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
            if not any(allocation[name] for name in MATCH_FIELDS):
                raise ValidationError(
                    self.env._(
                        "Allocation “%(name)s”: allocate it to a team, a caller, an agency, "
                        "a channel or a segment.",
                        name=allocation.name,
                    )
                )

    @api.depends(
        "line_ids.quantity",
        "line_ids.amount",
        "training_event_ids.partner_ids",
        "training_event_ids.user_id",
        "training_event_ids.callplan_training_cost",
        "budget",
        "quantity",
    )
    def _compute_consumption(self):
        for allocation in self:
            events = allocation.training_event_ids
            quantity = sum(allocation.line_ids.mapped("quantity")) + sum(
                len(event.partner_ids - event.user_id.partner_id) for event in events
            )
            amount = sum(allocation.line_ids.mapped("amount")) + sum(
                events.mapped("callplan_training_cost")
            )
            allocation.consumed_quantity = quantity
            allocation.consumed_amount = amount
            allocation.remaining_quantity = allocation.quantity - quantity
            allocation.remaining_amount = allocation.budget - amount
            allocation.is_overspent = bool(
                (allocation.budget and amount > allocation.budget)
                or (allocation.quantity and quantity > allocation.quantity)
            )

    def _callplan_match(self, call, allocation_type):
        """The allocation of ``self`` that pays for ``call``: of that type,
        the company's, running on the day the call was held, every
        dimension it sets being the call's; the narrowest one wins (see
        ``MATCH_FIELDS``), then the oldest."""
        day = fields.Date.to_date(call.date_done or fields.Date.context_today(self))
        candidates = [
            allocation
            for allocation in self
            if allocation.allocation_type == allocation_type
            and allocation.company_id == call.company_id
            and allocation.date_from <= day <= allocation.date_to
            and all(
                not allocation[name] or allocation[name] == value(call)
                for name, (__, value) in MATCH_FIELDS.items()
            )
        ]
        if not candidates:
            return self.browse()
        return min(
            candidates,
            key=lambda a: (
                -sum(weight for name, (weight, __) in MATCH_FIELDS.items() if a[name]),
                a.id,
            ),
        )
