"""RFM and category affinity of generated customers and invoice lines.

Inserts ``--customers`` commercial partners and ``--lines`` posted customer
invoice lines (about ten invoices per customer, eight products in four
categories) straight into the tables, then compares:
- ours: what the cron does, res.partner._ccare_write_habits_snapshots()
  (every customer's RFM snapshot and category affinity, the quintiles and
  segment averages computed once for the run, one statement each), then in
  chunks of ``--chunk`` what each queued job does for RFM: the class written
  on the partners through the ORM;
- SQL bound: one hand-written statement computing every customer's R, F, M
  and ntile(5) scores and one for the category shares, into temp tables;
- the association rules: ours (one statement) timed alone;
- next-best products (hits, then the top three) per chunk, with the number
  of queries of each chunk (constant whatever the chunk's size).
With ``--chunk-path 1`` (default) the previous job (quintiles and averages
recomputed in every chunk) is timed first, then rolled back to a savepoint.
Everything is rolled back. Target: ours within 3x of the SQL bound.
"""

import random

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import timer

from odoo import fields


def main():
    args = parse_args(__doc__, customers=20_000, lines=400_000, chunk=5000, chunk_path=1)
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
        Partner = env["res.partner"]
        companies = [company.id]
        times = {}
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
        with timer(times, "rerun"):
            # the next day's run when nothing moved: no row is written
            Partner._ccare_write_habits_snapshots(companies, today)
            for start in range(0, len(ids), args.chunk):
                Partner.browse(ids[start : start + args.chunk])._ccare_write_rfm_class(today)
                env.flush_all()
                env.invalidate_all()
        with timer(times, "rules"):
            rules = env["crm.customer.product.rule"]._ccare_compute_rules(companies, today)
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
        cr.execute(
            "SELECT count(*) FROM crm_customer_next_product WHERE partner_id = ANY(%s)", [ids]
        )
        suggested = cr.fetchone()[0]
        since = fields.Date.subtract(today, months=12)
        with timer(times, "sql"):
            cr.execute(
                """
                CREATE TEMP TABLE bench_rfm AS
                SELECT partner_id, ntile(5) OVER (ORDER BY last, partner_id) r,
                       ntile(5) OVER (ORDER BY f, partner_id) f,
                       ntile(5) OVER (ORDER BY m, partner_id) m
                  FROM (SELECT am.commercial_partner_id partner_id, max(am.invoice_date) last,
                               count(DISTINCT am.id) FILTER (WHERE am.invoice_date > %s) f,
                               sum(-aml.balance) FILTER (WHERE am.invoice_date > %s) m
                          FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
                         WHERE am.state = 'posted' AND am.company_id = %s
                           AND aml.display_type = 'product'
                         GROUP BY 1) c;
                CREATE TEMP TABLE bench_share AS
                SELECT am.commercial_partner_id, pt.categ_id, sum(-aml.balance) spend
                  FROM account_move_line aml JOIN account_move am ON am.id = aml.move_id
                  JOIN product_product pp ON pp.id = aml.product_id
                  JOIN product_template pt ON pt.id = pp.product_tmpl_id
                 WHERE am.state = 'posted' AND am.invoice_date > %s AND am.company_id = %s
                 GROUP BY 1, 2
                """,
                [since, since, company.id, since, company.id],
            )
        cr.execute("SELECT count(*) FROM crm_customer_rfm WHERE partner_id = ANY(%s)", [ids])
        written = cr.fetchone()[0]
        report(
            f"RFM + affinity of {len(ids):,} customers, {args.lines:,} invoice lines",
            [
                (
                    f"ours (snapshots once, classes in chunks of {args.chunk})",
                    f"{times['ours']:.2f} s: RFM {times['rfm']:.2f} s, affinity "
                    f"{times['affinity']:.2f} s, classes on partners {times['classes']:.2f} s",
                ),
                ("re-run, nothing changed", f"{times['rerun']:.2f} s"),
                ("hand-written SQL bound", f"{times['sql']:.2f} s"),
                ("ours / SQL", f"{times['ours'] / times['sql']:.2f}x (target <= 3x)"),
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
                ("association rules (one statement)", f"{times['rules']:.2f} s, {rules} rules"),
                (
                    f"next-best products (chunks of {args.chunk})",
                    f"{times['next']:.2f} s, {suggested:,} suggestions, "
                    f"{min(queries)}-{max(queries)} queries per chunk",
                ),
                ("RFM rows written", f"{written:,}"),
            ],
        )


if __name__ == "__main__":
    main()
