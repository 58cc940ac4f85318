import json

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

LIFECYCLE_STAGES = [
    ("prospect", "Prospect"),
    ("active", "Active"),
    ("at_risk", "At Risk"),
    ("lapsed", "Lapsed"),
    ("closed", "Closed"),
]
HEALTH_FIELDS = ("health_score", "health_details", "lifecycle_stage", "last_purchase_date")


class ResPartner(models.Model):
    """Relationship health (0-100, with its reasons) and lifecycle stage.

    Both are stored and recomputed set-based by ``_ccare_recompute_health``
    (daily cron in chunked jobs, after an invoice is posted, on demand).
    Other addons add factors through ``_ccare_health_factors``.
    """

    _inherit = "res.partner"

    health_score = fields.Integer(
        "Relationship Health",
        readonly=True,
        aggregator="avg",
        copy=False,
        groups="base.group_user",
    )
    # [{"label", "points", "max", "reason"}], the parts of the score
    health_details = fields.Json(readonly=True, copy=False, groups="base.group_user")
    health_explanation = fields.Html(
        "Health Breakdown",
        compute="_compute_health_explanation",
        sanitize=False,
        groups="base.group_user",
    )
    last_purchase_date = fields.Date(readonly=True, copy=False, groups="base.group_user")
    lifecycle_stage = fields.Selection(
        LIFECYCLE_STAGES,
        readonly=True,
        copy=False,
        index=True,
        help="Computed from purchases and health (thresholds in Settings), unless overridden.",
        groups="base.group_user",
    )
    lifecycle_override = fields.Selection(
        LIFECYCLE_STAGES,
        "Stage Override",
        tracking=True,
        copy=False,
        help="Set a stage by hand; clear it to let the rules decide again.",
        groups="base.group_user",
    )

    @api.depends("health_details")
    def _compute_health_explanation(self):
        for partner in self:
            rows = [
                Markup(
                    "<tr><td>{label}</td><td class='text-end'>{points}/{max}</td>"
                    "<td class='text-muted'>{reason}</td></tr>"
                ).format(**part)
                for part in partner.health_details or []
            ]
            partner.health_explanation = (
                Markup(
                    "<table class='table table-sm o_ccare_health'><tbody>{}</tbody></table>"
                ).format(Markup("").join(rows))
                if rows
                else False
            )

    # ------------------------------------------------------------ averages
    @api.model
    def _ccare_average_scores(self):
        """Relationship health among the scores management figures average
        (the core's extension point)."""
        return [
            ("health_score", self.env._("Average relationship health")),
            *super()._ccare_average_scores(),
        ]

    # ------------------------------------------------------------ factors
    def _ccare_health_factors(self, today):
        """The factors of the health score for the partners of ``self``.

        Returns a list of ``(label, weight, values)`` where ``weight`` is a
        number or ``{partner id: weight}`` (weights are set per company in
        Settings) and ``values`` maps a partner id to ``(ratio 0..1,
        reason)``; a partner missing from a factor's values is not judged
        on it (its weight is left out).
        Override to add factors (satisfaction, open complaints...), calling
        super() and appending to its list.
        """
        stats = self._ccare_purchase_stats(today)
        lapsed_days = {
            p.id: p.company_id.ccare_lapsed_days or self.env.company.ccare_lapsed_days for p in self
        }
        recency, frequency, monetary = {}, {}, {}
        medians = {
            company: self._ccare_median_revenue(today, company)
            for company in {partner._ccare_health_company() for partner in self}
        }
        for partner in self:
            median = medians[partner._ccare_health_company()]
            stat = stats.get(partner.id)
            if not stat or not stat["last"]:
                continue
            days = (today - stat["last"]).days
            limit = max(lapsed_days[partner.id], 1)
            recency[partner.id] = (
                max(0.0, 1 - days / limit),
                self.env._("last purchase %(days)s days ago", days=days),
            )
            company = partner._ccare_health_company()
            cap = max(company.ccare_health_frequency_cap, 1)
            frequency[partner.id] = (
                min(stat["count"], cap) / cap,
                self.env._("%(count)s invoices in 12 months", count=stat["count"]),
            )
            if median:
                ratio = stat["revenue"] / (company.ccare_health_monetary_cap * median)
                monetary[partner.id] = (
                    max(min(ratio, 1.0), 0.0),
                    self._ccare_monetary_reason(stat["revenue"], median, ratio),
                )
        weights = {
            name: {p.id: p._ccare_health_company()[f"ccare_health_weight_{name}"] for p in self}
            for name in ("recency", "frequency", "monetary")
        }
        return [
            (self.env._("Recency"), weights["recency"], recency),
            (self.env._("Frequency"), weights["frequency"], frequency),
            (self.env._("Monetary value"), weights["monetary"], monetary),
        ]

    def _ccare_monetary_reason(self, revenue, median, ratio):
        """Where the customer's 12-month revenue stands, without the amount:
        the reasons are read by every internal user, per-customer revenue
        and the median only by those who may read the revenue report."""
        if revenue <= 0:
            return self.env._("no net revenue over the last year")
        if ratio >= 1:
            return self.env._("revenue over the last year at the level of full marks or above")
        if revenue > median:
            return self.env._("revenue over the last year above the median customer's")
        if revenue == median:
            return self.env._("revenue over the last year at the median customer's")
        return self.env._("revenue over the last year below the median customer's")

    def _ccare_health_company(self):
        """The company whose invoices judge this customer: its own, or the
        current one for a customer shared between companies (revenue is
        never summed across companies, their currencies may differ)."""
        return self.company_id or self.env.company

    @api.model
    def _ccare_median_revenue(self, today, company=None):
        """Median 12-month revenue of the customers who bought from
        ``company`` (default: the current one): the yardstick of the monetary
        factor, the same for every chunk of a batch. Revenue from
        ``crm.customer.revenue.report``, by accounting date."""
        Report = self.env["crm.customer.revenue.report"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY revenue)
                  FROM (SELECT sum(r.revenue) AS revenue
                          FROM %s r
                         WHERE r.date > %s AND r.company_id = %s
                         GROUP BY r.commercial_partner_id) AS customer
                 WHERE revenue > 0
                """,
                Report._table_sql,
                today - relativedelta(years=1),
                (company or self.env.company).id,
            )
        )
        return float(rows[0][0] or 0.0)

    def _ccare_purchase_stats(self, today):
        """{partner id: {"last": date, "count": n, "revenue": x}}: posted
        customer invoices (net of refunds) of the last 12 months, and the
        last purchase ever, in each customer's company
        (``_ccare_health_company``); one query for all partners, from
        ``crm.customer.revenue.report`` (accounting dates)."""
        Report = self.env["crm.customer.revenue.report"]
        rows = self.env.execute_query(
            SQL(
                """
                SELECT r.commercial_partner_id, r.company_id,
                       max(r.date) FILTER (WHERE r.move_type = 'out_invoice'),
                       count(DISTINCT r.move_id) FILTER (WHERE r.move_type = 'out_invoice'
                                                           AND r.date > %(since)s),
                       coalesce(sum(r.revenue) FILTER (WHERE r.date > %(since)s), 0)
                  FROM %(report)s r
                 WHERE r.commercial_partner_id = ANY(%(ids)s)
                 GROUP BY r.commercial_partner_id, r.company_id
                """,
                report=Report._table_sql,
                since=today - relativedelta(years=1),
                ids=self.ids,
            )
        )
        rows = {
            (pid, company_id): {"last": last, "count": count, "revenue": float(revenue)}
            for pid, company_id, last, count, revenue in rows
        }
        stats = {}
        for partner in self:
            stat = rows.get((partner.id, partner._ccare_health_company().id))
            if stat:
                stats[partner.id] = stat
        return stats

    # ------------------------------------------------------------ batch
    def _ccare_recompute_health(self):
        """Health score, its breakdown, last purchase and lifecycle stage of
        every commercial partner of ``self``, in a fixed number of queries
        (one per factor source, one UPDATE). Idempotent."""
        partners = (
            self.sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("id", "in", self.ids), ("parent_id", "=", False)],
                ["company_id", "lifecycle_override"],
            )
        )
        if not partners:
            return
        today = fields.Date.context_today(self)
        factors = partners._ccare_health_factors(today)
        purchases = partners._ccare_purchase_stats(today)
        rows = []
        for partner in partners:
            parts, earned, possible = [], 0.0, 0
            for label, weight, values in factors:
                if partner.id not in values:
                    continue
                ratio, reason = values[partner.id]
                points = weight.get(partner.id, 0) if isinstance(weight, dict) else weight
                earned += points * ratio
                possible += points
                parts.append(
                    {
                        "label": label,
                        "points": round(points * ratio),
                        "max": points,
                        "reason": reason,
                    }
                )
            score = round(100 * earned / possible) if possible else 0
            last = (purchases.get(partner.id) or {}).get("last")
            stage = partner.lifecycle_override or partner._ccare_lifecycle_stage(score, last, today)
            rows.append((partner.id, score, json.dumps(parts), stage, last))
        self._ccare_write_health(rows)

    def _ccare_lifecycle_stage(self, score, last_purchase, today):
        company = self.company_id or self.env.company
        if not last_purchase:
            return "prospect"
        days = (today - last_purchase).days
        if days > company.ccare_lapsed_days:
            return "lapsed"
        if days > company.ccare_at_risk_days or score < company.ccare_health_floor:
            return "at_risk"
        return "active"

    def _ccare_write_health(self, rows):
        ids, scores, details, stages, lasts = (list(col) for col in zip(*rows))
        self.env["res.partner"].flush_model(HEALTH_FIELDS)
        # One statement: the old values (the CTE sees the table before the
        # UPDATE), the new ones, and a history row where score or stage moved
        # (one per customer and day; a second change that day replaces it).
        self.env.cr.execute(
            SQL(
                """
                WITH v AS (
                    SELECT * FROM unnest(%s::int[], %s::int[], %s::jsonb[], %s::varchar[],
                                         %s::date[]) AS v(id, score, details, stage, last)
                ), old AS (
                    SELECT p.id, p.health_score, p.lifecycle_stage, p.company_id
                      FROM res_partner p JOIN v ON v.id = p.id
                ), updated AS (
                    UPDATE res_partner AS p
                       SET health_score = v.score, health_details = v.details,
                           lifecycle_stage = v.stage, last_purchase_date = v.last
                      FROM v
                     WHERE p.id = v.id
                )
                INSERT INTO crm_customer_health_history AS h
                       (partner_id, company_id, date, score, previous_score, change,
                        lifecycle_stage, create_uid, create_date, write_uid, write_date)
                SELECT v.id, old.company_id, %s, v.score, old.health_score,
                       v.score - coalesce(old.health_score, 0), v.stage,
                       %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
                  FROM v JOIN old ON old.id = v.id
                 WHERE old.health_score IS DISTINCT FROM v.score
                    OR old.lifecycle_stage IS DISTINCT FROM v.stage
                    ON CONFLICT (partner_id, date) DO UPDATE
                   SET score = EXCLUDED.score, lifecycle_stage = EXCLUDED.lifecycle_stage,
                       change = EXCLUDED.score - coalesce(h.previous_score, 0),
                       write_date = EXCLUDED.write_date
                """,
                ids,
                scores,
                details,
                stages,
                lasts,
                fields.Date.context_today(self),
                self.env.uid,
                self.env.uid,
            )
        )
        self.env["res.partner"].invalidate_model(HEALTH_FIELDS)
        self.env["crm.customer.health.history"].invalidate_model()

    @api.model
    def _ccare_recompute_all_health(self):
        """Compute every customer's health now, in this transaction (demo
        data and small databases; the cron queues chunked jobs instead)."""
        self.sudo().search([("parent_id", "=", False)])._ccare_recompute_health()

    @api.model
    def _cron_recompute_health(self):
        partners = self.sudo().search([("parent_id", "=", False)])
        self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            partners,
            "_ccare_recompute_health",
            description=self.env._("Recompute relationship health"),
        )

    def action_open_health_history(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_health.crm_customer_health_history_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_group_partner": 0}
        return action

    def action_recompute_health(self):
        self.check_access("write")
        self._ccare_recompute_health()

    @api.model_create_multi
    def create(self, vals_list):
        """A new customer is a prospect (or its override) until the health
        job or its first invoice says otherwise: reports count it at once.
        Set in the INSERT itself (no query of its own)."""
        default_parent = self.env.context.get("default_parent_id")
        vals_list = [
            vals
            if vals.get("lifecycle_stage") or vals.get("parent_id", default_parent)
            else dict(vals, lifecycle_stage=vals.get("lifecycle_override") or "prospect")
            for vals in vals_list
        ]
        return super().create(vals_list)

    def write(self, vals):
        res = super().write(vals)
        if "lifecycle_override" in vals:
            self._ccare_recompute_health()
        return res

    @api.constrains("lifecycle_override", "parent_id")
    def _check_lifecycle_override(self):
        for partner in self:
            if partner.lifecycle_override and partner.parent_id:
                raise ValidationError(
                    self.env._(
                        "The lifecycle stage belongs to the company: set it on %(company)s, "
                        "not on its contact %(contact)s.",
                        company=partner.commercial_partner_id.display_name,
                        contact=partner.name,
                    )
                )
