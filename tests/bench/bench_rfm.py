"""RFM and category affinity of generated customers and invoice lines.

Inserts ``--customers`` commercial partners and ``--lines`` posted customer
invoice lines (about ten invoices per customer, eight products in four
categories) straight into the tables, then compares, in one run:

- SQL bound (run first, on the same data, caches warmed by one scan of the
  invoice lines): hand-written SQL storing the same result ours stores, on
  tables doing the same work. ``crm_customer_rfm`` and
  ``crm_customer_category_affinity`` are copied with ``CREATE TABLE ...
  (LIKE ... INCLUDING ALL)`` (logged tables like the real ones, same
  columns, defaults, unique constraints and indexes) plus the real tables'
  foreign keys, and filled with the rows the real tables hold already
  (untimed: the demo customers' snapshots). Then, timed: one statement per
  table reading ``account_move_line`` and ``account_move`` directly (not
  the revenue definition ours embeds, whose extra joins it skips) - the
  RFM snapshot of every customer of the company (R, F, M, ntile(5) scores
  per company, the class from a 125-row score grid) upserted where a value
  changed; the category shares against the segment averages, upserted where
  a value changed, the vanished ones deleted; the class of the generated
  partners updated in place on ``res_partner`` (same indexes and triggers
  as ours), where it differs, in one statement, under a savepoint rolled
  back afterwards (ours then starts from the same partners).
- ours: what the cron does, res.partner._ccare_write_habits_snapshots()
  (every customer's RFM snapshot and category affinity, one statement
  each), then in chunks of ``--chunk`` what each queued job does for RFM:
  the class written on the partners (one UPDATE per chunk).
  Rows written (PostgreSQL's per-transaction counters, every table) by ours
  and by the bound are printed, and ours' rows compared with the bound's
  column by column (ids and timestamps aside): they must be equal.
- the re-run with nothing changed (the next day's run): 0 rows written;
- the association rules: ours (one statement) timed alone;
- next-best products (hits, then the top three) per chunk, with the number
  of queries of each chunk (constant whatever the chunk's size).
With ``--chunk-path 1`` the previous job (quintiles and averages recomputed
in every chunk) is timed first, then rolled back to a savepoint (it leaves
dead rows behind; off by default). Everything is rolled back.
Target: ours within 3x of the SQL bound on the first run.
"""

import random

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import rows_written
from _common import timer

from odoo import fields

RFM_COLUMNS = (
    "partner_id, company_id, period, segment_id, last_purchase_date, recency_days,"
    " frequency, monetary, recency_score, frequency_score, monetary_score, rfm_code,"
    " class_id, create_uid, write_uid"
)
AFFINITY_COLUMNS = (
    "partner_id, company_id, categ_id, segment_id, date, spend, share, segment_share,"
    " affinity_index, create_uid, write_uid"
)

