from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

DEFAULT_MONTHS = 12
DEFAULT_MIN_SUPPORT = 0.02
DEFAULT_MIN_CONFIDENCE = 0.2


RULES_QUERY = """
WITH basket AS (
    SELECT DISTINCT r.company_id, r.partner_id, r.product_id
      FROM %(revenue)s r
     WHERE r.company_id = ANY(%(companies)s) AND r.amount > 0
       AND r.date > %(since)s AND r.date <= %(today)s
), scoped AS (
    SELECT b.company_id, s.scope, b.partner_id, b.product_id
      FROM basket b
      JOIN res_partner p ON p.id = b.partner_id
     CROSS JOIN LATERAL (VALUES (0), (p.segment_id)) AS s(scope)
     WHERE s.scope IS NOT NULL
), n AS (
    SELECT company_id, scope, count(DISTINCT partner_id) AS n
      FROM scoped GROUP BY company_id, scope
), item AS (
    SELECT company_id, scope, product_id, count(*) AS cnt
      FROM scoped GROUP BY company_id, scope, product_id
), pair AS (
    SELECT a.company_id, a.scope, a.product_id AS x, b.product_id AS y,
           count(*) AS cnt
      FROM scoped a
      JOIN scoped b ON b.company_id = a.company_id AND b.scope = a.scope
                   AND b.partner_id = a.partner_id AND b.product_id <> a.product_id
     GROUP BY a.company_id, a.scope, a.product_id, b.product_id
), new AS (
    SELECT pair.company_id, nullif(pair.scope, 0) AS segment_id, pair.x, pair.y,
           pair.cnt, n.n, pair.cnt::float / n.n AS support,
           pair.cnt::float / ix.cnt AS confidence,
           (pair.cnt::float / ix.cnt) / (iy.cnt::float / n.n) AS lift
      FROM pair
      JOIN n ON n.company_id = pair.company_id AND n.scope = pair.scope
      JOIN item ix ON ix.company_id = pair.company_id AND ix.scope = pair.scope
                  AND ix.product_id = pair.x
      JOIN item iy ON iy.company_id = pair.company_id AND iy.scope = pair.scope
                  AND iy.product_id = pair.y
     WHERE pair.cnt >= %(min_support)s * n.n
       AND pair.cnt >= %(min_confidence)s * ix.cnt
    UNION ALL
    SELECT item.company_id, nullif(item.scope, 0), NULL, item.product_id,
           item.cnt, n.n, item.cnt::float / n.n, item.cnt::float / n.n, 1.0
      FROM item
      JOIN n ON n.company_id = item.company_id AND n.scope = item.scope
     WHERE item.cnt >= %(min_support)s * n.n
       AND item.cnt >= %(min_confidence)s * n.n
), upsert AS (
    INSERT INTO crm_customer_product_rule AS r
           (company_id, segment_id, antecedent_product_id, consequent_product_id,
            customer_count, scope_count, support, confidence, lift, date,
            create_uid, create_date, write_uid, write_date)
    SELECT company_id, segment_id, x, y, cnt, n, support, confidence, lift,
           %(today)s, %(uid)s, now() at time zone 'UTC', %(uid)s,
           now() at time zone 'UTC'
      FROM new
        ON CONFLICT (company_id, segment_id, antecedent_product_id,
                     consequent_product_id)
        DO UPDATE SET customer_count = EXCLUDED.customer_count,
                      scope_count = EXCLUDED.scope_count,
                      support = EXCLUDED.support,
                      confidence = EXCLUDED.confidence, lift = EXCLUDED.lift,
                      date = EXCLUDED.date, write_date = EXCLUDED.write_date
     WHERE (r.customer_count, r.scope_count, r.support, r.confidence, r.lift)
           IS DISTINCT FROM
           (EXCLUDED.customer_count, EXCLUDED.scope_count, EXCLUDED.support,
            EXCLUDED.confidence, EXCLUDED.lift)
), removed AS (
    DELETE FROM crm_customer_product_rule r
     WHERE r.company_id = ANY(%(companies)s)
       AND NOT EXISTS (
           SELECT 1 FROM new
            WHERE new.company_id = r.company_id
              AND new.segment_id IS NOT DISTINCT FROM r.segment_id
              AND new.x IS NOT DISTINCT FROM r.antecedent_product_id
              AND new.y = r.consequent_product_id)
)
SELECT count(*) FROM new
"""


