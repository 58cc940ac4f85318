"""Loyalty points expiry, pending release and tier review on generated members.

Compares in one run, on the same generated cards and point lots:
- ours: the three daily jobs as the crons queue them, one chunk of cards at
  a time, each chunk flushed as its job's commit:
  loyalty.card._loyalty_expire_points() (cards with lots past their date),
  _loyalty_release_pending() (cards with pending lots whose return window has
  closed), then _loyalty_evaluate_tiers() (every member);
- the same three jobs again with nothing changed: the rows they write
  (PostgreSQL's counters, every table) must be 0;
- the SQL bound: hand-written statements over every card at once writing
  the same stored rows ours writes (lots, balances, journal postings,
  statement lines, tiers with their grace period and tier history); the
  bench checks both stored results are the same (a digest per table) and
  prints the rows each wrote;
- naive: a per-lot ORM loop for the expiry, timed on a sample and
  extrapolated.
Target: ours within 1.5x of the SQL bound, the three jobs together.

The members: lots over the last 30 months (about 40% past their 12
months), the lots of the last 45 days still pending (a 14-day return
window: a month of releases is due, as after the window is introduced or
the job stopped), a third of the members already in a tier (a downgrade
waits 30 days of grace).

    .venv/bin/python tests/bench/bench_loyalty.py --db <db> [--members 50000 --lots 1000000]
    (--profile: cProfile of our three jobs, the top functions by own time)
"""

import cProfile
import datetime
import pstats
import random

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import rows_written
from _common import timer

PROGRAM_NAME = "Bench Club"
PENDING_DAYS = 45
RETURN_WINDOW = 14
GRACE_DAYS = 30


