from odoo import fields
from odoo import models
from odoo.tools import SQL

from ..models.crm_call_allocation import ALLOCATION_TYPES
from ..models.crm_call_policy import CALL_CHANNELS


class CrmCallAllocationPeriodReport(models.Model):
    """Plan against actual, per allocation and month. The plan spreads the
    allocation's budget and quantity over its days (a 90-day allocation of
    900 plans 310 for a 31-day month); the actual is what was consumed that
    month: lines drawn by held calls or entered by hand, and the training
    sessions held (attendees, organizer aside, and their cost)."""

    _name = "crm.call.allocation.period.report"
    _description = "Allocation Plan against Actual"
    _auto = False
    _order = "month desc, allocation_id"

    allocation_id = fields.Many2one("crm.call.allocation", "Allocation", readonly=True)
    allocation_type = fields.Selection(ALLOCATION_TYPES, "Type", readonly=True)
    month = fields.Date(readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    caller_id = fields.Many2one("crm.call.caller", "Caller", readonly=True)
    agency_id = fields.Many2one("crm.call.agency", "Agency", readonly=True)
    channel = fields.Selection(CALL_CHANNELS, readonly=True)
    segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    planned_amount = fields.Monetary("Planned", readonly=True, aggregator="sum")
    actual_amount = fields.Monetary("Actual", readonly=True, aggregator="sum")
    variance_amount = fields.Monetary(
        "Over (+) / Under (-)", readonly=True, aggregator="sum", help="Actual minus planned."
    )
    planned_quantity = fields.Float("Planned Quantity", readonly=True, aggregator="sum")
    actual_quantity = fields.Float("Actual Quantity", readonly=True, aggregator="sum")
    is_overspent = fields.Boolean(
        "Over-spent", readonly=True, help="More was spent or used this month than planned."
    )

    _depends = {
        "crm.call.allocation": [
            "allocation_type",
            "date_from",
            "date_to",
            "budget",
            "quantity",
            "team_id",
            "caller_id",
            "agency_id",
            "channel",
            "segment_id",
            "company_id",
        ],
        "crm.call.allocation.line": ["allocation_id", "date", "quantity", "amount"],
        "calendar.event": [
            "callplan_allocation_id",
            "callplan_training_cost",
            "start",
            "partner_ids",
            "user_id",
        ],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            WITH months AS (
                SELECT a.id AS allocation_id, m::date AS month,
                       (least(a.date_to, (m + interval '1 month - 1 day')::date)
                        - greatest(a.date_from, m::date) + 1)::float
                       / (a.date_to - a.date_from + 1) AS share
                  FROM crm_call_allocation a
                 CROSS JOIN LATERAL generate_series(
                       date_trunc('month', a.date_from), a.date_to, interval '1 month') m
            ), sessions AS (
                SELECT e.callplan_allocation_id AS allocation_id,
                       date_trunc('month', e.start)::date AS month,
                       count(r.res_partner_id) AS quantity,
                       coalesce(max(e.callplan_training_cost), 0) AS amount
                  FROM calendar_event e
             LEFT JOIN res_users u ON u.id = e.user_id
             LEFT JOIN calendar_event_res_partner_rel r
                    ON r.calendar_event_id = e.id
                   AND r.res_partner_id IS DISTINCT FROM u.partner_id
                 WHERE e.callplan_allocation_id IS NOT NULL AND e.active
                 GROUP BY e.id
            ), used AS (
                SELECT allocation_id, month, sum(quantity) AS quantity, sum(amount) AS amount
                  FROM (
                        SELECT l.allocation_id, date_trunc('month', l.date)::date AS month,
                               l.quantity, l.amount
                          FROM crm_call_allocation_line l
                         UNION ALL
                        SELECT allocation_id, month, quantity, amount FROM sessions
                  ) u
                 GROUP BY allocation_id, month
            )
            SELECT a.id * 100000 + (extract(year FROM m.month) * 12
                                    + extract(month FROM m.month))::int AS id,
                   a.id AS allocation_id, a.allocation_type, m.month,
                   a.team_id, a.caller_id, a.agency_id, a.channel, a.segment_id, a.company_id,
                   round((coalesce(a.budget, 0) * m.share)::numeric, 2) AS planned_amount,
                   coalesce(u.amount, 0) AS actual_amount,
                   coalesce(u.amount, 0)
                       - round((coalesce(a.budget, 0) * m.share)::numeric, 2) AS variance_amount,
                   round((coalesce(a.quantity, 0) * m.share)::numeric, 2) AS planned_quantity,
                   coalesce(u.quantity, 0) AS actual_quantity,
                   (coalesce(a.budget, 0) > 0
                       AND coalesce(u.amount, 0) > a.budget * m.share + 0.005)
                   OR (coalesce(a.quantity, 0) > 0
                       AND coalesce(u.quantity, 0) > a.quantity * m.share + 0.005) AS is_overspent
              FROM crm_call_allocation a
              JOIN months m ON m.allocation_id = a.id
         LEFT JOIN used u ON u.allocation_id = a.id AND u.month = m.month
            """
        )
