from contextlib import contextmanager

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.tools import SQL

RFM_QUERY = """
WITH customer AS (
    SELECT r.company_id, r.partner_id,
           max(r.date) FILTER (WHERE r.amount > 0) AS last_date,
           count(DISTINCT r.move_id)
               FILTER (WHERE r.amount > 0 AND r.date > %(since)s) AS frequency,
           coalesce(sum(r.amount) FILTER (WHERE r.date > %(since)s), 0) AS monetary
      FROM %(revenue)s r
     WHERE r.company_id = ANY(%(companies)s) AND r.date <= %(today)s
     GROUP BY r.company_id, r.partner_id
    HAVING max(r.date) FILTER (WHERE r.amount > 0) IS NOT NULL
), scored AS (
    SELECT c.*,
           ntile(5) OVER (PARTITION BY c.company_id
                          ORDER BY c.last_date, c.partner_id) AS r_score,
           ntile(5) OVER (PARTITION BY c.company_id
                          ORDER BY c.frequency, c.partner_id) AS f_score,
           ntile(5) OVER (PARTITION BY c.company_id
                          ORDER BY c.monetary, c.partner_id) AS m_score
      FROM customer c
), chunk AS (
    SELECT s.*, p.segment_id,
           (SELECT k.id FROM crm_customer_rfm_class k
             WHERE k.active
               AND (k.company_id IS NULL OR k.company_id = s.company_id)
               AND s.r_score BETWEEN k.recency_min AND k.recency_max
               AND s.f_score BETWEEN k.frequency_min AND k.frequency_max
               AND s.m_score BETWEEN k.monetary_min AND k.monetary_max
             ORDER BY k.company_id IS NULL, k.sequence, k.id LIMIT 1) AS class_id
      FROM scored s JOIN res_partner p ON p.id = s.partner_id
     WHERE %(chunk)s
)
INSERT INTO crm_customer_rfm AS o
       (partner_id, company_id, period, segment_id, last_purchase_date,
        recency_days, frequency, monetary, recency_score, frequency_score,
        monetary_score, rfm_code, class_id,
        create_uid, create_date, write_uid, write_date)
SELECT partner_id, company_id, %(period)s, segment_id, last_date,
       %(today)s - last_date, frequency, monetary, r_score, f_score, m_score,
       concat(r_score, f_score, m_score), class_id,
       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
  FROM chunk
    ON CONFLICT (partner_id, company_id, period) DO UPDATE
   SET segment_id = EXCLUDED.segment_id,
       last_purchase_date = EXCLUDED.last_purchase_date,
       recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency,
       monetary = EXCLUDED.monetary, recency_score = EXCLUDED.recency_score,
       frequency_score = EXCLUDED.frequency_score,
       monetary_score = EXCLUDED.monetary_score, rfm_code = EXCLUDED.rfm_code,
       class_id = EXCLUDED.class_id, write_date = EXCLUDED.write_date
 WHERE (o.segment_id, o.last_purchase_date, o.recency_days, o.frequency,
        o.monetary, o.rfm_code, o.class_id)
       IS DISTINCT FROM
       (EXCLUDED.segment_id, EXCLUDED.last_purchase_date, EXCLUDED.recency_days,
        EXCLUDED.frequency, EXCLUDED.monetary, EXCLUDED.rfm_code,
        EXCLUDED.class_id)
"""


