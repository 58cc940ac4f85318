from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.stats import correlation_p_value
from odoo.exceptions import ValidationError
from odoo.tools import SQL

CORRELATIONS = ("corr_health", "corr_health_change", "corr_satisfaction", "corr_revenue")


class CrmCallEffectiveness(models.Model):
    """Call effectiveness per segment over a period: how regularly the
    accounts were called against their relationship health, satisfaction
    and revenue (``crm.customer.revenue.report``, accounting dates, company
    currency), correlated in the database (PostgreSQL ``corr()``, with the
    number of pairs and a two-sided p-value; empty when undefined)."""

    _name = "crm.call.effectiveness"
    _description = "Call Effectiveness Analysis"
    _inherit = ["mail.thread"]
    _order = "date_to desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=90)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)
    threshold = fields.Float(
        "Under-served Below (%)",
        default=80.0,
        help="Segments whose plan compliance is below this are flagged as under-served.",
    )
    line_ids = fields.One2many("crm.call.effectiveness.line", "analysis_id", string="Segments")
    under_served_count = fields.Integer(compute="_compute_under_served_count")

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for analysis in self:
            analysis.name = self.env._(
                "Call effectiveness %(from)s - %(to)s",
                **{"from": analysis.date_from, "to": analysis.date_to},
            )

    def _compute_under_served_count(self):
        for analysis in self:
            analysis.under_served_count = len(analysis.line_ids.filtered("under_served"))

    @api.constrains("date_from", "date_to", "threshold")
    def _check_period(self):
        for analysis in self:
            if analysis.date_to < analysis.date_from:
                raise ValidationError(self.env._("The period cannot end before it starts."))
            if not 0 <= analysis.threshold <= 100:
                raise ValidationError(
                    self.env._("The under-served threshold is a percentage between 0 and 100.")
                )

    def action_compute(self):
        for analysis in self:
            analysis.line_ids.unlink()
            rows = analysis._effectiveness_rows()
            self.env["crm.call.effectiveness.line"].create(
                [{"analysis_id": analysis.id, **row} for row in rows]
            )
        return True

    def _effectiveness_rows(self):
        """One row per segment, in one query."""
        self.ensure_one()
        self.env.flush_all()
        rows = self.env.execute_query_dict(
            SQL(
                """
                %(accounts)s
                SELECT segment_id,
                       count(*) AS account_count,
                       sum(due) AS calls_due,
                       sum(done) AS calls_done,
                       sum(on_time) AS calls_on_time,
                       avg(gap_variance) AS gap_variance,
                       avg(health) AS avg_health,
                       avg(health_change) AS avg_health_change,
                       avg(satisfaction) AS avg_satisfaction,
                       sum(revenue) AS revenue,
                       corr(regularity, health) AS corr_health,
                       regr_count(regularity, health) AS corr_health_n,
                       corr(regularity, health_change) AS corr_health_change,
                       regr_count(regularity, health_change) AS corr_health_change_n,
                       corr(regularity, satisfaction) AS corr_satisfaction,
                       regr_count(regularity, satisfaction) AS corr_satisfaction_n,
                       corr(regularity, revenue) AS corr_revenue,
                       regr_count(regularity, revenue) AS corr_revenue_n
                  FROM accounts
                 GROUP BY segment_id
                """,
                accounts=self._effectiveness_accounts_sql(),
            )
        )
        for row in rows:
            self._effectiveness_labels(row)
        return rows

    def _effectiveness_labels(self, row):
        """Complete a segment's ``row``: figures as floats, each correlation
        with its n, p-value and label, the compliance and the flag."""
        for key in (
            "gap_variance",
            "avg_health",
            "avg_health_change",
            "avg_satisfaction",
            "revenue",
        ):
            row[key] = float(row[key] or 0.0)
        # a correlation is undefined (NULL) with fewer than two pairs or
        # no variance: it stays empty, never 0, with its n and p-value
        for key in CORRELATIONS:
            r, n = row[key], row[f"{key}_n"]
            p = correlation_p_value(float(r), n) if r is not None else None
            row[key] = float(r or 0.0)
            row[f"{key}_p"] = p or 0.0
            if r is None:
                row[f"{key}_label"] = False
            elif p is None:
                row[f"{key}_label"] = self.env._("%(r).2f (n = %(n)s)", r=float(r), n=n)
            else:
                row[f"{key}_label"] = self.env._(
                    "%(r).2f (n = %(n)s, p = %(p).3f)", r=float(r), n=n, p=p
                )
        due = row["calls_due"]
        row["compliance"] = 100.0 * row["calls_on_time"] / due if due else 0.0
        row["under_served"] = row["compliance"] < self.threshold

    def _effectiveness_accounts_sql(self):
        """The ``WITH`` clause whose ``accounts`` are the accounts with calls
        due in the period: calls due, done and on time, satisfaction, the
        variance of the gaps between done calls, revenue, health and its
        change (:meth:`_effectiveness_health_sql`)."""
        return SQL(
            """
                WITH calls AS (
                    SELECT c.partner_id,
                           -- due: done, or past its deadline (still open ones are
                           -- not late yet)
                           count(*) FILTER (WHERE c.state != 'cancelled'
                                             AND c.due_date BETWEEN %(df)s AND %(dt)s
                                             AND (c.state = 'done'
                                                  OR coalesce(c.deadline_date, c.due_date)
                                                     < %(today)s)) AS due,
                           count(*) FILTER (WHERE c.is_on_time
                                             AND c.due_date BETWEEN %(df)s AND %(dt)s) AS on_time,
                           count(*) FILTER (WHERE c.state = 'done'
                                             AND c.date_done::date BETWEEN %(df)s AND %(dt)s)
                               AS done,
                           avg(nullif(c.satisfaction, 0)) FILTER (
                               WHERE c.state = 'done'
                                 AND c.date_done::date BETWEEN %(df)s AND %(dt)s) AS satisfaction
                      FROM crm_call c
                     WHERE c.company_id = %(company)s
                     GROUP BY c.partner_id
                ), gaps AS (
                    SELECT partner_id, var_samp(gap) AS gap_variance
                      FROM (SELECT partner_id,
                                   date_done::date - lag(date_done::date) OVER (
                                       PARTITION BY partner_id ORDER BY date_done) AS gap
                              FROM crm_call
                             WHERE state = 'done' AND company_id = %(company)s
                               AND date_done::date BETWEEN %(df)s AND %(dt)s) g
                     GROUP BY partner_id
                ), revenue AS (
                    SELECT r.commercial_partner_id AS partner_id, sum(r.revenue) AS amount
                      FROM %(revenue)s r
                     WHERE r.company_id = %(company)s AND r.date BETWEEN %(df)s AND %(dt)s
                     GROUP BY r.commercial_partner_id
                ), health AS (
                    %(health)s
                ), accounts AS (
                    SELECT p.segment_id, calls.*,
                           hc.change::float AS health_change,
                           least(calls.done::float / calls.due, 1.0) AS regularity,
                           p.health_score::float AS health,
                           coalesce(r.amount, 0)::float AS revenue,
                           g.gap_variance
                      FROM calls
                      JOIN res_partner p ON p.id = calls.partner_id
                 LEFT JOIN revenue r ON r.partner_id = p.id
                 LEFT JOIN gaps g ON g.partner_id = p.id
                 LEFT JOIN health hc ON hc.partner_id = p.id
                     WHERE p.segment_id IS NOT NULL AND calls.due > 0
                )
            """,
            df=self.date_from,
            dt=self.date_to,
            today=fields.Date.context_today(self),
            company=self.company_id.id,
            revenue=self.env["crm.customer.revenue.report"]._table_sql,
            health=self._effectiveness_health_sql(),
        )

    def _effectiveness_health_sql(self):
        """Each account's health change over the period: health at a date is
        the last change on or before it, else the score before the first
        change after it, else today's."""
        return SQL(
            """
                    -- health at a date: the last change on or before it, else
                    -- the score before the first change after it, else today's
                    SELECT calls.partner_id,
                           coalesce(he.score, he2.previous_score, p.health_score)
                           - coalesce(hs.score, hs2.previous_score, p.health_score) AS change
                      FROM calls
                      JOIN res_partner p ON p.id = calls.partner_id
                 LEFT JOIN LATERAL (SELECT score FROM crm_customer_health_history h
                                     WHERE h.partner_id = p.id AND h.date <= %(df)s
                                     ORDER BY h.date DESC LIMIT 1) hs ON true
                 LEFT JOIN LATERAL (SELECT previous_score FROM crm_customer_health_history h
                                     WHERE h.partner_id = p.id AND h.date > %(df)s
                                     ORDER BY h.date LIMIT 1) hs2 ON true
                 LEFT JOIN LATERAL (SELECT score FROM crm_customer_health_history h
                                     WHERE h.partner_id = p.id AND h.date <= %(dt)s
                                     ORDER BY h.date DESC LIMIT 1) he ON true
                 LEFT JOIN LATERAL (SELECT previous_score FROM crm_customer_health_history h
                                     WHERE h.partner_id = p.id AND h.date > %(dt)s
                                     ORDER BY h.date LIMIT 1) he2 ON true
            """,
            df=self.date_from,
            dt=self.date_to,
        )
