from odoo import fields
from odoo import models


class CalendarEvent(models.Model):
    """The meeting of an agency's visit or video call carries the customer's
    name: the agent sees it only while they see the call (record rule)."""

    _inherit = "calendar.event"

    callplan_agency_visible = fields.Boolean(
        "Visible to the Agency",
        compute="_compute_callplan_agency_visible",
        search="_search_callplan_agency_visible",
    )

    def _compute_callplan_agency_visible(self):
        hidden = (
            self.env["crm.call"]
            .sudo()
            .search(
                [
                    ("calendar_event_id", "in", self.ids),
                    ("agency_id", "!=", False),
                    ("agency_access", "=", False),
                ]
            )
        )
        for event in self:
            event.callplan_agency_visible = event not in hidden.calendar_event_id

    def _search_callplan_agency_visible(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        hidden = (
            self.env["crm.call"]
            .sudo()
            ._search(
                [
                    ("calendar_event_id", "!=", False),
                    ("agency_id", "!=", False),
                    ("agency_access", "=", False),
                ]
            )
            .subselect("calendar_event_id")
        )
        return [("id", "not in" if (operator == "=") == value else "in", hidden)]