AFFINITY_QUERY = """
WITH spend AS (
    SELECT r.company_id, r.partner_id, r.categ_id, sum(r.amount) AS spend
      FROM %(revenue)s r
     WHERE r.company_id = ANY(%(companies)s) AND r.categ_id IS NOT NULL
       AND r.date > %(since)s AND r.date <= %(today)s
     GROUP BY r.company_id, r.partner_id, r.categ_id
), total AS (
    SELECT s.company_id, s.partner_id, coalesce(p.segment_id, 0) AS scope,
           sum(s.spend) AS total
      FROM spend s JOIN res_partner p ON p.id = s.partner_id
     GROUP BY s.company_id, s.partner_id, p.segment_id
    HAVING sum(s.spend) > 0
), share AS (
    SELECT s.company_id, s.partner_id, t.scope, s.categ_id, s.spend,
           100.0 * greatest(s.spend, 0) / t.total AS share
      FROM spend s
      JOIN total t ON t.company_id = s.company_id AND t.partner_id = s.partner_id
), scope_size AS (
    SELECT company_id, scope, count(*) AS n FROM total GROUP BY company_id, scope
), scope_share AS (
    SELECT sh.company_id, sh.scope, sh.categ_id, sum(sh.share) / z.n AS share
      FROM share sh
      JOIN scope_size z ON z.company_id = sh.company_id AND z.scope = sh.scope
     GROUP BY sh.company_id, sh.scope, sh.categ_id, z.n
), new AS (
    SELECT sh.company_id, sh.partner_id, sh.categ_id, nullif(sh.scope, 0) AS seg,
           sh.spend, round(sh.share::numeric, 4)::float AS share,
           round(ss.share::numeric, 4)::float AS segment_share,
           round((sh.share / nullif(ss.share, 0))::numeric, 4)::float AS idx
      FROM share sh
      JOIN scope_share ss ON ss.company_id = sh.company_id
                         AND ss.scope = sh.scope AND ss.categ_id = sh.categ_id
     WHERE %(new_chunk)s AND sh.spend > 0
), removed AS (
    DELETE FROM crm_customer_category_affinity a
     WHERE %(old_chunk)s AND a.company_id = ANY(%(companies)s)
       AND NOT EXISTS (SELECT 1 FROM new
                        WHERE new.partner_id = a.partner_id
                          AND new.company_id = a.company_id
                          AND new.categ_id = a.categ_id)
)
INSERT INTO crm_customer_category_affinity AS a
       (partner_id, company_id, categ_id, segment_id, date, spend, share,
        segment_share, affinity_index,
        create_uid, create_date, write_uid, write_date)
SELECT partner_id, company_id, categ_id, seg, %(today)s, spend, share,
       segment_share, idx,
       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
  FROM new
    ON CONFLICT (partner_id, company_id, categ_id) DO UPDATE
   SET segment_id = EXCLUDED.segment_id, date = EXCLUDED.date,
       spend = EXCLUDED.spend, share = EXCLUDED.share,
       segment_share = EXCLUDED.segment_share,
       affinity_index = EXCLUDED.affinity_index, write_date = EXCLUDED.write_date
 WHERE (a.segment_id, a.spend, a.share, a.segment_share, a.affinity_index)
       IS DISTINCT FROM
       (EXCLUDED.segment_id, EXCLUDED.spend, EXCLUDED.share,
        EXCLUDED.segment_share, EXCLUDED.affinity_index)
"""


