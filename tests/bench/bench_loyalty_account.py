"""Points liability in the books (issue 28): the posting job
(``crm.loyalty.points.lot._loyalty_account_post``, chunk by chunk as the
monthly cron queues it) over generated lots, against a SQL bound.

The lots (``--lots``, default 20,000, on ``--lots / 4`` cards) are given by
hand at a point's stand-alone selling price of 0.10, expected redemption
80 %; ``--redemptions`` (default ``--lots / 5``, the issue's 1M lots and
200k redemptions) of them, spread evenly, had points redeemed through the
lot-use trail the loyalty flows write: half of an open lot, a quarter of a
lot that then expired. A third of the lots expired (every third one), the
rest are open.
The job writes the sub-ledger (issue, redemption, breakage, expiry rows)
and one posted journal entry per chunk, its lines summed per kind. The
bound is one hand-written statement writing the same: the sub-ledger rows
(``INSERT ... SELECT ... ON CONFLICT DO NOTHING`` into the real, indexed
table), one posted ``account.move`` and its ``account.move.line`` rows
(the liability against revenue or marketing expense, per kind), for every
lot at once; it runs in a savepoint that is rolled back after its rows,
totals and ledger balance are read, then the job runs on the same lots.
Both are compared to the cent and their ratio printed. Then the job again:
0 rows. Everything is rolled back.

    .venv/bin/python tests/bench/bench_loyalty_account.py --db <db> \
        [--lots 20000 --redemptions 4000 --chunk 10000 --rounds 1 --profile 1]

``--rounds N``: the bound and the job N times each (all but the last
rolled back), the best time of each side counts (the machine is shared).

``--profile 1``: cProfile of the job (top functions by own and cumulative
time) and its statements by total time.
"""

import cProfile
import pstats
import time

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import rows_written
from _common import timer

BOUND = """
WITH lots AS (
    SELECT l.id, l.partner_id, l.points, l.consumed, l.expired, l.remaining,
           %(value)s::numeric AS unit, %(rate)s::numeric AS rate
      FROM crm_loyalty_points_lot l WHERE l.program_id = %(program)s
),
computed AS (
    SELECT id, partner_id, unit, 'issue' AS kind, id || ':issue' AS key,
           points AS points, round(unit * points::numeric, 2) AS amount
      FROM lots
    UNION ALL
    SELECT id, partner_id, unit, 'redeem', id || ':redeem:1', -consumed,
           -round(unit * consumed::numeric, 2)
      FROM lots WHERE consumed > 0
    UNION ALL
    SELECT id, partner_id, unit, 'breakage', id || ':breakage:1', 0,
           -round(least(unit * points::numeric * (1 - rate)
                        * least(1, consumed::numeric / (rate * points::numeric)),
                        unit * (points - consumed)::numeric), 2)
      FROM lots WHERE consumed > 0 AND remaining > 0
    UNION ALL
    SELECT id, partner_id, unit, 'expire', id || ':expire:1', -expired,
           -(round(unit * points::numeric, 2) - round(unit * consumed::numeric, 2))
      FROM lots WHERE expired > 0
),
move AS (
    INSERT INTO account_move
           (journal_id, company_id, currency_id, date, name, ref, state, move_type, auto_post,
            create_uid, create_date, write_uid, write_date)
    VALUES (%(journal)s, %(company)s, %(currency)s, current_date, 'BOUND/1',
            'Loyalty points liability: bound', 'posted', 'entry', 'no',
            %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc')
    RETURNING id
),
entries AS (
    INSERT INTO crm_loyalty_account_entry
           (key, config_id, lot_id, program_id, company_id, partner_id, date, kind, points,
            amount, unit_value, with_sale, move_id, create_uid, create_date, write_uid,
            write_date)
    SELECT c.key, %(config)s, c.id, %(program)s, %(company)s, c.partner_id, current_date,
           c.kind, c.points, c.amount, c.unit, false, (SELECT id FROM move),
           %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
      FROM computed c
    ON CONFLICT DO NOTHING
    RETURNING kind, amount
),
totals AS (
    SELECT kind, CASE WHEN kind = 'redeem' THEN %(revenue)s ELSE %(expense)s END AS counter,
           sum(amount) AS amount
      FROM entries GROUP BY 1, 2 HAVING sum(amount) <> 0
),
lines AS (
    INSERT INTO account_move_line
           (move_id, journal_id, company_id, company_currency_id, currency_id, account_id,
            date, name, display_type, parent_state, debit, credit, balance,
            amount_currency, amount_residual, amount_residual_currency, reconciled,
            create_uid, create_date, write_uid, write_date)
    SELECT (SELECT id FROM move), %(journal)s, %(company)s, %(currency)s, %(currency)s,
           side.account, current_date, 'Loyalty points ' || t.kind, 'product', 'posted',
           greatest(side.value, 0), greatest(-side.value, 0), side.value, side.value,
           0, 0, false,
           %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
      FROM totals t
     CROSS JOIN LATERAL (VALUES (%(liability)s, -t.amount), (t.counter, t.amount))
           AS side(account, value)
    RETURNING debit
)
UPDATE account_move
   SET amount_total = (SELECT sum(debit) FROM lines),
       amount_total_signed = (SELECT sum(debit) FROM lines)
 WHERE id = (SELECT id FROM move)
"""


