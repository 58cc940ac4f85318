"""Segment assignment of 100,000 partners.

Compares in one run, on the same generated partners and five segments:
- ours: res.partner._ccare_assign_segments() in chunks of 1,000 (what each
  queued job does), history lines included;
- SQL bound: one hand-written statement putting every partner in its first
  matching segment and logging each move in the history;
- naive: a per-partner ORM loop (one search per partner and segment, one
  write per partner), timed on a sample and extrapolated;
- ours again with nothing changed: the rows it writes (PostgreSQL's counters,
  every table) must be 0.
Target: ours within 3x of the SQL bound.
"""

import random

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import rows_written
from _common import timer

from odoo.fields import Domain

SEGMENTS = [
    # (name, domain, equivalent SQL condition)
    (
        "Key",
        [("is_company", "=", True), ("customer_rank", ">=", 8)],
        "is_company AND customer_rank >= 8",
    ),
    (
        "Growth",
        [("is_company", "=", True), ("customer_rank", ">", 2)],
        "is_company AND customer_rank > 2",
    ),
    ("SMB", [("is_company", "=", True)], "is_company"),
    (
        "Consumers",
        [("is_company", "=", False), ("customer_rank", ">", 0)],
        "NOT is_company AND customer_rank > 0",
    ),
    ("Dormant", [("customer_rank", "=", 0)], "coalesce(customer_rank, 0) = 0"),
]


def main():
    args = parse_args(__doc__, partners=100_000, chunk=1000, naive_sample=500)
    with odoo_env(args.db) as env:
        cr = env.cr
        Segment = env["crm.customer.segment"]
        Segment.search([]).active = False
        segments = Segment.create(
            [
                {"name": f"Bench {n}", "sequence": i, "domain": repr(d)}
                for i, (n, d, _sql) in enumerate(SEGMENTS)
            ]
        )
        rng = random.Random(7)
        rows = [
            (f"Partner {i}", rng.random() < 0.4, rng.choice([0, 0, 1, 3, 8]))
            for i in range(args.partners)
        ]
        cr.execute(
            "INSERT INTO res_partner (name, complete_name, is_company, customer_rank,"
            " active, autopost_bills, type)"
            " SELECT n, n, c, r, true, 'ask', 'contact' FROM unnest(%s::varchar[], %s::bool[],"
            " %s::int[]) AS v(n, c, r) RETURNING id",
            [list(col) for col in zip(*rows)],
        )
        ids = sorted(row[0] for row in cr.fetchall())
        Partner = env["res.partner"]
        times = {}

        def assign(name):
            before = rows_written(cr)
            with timer(times, name):
                for start in range(0, len(ids), args.chunk):
                    Partner.browse(ids[start : start + args.chunk])._ccare_assign_segments("cron")
                    env.flush_all()
                    env.invalidate_all()
            return rows_written(cr) - before

        written = assign("ours")
        rerun_written = assign("rerun")
        cr.execute("SELECT segment_id FROM res_partner WHERE id = ANY(%s) ORDER BY id", [ids])
        ours = cr.fetchall()

        case = " ".join(
            f"WHEN {sql} THEN {segment.id}" for (_n, _d, sql), segment in zip(SEGMENTS, segments)
        )
        cr.execute("UPDATE res_partner SET segment_id = NULL WHERE id = ANY(%s)", [ids])
        cr.execute("DELETE FROM crm_customer_segment_history WHERE partner_id = ANY(%s)", [ids])
        with timer(times, "sql"):
            # the same work in one statement: move every partner, log each move
            cr.execute(
                f"""
                WITH moved AS (
                    UPDATE res_partner SET segment_id = CASE {case} END
                     WHERE id = ANY(%s) RETURNING id, company_id, segment_id)
                INSERT INTO crm_customer_segment_history
                       (partner_id, company_id, segment_to_id, date, cause, user_id)
                SELECT id, company_id, segment_id, now(), 'cron', 1 FROM moved
                """,
                [ids],
            )
        cr.execute("SELECT segment_id FROM res_partner WHERE id = ANY(%s) ORDER BY id", [ids])
        same = cr.fetchall() == ours

        sample = Partner.browse(ids[: args.naive_sample])
        sample.write({"segment_id": False})
        env.flush_all()
        with timer(times, "naive_sample"):
            for partner in sample:
                for segment in segments:
                    if Partner.search_count(
                        segment._partner_domain() & Domain("id", "=", partner.id)
                    ):
                        partner.with_context(ccare_assigning_segment=True).write(
                            {"segment_id": segment.id}
                        )
                        break
                env.flush_all()
        times["naive"] = times["naive_sample"] * len(ids) / len(sample)

        report(
            f"Assigning {len(ids):,} partners to {len(SEGMENTS)} segments",
            [
                (
                    f"ours (chunks of {args.chunk}, with history)",
                    f"{times['ours']:.2f} s, {written:,} rows written",
                ),
                (
                    "ours, re-run with nothing changed",
                    f"{times['rerun']:.2f} s, {rerun_written:,} rows written (target 0)",
                ),
                ("hand-written SQL (with history)", f"{times['sql']:.2f} s"),
                (f"naive ORM loop (extrapolated from {len(sample)})", f"{times['naive']:.1f} s"),
                ("ours / SQL", f"{times['ours'] / times['sql']:.2f}x (target <= 3x)"),
                ("naive / ours", f"{times['naive'] / times['ours']:.1f}x"),
                ("same segments as SQL", str(same)),
            ],
        )


if __name__ == "__main__":
    main()