NEXT_PRODUCTS_QUERY = """
WITH bought AS (
    SELECT DISTINCT r.company_id, r.partner_id, r.product_id
      FROM %(revenue)s r
     WHERE r.partner_id = ANY(%(ids)s) AND r.company_id = ANY(%(companies)s)
       AND r.amount > 0
), customer AS (
    SELECT DISTINCT b.company_id, b.partner_id, p.segment_id
      FROM bought b JOIN res_partner p ON p.id = b.partner_id
), candidate AS (
    SELECT DISTINCT ON (c.company_id, c.partner_id, rule.consequent_product_id)
           c.company_id, c.partner_id, c.segment_id,
           rule.consequent_product_id AS product_id,
           rule.segment_id AS scope_id, rule.antecedent_product_id,
           rule.confidence, rule.lift
      FROM customer c
      JOIN crm_customer_product_rule rule
        ON rule.company_id = c.company_id
       AND (rule.segment_id IS NULL OR rule.segment_id = c.segment_id)
      JOIN product_product pp ON pp.id = rule.consequent_product_id AND pp.active
      -- a join, not OR EXISTS (a subplan per customer and rule)
 LEFT JOIN bought ante ON ante.company_id = c.company_id
                      AND ante.partner_id = c.partner_id
                      AND ante.product_id = rule.antecedent_product_id
     WHERE (rule.antecedent_product_id IS NULL OR ante.partner_id IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM bought b
                        WHERE b.company_id = c.company_id
                          AND b.partner_id = c.partner_id
                          AND b.product_id = rule.consequent_product_id)
     ORDER BY c.company_id, c.partner_id, rule.consequent_product_id,
              rule.confidence DESC, rule.lift DESC,
              rule.segment_id IS NULL, rule.id
), ranked AS (
    SELECT candidate.*,
           row_number() OVER (PARTITION BY company_id, partner_id
                              ORDER BY confidence DESC, lift DESC,
                                       product_id) AS rank
      FROM candidate
), new AS (
    SELECT * FROM ranked WHERE rank <= 3
), closed AS (
    UPDATE crm_customer_next_product s
       SET active = false, hit_rate = 0, date_closed = %(today)s,
           write_date = now() at time zone 'UTC', write_uid = %(uid)s
     WHERE s.active AND s.partner_id = ANY(%(ids)s)
       AND s.company_id = ANY(%(companies)s)
       AND NOT EXISTS (SELECT 1 FROM new
                        WHERE new.partner_id = s.partner_id
                          AND new.company_id = s.company_id
                          AND new.product_id = s.product_id)
)
INSERT INTO crm_customer_next_product AS s
       (active, partner_id, company_id, product_id, sequence, segment_id,
        scope_segment_id, antecedent_product_id, confidence, lift,
        date_suggested, hit_rate, create_uid, create_date, write_uid, write_date)
SELECT true, partner_id, company_id, product_id, rank, segment_id, scope_id,
       antecedent_product_id, confidence, lift, %(today)s, 0,
       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
  FROM new
    ON CONFLICT (partner_id, company_id, product_id) WHERE active DO UPDATE
   SET sequence = EXCLUDED.sequence, scope_segment_id = EXCLUDED.scope_segment_id,
       antecedent_product_id = EXCLUDED.antecedent_product_id,
       confidence = EXCLUDED.confidence, lift = EXCLUDED.lift,
       write_date = EXCLUDED.write_date
 WHERE (s.sequence, s.scope_segment_id, s.antecedent_product_id, s.confidence,
        s.lift)
       IS DISTINCT FROM
       (EXCLUDED.sequence, EXCLUDED.scope_segment_id,
        EXCLUDED.antecedent_product_id, EXCLUDED.confidence, EXCLUDED.lift)
"""


@contextmanager
def jit_off(cr):
    """PostgreSQL's JIT off for the statements inside, then as it was: it
    compiles the RFM statement (its window functions and aggregates) for
    about two seconds whatever the number of customers, for no gain. Not
    restored on an error: the transaction (or savepoint) reverts it."""
    cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
    previous = cr.fetchone()[0]
    yield
    cr.execute("SELECT set_config('jit', %s, true)", [previous])


