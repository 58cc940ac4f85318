from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL


class CrmSalesCycleLeadReport(models.Model):
    """Sales-cycle statistics per lead: outcome, win/loss reasons, time from
    creation to won or lost, number of stage changes. Rates are 0/100 per
    lead (NULL while undecided) so the pivot's average is the rate."""

    _name = "crm.sales.cycle.lead.report"
    _description = "Sales Cycle Statistics per Lead"
    _auto = False
    _rec_name = "lead_id"
    _order = "create_date desc"

    lead_id = fields.Many2one("crm.lead", "Lead", readonly=True)
    create_date = fields.Datetime("Created On", readonly=True)
    date_closed = fields.Datetime("Closed On", readonly=True)
    stage_id = fields.Many2one("crm.stage", "Current Stage", readonly=True)
    won_status = fields.Selection(
        [("won", "Won"), ("lost", "Lost"), ("pending", "Pending")], "Outcome", readonly=True
    )
    lost_reason_id = fields.Many2one("crm.lost.reason", "Lost Reason", readonly=True)
    lead_count = fields.Integer("Leads", readonly=True, aggregator="sum")
    won_count = fields.Integer("Won", readonly=True, aggregator="sum")
    lost_count = fields.Integer("Lost", readonly=True, aggregator="sum")
    win_rate = fields.Float("Win Rate (%)", readonly=True, aggregator="avg", digits=(16, 1))
    days_to_won = fields.Float(
        "Days Creation to Won", readonly=True, aggregator="avg", digits=(16, 1)
    )
    days_to_close = fields.Float("Days to Close", readonly=True, aggregator="avg", digits=(16, 1))
    stage_change_count = fields.Integer("Stage Changes", readonly=True, aggregator="sum")
    expected_revenue = fields.Float("Expected Revenue", readonly=True, aggregator="sum")
    won_revenue = fields.Float("Won Revenue", readonly=True, aggregator="sum")
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    customer_segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    source_id = fields.Many2one("utm.source", "Source", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT lead.id, lead.id AS lead_id, lead.create_date, lead.date_closed,
                   lead.stage_id, lead.won_status, lead.lost_reason_id,
                   1 AS lead_count,
                   (lead.won_status = 'won')::int AS won_count,
                   (lead.won_status = 'lost')::int AS lost_count,
                   CASE lead.won_status WHEN 'won' THEN 100.0 WHEN 'lost' THEN 0.0 END
                       AS win_rate,
                   CASE WHEN lead.won_status = 'won' AND lead.date_closed IS NOT NULL
                        THEN EXTRACT(EPOCH FROM lead.date_closed - lead.create_date) / 86400.0
                   END AS days_to_won,
                   CASE WHEN lead.won_status IN ('won', 'lost') AND lead.date_closed IS NOT NULL
                        THEN EXTRACT(EPOCH FROM lead.date_closed - lead.create_date) / 86400.0
                   END AS days_to_close,
                   (SELECT count(*) FROM crm_lead_stage_history h
                     WHERE h.lead_id = lead.id AND h.stage_from_id IS NOT NULL)
                       AS stage_change_count,
                   lead.expected_revenue,
                   CASE WHEN lead.won_status = 'won' THEN lead.expected_revenue ELSE 0 END
                       AS won_revenue,
                   lead.user_id, lead.team_id, lead.customer_segment_id, lead.source_id,
                   lead.company_id
              FROM crm_lead lead
            """
        )

    @api.model
    def _ccare_velocity(self, domain, groupby=()):
        """Pipeline velocity of the leads matching ``domain``, per group:
        opportunities x win rate x average won deal / average days to win,
        i.e. the revenue the pipeline turns into per day. Returns a list of
        dicts (group values, leads, win_rate, avg_deal, days_to_won,
        velocity)."""
        groupby = list(groupby)
        rows = self._read_group(
            domain,
            groupby,
            [
                "lead_count:sum",
                "won_count:sum",
                "lost_count:sum",
                "won_revenue:sum",
                "days_to_won:avg",
            ],
        )
        result = []
        for row in rows:
            groups, (leads, won, lost, won_revenue, days) = row[: len(groupby)], row[len(groupby) :]
            win_rate = won / (won + lost) if won + lost else 0.0
            avg_deal = won_revenue / won if won else 0.0
            velocity = leads * win_rate * avg_deal / days if days else 0.0
            result.append(
                {
                    "groups": groups,
                    "leads": leads,
                    "won": won,
                    "lost": lost,
                    "win_rate": win_rate * 100,
                    "avg_deal": avg_deal,
                    "days_to_won": days or 0.0,
                    "velocity": velocity,
                }
            )
        return result
