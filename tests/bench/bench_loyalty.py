"""Loyalty points expiry and tier review on generated members.

Compares in one run, on the same generated cards and point lots:
- ours: loyalty.card._crm_expire_points() in chunks of cards (what each
  queued job does: one statement zeroes the lots, debits the cards and
  writes the loyalty.history lines), then _crm_evaluate_tiers() per chunk;
- SQL bound: the same expiry as one hand-written statement over every card;
- naive: a per-lot ORM loop (read, write the lot, write the card, create a
  history line), timed on a sample and extrapolated.
- the tier review's bound: one UPDATE putting every card in the highest
  tier its window earnings reach (no grace, history or notification).
- the tier review again with nothing changed: the rows it writes
  (PostgreSQL's counters, every table) must be 0.
Target: ours within 3x of the SQL bound, expiry and tiers together.

    .venv/bin/python tests/bench/bench_loyalty.py --db <db> [--members 50000 --lots 1000000]
"""

import random

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import rows_written
from _common import timer


def main():
    args = parse_args(__doc__, members=20_000, lots=200_000, chunk=5000, naive_sample=300)
    with odoo_env(args.db) as env:
        cr = env.cr
        program = env["loyalty.program"].create(
            {
                "name": "Bench Club",
                "program_type": "loyalty",
                "crm_points_expiry": "months",
                "crm_points_validity_months": 12,
                "crm_tier_grace_days": 0,
            }
        )
        env["crm.loyalty.tier"].create(
            [
                {"program_id": program.id, "name": "Silver", "threshold": 100},
                {"program_id": program.id, "name": "Gold", "threshold": 500},
                {"program_id": program.id, "name": "Platinum", "threshold": 1000},
            ]
        )
        env.flush_all()
        names = [f"Bench member {i}" for i in range(args.members)]
        cr.execute(
            "INSERT INTO res_partner (name, complete_name, active, autopost_bills, type)"
            " SELECT n, n, true, 'ask', 'contact' FROM unnest(%s::varchar[]) AS n RETURNING id",
            [names],
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active)"
            " SELECT %s, %s, p, 'bench-' || p, 0, true FROM unnest(%s::int[]) AS p RETURNING id",
            [program.id, program.company_id.id, partner_ids],
        )
        card_ids = sorted(row[0] for row in cr.fetchall())
        rng = random.Random(7)
        # lots over the last 30 months: about 40% are past their 12 months
        lot_cards = [rng.choice(card_ids) for _ in range(args.lots)]
        ages = [rng.randint(0, 900) for _ in range(args.lots)]
        points = [rng.randint(5, 60) for _ in range(args.lots)]
        cr.execute(
            """
            INSERT INTO crm_loyalty_points_lot
                   (card_id, program_id, partner_id, company_id, date, expiry_date, source,
                    points, consumed, expired, remaining)
            SELECT v.card_id, %s, c.partner_id, %s, current_date - v.age,
                   (current_date - v.age) + interval '12 months', 'sale', v.points, 0, 0, v.points
              FROM unnest(%s::int[], %s::int[], %s::float[]) AS v(card_id, age, points)
              JOIN loyalty_card c ON c.id = v.card_id
            """,
            [program.id, program.company_id.id, lot_cards, ages, points],
        )
        cr.execute(
            "UPDATE loyalty_card c SET points = s.total FROM (SELECT card_id, sum(remaining)"
            " AS total FROM crm_loyalty_points_lot GROUP BY card_id) s WHERE c.id = s.card_id"
        )
        cr.execute("SAVEPOINT bench_start")
        Card = env["loyalty.card"]
        times = {}
        queries = []

        with timer(times, "ours"):
            for start in range(0, len(card_ids), args.chunk):
                before = cr.sql_log_count
                Card.browse(card_ids[start : start + args.chunk])._crm_expire_points()
                queries.append(cr.sql_log_count - before)
                env.invalidate_all()
        cr.execute("SELECT sum(points) FROM loyalty_card WHERE id = ANY(%s)", [card_ids])
        ours_total = cr.fetchone()[0]

        def review(name):
            before = rows_written(cr)
            with timer(times, name):
                for start in range(0, len(card_ids), args.chunk):
                    Card.browse(card_ids[start : start + args.chunk])._crm_evaluate_tiers()
                    cr.flush()  # the job's commit: its deferred steps run
                    env.invalidate_all()
            return rows_written(cr) - before

        tiers_written = review("tiers")
        rerun_written = review("tiers_rerun")
        cr.execute(
            "SELECT count(*) FROM loyalty_card WHERE id = ANY(%s) AND crm_tier_id IS NOT NULL",
            [card_ids],
        )
        tiered = cr.fetchone()[0]

        cr.execute("ROLLBACK TO SAVEPOINT bench_start")
        env.invalidate_all()
        with timer(times, "sql"):
            cr.execute(
                """
                WITH expired AS (
                    UPDATE crm_loyalty_points_lot SET expired = remaining, remaining = 0
                     WHERE remaining > 0 AND expiry_date < current_date
                 RETURNING card_id, expired),
                per_card AS (SELECT card_id, sum(expired) AS pts FROM expired GROUP BY card_id),
                debit AS (UPDATE loyalty_card c SET points = c.points - p.pts FROM per_card p
                           WHERE c.id = p.card_id RETURNING c.id)
                INSERT INTO loyalty_history (card_id, description, issued, used)
                SELECT card_id, 'Points expired', 0, pts FROM per_card
                """
            )
        cr.execute("SELECT sum(points) FROM loyalty_card WHERE id = ANY(%s)", [card_ids])
        same = cr.fetchone()[0] == ours_total

        # the tier review's bound: one statement putting every card in the
        # highest tier its 12-month earnings reach (no grace period, no
        # tier history, no notification: the least work a review can do)
        with timer(times, "sql_tiers"):
            cr.execute(
                """
                WITH earned AS (
                    SELECT c.id, coalesce(sum(l.points), 0) AS total
                      FROM loyalty_card c
                 LEFT JOIN crm_loyalty_points_lot l
                        ON l.card_id = c.id AND l.source != 'refund'
                       AND l.date > current_date - interval '12 months'
                     WHERE c.id = ANY(%s)
                     GROUP BY c.id
                ), target AS (
                    SELECT e.id, (SELECT t.id FROM crm_loyalty_tier t
                                   WHERE t.program_id = %s AND t.threshold <= e.total
                                   ORDER BY t.threshold DESC LIMIT 1) AS tier_id
                      FROM earned e
                )
                UPDATE loyalty_card c SET crm_tier_id = target.tier_id
                  FROM target
                 WHERE c.id = target.id AND c.crm_tier_id IS DISTINCT FROM target.tier_id
                """,
                [card_ids, program.id],
            )
        cr.execute(
            "SELECT count(*) FROM loyalty_card WHERE id = ANY(%s) AND crm_tier_id IS NOT NULL",
            [card_ids],
        )
        sql_tiered = cr.fetchone()[0]

        cr.execute("ROLLBACK TO SAVEPOINT bench_start")
        env.invalidate_all()
        Lot = env["crm.loyalty.points.lot"]
        sample = Lot.search(
            [("card_id", "in", card_ids), ("remaining", ">", 0), ("expiry_date", "<", "today")],
            limit=args.naive_sample,
        )
        cr.execute(
            "SELECT count(*) FROM crm_loyalty_points_lot WHERE card_id = ANY(%s)"
            " AND remaining > 0 AND expiry_date < current_date",
            [card_ids],
        )
        to_expire = cr.fetchone()[0]
        with timer(times, "naive_sample"):
            for lot in sample:
                amount = lot.remaining
                lot.write({"expired": amount, "remaining": 0})
                lot.card_id.with_context(loyalty_no_mail=True).points -= amount
                env["loyalty.history"].create(
                    {"card_id": lot.card_id.id, "description": "Points expired", "used": amount}
                )
                env.flush_all()
        times["naive"] = times["naive_sample"] * to_expire / max(len(sample), 1)

        report(
            f"Expiring {to_expire:,} of {args.lots:,} lots on {len(card_ids):,} members,"
            f" then reviewing their tiers",
            [
                (f"ours: expiry (chunks of {args.chunk})", f"{times['ours']:.2f} s"),
                ("hand-written SQL expiry (one statement)", f"{times['sql']:.2f} s"),
                (f"naive ORM loop (extrapolated from {len(sample)})", f"{times['naive']:.1f} s"),
                ("ours / SQL", f"{times['ours'] / times['sql']:.2f}x (target <= 3x)"),
                ("naive / ours", f"{times['naive'] / times['ours']:.1f}x"),
                ("queries per expiry chunk", str(sorted(set(queries)))),
                ("same balances as SQL", str(same)),
                (
                    f"ours: tier review (chunks of {args.chunk})",
                    f"{times['tiers']:.2f} s, {tiers_written:,} rows written",
                ),
                (
                    "ours: tier review again, nothing changed",
                    f"{times['tiers_rerun']:.2f} s, {rerun_written:,} rows written (target 0)",
                ),
                ("hand-written SQL tier update (one statement)", f"{times['sql_tiers']:.2f} s"),
                ("ours / SQL, tiers", f"{times['tiers'] / times['sql_tiers']:.2f}x"),
                (
                    "ours / SQL, expiry + tiers",
                    f"{(times['ours'] + times['tiers']) / (times['sql'] + times['sql_tiers']):.2f}x"
                    " (target <= 3x)",
                ),
                ("members with a tier, ours / SQL", f"{tiered:,} / {sql_tiered:,}"),
            ],
        )


if __name__ == "__main__":
    main()