class ResPartner(models.Model):
    """Buying habits of a customer: its RFM class (stored, filterable, usable
    in segment rules), its category affinity and its next-best products.

    ``_ccare_compute_buying_habits`` does the work for a chunk of customers
    in a fixed number of statements; the daily cron computes the
    association rules once (one statement), then queues one job per chunk.
    Every figure comes from ``crm.customer.revenue.source``.
    """

    _inherit = "res.partner"

    # the class shows on every employee's contacts (kanban badge, search):
    # employees read classes; the scores and analyses below are Customer
    # Care's (groups), whoever may not read them may not export them either
    rfm_class_id = fields.Many2one(
        "crm.customer.rfm.class", "RFM Class", readonly=True, index=True, copy=False
    )
    rfm_current_id = fields.Many2one(
        "crm.customer.rfm",
        "Current RFM",
        compute="_compute_rfm_current",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    rfm_code = fields.Char(
        "RFM Scores",
        compute="_compute_rfm_current",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    rfm_history_ids = fields.One2many(
        "crm.customer.rfm",
        "partner_id",
        string="RFM History",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    category_affinity_ids = fields.One2many(
        "crm.customer.category.affinity",
        "partner_id",
        string="Category Affinity",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    next_product_ids = fields.One2many(
        "crm.customer.next.product",
        "partner_id",
        string="Next-Best Products",
        groups="crm_customer_care.group_crm_customer_care_user",
    )

    def _compute_rfm_current(self):
        Rfm = self.env["crm.customer.rfm"]
        latest = {}
        for rfm in Rfm.search_fetch(
            [("partner_id", "in", self.commercial_partner_id.ids)],
            ["partner_id", "company_id", "period"],
            order="period desc, id desc",
        ):
            latest.setdefault(rfm.partner_id.id, rfm)
        for partner in self:
            partner.rfm_current_id = latest.get(partner.commercial_partner_id.id, Rfm)
            partner.rfm_code = partner.rfm_current_id.rfm_code

    # ------------------------------------------------------------ batch
    @api.model
    def _ccare_habits_window(self, today):
        months = self.env["crm.customer.product.rule"]._ccare_settings()["months"]
        return fields.Date.subtract(today, months=months)

    def _ccare_compute_buying_habits(self, precomputed=False):
        """RFM snapshot and class, category affinity, hits and next-best
        products of the commercial partners of ``self`` (one chunk), in every
        company of the environment. The quintiles and the segment averages
        are taken over each company's whole customer base, the rows written
        only for the chunk and only where a value changed. Idempotent.

        ``precomputed``: the run wrote every customer's RFM snapshot and
        affinity already, once for all its chunks (the cron does, see
        ``_ccare_write_habits_snapshots``); the chunk then writes the classes
        on the partners, the hits and the next-best products only."""
        partners = self.sudo().with_context(active_test=False).filtered(lambda p: not p.parent_id)
        if not partners:
            return
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([]).ids
        if precomputed:
            partners._ccare_write_rfm_class(today)
        else:
            partners._ccare_write_rfm(companies, today)
            partners._ccare_write_affinity(companies, today)
        partners._ccare_record_hits(companies, today)
        partners._ccare_write_next_products(companies, today)

    @api.model
    def _ccare_write_habits_snapshots(self, company_ids, today):
        """Every customer's RFM snapshot and category affinity in the
        companies, one statement each: the quintiles and the segment
        averages are computed once for a whole run instead of once per
        chunk (its chunks then run with ``precomputed``)."""
        Partner = self.env["res.partner"].sudo()
        Partner._ccare_write_rfm(company_ids, today, everyone=True)
        Partner._ccare_write_affinity(company_ids, today, everyone=True)

    def _ccare_write_rfm(self, company_ids, today, everyone=False):
        """The RFM snapshot of the period for the customers of ``self`` (or
        of every customer, ``everyone``), and, for ``self``, their class on
        the partner. Quintiles per company, over all its customers."""
        revenue = self.env["crm.customer.revenue.source"]._revenue_lines_sql()
        chunk = SQL("TRUE") if everyone else SQL("s.partner_id = ANY(%s)", self.ids)
        since = self._ccare_habits_window(today)
        period = today.replace(day=1)
        self.env["res.partner"].flush_model(["segment_id", "company_id", "rfm_class_id"])
        self.env["crm.customer.rfm.class"].flush_model()
        with jit_off(self.env.cr):
            self.env.cr.execute(
                SQL(
                    RFM_QUERY,
                    revenue=revenue,
                    since=since,
                    today=today,
                    period=period,
                    companies=list(company_ids),
                    chunk=chunk,
                    uid=self.env.uid,
                )
            )
        self.env["crm.customer.rfm"].invalidate_model()
        if not everyone:
            self._ccare_write_rfm_class(today)

    def _ccare_write_rfm_class(self, today):
        """The class on the partners of ``self``, from their snapshots of the
        period: the one of its own company's snapshot, or of the company it
        buys most from. One UPDATE of the partners whose class moves."""
        period = today.replace(day=1)
        Partner = self.env["res.partner"]
        # pending writes of the partners too (write_date), which the
        # invalidation below would otherwise drop unflushed
        Partner.flush_model(["company_id", "rfm_class_id", "write_uid", "write_date"])
        self.env["crm.customer.rfm"].flush_model()
        # Set-based, not a write() per class (2.5 s for 20k partners, nearly
        # all in res.partner.write's per-record bookkeeping, none of which
        # concerns this field): what the write would do for rfm_class_id is
        # done below (cache, dependents, segment rules reading it).
        moved = self.env.execute_query(
            SQL(
                """
                UPDATE res_partner p
                   SET rfm_class_id = best.class_id, write_uid = %(uid)s,
                       write_date = now() at time zone 'UTC'
                  FROM (SELECT c.id,
                               (SELECT s.class_id FROM crm_customer_rfm s
                                 WHERE s.partner_id = c.id AND s.period = %(period)s
                                 ORDER BY s.company_id = c.company_id DESC NULLS LAST,
                                          s.monetary DESC, s.id
                                 LIMIT 1) AS class_id
                          FROM res_partner c WHERE c.id = ANY(%(ids)s)) best
                 WHERE p.id = best.id AND p.rfm_class_id IS DISTINCT FROM best.class_id
             RETURNING p.id
                """,
                period=period,
                ids=self.ids,
                uid=self.env.uid,
            )
        )
        if not moved:
            return
        partners = Partner.browse(partner_id for (partner_id,) in moved)
        partners.invalidate_recordset(["rfm_class_id", "write_uid", "write_date"], flush=False)
        partners.modified(["rfm_class_id"])
        if "rfm_class_id" in self.env["crm.customer.segment"]._trigger_fields():
            partners._ccare_defer_segments()

    def _ccare_write_affinity(self, company_ids, today, everyone=False):
        """Category shares of the customers of ``self`` (or of every
        customer, ``everyone``) against their segment's average, the
        averages over each company's whole customer base."""
        revenue = self.env["crm.customer.revenue.source"]._revenue_lines_sql()
        new_chunk = SQL("TRUE") if everyone else SQL("sh.partner_id = ANY(%s)", self.ids)
        old_chunk = SQL("TRUE") if everyone else SQL("a.partner_id = ANY(%s)", self.ids)
        since = self._ccare_habits_window(today)
        self.env["res.partner"].flush_model(["segment_id"])
        with jit_off(self.env.cr):
            self.env.cr.execute(
                SQL(
                    AFFINITY_QUERY,
                    revenue=revenue,
                    since=since,
                    today=today,
                    companies=list(company_ids),
                    new_chunk=new_chunk,
                    old_chunk=old_chunk,
                    uid=self.env.uid,
                )
            )
        self.env["crm.customer.category.affinity"].invalidate_model()

    def _ccare_record_hits(self, company_ids, today):
        """Close as hits the active suggestions of ``self`` whose product the
        customer bought (a posted invoice dated on or after the suggestion),
        or whose opportunity proposing it was won since. One statement each."""
        revenue = self.env["crm.customer.revenue.source"]._revenue_lines_sql()
        self.env["crm.customer.next.product"].flush_model()
        self.env["crm.lead"].flush_model(
            ["ccare_proposed_product_id", "won_status", "date_closed", "partner_id", "active"]
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_customer_next_product s
                   SET active = false, hit_rate = 100, hit_date = h.date, date_closed = %(today)s,
                       hit_move_id = h.move_id, write_date = now() at time zone 'UTC',
                       write_uid = %(uid)s
                  FROM (SELECT DISTINCT ON (n.id) n.id, r.date, r.move_id
                          FROM crm_customer_next_product n
                          JOIN %(revenue)s r ON r.partner_id = n.partner_id
                                            AND r.company_id = n.company_id
                                            AND r.product_id = n.product_id
                                            AND r.amount > 0 AND r.date >= n.date_suggested
                         WHERE n.active AND n.partner_id = ANY(%(ids)s)
                           AND n.company_id = ANY(%(companies)s)
                         ORDER BY n.id, r.date, r.move_id) h
                 WHERE s.id = h.id
                """,
                revenue=revenue,
                today=today,
                ids=self.ids,
                companies=list(company_ids),
                uid=self.env.uid,
            )
        )
        self._ccare_record_lead_hits(today)

    def _ccare_record_lead_hits(self, today):
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_customer_next_product s
                   SET active = false, hit_rate = 100, hit_date = h.date, date_closed = %(today)s,
                       hit_lead_id = h.lead_id, write_date = now() at time zone 'UTC',
                       write_uid = %(uid)s
                  FROM (SELECT DISTINCT ON (n.id) n.id, l.id AS lead_id,
                               coalesce(l.date_closed::date, %(today)s) AS date
                          FROM crm_customer_next_product n
                          JOIN res_partner lp ON lp.commercial_partner_id = n.partner_id
                          JOIN crm_lead l ON l.partner_id = lp.id
                                         AND l.ccare_proposed_product_id = n.product_id
                                         AND l.won_status = 'won' AND l.active
                                         AND (l.company_id IS NULL OR l.company_id = n.company_id)
                         WHERE n.active AND n.partner_id = ANY(%(ids)s)
                         ORDER BY n.id, l.date_closed, l.id) h
                 WHERE s.id = h.id
                """,
                today=today,
                ids=self.ids,
                uid=self.env.uid,
            )
        )
        self.env["crm.customer.next.product"].invalidate_model()

    def _ccare_write_next_products(self, company_ids, today):
        """Top three products each customer of ``self`` has never bought,
        from the rules of its segment and of its company (those whose
        antecedent it buys, and the popular products of the scope): best
        confidence first, then lift. A suggestion that keeps its place is
        updated only if its figures moved; one that leaves the top three is
        closed (hit rate 0)."""
        revenue = self.env["crm.customer.revenue.source"]._revenue_lines_sql()
        self.env["crm.customer.product.rule"].flush_model()
        self.env["product.product"].flush_model(["active"])
        self.env.cr.execute(
            SQL(
                NEXT_PRODUCTS_QUERY,
                revenue=revenue,
                today=today,
                ids=self.ids,
                companies=list(company_ids),
                uid=self.env.uid,
            )
        )
        self.env["crm.customer.next.product"].invalidate_model()

    @api.model
    def _ccare_compute_all_buying_habits(self):
        """Rules, then every customer's habits, now, in this transaction
        (demo data, tests and small databases; the cron queues chunks)."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([]).ids
        self.env["crm.customer.product.rule"].sudo()._ccare_compute_rules(companies, today)
        self._ccare_write_habits_snapshots(companies, today)
        self.sudo().search([("parent_id", "=", False)])._ccare_compute_buying_habits(
            precomputed=True
        )

    @api.model
    def _cron_compute_buying_habits(self):
        """The rules, the RFM snapshots and the category affinities in one
        statement each (the quintiles and averages once for the run), then
        one queued job per chunk of customers for the rest."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].sudo().search([]).ids
        self.env["crm.customer.product.rule"].sudo()._ccare_compute_rules(companies, today)
        self._ccare_write_habits_snapshots(companies, today)
        partners = self.sudo().search([("parent_id", "=", False)])
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            partners,
            "_ccare_compute_buying_habits",
            precomputed=True,
            description=self.env._("Compute buying habits (RFM, affinity, next-best products)"),
        )

    def action_compute_buying_habits(self):
        if not self.env.user.has_group("crm_customer_care.group_crm_customer_care_manager"):
            raise AccessError(self.env._("Only Customer Care managers recompute buying habits."))
        self.check_access("write")
        self.env["crm.customer.product.rule"].sudo()._ccare_compute_rules(
            self.env["res.company"].sudo().search([]).ids, fields.Date.context_today(self)
        )
        self.commercial_partner_id._ccare_compute_buying_habits()
