from odoo import fields
from odoo import models
from odoo import tools
from odoo.addons.crm_customer_care.report.crm_customer_revenue_report import revenue_lines_sql
from odoo.tools import SQL

from ..models.crm_relationship_participant import PARTICIPANT_GROUPS
from ..models.crm_relationship_participant import PARTICIPANT_STATES
from ..models.crm_relationship_programme import PROGRAMME_TYPES
from ..models.survey_survey import NPS_POINT_SQL


def programme_period_sql(date):
    """SQL: ``date`` (an SQL date) is in the period of the programme aliased
    ``pr``, both ends included; an open programme (no end) has no upper
    bound, never the database's UTC current date, which is not the user's
    day."""
    return SQL("%s BETWEEN pr.date_start AND coalesce(pr.date_end, 'infinity'::date)", date)


class CrmRelationshipEffectivenessReport(models.Model):
    """One row per programme participant (member or holdout) with what they
    bought over the programme period (``crm.customer.revenue.report``:
    accounting dates, the programme's company and currency): the pivot and graph compare members
    with the holdout per programme and segment."""

    _name = "crm.relationship.effectiveness.report"
    _description = "Relationship Programme Effectiveness"
    _auto = False
    _rec_name = "partner_id"
    # what the view reads: flushed before any search, so figures read in the
    # same transaction see pending writes (a cancelled redemption, a new
    # invoice)
    _depends = {
        "crm.relationship.participant": ["programme_id", "partner_id", "group", "state", "card_id"],
        "crm.relationship.programme": ["programme_type", "company_id", "date_start", "date_end"],
        "res.partner": ["segment_id", "commercial_partner_id"],
        "crm.customer.revenue.report": [
            "commercial_partner_id",
            "company_id",
            "date",
            "move_type",
            "revenue",
            "cost",
        ],
        "crm.loyalty.redemption": ["card_id", "points", "state", "create_date"],
        "survey.survey": ["crm_programme_id"],
        "survey.user_input": ["survey_id", "partner_id", "state"],
        "survey.user_input.line": ["user_input_id", "question_id", "value_scale"],
        "survey.question": ["crm_is_nps"],
    }

    programme_id = fields.Many2one("crm.relationship.programme", readonly=True)
    programme_type = fields.Selection(PROGRAMME_TYPES, string="Type", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    group = fields.Selection(PARTICIPANT_GROUPS, readonly=True)
    state = fields.Selection(PARTICIPANT_STATES, readonly=True)
    revenue = fields.Float(
        readonly=True,
        aggregator="sum",
        help="Invoiced over the programme period, net of what its sales deferred (the points' "
        "share of a sale, when the points are in the books).",
    )
    revenue_avg = fields.Float("Revenue per Customer", readonly=True, aggregator="avg")
    margin = fields.Float(
        "Gross Margin",
        readonly=True,
        aggregator="sum",
        help="Revenue minus cost of goods (the P&L's), over the programme period.",
    )
    invoice_count = fields.Integer("Purchases", readonly=True, aggregator="sum")
    retained = fields.Integer("Retained", readonly=True, aggregator="sum")
    retention = fields.Float("Retention (%)", readonly=True, aggregator="avg")
    # not "active": the ORM would take it for the archive flag and hide
    # every row at 0 (the whole holdout) from searches and groupings
    active_member = fields.Integer("Active", readonly=True, aggregator="sum")
    points_redeemed = fields.Float(readonly=True, aggregator="sum")
    nps_point = fields.Float(
        "NPS",
        readonly=True,
        aggregator="avg",
        help="+100 promoter, 0 passive, -100 detractor: the average is the NPS.",
    )

    def init(self):
        self._loyalty_create_view(self._loyalty_deferred_revenue_sql())

    def _loyalty_create_view(self, deferred):
        """(Re)create the view, revenue and margin net of ``deferred`` (see
        ``_loyalty_deferred_revenue_sql``)."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %(view)s AS (
                SELECT pa.id, pa.programme_id, pr.programme_type, pr.company_id, pa.partner_id,
                       rp.segment_id, pa."group", pa.state,
                       coalesce(inv.revenue, 0) - coalesce(dfr.amount, 0) AS revenue,
                       coalesce(inv.revenue, 0) - coalesce(dfr.amount, 0) AS revenue_avg,
                       coalesce(inv.margin, 0) - coalesce(dfr.amount, 0) AS margin,
                       coalesce(inv.invoices, 0) AS invoice_count,
                       CASE WHEN inv.invoices > 0 THEN 1 ELSE 0 END AS retained,
                       CASE WHEN inv.invoices > 0 THEN 100.0 ELSE 0.0 END AS retention,
                       CASE WHEN pa.state IN ('active', 'redeemed', 'attended')
                            THEN 1 ELSE 0 END AS active_member,
                       coalesce(red.points, 0) AS points_redeemed,
                       nps.point AS nps_point
                  FROM crm_relationship_participant pa
                  JOIN crm_relationship_programme pr ON pr.id = pa.programme_id
                  JOIN res_partner rp ON rp.id = pa.partner_id
             LEFT JOIN LATERAL (
                    -- crm.customer.revenue.report: the one revenue source
                    SELECT sum(r.revenue) AS revenue,
                           sum(r.revenue - r.cost) AS margin,
                           count(DISTINCT r.move_id) FILTER (WHERE r.move_type = 'out_invoice')
                               AS invoices
                      FROM (%(revenue_lines)s) r
                     WHERE r.commercial_partner_id = rp.commercial_partner_id
                       AND r.company_id = pr.company_id
                       AND %(invoice_in_period)s
                    ) inv ON true
             LEFT JOIN LATERAL (%(deferred)s) dfr ON true
             LEFT JOIN LATERAL (
                    SELECT sum(r.points) AS points FROM crm_loyalty_redemption r
                     WHERE r.card_id = pa.card_id AND r.state != 'cancel'
                       -- the card outlives the programme: only its period's redemptions
                       AND %(redemption_in_period)s
                    ) red ON true
             LEFT JOIN LATERAL (
                    SELECT avg(%(nps_point)s) AS point
                      FROM survey_user_input ui
                      JOIN survey_survey s ON s.id = ui.survey_id
                      JOIN survey_user_input_line l ON l.user_input_id = ui.id
                      JOIN survey_question q ON q.id = l.question_id
                     WHERE s.crm_programme_id = pa.programme_id
                       AND ui.partner_id = pa.partner_id AND ui.state = 'done'
                       AND q.crm_is_nps AND l.value_scale IS NOT NULL
                    ) nps ON true
                )
                """,
                view=SQL.identifier(self._table),
                revenue_lines=revenue_lines_sql(self.env),
                invoice_in_period=programme_period_sql(SQL("r.date")),
                deferred=deferred,
                redemption_in_period=programme_period_sql(SQL("r.create_date::date")),
                nps_point=NPS_POINT_SQL,
            )
        )

    def _loyalty_deferred_revenue_sql(self):
        """Extension point: a query for the revenue a participant's sales of
        the programme period deferred (e.g. the points' share of a sale, a
        contract liability under IFRS 15), one row with an ``amount`` column
        in the programme company's currency; revenue and margin are net of
        it. It reads the view's aliases ``pa`` (participant), ``pr``
        (programme) and ``rp`` (the participant's partner). Runs when the
        view is created (install, upgrade, an addon overriding it); here:
        nothing deferred."""
        return SQL("SELECT 0 AS amount")
