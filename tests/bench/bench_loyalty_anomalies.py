"""Anomaly detection over the points journal, on generated postings.

Compares in one run, on the same generated members and postings:
- ours: crm.loyalty.anomaly._loyalty_detect_anomalies(), four statements (one
  per rule: velocity against the member's and the segment's medians,
  redemption right after earning, shared e-mail or phone, spent points of
  a refunded source), each one pass over the journal;
- the bound: one scan of the whole journal reading every column the rules
  read (``count``, ``sum`` over card, date, event, amounts);
and prints the queries, the flags raised, and a second run, which must
raise none. Everything is rolled back.

    .venv/bin/python tests/bench/bench_loyalty_anomalies.py --db <db> \
        [--members 50000 --postings 1000000]
"""

import random
from datetime import datetime
from datetime import timedelta

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import timer


def main():
    args = parse_args(__doc__, members=20_000, postings=200_000)
    with odoo_env(args.db) as env:
        cr = env.cr
        program = env["loyalty.program"].create({"name": "Bench Club", "program_type": "loyalty"})
        env.flush_all()
        rng = random.Random(11)
        names = [f"Bench member {i}" for i in range(args.members)]
        # one in 500 members shares its e-mail address with another
        emails = [f"bench{i - 1 if i % 500 == 1 else i}@example.com" for i in range(args.members)]
        cr.execute(
            "INSERT INTO res_partner (name, complete_name, active, autopost_bills, type,"
            " email, email_normalized)"
            " SELECT n, n, true, 'ask', 'contact', e, e FROM unnest(%s::varchar[], %s::varchar[])"
            " AS v(n, e) RETURNING id",
            [names, emails],
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [partner_ids]
        )
        cr.execute(
            "INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active)"
            " SELECT %s, %s, p, 'bench-' || p, 0, true FROM unnest(%s::int[]) AS p RETURNING id",
            [program.id, program.company_id.id, partner_ids],
        )
        card_ids = [row[0] for row in cr.fetchall()]
        now = datetime.now().replace(microsecond=0)
        # postings over the last 13 weeks: earnings of 5-60 points, one
        # redemption in ten, a few fast earners this week, a few claw-backs
        cards, dates, events, issued, used, owed = [], [], [], [], [], []
        for _ in range(args.postings):
            card = rng.choice(card_ids)
            when = now - timedelta(minutes=rng.randint(0, 91 * 24 * 60))
            kind = rng.random()
            cards.append(card)
            dates.append(when)
            if kind < 0.1:
                events.append("redeem")
                issued.append(0.0)
                used.append(float(rng.randint(10, 50)))
                owed.append(0.0)
            elif kind < 0.1005:
                events.append("clawback")
                issued.append(0.0)
                used.append(0.0)
                owed.append(float(rng.randint(5, 40)))
            else:
                events.append("earn")
                fast = when > now - timedelta(days=7) and card % 400 == 0
                issued.append(float(rng.randint(300, 600) if fast else rng.randint(5, 60)))
                used.append(0.0)
                owed.append(0.0)
        cr.execute(
            """
            INSERT INTO crm_loyalty_posting
                   (card_id, partner_id, program_id, company_id, date, event, source,
                    issued, used, owed)
            SELECT v.card_id, c.partner_id, c.program_id, c.company_id, v.date, v.event,
                   CASE WHEN v.event = 'earn' THEN 'other' END, v.issued, v.used, v.owed
              FROM unnest(%s::int[], %s::timestamp[], %s::varchar[], %s::float[],
                          %s::float[], %s::float[]) AS v(card_id, date, event, issued, used, owed)
              JOIN loyalty_card c ON c.id = v.card_id
            """,
            [cards, dates, events, issued, used, owed],
        )
        cr.execute("ANALYZE crm_loyalty_posting")
        Anomaly = env["crm.loyalty.anomaly"]
        times = {}
        with timer(times, "bound"):
            cr.execute(
                "SELECT count(*), sum(issued), sum(used), sum(owed), count(DISTINCT card_id),"
                " min(date), max(event) FROM crm_loyalty_posting"
            )
        before = cr.sql_log_count
        with timer(times, "ours"):
            raised = Anomaly._loyalty_detect_anomalies(now=now)
        queries = cr.sql_log_count - before
        with timer(times, "again"):
            again = Anomaly._loyalty_detect_anomalies(now=now)
        cr.execute("SELECT kind, count(*) FROM crm_loyalty_anomaly GROUP BY kind ORDER BY kind")
        kinds = ", ".join(f"{kind} {count}" for kind, count in cr.fetchall())
        report(
            f"anomaly detection: {args.members:,} members, {args.postings:,} postings",
            [
                ("ours (4 rules)", f"{times['ours']:.2f} s, {queries} queries, {raised:,} flags"),
                ("flags by kind", kinds),
                ("one scan of the journal (bound)", f"{times['bound']:.2f} s"),
                ("ours / bound", f"{times['ours'] / times['bound']:.1f}x"),
                ("second run", f"{times['again']:.2f} s, {again} flags raised"),
            ],
        )


if __name__ == "__main__":
    main()
