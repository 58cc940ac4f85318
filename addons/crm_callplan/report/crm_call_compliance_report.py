from odoo import fields
from odoo import models
from odoo.tools import SQL


class CrmCallComplianceReport(models.Model):
    """Plan compliance per caller, sales team, segment, agency and period:
    one row per planned call (cancelled ones aside). The rates are 0/100 per
    call that is due (done, or past its deadline) and NULL while it is not
    due yet, so the pivot's average is the rate: done on time / due."""

    _name = "crm.call.compliance.report"
    _description = "Call Plan Compliance"
    _auto = False
    _rec_name = "call_id"
    _order = "due_date desc"

    call_id = fields.Many2one("crm.call", "Call", readonly=True)
    due_date = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", "Caller", readonly=True)
    agency_id = fields.Many2one("crm.call.agency", "Agency", readonly=True)
    team_id = fields.Many2one(
        "crm.team", "Sales Team", readonly=True, help="The sales team of the caller."
    )
    segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    partner_id = fields.Many2one("res.partner", "Account", readonly=True)
    channel = fields.Char(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    call_count = fields.Integer("Calls", readonly=True, aggregator="sum")
    due_count = fields.Integer("Due", readonly=True, aggregator="sum")
    on_time_count = fields.Integer("Done on Time", readonly=True, aggregator="sum")
    compliance = fields.Float("Compliance (%)", readonly=True, aggregator="avg", digits=(16, 1))
    completion = fields.Float("Done (%)", readonly=True, aggregator="avg", digits=(16, 1))
    satisfaction = fields.Float(
        "Satisfaction (1-5)",
        readonly=True,
        aggregator="avg",
        digits=(16, 2),
        help="Average over the rated calls (unrated ones are left out).",
    )

    # what the view reads: pending ORM writes of these are flushed first
    _depends = {
        "crm.call": [
            "due_date",
            "planned_date",
            "user_id",
            "agency_id",
            "segment_id",
            "partner_id",
            "channel",
            "company_id",
            "is_on_time",
            "state",
            "satisfaction",
            "deadline_date",
        ],
        "res.partner": ["segment_id"],
        "crm.team.member": ["user_id", "crm_team_id", "active"],
    }

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT c.id, c.id AS call_id,
                   coalesce(c.due_date, c.planned_date::date) AS due_date,
                   c.user_id, c.agency_id, t.crm_team_id AS team_id,
                   coalesce(c.segment_id, p.segment_id) AS segment_id, c.partner_id,
                   c.channel, c.company_id,
                   1 AS call_count,
                   d.due::int AS due_count,
                   (d.due AND c.is_on_time)::int AS on_time_count,
                   CASE WHEN d.due THEN CASE WHEN c.is_on_time THEN 100.0 ELSE 0.0 END END
                       AS compliance,
                   CASE WHEN d.due THEN CASE WHEN c.state = 'done' THEN 100.0 ELSE 0.0 END END
                       AS completion,
                   nullif(c.satisfaction, 0)::float AS satisfaction
              FROM crm_call c
              JOIN res_partner p ON p.id = c.partner_id
              -- the caller's sales team (their first active membership)
         LEFT JOIN LATERAL (
                   SELECT m.crm_team_id FROM crm_team_member m
                    WHERE m.user_id = c.user_id AND m.active
                    ORDER BY m.id LIMIT 1
             ) t ON true
             CROSS JOIN LATERAL (
                   SELECT c.state = 'done'
                          OR coalesce(c.deadline_date, c.due_date, c.planned_date::date)
                             < %s AS due
             ) d
             WHERE c.state != 'cancelled'
            """,
            fields.Date.context_today(self),
        )