def generate(env, args):
    cr = env.cr
    program = env["loyalty.program"].create(
        {
            "name": PROGRAM_NAME,
            "program_type": "loyalty",
            "crm_points_expiry": "months",
            "crm_points_validity_months": 12,
            "crm_tier_grace_days": GRACE_DAYS,
            "crm_return_window_days": RETURN_WINDOW,
        }
    )
    tiers = env["crm.loyalty.tier"].create(
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
    rng = random.Random(7)
    # a third of the members already hold a tier since last year
    held = [rng.choice(tiers.ids) if rng.random() < 1 / 3 else None for _ in partner_ids]
    cr.execute(
        "INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active,"
        "                          crm_tier_id, crm_tier_since)"
        " SELECT %s, %s, p, 'bench-' || p, 0, true, t,"
        "        CASE WHEN t IS NOT NULL THEN current_date - 300 END"
        "   FROM unnest(%s::int[], %s::int[]) AS v(p, t) RETURNING id",
        [program.id, program.company_id.id, partner_ids, held],
    )
    card_ids = sorted(row[0] for row in cr.fetchall())
    # fresh statistics: planned on an empty table, the lots' insert below
    # scans every card per lot
    cr.execute("ANALYZE loyalty_card, res_partner")
    lot_cards = [rng.choice(card_ids) for _ in range(args.lots)]
    ages = [rng.randint(0, 900) for _ in range(args.lots)]
    points = [rng.randint(5, 60) for _ in range(args.lots)]
    cr.execute(
        """
        INSERT INTO crm_loyalty_points_lot
               (card_id, program_id, partner_id, company_id, date, expiry_date, source,
                points, consumed, expired, remaining, pending, release_date)
        SELECT v.card_id, %(program)s, c.partner_id, %(company)s, current_date - v.age,
               CASE WHEN v.age >= %(pending)s
                    THEN (current_date - v.age) + interval '12 months' END,
               'sale', v.points, 0, 0,
               CASE WHEN v.age >= %(pending)s THEN v.points ELSE 0 END,
               CASE WHEN v.age < %(pending)s THEN v.points ELSE 0 END,
               CASE WHEN v.age < %(pending)s THEN current_date - v.age + %(window)s END
          FROM unnest(%(cards)s::int[], %(ages)s::int[], %(points)s::float[])
               AS v(card_id, age, points)
          JOIN loyalty_card c ON c.id = v.card_id
        """,
        {
            "program": program.id,
            "company": program.company_id.id,
            "pending": PENDING_DAYS,
            "window": RETURN_WINDOW,
            "cards": lot_cards,
            "ages": ages,
            "points": points,
        },
    )
    cr.execute("ANALYZE crm_loyalty_points_lot")
    cr.execute(
        "UPDATE loyalty_card c SET points = s.total FROM (SELECT card_id, sum(remaining)"
        " AS total FROM crm_loyalty_points_lot GROUP BY card_id) s WHERE c.id = s.card_id"
    )
    return program, card_ids


def due_cards(cr, condition):
    """The cards a cron would queue (its own query)."""
    cr.execute(
        f"SELECT DISTINCT card_id FROM crm_loyalty_points_lot WHERE {condition} ORDER BY card_id"
    )
    return [row[0] for row in cr.fetchall()]


def time_statements(cr):
    """Time every statement of the cursor by its first words (--profile)."""
    import time  # noqa: PLC0415

    cursor_class = type(cr)
    execute = cursor_class.execute
    totals = {"_execute": execute}

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


def run_ours(env, card_ids, chunk):
    """The three jobs, chunk by chunk: {job: (seconds, rows written, queries per chunk)}."""
    cr = env.cr
    Card = env["loyalty.card"]
    jobs = [
        ("expiry", "_loyalty_expire_points", "remaining > 0 AND expiry_date < current_date"),
        ("release", "_loyalty_release_pending", "pending > 0 AND release_date <= current_date"),
        ("tiers", "_loyalty_evaluate_tiers", None),
    ]
    result = {}
    for name, method, condition in jobs:
        times = {}
        before = rows_written(cr)
        queries = []
        with timer(times, name):
            ids = due_cards(cr, condition) if condition else card_ids
            for start in range(0, len(ids), chunk):
                count = cr.sql_log_count
                getattr(Card.browse(ids[start : start + chunk]), method)()
                cr.flush()  # the job's commit: its deferred steps run
                queries.append(cr.sql_log_count - count)
                env.invalidate_all()
        result[name] = (times[name], rows_written(cr) - before, sorted(set(queries)))
    return result


EXPIRY_SQL = """
WITH expired AS (
    UPDATE crm_loyalty_points_lot l
       SET expired = l.expired + o.remaining, remaining = 0,
           write_date = now() at time zone 'utc', write_uid = %(uid)s
      FROM (SELECT id, remaining FROM crm_loyalty_points_lot
             WHERE remaining > 0 AND expiry_date < current_date AND card_id = ANY(%(cards)s)) o
     WHERE l.id = o.id
 RETURNING l.card_id, o.remaining
), per_card AS (
    SELECT e.card_id, least(sum(e.remaining), c.points) AS pts, c.partner_id, c.company_id
      FROM expired e JOIN loyalty_card c ON c.id = e.card_id
     GROUP BY e.card_id, c.points, c.partner_id, c.company_id
), debit AS (
    UPDATE loyalty_card c SET points = c.points - p.pts,
           write_date = now() at time zone 'utc', write_uid = %(uid)s
      FROM per_card p WHERE c.id = p.card_id AND p.pts > 0.0001
), posting AS (
    INSERT INTO crm_loyalty_posting
           (card_id, partner_id, program_id, company_id, date, event, source, issued, used,
            owed, description, create_uid, create_date, write_uid, write_date)
    SELECT card_id, partner_id, %(program)s, company_id, now() at time zone 'utc', 'expire',
           'other', 0, pts, 0, 'Points expired', %(uid)s, now() at time zone 'utc',
           %(uid)s, now() at time zone 'utc'
      FROM per_card
)
INSERT INTO loyalty_history (card_id, description, issued, used,
                             create_uid, create_date, write_uid, write_date)
SELECT card_id, 'Points expired', 0, pts, %(uid)s, now() at time zone 'utc',
       %(uid)s, now() at time zone 'utc'
  FROM per_card WHERE pts > 0.0001
"""

RELEASE_SQL = """
WITH posted AS (
    INSERT INTO crm_loyalty_posting
           (card_id, partner_id, program_id, company_id, date, event, source, issued, used,
            owed, description, res_model, res_id, key,
            create_uid, create_date, write_uid, write_date)
    SELECT l.card_id, c.partner_id, c.program_id, c.company_id, now() at time zone 'utc',
           'release', 'sale', l.pending, 0, 0, 'Pending points released',
           'crm.loyalty.points.lot', l.id, 'release:crm.loyalty.points.lot,' || l.id,
           %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
      FROM crm_loyalty_points_lot l JOIN loyalty_card c ON c.id = l.card_id
     WHERE l.pending > 0 AND l.release_date <= current_date AND l.card_id = ANY(%(cards)s)
     ORDER BY l.id
    ON CONFLICT DO NOTHING
 RETURNING card_id, res_id, issued
), released AS (
    UPDATE crm_loyalty_points_lot l
       SET remaining = l.pending, pending = 0,
           expiry_date = (current_date + interval '12 months')::date,
           write_date = now() at time zone 'utc', write_uid = %(uid)s
      FROM posted p WHERE l.id = p.res_id
), per_card AS (
    SELECT card_id, sum(issued) AS pts FROM posted GROUP BY card_id
), credit AS (
    UPDATE loyalty_card c SET points = c.points + p.pts,
           write_date = now() at time zone 'utc', write_uid = %(uid)s
      FROM per_card p WHERE c.id = p.card_id
)
INSERT INTO loyalty_history (card_id, description, issued, used,
                             create_uid, create_date, write_uid, write_date)
SELECT card_id, 'Pending points released', pts, 0, %(uid)s, now() at time zone 'utc',
       %(uid)s, now() at time zone 'utc'
  FROM per_card
"""

# the review's rules: upgrade at once; below the tier, a first review starts
# the grace period (a 'grace' history row), a review past it downgrades;
# back at the tier's level, the grace period ends (no history row)
TIERS_SQL = """
WITH earned AS (
    SELECT c.id, c.partner_id, c.company_id, c.crm_tier_id, c.crm_tier_since,
           c.crm_downgrade_date, coalesce(sum(l.points), 0) AS metric
      FROM loyalty_card c
 LEFT JOIN crm_loyalty_points_lot l
        ON l.card_id = c.id AND l.source != 'refund' AND coalesce(l.pending, 0) = 0
       AND l.date > current_date - interval '12 months'
     WHERE c.id = ANY(%(cards)s)
  GROUP BY c.id
), ranked AS (
    SELECT e.*, coalesce(cur.threshold, -1) AS cur_rank,
           coalesce((SELECT t.threshold FROM crm_loyalty_tier t
                      WHERE t.program_id = %(program)s AND t.threshold <= e.metric
                   ORDER BY t.threshold DESC LIMIT 1), -1) AS new_rank,
           (SELECT t.id FROM crm_loyalty_tier t
             WHERE t.program_id = %(program)s AND t.threshold <= e.metric
          ORDER BY t.threshold DESC LIMIT 1) AS target
      FROM earned e LEFT JOIN crm_loyalty_tier cur ON cur.id = e.crm_tier_id
), decided AS (
    SELECT r.*,
           CASE WHEN new_rank > cur_rank THEN 'up'
                WHEN new_rank < cur_rank AND crm_downgrade_date <= current_date THEN 'down'
                WHEN new_rank < cur_rank AND crm_downgrade_date IS NULL THEN 'grace'
                WHEN new_rank = cur_rank AND crm_downgrade_date IS NOT NULL THEN 'back'
           END AS direction
      FROM ranked r
), moved AS (
    UPDATE loyalty_card c
       SET crm_tier_id = CASE WHEN d.direction IN ('up', 'down') THEN d.target
                              ELSE c.crm_tier_id END,
           crm_tier_since = CASE WHEN d.direction IN ('up', 'down') THEN current_date
                                 ELSE c.crm_tier_since END,
           crm_downgrade_date = CASE WHEN d.direction = 'grace'
                                     THEN current_date + %(grace)s END,
           write_date = now() at time zone 'utc', write_uid = %(uid)s
      FROM decided d WHERE c.id = d.id AND d.direction IS NOT NULL
)
INSERT INTO crm_loyalty_tier_history
       (card_id, partner_id, program_id, company_id, date, tier_from_id, tier_to_id,
        direction, metric, notified, create_uid, create_date, write_uid, write_date)
SELECT id, partner_id, %(program)s, company_id, now() at time zone 'utc', crm_tier_id,
       CASE WHEN direction = 'grace' THEN crm_tier_id ELSE target END, direction, metric,
       false, %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
  FROM decided WHERE direction IN ('up', 'down', 'grace')
"""


def run_bound(env, program, card_ids):
    """The same stored rows by hand: {job: (seconds, rows written)}."""
    cr = env.cr
    params = {"uid": env.uid, "cards": card_ids, "program": program.id, "grace": GRACE_DAYS}
    result = {}
    for name, statement in (
        ("expiry", EXPIRY_SQL),
        ("release", RELEASE_SQL),
        ("tiers", TIERS_SQL),
    ):
        times = {}
        before = rows_written(cr)
        with timer(times, name):
            cr.execute(statement, params)
        result[name] = (times[name], rows_written(cr) - before)
    return result


DIGESTS = {
    "cards": "SELECT md5(string_agg(concat_ws(',', id, round(points::numeric, 3), crm_tier_id,"
    " crm_tier_since, crm_downgrade_date), ';' ORDER BY id)) FROM loyalty_card"
    " WHERE id = ANY(%(cards)s)",
    "lots": "SELECT md5(string_agg(concat_ws(',', id, remaining, expired, pending, expiry_date,"
    " write_uid), ';' ORDER BY id)) FROM crm_loyalty_points_lot WHERE card_id = ANY(%(cards)s)",
    "postings": "SELECT md5(string_agg(concat_ws(',', card_id, partner_id, program_id,"
    " company_id, event, source, issued, used, owed, description, res_model, res_id, key), ';'"
    " ORDER BY card_id, event, key)) FROM crm_loyalty_posting WHERE card_id = ANY(%(cards)s)",
    "statement": "SELECT md5(string_agg(concat_ws(',', card_id, description, issued, used),"
    " ';' ORDER BY card_id, description)) FROM loyalty_history WHERE card_id = ANY(%(cards)s)",
    "tier history": "SELECT md5(string_agg(concat_ws(',', card_id, partner_id, program_id,"
    " tier_from_id, tier_to_id, direction, metric, notified), ';' ORDER BY card_id, direction))"
    " FROM crm_loyalty_tier_history WHERE card_id = ANY(%(cards)s)",
}


def digests(env, card_ids):
    env.flush_all()
    result = {}
    for name, query in DIGESTS.items():
        env.cr.execute(query, {"cards": card_ids})
        result[name] = env.cr.fetchone()[0]
    return result


def counts(env, card_ids):
    cr = env.cr
    cr.execute(
        "SELECT count(*) FILTER (WHERE remaining > 0 AND expiry_date < current_date),"
        "       count(*) FILTER (WHERE pending > 0 AND release_date <= current_date),"
        "       count(*) FILTER (WHERE pending > 0)"
        "  FROM crm_loyalty_points_lot WHERE card_id = ANY(%s)",
        [card_ids],
    )
    return cr.fetchone()


def naive_expiry(env, card_ids, sample_size, to_expire):
    """A per-lot ORM loop on a sample, extrapolated to every due lot."""
    Lot = env["crm.loyalty.points.lot"]
    sample = Lot.search(
        [("card_id", "in", card_ids), ("remaining", ">", 0), ("expiry_date", "<", "today")],
        limit=sample_size,
    )
    times = {}
    with timer(times, "naive"):
        for lot in sample:
            amount = lot.remaining
            lot.write({"expired": amount, "remaining": 0})
            lot.card_id.with_context(loyalty_no_mail=True).points -= amount
            env["loyalty.history"].create(
                {"card_id": lot.card_id.id, "description": "Points expired", "used": amount}
            )
            env.flush_all()
    return times["naive"] * to_expire / max(len(sample), 1), len(sample)


def vacuum(env):
    """The tables the jobs write, vacuumed first on a connection of their own
    (autovacuum may be off, and each run leaves its rolled-back rows
    behind: the next runs would read them)."""
    from odoo.sql_db import db_connect  # noqa: PLC0415

    with db_connect(env.cr.dbname).cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(
            "VACUUM ANALYZE crm_loyalty_points_lot, loyalty_card, loyalty_history,"
            " crm_loyalty_posting, crm_loyalty_tier_history, res_partner"
        )


def cleanup(env):
    """Remove the generated members, their cards and the program (also those
    a crashed run left behind), committed."""
    cr = env.cr
    cr.rollback()
    env.invalidate_all()
    programs = (
        env["loyalty.program"].with_context(active_test=False).search([("name", "=", PROGRAM_NAME)])
    )
    if programs:
        cr.execute("DELETE FROM loyalty_card WHERE program_id = ANY(%s)", [programs.ids])
        env.invalidate_all()
        programs.crm_tier_ids.unlink()
        programs.write({"active": False})
        programs.unlink()
    cr.execute("DELETE FROM res_partner WHERE name LIKE 'Bench member %%' AND complete_name = name")
    cr.commit()


def main():
    args = parse_args(
        __doc__, members=20_000, lots=200_000, chunk=5000, naive_sample=100, profile=0
    )
    with odoo_env(args.db) as env:
        cleanup(env)
        try:
            measure(env, args)
        finally:
            cleanup(env)
            vacuum(env)


def measure(env, args):
    cr = env.cr
    program, card_ids = generate(env, args)
    to_expire, to_release, pending = counts(env, card_ids)
    # committed, so that each measured run starts from the same vacuumed rows
    # (its rolled-back writes would otherwise slow the runs after it down)
    cr.commit()

    def fresh():
        cr.rollback()
        env.invalidate_all()
        vacuum(env)

    fresh()
    if args.profile:
        statements = time_statements(cr)
        profiler = cProfile.Profile()
        profiler.enable()
    ours = run_ours(env, card_ids, args.chunk)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(35)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
        type(cr).execute = statements.pop("_execute")
        print("slowest statements (seconds, count):")
        for text, (seconds, count) in sorted(statements.items(), key=lambda i: -i[1][0])[:15]:
            print(f"  {seconds:7.2f} {count:5} {text}")
    ours_digest = digests(env, card_ids)
    rerun = run_ours(env, card_ids, args.chunk)
    rerun_digest = digests(env, card_ids)

    fresh()
    bound = run_bound(env, program, card_ids)
    bound_digest = digests(env, card_ids)

    # each side measured twice, in turn: the better of its two runs
    fresh()
    ours_again = run_ours(env, card_ids, args.chunk)
    fresh()
    bound_again = run_bound(env, program, card_ids)
    runs = [
        sum(result[job][0] for job in ours) for result in (ours, bound, ours_again, bound_again)
    ]
    for job in ours:
        if ours_again[job][0] < ours[job][0]:
            ours[job] = (ours_again[job][0], *ours[job][1:])
        if bound_again[job][0] < bound[job][0]:
            bound[job] = (bound_again[job][0], *bound[job][1:])

    fresh()
    naive, sampled = naive_expiry(env, card_ids, args.naive_sample, to_expire)
    cr.rollback()

    jobs = ("expiry", "release", "tiers")
    ours_total = sum(ours[job][0] for job in jobs)
    bound_total = sum(bound[job][0] for job in jobs)
    rows = [
        (
            "due",
            f"{to_expire:,} lots to expire, {to_release:,} of {pending:,} pending lots"
            f" to release, {len(card_ids):,} members to review ({datetime.date.today()})",
        )
    ]
    for job in jobs:
        seconds, written, queries = ours[job]
        rows += [
            (
                f"ours: {job} (chunks of {args.chunk})",
                f"{seconds:.2f} s, {written:,} rows written, queries per chunk {queries}",
            ),
            (
                f"SQL bound: {job} (one statement)",
                f"{bound[job][0]:.2f} s, {bound[job][1]:,} rows written",
            ),
            (f"ours / SQL, {job}", f"{seconds / bound[job][0]:.2f}x"),
        ]
    same = {name: ours_digest[name] == bound_digest[name] for name in DIGESTS}
    rows += [
        (
            "rows written, ours / SQL bound",
            f"{sum(ours[j][1] for j in jobs):,} / {sum(bound[j][1] for j in jobs):,}",
        ),
        ("same stored rows as the bound", ", ".join(f"{k} {v}" for k, v in same.items())),
        (
            "ours / SQL, the three jobs",
            f"{ours_total:.2f} s / {bound_total:.2f} s = {ours_total / bound_total:.2f}x"
            " (target <= 1.5x)",
        ),
        (
            "the two runs (each side's better time per job counts)",
            f"ours {runs[0]:.2f} s then {runs[2]:.2f} s,"
            f" bound {runs[1]:.2f} s then {runs[3]:.2f} s",
        ),
        (
            "ours again, nothing changed",
            f"{sum(rerun[j][0] for j in jobs):.2f} s, "
            + ", ".join(f"{j} {rerun[j][1]:,}" for j in jobs)
            + " rows written (target 0), stored rows unchanged "
            + str(rerun_digest == ours_digest),
        ),
        (f"naive expiry ORM loop (extrapolated from {sampled})", f"{naive:.1f} s"),
        ("naive / ours, expiry", f"{naive / ours['expiry'][0]:.1f}x"),
    ]
    report(
        f"Expiry, pending release and tier review: {args.lots:,} lots on {len(card_ids):,} members",
        rows,
    )


if __name__ == "__main__":
    main()