# The bound's statements: the definitions ours applies (see
# res_partner_buying_habits.py), written against the invoice tables.
BOUND_RFM = """
WITH line AS (
    SELECT l.company_id, m.commercial_partner_id AS partner_id, l.move_id, l.date,
           -l.balance AS amount
      FROM account_move_line l JOIN account_move m ON m.id = l.move_id
     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
       AND l.display_type = 'product' AND l.product_id IS NOT NULL
       AND l.company_id = %(company)s AND l.date <= %(today)s
), customer AS (
    SELECT company_id, partner_id,
           max(date) FILTER (WHERE amount > 0) AS last_date,
           count(DISTINCT move_id) FILTER (WHERE amount > 0 AND date > %(since)s) AS frequency,
           coalesce(sum(amount) FILTER (WHERE date > %(since)s), 0) AS monetary
      FROM line GROUP BY company_id, partner_id
    HAVING max(date) FILTER (WHERE amount > 0) IS NOT NULL
), scored AS (
    SELECT c.*,
           ntile(5) OVER (ORDER BY last_date, partner_id) AS r,
           ntile(5) OVER (ORDER BY frequency, partner_id) AS f,
           ntile(5) OVER (ORDER BY monetary, partner_id) AS m
      FROM customer c
), grid AS (
    SELECT DISTINCT ON (r, f, m) r, f, m, k.id AS class_id
      FROM generate_series(1, 5) r CROSS JOIN generate_series(1, 5) f
      CROSS JOIN generate_series(1, 5) m
      JOIN crm_customer_rfm_class k
        ON k.active AND (k.company_id IS NULL OR k.company_id = %(company)s)
       AND r BETWEEN k.recency_min AND k.recency_max
       AND f BETWEEN k.frequency_min AND k.frequency_max
       AND m BETWEEN k.monetary_min AND k.monetary_max
     ORDER BY r, f, m, k.company_id IS NULL, k.sequence, k.id
)
INSERT INTO bench_crm_customer_rfm AS o
       (partner_id, company_id, period, segment_id, last_purchase_date, recency_days,
        frequency, monetary, recency_score, frequency_score, monetary_score, rfm_code,
        class_id, create_uid, create_date, write_uid, write_date)
SELECT s.partner_id, s.company_id, %(period)s, p.segment_id, s.last_date,
       %(today)s - s.last_date, s.frequency, s.monetary, s.r, s.f, s.m,
       concat(s.r, s.f, s.m), g.class_id,
       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
  FROM scored s JOIN res_partner p ON p.id = s.partner_id
  LEFT JOIN grid g ON g.r = s.r AND g.f = s.f AND g.m = s.m
    ON CONFLICT (partner_id, company_id, period) DO UPDATE
   SET segment_id = EXCLUDED.segment_id, last_purchase_date = EXCLUDED.last_purchase_date,
       recency_days = EXCLUDED.recency_days, frequency = EXCLUDED.frequency,
       monetary = EXCLUDED.monetary, recency_score = EXCLUDED.recency_score,
       frequency_score = EXCLUDED.frequency_score, monetary_score = EXCLUDED.monetary_score,
       rfm_code = EXCLUDED.rfm_code, class_id = EXCLUDED.class_id,
       write_date = EXCLUDED.write_date
 WHERE (o.segment_id, o.last_purchase_date, o.recency_days, o.frequency, o.monetary,
        o.rfm_code, o.class_id)
       IS DISTINCT FROM
       (EXCLUDED.segment_id, EXCLUDED.last_purchase_date, EXCLUDED.recency_days,
        EXCLUDED.frequency, EXCLUDED.monetary, EXCLUDED.rfm_code, EXCLUDED.class_id)
"""

BOUND_AFFINITY = """
WITH spend AS (
    SELECT m.commercial_partner_id AS partner_id, pt.categ_id, sum(-l.balance) AS spend
      FROM account_move_line l JOIN account_move m ON m.id = l.move_id
      JOIN product_product pp ON pp.id = l.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE m.state = 'posted' AND m.move_type IN ('out_invoice', 'out_refund')
       AND l.display_type = 'product' AND l.company_id = %(company)s
       AND pt.categ_id IS NOT NULL AND l.date > %(since)s AND l.date <= %(today)s
     GROUP BY 1, 2
), total AS (
    SELECT s.partner_id, coalesce(p.segment_id, 0) AS scope, sum(s.spend) AS total
      FROM spend s JOIN res_partner p ON p.id = s.partner_id
     GROUP BY s.partner_id, p.segment_id
    HAVING sum(s.spend) > 0
), share AS (
    SELECT s.partner_id, t.scope, s.categ_id, s.spend,
           100.0 * greatest(s.spend, 0) / t.total AS share
      FROM spend s JOIN total t ON t.partner_id = s.partner_id
), scope_share AS (
    SELECT sh.scope, sh.categ_id,
           sum(sh.share) / (SELECT count(*) FROM total t WHERE t.scope = sh.scope) AS share
      FROM share sh GROUP BY sh.scope, sh.categ_id
), new AS (
    SELECT sh.partner_id, sh.categ_id, nullif(sh.scope, 0) AS seg, sh.spend,
           round(sh.share::numeric, 4)::float AS share,
           round(ss.share::numeric, 4)::float AS segment_share,
           round((sh.share / nullif(ss.share, 0))::numeric, 4)::float AS idx
      FROM share sh JOIN scope_share ss ON ss.scope = sh.scope AND ss.categ_id = sh.categ_id
     WHERE sh.spend > 0
), removed AS (
    DELETE FROM bench_crm_customer_category_affinity a
     WHERE a.company_id = %(company)s
       AND NOT EXISTS (SELECT 1 FROM new WHERE new.partner_id = a.partner_id
                                           AND new.categ_id = a.categ_id)
)
INSERT INTO bench_crm_customer_category_affinity AS a
       (partner_id, company_id, categ_id, segment_id, date, spend, share, segment_share,
        affinity_index, create_uid, create_date, write_uid, write_date)
SELECT partner_id, %(company)s, categ_id, seg, %(today)s, spend, share, segment_share, idx,
       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
  FROM new
    ON CONFLICT (partner_id, company_id, categ_id) DO UPDATE
   SET segment_id = EXCLUDED.segment_id, date = EXCLUDED.date, spend = EXCLUDED.spend,
       share = EXCLUDED.share, segment_share = EXCLUDED.segment_share,
       affinity_index = EXCLUDED.affinity_index, write_date = EXCLUDED.write_date
 WHERE (a.segment_id, a.spend, a.share, a.segment_share, a.affinity_index)
       IS DISTINCT FROM
       (EXCLUDED.segment_id, EXCLUDED.spend, EXCLUDED.share, EXCLUDED.segment_share,
        EXCLUDED.affinity_index)
"""