def make_world(env, lots, redemptions):
    """The program, its configuration and ``lots`` lots, inserted in SQL."""
    cr = env.cr
    company = env.company
    program = env["loyalty.program"].create({"name": "Bench Books Club", "program_type": "loyalty"})
    Account = env["account.account"].with_company(company)
    accounts = Account.create(
        [
            {"name": "Bench liability", "code": "BLY291", "account_type": "liability_current"},
            {"name": "Bench revenue", "code": "BLY401", "account_type": "income"},
            {"name": "Bench marketing", "code": "BLY611", "account_type": "expense"},
        ]
    )
    journal = env["account.journal"].create(
        {"name": "Bench loyalty", "code": "BLYJ", "type": "general"}
    )
    config = env["crm.loyalty.account.config"].create(
        {
            "program_id": program.id,
            "company_id": company.id,
            "liability_account_id": accounts[0].id,
            "revenue_account_id": accounts[1].id,
            "expense_account_id": accounts[2].id,
            "journal_id": journal.id,
            "point_value": 0.10,
            "use_manual_rate": True,
            "manual_rate": 0.80,
        }
    )
    env.flush_all()
    cards = max(lots // 4, 1)
    names = [f"Bench book member {i}" for i in range(cards)]
    cr.execute(
        "INSERT INTO res_partner (name, complete_name, active, autopost_bills, type)"
        " SELECT n, n, true, 'ask', 'contact' FROM unnest(%s::varchar[]) AS n RETURNING id",
        [names],
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        "INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active)"
        " SELECT %s, %s, p, 'bbook-' || p, 0, true FROM unnest(%s::int[]) AS p RETURNING id",
        [program.id, company.id, partner_ids],
    )
    card_ids = sorted(row[0] for row in cr.fetchall())
    # every third lot expired; ``redemptions`` lots spread evenly had 50
    # points redeemed (25 of one that then expired)
    cr.execute(
        """
        INSERT INTO crm_loyalty_points_lot
               (card_id, program_id, partner_id, company_id, date, expiry_date, source,
                points, consumed, expired, remaining, pending)
        SELECT c.id, c.program_id, c.partner_id, c.company_id, current_date - 400,
               current_date - 35, 'manual', 100, s.consumed,
               CASE WHEN s.expired THEN 100 - s.consumed ELSE 0 END,
               CASE WHEN s.expired THEN 0 ELSE 100 - s.consumed END, 0
          FROM generate_series(0, %(lots)s - 1) AS i
          JOIN loyalty_card c ON c.id = (%(cards)s::int[])[1 + i %% %(count)s]
         CROSS JOIN LATERAL (
               SELECT i %% 3 = 2 AS expired,
                      CASE WHEN i::bigint * %(red)s / %(lots)s
                                = (i::bigint + 1) * %(red)s / %(lots)s THEN 0
                           WHEN i %% 3 = 2 THEN 25 ELSE 50 END AS consumed) s
        """,
        {"lots": lots, "cards": card_ids, "count": len(card_ids), "red": redemptions},
    )
    cr.execute(
        """
        INSERT INTO crm_loyalty_account_use (lot_id, card_id, company_id, points, kind)
        SELECT id, card_id, company_id, consumed, 'redeem' FROM crm_loyalty_points_lot
         WHERE program_id = %s AND consumed > 0
        """,
        [program.id],
    )
    # warm Odoo's caches (the journal entry's field triggers) as a server
    # that has run for a while has them: one entry, posted, not timed
    warm = env["account.move"].create(
        {
            "move_type": "entry",
            "journal_id": journal.id,
            "line_ids": [
                (0, 0, {"account_id": accounts[0].id, "debit": 1.0}),
                (0, 0, {"account_id": accounts[2].id, "credit": 1.0}),
            ],
        }
    )
    warm.action_post()
    env.invalidate_all()
    return program, config


def run_job(env, program, chunk, laps=None):
    """What the cron's queued chunks do, one after the other (``laps``: the
    time of each chunk is appended)."""
    Lot = env["crm.loyalty.points.lot"]
    ids = Lot.search([("program_id", "=", program.id)], order="id").ids
    moves = 0
    for start in range(0, len(ids), chunk):
        lap = time.perf_counter()
        moves += len(Lot.browse(ids[start : start + chunk])._loyalty_account_post())
        env.flush_all()
        env.invalidate_all()
        if laps is not None:
            laps.append(time.perf_counter() - lap)
    return moves


def bound_params(env, program, config):
    return {
        "value": 0.10,
        "rate": 0.80,
        "program": program.id,
        "config": config.id,
        "company": config.company_id.id,
        "currency": config.currency_id.id,
        "journal": config.journal_id.id,
        "liability": config.liability_account_id.id,
        "revenue": config.revenue_account_id.id,
        "expense": config.expense_account_id.id,
        "uid": env.uid,
    }


def time_statements(cr):
    """Time every statement of the cursor by its first words (--profile)."""
    cursor_class = type(cr)
    execute = cursor_class.execute
    totals = {}

    def timed(self, query, params=None, log_exceptions=True):
        start = time.perf_counter()
        try:
            return execute(self, query, params, log_exceptions)
        finally:
            text = query.code if hasattr(query, "code") else str(query)
            key = " ".join(text.split())[:110]
            seconds, count = totals.get(key, (0.0, 0))
            totals[key] = (seconds + time.perf_counter() - start, count + 1)

    cursor_class.execute = timed
    return totals


def main():
    args = parse_args(__doc__, lots=20_000, redemptions=-1, chunk=10_000, rounds=1, profile=0)
    if args.redemptions < 0:
        args.redemptions = args.lots // 5
    with odoo_env(args.db) as env:
        cr = env.cr
        start = time.perf_counter()
        program, config = make_world(env, args.lots, args.redemptions)
        print(f"world: {args.lots:,} lots in {time.perf_counter() - start:.1f} s", flush=True)
        times, best = {}, {}
        for _round in range(args.rounds - 1):
            # earlier rounds, both sides rolled back: each side's best time counts
            for side in ("bound", "job"):
                cr.execute("SAVEPOINT bench_round")
                with timer(times, side):
                    if side == "bound":
                        cr.execute(BOUND, bound_params(env, program, config))
                    else:
                        run_job(env, program, args.chunk)
                best[side] = min(best.get(side, times[side]), times[side])
                cr.execute("ROLLBACK TO SAVEPOINT bench_round")
                env.invalidate_all()
        cr.execute("SAVEPOINT bench_bound")
        before = rows_written(cr)
        with timer(times, "bound"):
            cr.execute(BOUND, bound_params(env, program, config))
        best["bound"] = min(best.get("bound", times["bound"]), times["bound"])
        bound_written = rows_written(cr) - before
        cr.execute(
            "SELECT count(*), sum(points), sum(amount) FROM crm_loyalty_account_entry"
            " WHERE config_id = %s",
            [config.id],
        )
        bound_rows, bound_points, bound_amount = cr.fetchone()
        cr.execute(
            "SELECT coalesce(sum(balance), 0), count(*) FROM account_move_line"
            " WHERE account_id = %s AND move_id IN (SELECT move_id FROM crm_loyalty_account_entry"
            " WHERE config_id = %s)",
            [config.liability_account_id.id, config.id],
        )
        bound_ledger, _lines = cr.fetchone()
        cr.execute("ROLLBACK TO SAVEPOINT bench_bound")
        env.invalidate_all()
        before = rows_written(cr)
        if args.profile:
            statements = time_statements(cr)
            profiler = cProfile.Profile()
            profiler.enable()
        laps = []
        with timer(times, "job"):
            moves = run_job(env, program, args.chunk, laps)
        best["job"] = min(best.get("job", times["job"]), times["job"])
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
            print("chunks:", " ".join(f"{lap:.2f}" for lap in laps))
            for key, (seconds, count) in sorted(statements.items(), key=lambda kv: -kv[1][0])[:25]:
                print(f"{seconds:8.3f} s {count:6d}x  {key}")
        written = rows_written(cr) - before
        cr.execute(
            "SELECT count(*), sum(points), sum(amount) FROM crm_loyalty_account_entry"
            " WHERE config_id = %s",
            [config.id],
        )
        job_rows, job_points, job_amount = cr.fetchone()
        cr.execute(
            "SELECT coalesce(sum(balance), 0) FROM account_move_line WHERE account_id = %s"
            " AND move_id IN (SELECT move_id FROM crm_loyalty_account_entry"
            " WHERE config_id = %s)",
            [config.liability_account_id.id, config.id],
        )
        ledger = cr.fetchone()[0]
        before = rows_written(cr)
        with timer(times, "again"):
            again = run_job(env, program, args.chunk)
        again_written = rows_written(cr) - before
        report(
            f"Points liability posting: {args.lots:,} lots, {args.redemptions:,} redemptions,"
            f" chunks of {args.chunk:,}",
            [
                (
                    "SQL bound: sub-ledger rows, points, liability",
                    f"{bound_rows} / {bound_points:g} / {bound_amount}",
                ),
                (
                    "SQL bound: ledger balance, rows written (all tables)",
                    f"{-bound_ledger:.2f} / {bound_written}",
                ),
                (
                    "job: sub-ledger rows, points, liability",
                    f"{job_rows} / {job_points:g} / {job_amount}",
                ),
                ("general ledger balance of the liability", f"{-ledger:.2f}"),
                ("job: journal entries, rows written (all tables)", f"{moves} / {written}"),
                (f"SQL bound (best of {args.rounds})", f"{best['bound']:.2f} s"),
                (f"job (best of {args.rounds})", f"{best['job']:.2f} s"),
                ("ratio job / bound", f"{best['job'] / max(best['bound'], 1e-6):.2f}"),
                (
                    "second run: journal entries, rows written",
                    f"{again} / {again_written} (target 0 / 0) in {times['again']:.2f} s",
                ),
            ],
        )


if __name__ == "__main__":
    main()
