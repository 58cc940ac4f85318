from odoo import fields
from odoo import models
from odoo.tools import SQL


class CrmSalesCycleReport(models.Model):
    """Sales-cycle statistics per stage, read from the permanent stage record.

    One row per time a lead entered a stage: when it left, where it went,
    how long it stayed, whether it moved forward and whether the lead was
    eventually won. The rates are 0/100 per row so that the pivot's average
    is the rate of the group (rows still undecided are NULL and not counted).
    """

    _name = "crm.sales.cycle.report"
    _description = "Sales Cycle Statistics per Stage"
    _auto = False
    _rec_name = "stage_id"
    _order = "date_in desc"

    lead_id = fields.Many2one("crm.lead", "Lead", readonly=True)
    stage_id = fields.Many2one("crm.stage", "Stage", readonly=True)
    next_stage_id = fields.Many2one("crm.stage", "Next Stage", readonly=True)
    date_in = fields.Datetime("Entered On", readonly=True)
    date_out = fields.Datetime("Left On", readonly=True)
    days_in_stage = fields.Float("Days in Stage", readonly=True, aggregator="avg", digits=(16, 1))
    advanced_rate = fields.Float(
        "Moved Forward (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the leads that left this stage for a later stage (or won), "
        "among those that left it or were lost.",
    )
    won_rate = fields.Float(
        "Won in the End (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Share of the leads that passed through this stage and were won, among "
        "those already won or lost.",
    )
    entry_count = fields.Integer("Entries", readonly=True, aggregator="sum")
    is_current = fields.Boolean("Still There", readonly=True)
    won_status = fields.Selection(
        [("won", "Won"), ("lost", "Lost"), ("pending", "Pending")], "Outcome", readonly=True
    )
    lost_reason_id = fields.Many2one("crm.lost.reason", "Lost Reason", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    customer_segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    source_id = fields.Many2one("utm.source", "Source", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    expected_revenue = fields.Float(
        "Expected Revenue on Entry", readonly=True, aggregator="sum", digits=(16, 2)
    )

    @property
    def _table_query(self):
        return SQL(
            """
            WITH visit AS (
                SELECT h.id, h.lead_id, h.stage_to_id AS stage_id, h.date AS date_in,
                       h.salesperson_id, h.team_id, h.customer_segment_id, h.source_id,
                       h.company_id, h.expected_revenue,
                       LEAD(h.stage_to_id) OVER w AS next_stage_id,
                       LEAD(h.date) OVER w AS date_out
                  FROM crm_lead_stage_history h
                 WHERE h.lead_id IS NOT NULL AND h.stage_to_id IS NOT NULL
                WINDOW w AS (PARTITION BY h.lead_id ORDER BY h.date, h.id)
            )
            SELECT v.id, v.lead_id, v.stage_id, v.next_stage_id, v.date_in, v.date_out,
                   CASE WHEN v.date_out IS NOT NULL
                        THEN EXTRACT(EPOCH FROM v.date_out - v.date_in) / 86400.0 END
                       AS days_in_stage,
                   CASE WHEN nxt.is_won OR (nxt.id IS NOT NULL AND NOT coalesce(cur.is_won, false)
                                            AND nxt.sequence > cur.sequence) THEN 100.0
                        WHEN nxt.id IS NOT NULL OR lead.won_status = 'lost' THEN 0.0
                   END AS advanced_rate,
                   CASE lead.won_status WHEN 'won' THEN 100.0 WHEN 'lost' THEN 0.0 END
                       AS won_rate,
                   1 AS entry_count,
                   v.date_out IS NULL AS is_current,
                   lead.won_status, lead.lost_reason_id,
                   v.salesperson_id AS user_id, v.team_id, v.customer_segment_id,
                   v.source_id, v.company_id, v.expected_revenue
              FROM visit v
              JOIN crm_lead lead ON lead.id = v.lead_id
              JOIN crm_stage cur ON cur.id = v.stage_id
         LEFT JOIN crm_stage nxt ON nxt.id = v.next_stage_id
            """
        )