BOUND_CLASSES = """
UPDATE res_partner p
   SET rfm_class_id = best.class_id, write_uid = %(uid)s, write_date = now() at time zone 'UTC'
  FROM (SELECT c.id,
               (SELECT s.class_id FROM bench_crm_customer_rfm s
                 WHERE s.partner_id = c.id AND s.period = %(period)s
                 ORDER BY s.company_id = c.company_id DESC NULLS LAST, s.monetary DESC, s.id
                 LIMIT 1) AS class_id
          FROM res_partner c WHERE c.id = ANY(%(ids)s)) best
 WHERE p.id = best.id AND p.rfm_class_id IS DISTINCT FROM best.class_id
"""


def copy_table(cr, table):
    """A logged copy of ``table`` with its columns, defaults, constraints,
    indexes and foreign keys, holding the rows it holds now."""
    cr.execute(f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)")
    cr.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    for name, definition in cr.fetchall():
        cr.execute(f"ALTER TABLE bench_{table} ADD CONSTRAINT bench_{name} {definition}")
    cr.execute(f"INSERT INTO bench_{table} SELECT * FROM {table}")
    cr.execute(f"ANALYZE bench_{table}")


def differences(cr, table, columns, where, params):
    """Rows of ``table`` missing from its bench copy, and the other way round."""
    cr.execute(
        f"SELECT (SELECT count(*) FROM (SELECT {columns} FROM {table} WHERE {where}"
        f" EXCEPT SELECT {columns} FROM bench_{table} WHERE {where}) a),"
        f" (SELECT count(*) FROM (SELECT {columns} FROM bench_{table} WHERE {where}"
        f" EXCEPT SELECT {columns} FROM {table} WHERE {where}) b)",
        params,
    )
    return cr.fetchone()


def main():
    args = parse_args(__doc__, customers=20_000, lines=400_000, chunk=5000, chunk_path=0)
    with odoo_env(args.db) as env:
        cr = env.cr
        company = env.company
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
        )
        categories = env["product.category"].create([{"name": f"Bench {i}"} for i in range(4)])
        products = env["product.product"].create(
            [{"name": f"Bench P{i}", "categ_id": categories[i % 4].id} for i in range(8)]
        )
        env.flush_all()
        names = [f"Bench Customer {i}" for i in range(args.customers)]
        cr.execute(
            "INSERT INTO res_partner (name, complete_name, is_company, active, autopost_bills,"
            " type) SELECT n, n, true, true, 'ask', 'contact' FROM unnest(%s::varchar[]) n"
            " RETURNING id",
            [names],
        )
        ids = sorted(row[0] for row in cr.fetchall())
        cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
        rng = random.Random(20)
        today = fields.Date.context_today(env["res.partner"])
        moves = args.lines // 4
        move_partner = [rng.choice(ids) for _ in range(moves)]
        move_date = [fields.Date.subtract(today, days=rng.randrange(0, 500)) for _ in range(moves)]
        cr.execute(
            "INSERT INTO account_move (date, invoice_date, state, move_type, auto_post,"
            " journal_id, company_id, currency_id, partner_id, commercial_partner_id)"
            " SELECT d, d, 'posted', 'out_invoice', 'no', %s, %s, %s, p, p"
            " FROM unnest(%s::int[], %s::date[]) AS v(p, d) RETURNING id",
            [journal.id, company.id, company.currency_id.id, move_partner, move_date],
        )
        move_ids = [row[0] for row in cr.fetchall()]
        # the columns the revenue definition reads (revenue_lines_sql): the
        # line's accounting date and company currency included
        cr.execute(
            "INSERT INTO account_move_line (move_id, date, company_id, currency_id,"
            " company_currency_id, display_type, account_id, product_id, quantity, balance,"
            " parent_state)"
            " SELECT m.id, m.date, %s, %s, %s, 'product', %s,"
            " (%s::int[])[1 + (random() * 7)::int], 1, -(10 + random() * 200)::numeric(12, 2),"
            " 'posted'"
            " FROM account_move m CROSS JOIN generate_series(1, 4) WHERE m.id = ANY(%s)",
            [
                company.id,
                company.currency_id.id,
                company.currency_id.id,
                journal.default_account_id.id,
                products.ids,
                move_ids,
            ],
        )
        cr.execute("ANALYZE account_move; ANALYZE account_move_line; ANALYZE res_partner")
        measure(env, args, ids)


