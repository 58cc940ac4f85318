from odoo import fields
from odoo import models


class CalendarEvent(models.Model):
    """A training session of the sales or service team is a calendar event
    linked to a training allocation: its attendees take the allocation's
    seats, and its cost is spent from the allocation's budget.

    Both fields are the Call Plans staff's (``groups``) and are not copied:
    Odoo copies an event as the user who duplicates it or makes it recurrent
    (``copy_data`` reads every copied field), and a plain employee may read
    neither. An occurrence or a duplicate is linked to an allocation, with
    its cost, by a manager."""

    _inherit = "calendar.event"

    callplan_allocation_id = fields.Many2one(
        "crm.call.allocation",
        "Training Allocation",
        index="btree_not_null",
        domain="[('allocation_type', '=', 'training')]",
        copy=False,
        groups="crm_callplan.group_crm_callplan_caller",
    )
    callplan_training_cost = fields.Monetary(
        "Training Cost",
        currency_field="callplan_currency_id",
        copy=False,
        groups="crm_callplan.group_crm_callplan_manager",
    )
    callplan_currency_id = fields.Many2one(
        "res.currency", related="callplan_allocation_id.currency_id"
    )
