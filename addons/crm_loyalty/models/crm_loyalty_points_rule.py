from odoo import fields
from odoo import models

from .crm_loyalty_points_lot import POINT_SOURCES

RULE_EVENTS = [s for s in POINT_SOURCES if s[0] not in ("sale", "manual", "refund")]


class CrmLoyaltyPointsRule(models.Model):
    """Points given for a relationship activity, per loyalty program.

    Other addons never depend on this one: they call
    ``env["loyalty.card"]._loyalty_award(event, partners)`` when it is
    installed (``"loyalty.card" in env and hasattr(...)``), and the rules
    decide which program gives how many points.
    """

    _name = "crm.loyalty.points.rule"
    _description = "Loyalty Points Rule"
    _order = "program_id, event"
    _check_company_auto = True

    program_id = fields.Many2one(
        "loyalty.program", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    event = fields.Selection(RULE_EVENTS, required=True)
    points = fields.Float(required=True)
    active = fields.Boolean(default=True)
    daily_cap = fields.Float(
        "Cap per Day", help="Most points a member may earn from this event in a day (0: no cap)."
    )
    monthly_cap = fields.Float(
        "Cap per Month",
        help="Most points a member may earn from this event in a calendar month (0: no cap).",
    )

    _points_positive = models.Constraint(
        "CHECK (points > 0)", "A points rule must give a positive number of points."
    )
    _caps_positive = models.Constraint(
        "CHECK (coalesce(daily_cap, 0) >= 0 AND coalesce(monthly_cap, 0) >= 0)",
        "Earning caps cannot be negative.",
    )
    _event_unique = models.Constraint(
        "UNIQUE (program_id, event)", "A program has one points rule per event."
    )