def measure(env, args, ids):
    """Everything but the generated data (of the customers ``ids``)."""
    cr = env.cr
    company = env.company
    today = fields.Date.context_today(env["res.partner"])
    Partner = env["res.partner"]
    companies = [company.id]
    times = {}
    since = Partner._ccare_habits_window(today)
    period = today.replace(day=1)
    uid = env.uid
    params = {
        "company": company.id,
        "today": today,
        "since": since,
        "period": period,
        "uid": uid,
        "ids": ids,
    }
    env.flush_all()
    # warm the caches for both sides: one scan of the invoice lines
    cr.execute(
        "SELECT count(*), sum(l.balance) FROM account_move_line l"
        " JOIN account_move m ON m.id = l.move_id WHERE m.state = 'posted'"
    )
    for table in ("crm_customer_rfm", "crm_customer_category_affinity"):
        copy_table(cr, table)
    # the bound runs with the settings ours runs its statements with
    cr.execute("SELECT current_setting('jit'), set_config('jit', 'off', true)")
    jit = cr.fetchone()[0]
    before = rows_written(cr)
    with timer(times, "sql"):
        with timer(times, "sql_rfm"):
            cr.execute(BOUND_RFM, params)
        with timer(times, "sql_affinity"):
            cr.execute(BOUND_AFFINITY, params)
        cr.execute("SAVEPOINT bench_bound_classes")
        with timer(times, "sql_classes"):
            cr.execute(BOUND_CLASSES, params)
    sql_written = rows_written(cr) - before
    cr.execute("SELECT id, rfm_class_id FROM res_partner WHERE id = ANY(%s)", [ids])
    bound_classes = dict(cr.fetchall())
    cr.execute("ROLLBACK TO SAVEPOINT bench_bound_classes")
    cr.execute("SELECT set_config('jit', %s, true)", [jit])
    if args.chunk_path:
        # the previous job (still the path of a manager's recompute of a few
        # customers): the quintiles and averages recomputed in every chunk
        cr.execute("SAVEPOINT bench_chunk_path")
        with timer(times, "chunk_path"):
            for start in range(0, len(ids), args.chunk):
                chunk = Partner.browse(ids[start : start + args.chunk])
                chunk._ccare_write_rfm(companies, today)
                chunk._ccare_write_affinity(companies, today)
                env.flush_all()
                env.invalidate_all()
        cr.execute("ROLLBACK TO SAVEPOINT bench_chunk_path")
        env.invalidate_all()
    before = rows_written(cr)
    with timer(times, "ours"):
        with timer(times, "rfm"):
            Partner._ccare_write_rfm(companies, today, everyone=True)
        with timer(times, "affinity"):
            Partner._ccare_write_affinity(companies, today, everyone=True)
        with timer(times, "classes"):
            for start in range(0, len(ids), args.chunk):
                chunk = Partner.browse(ids[start : start + args.chunk])
                chunk._ccare_write_rfm_class(today)
                env.flush_all()
                env.invalidate_all()
    ours_written = rows_written(cr) - before
    everyone = "company_id = %(company)s"
    rfm_diff = differences(cr, "crm_customer_rfm", RFM_COLUMNS, everyone, params)
    affinity_diff = differences(
        cr, "crm_customer_category_affinity", AFFINITY_COLUMNS, everyone, params
    )
    cr.execute("SELECT id, rfm_class_id FROM res_partner WHERE id = ANY(%s)", [ids])
    class_diff = sum(
        bound_classes.get(partner_id) != class_id for partner_id, class_id in cr.fetchall()
    )
    cr.execute(
        "SELECT count(*) FILTER (WHERE rfm_class_id IS NOT NULL)"
        " FROM res_partner WHERE id = ANY(%s)",
        [ids],
    )
    classed = cr.fetchone()[0]
    before = rows_written(cr)
    with timer(times, "rerun"):
        # the next day's run when nothing moved: no row is written
        Partner._ccare_write_habits_snapshots(companies, today)
        for start in range(0, len(ids), args.chunk):
            Partner.browse(ids[start : start + args.chunk])._ccare_write_rfm_class(today)
            env.flush_all()
            env.invalidate_all()
    rerun_written = rows_written(cr) - before
    before = cr.sql_log_count
    with timer(times, "rules"):
        rules = env["crm.customer.product.rule"]._ccare_compute_rules(companies, today)
    rule_queries = cr.sql_log_count - before
    queries = []
    with timer(times, "next"):
        for start in range(0, len(ids), args.chunk):
            chunk = Partner.browse(ids[start : start + args.chunk])
            before = cr.sql_log_count
            chunk._ccare_record_hits(companies, today)
            chunk._ccare_write_next_products(companies, today)
            env.flush_all()
            queries.append(cr.sql_log_count - before)
            env.invalidate_all()
    cr.execute("SELECT count(*) FROM crm_customer_next_product WHERE partner_id = ANY(%s)", [ids])
    suggested = cr.fetchone()[0]
    cr.execute("SELECT count(*) FROM crm_customer_rfm WHERE partner_id = ANY(%s)", [ids])
    snapshots = cr.fetchone()[0]
    cr.execute(
        "SELECT count(*) FROM crm_customer_category_affinity WHERE partner_id = ANY(%s)",
        [ids],
    )
    affinities = cr.fetchone()[0]
    report(
        f"RFM + affinity of {len(ids):,} customers, {args.lines:,} invoice lines",
        [
            (
                f"ours (snapshots once, classes in chunks of {args.chunk})",
                f"{times['ours']:.2f} s: RFM {times['rfm']:.2f} s, affinity "
                f"{times['affinity']:.2f} s, classes on partners {times['classes']:.2f} s; "
                f"{ours_written:,} rows written",
            ),
            (
                "SQL bound (same rows, same kind of tables)",
                f"{times['sql']:.2f} s: RFM {times['sql_rfm']:.2f} s, affinity "
                f"{times['sql_affinity']:.2f} s, classes {times['sql_classes']:.2f} s; "
                f"{sql_written:,} rows written",
            ),
            ("ours / SQL bound", f"{times['ours'] / times['sql']:.2f}x (target <= 3x)"),
            (
                "ours against the bound",
                f"RFM rows {rfm_diff[0]}/{rfm_diff[1]} differ, affinity rows "
                f"{affinity_diff[0]}/{affinity_diff[1]}, partners' classes {class_diff}"
                " (must all be 0)",
            ),
            (
                "generated customers",
                f"{snapshots:,} RFM snapshots, {affinities:,} affinity rows, "
                f"{classed:,} with a class",
            ),
            (
                "re-run, nothing changed",
                f"{times['rerun']:.2f} s, {rerun_written:,} rows written, "
                f"{times['rerun'] / times['sql']:.2f}x the SQL bound",
            ),
            *(
                [
                    (
                        "previous job (quintiles per chunk)",
                        f"{times['chunk_path']:.2f} s, "
                        f"{times['chunk_path'] / times['sql']:.2f}x the SQL bound",
                    )
                ]
                if args.chunk_path
                else []
            ),
            (
                "association rules",
                f"{times['rules']:.2f} s, {rules} rules, {rule_queries} queries"
                " (one statement reads the lines)",
            ),
            (
                f"next-best products (chunks of {args.chunk})",
                f"{times['next']:.2f} s, {suggested:,} suggestions, "
                f"{min(queries)}-{max(queries)} queries per chunk",
            ),
        ],
    )


if __name__ == "__main__":
    main()