class CrmCustomerProductRule(models.Model):
    """Association rule "customers who bought X also bought Y", per company
    and scope (a segment, or the whole company when ``segment_id`` is empty),
    over the customers who bought in the analysis window:

    - support = customers who bought X and Y / customers in the scope;
    - confidence = customers who bought X and Y / customers who bought X;
    - lift = confidence / (customers who bought Y / customers in the scope).

    A rule without X is the popularity of Y in the scope (its support and
    confidence are the share of the scope's customers who bought Y, lift 1).
    All of them are computed in one SQL statement by ``_ccare_compute_rules``
    with the minimum support and confidence of the settings.
    """

    _name = "crm.customer.product.rule"
    _description = "Product Association Rule"
    _order = "lift desc, confidence desc, id"
    _rec_name = "consequent_product_id"
    _check_company_auto = True

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    segment_id = fields.Many2one(
        "crm.customer.segment",
        "Scope",
        index=True,
        readonly=True,
        ondelete="cascade",
        help="Empty: every customer of the company.",
    )
    antecedent_product_id = fields.Many2one(
        "product.product", "Who Bought", index=True, readonly=True, ondelete="cascade"
    )
    consequent_product_id = fields.Many2one(
        "product.product",
        "Also Bought",
        required=True,
        index=True,
        readonly=True,
        ondelete="cascade",
    )
    customer_count = fields.Integer("Customers (X and Y)", readonly=True, aggregator="sum")
    scope_count = fields.Integer("Customers in Scope", readonly=True, aggregator="max")
    support = fields.Float(readonly=True, aggregator="avg", digits=(16, 4))
    confidence = fields.Float(readonly=True, aggregator="avg", digits=(16, 4))
    lift = fields.Float(readonly=True, aggregator="avg", digits=(16, 2))
    date = fields.Date("Computed on", readonly=True)

    _rule_unique = models.UniqueIndex(
        "(company_id, segment_id, antecedent_product_id, consequent_product_id) NULLS NOT DISTINCT",
        "One rule per company, scope and pair of products.",
    )

    @api.model
    def _ccare_settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            "months": int(params.get_param("crm_customer_care.habits_months", DEFAULT_MONTHS)),
            "min_support": float(
                params.get_param("crm_customer_care.rule_min_support", DEFAULT_MIN_SUPPORT)
            ),
            "min_confidence": float(
                params.get_param("crm_customer_care.rule_min_confidence", DEFAULT_MIN_CONFIDENCE)
            ),
        }

    @api.model
    def _ccare_compute_rules(self, company_ids, today):
        """Every rule of ``company_ids`` in one statement: customer baskets
        (distinct products bought in the window), counted per company and per
        segment, pairs of products of the same basket, the thresholds, and
        the upsert (only rules whose figures moved are written) and removal
        of the rules that fell below the thresholds. Returns the number of
        rules kept."""
        settings = self._ccare_settings()
        since = fields.Date.subtract(today, months=settings["months"])
        revenue = self.env["crm.customer.revenue.source"]._revenue_lines_sql()
        self.env["res.partner"].flush_model(["segment_id"])
        self.flush_model()
        self.env.cr.execute(
            SQL(
                RULES_QUERY,
                revenue=revenue,
                companies=list(company_ids),
                since=since,
                today=today,
                min_support=settings["min_support"],
                min_confidence=settings["min_confidence"],
                uid=self.env.uid,
            )
        )
        kept = self.env.cr.fetchone()[0]
        self.invalidate_model()
        return kept
