"""Data-quality checks over 100,000 partners.

Five checks (invalid email, invalid phone for the partner's country,
duplicate candidates by normalised email/phone/tax ID, stale profile, a
required field) run in one pass, on the same generated partners:
- ours: res.partner._ccare_run_data_quality() in chunks of 1,000 (what each
  queued job does): issues opened, assigned, scores stored; then a second run
  (nothing to change: the idempotent re-run);
- naive: a per-partner ORM loop (one search per partner and check, one
  duplicate search per key, one create per issue, one write per score),
  timed on a sample and extrapolated;
- SQL bound (writes only): the same issues and scores written by hand, one
  INSERT and one UPDATE (the checks themselves, e-mail and phone validation
  in Python among them, are not in it: a bound ours cannot reach).
Reports queries per chunk (the same for every chunk), the rows written by
each run (PostgreSQL's counters, every table; the re-run must write 0) and
the ratios.
Everything runs in one transaction that is rolled back: tables are
re-ANALYZEd every 10 chunks (autovacuum's job between committed jobs).
"""

import random
from datetime import datetime
from datetime import timedelta

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import rows_written
from _common import timer

from odoo.fields import Domain

CHECKS = [
    {"name": "Bench email", "check_type": "email", "severity": "high"},
    {"name": "Bench phone", "check_type": "phone", "severity": "medium"},
    {"name": "Bench duplicates", "check_type": "duplicate", "severity": "low"},
    {"name": "Bench stale", "check_type": "stale", "severity": "low", "stale_days": 365},
]


def generate(env, count, rng):
    be = env.ref("base.be")
    rows = []
    now = datetime.now()
    for i in range(count):
        roll = rng.random()
        email = f"customer{i}@bench.example.com"
        if roll < 0.03:
            email = f"customer{i}@bench"  # invalid
        elif roll < 0.05:
            email = f"customer{rng.randrange(count)}@bench.example.com"  # duplicate candidate
        phone = f"+32 2 {200 + i // 10000:03d} {i % 10000:04d}"[:17]
        sanitized = "+322" + f"{200 + i // 10000:03d}{i % 10000:04d}"
        if rng.random() < 0.03:
            phone, sanitized = "12 34", None
        vat = f"BE0{400000000 + i}" if rng.random() < 0.6 else None
        created = now - timedelta(days=rng.choice([10, 100, 500]))
        normalized = email.lower() if "." in email.split("@")[1] else None
        rows.append((f"Bench {i}", email, normalized, phone, sanitized, vat, be.id, created))
    env.cr.execute(
        "INSERT INTO res_partner (name, complete_name, email, email_normalized, phone,"
        " phone_sanitized, vat, country_id, create_date, active, autopost_bills, type)"
        " SELECT n, n, e, en, p, ps, v, c, d, true, 'ask', 'contact'"
        " FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[],"
        " %s::varchar[], %s::varchar[], %s::int[], %s::timestamp[])"
        " AS r(n, e, en, p, ps, v, c, d) RETURNING id",
        [list(col) for col in zip(*rows)],
    )
    ids = sorted(row[0] for row in env.cr.fetchall())
    env.cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    env.cr.execute("ANALYZE res_partner")
    return ids


def naive_run(env, partners, checks, today):
    """What one would write without thinking in sets."""
    Issue = env["crm.data.quality.issue"]
    Partner = env["res.partner"]
    for partner in partners:
        penalty = 0
        for check in checks:
            problem = False
            if check.check_type == "email":
                problem = bool(partner.email) and bool(partner._ccare_email_problem())
            elif check.check_type == "phone":
                problem = bool(partner.phone) and bool(
                    partner._ccare_phone_problem(env.company.country_id)
                )
            elif check.check_type == "duplicate":
                for field in ("email_normalized", "phone_sanitized", "vat"):
                    if partner[field] and Partner.search_count(
                        [(field, "=", partner[field]), ("id", "!=", partner.id)], limit=1
                    ):
                        problem = True
            else:
                problem = bool(
                    Partner.search_count(
                        check._ccare_candidate_domain(today) & Domain("id", "=", partner.id)
                    )
                )
            existing = Issue.search(
                [
                    ("check_id", "=", check.id),
                    ("partner_id", "=", partner.id),
                    ("state", "=", "open"),
                ]
            )
            if problem and not existing:
                Issue.create(
                    {
                        "check_id": check.id,
                        "partner_id": partner.id,
                        "user_id": partner.user_id.id,
                        "message": check.name,
                    }
                )
            elif existing and not problem:
                existing.state = "fixed"
            if problem:
                penalty += {"low": 5, "medium": 10, "high": 20, "critical": 40}[check.severity]
        partner.data_quality_score = max(0, 100 - penalty)
        env.flush_all()


def main():
    args = parse_args(__doc__, partners=100_000, chunk=1000, naive_sample=500)
    with odoo_env(args.db) as env:
        cr = env.cr
        Check = env["crm.data.quality.check"]
        Check.search([]).active = False
        checks = Check.create(CHECKS)
        checks |= Check.create(
            {
                "name": "Bench tax ID",
                "check_type": "required",
                "severity": "critical",
                "field_ids": [(6, 0, env.ref("base.field_res_partner__vat").ids)],
            }
        )
        ids = generate(env, args.partners, random.Random(7))
        env.flush_all()
        Partner = env["res.partner"]
        times, per_chunk = {}, []

        def run_all(record_queries):
            for n, start in enumerate(range(0, len(ids), args.chunk)):
                if n % 10 == 1:
                    # what autovacuum does between committed jobs, and never
                    # gets to see in this single rolled-back transaction
                    cr.execute("ANALYZE res_partner, crm_data_quality_issue")
                before = cr.sql_log_count
                Partner.browse(ids[start : start + args.chunk])._ccare_run_data_quality()
                env.flush_all()
                env.invalidate_all()
                if record_queries:
                    per_chunk.append(cr.sql_log_count - before)

        before = rows_written(cr)
        with timer(times, "ours"):
            run_all(True)
        written = rows_written(cr) - before
        cr.execute(
            "SELECT count(*) FROM crm_data_quality_issue WHERE state = 'open'"
            " AND partner_id = ANY(%s)",
            [ids],
        )
        issues = cr.fetchone()[0]
        before = rows_written(cr)
        with timer(times, "rerun"):
            run_all(False)
        rerun_written = rows_written(cr) - before
        cr.execute(
            "SELECT count(*) FROM crm_data_quality_issue WHERE state = 'open'"
            " AND partner_id = ANY(%s)",
            [ids],
        )
        same = cr.fetchone()[0] == issues

        # SQL bound: the same issues and scores, written by hand
        cr.execute(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_name = 'crm_data_quality_issue' AND column_name != 'id'"
        )
        columns = ", ".join(f'"{name}"' for (name,) in cr.fetchall())
        cr.execute(
            f"CREATE TEMP TABLE bench_issue AS SELECT {columns} FROM crm_data_quality_issue"
            " WHERE partner_id = ANY(%s)",
            [ids],
        )
        cr.execute(
            "CREATE TEMP TABLE bench_score AS SELECT id, data_quality_score FROM res_partner"
            " WHERE id = ANY(%s)",
            [ids],
        )
        cr.execute("DELETE FROM crm_data_quality_issue WHERE partner_id = ANY(%s)", [ids])
        cr.execute("UPDATE res_partner SET data_quality_score = NULL WHERE id = ANY(%s)", [ids])
        with timer(times, "sql"):
            cr.execute(
                f"INSERT INTO crm_data_quality_issue ({columns}) SELECT {columns} FROM bench_issue"
            )
            cr.execute(
                "UPDATE res_partner p SET data_quality_score = s.data_quality_score"
                " FROM bench_score s WHERE p.id = s.id"
            )
        cr.execute("DELETE FROM crm_data_quality_issue WHERE partner_id = ANY(%s)", [ids])
        env.invalidate_all()
        sample = Partner.browse(ids[: args.naive_sample])
        today = datetime.now().date()
        with timer(times, "naive_sample"):
            naive_run(env, sample, checks, today)
        times["naive"] = times["naive_sample"] * len(ids) / len(sample)

        report(
            f"Data-quality checks: {len(ids):,} partners, {len(checks)} checks",
            [
                (
                    f"ours (chunks of {args.chunk})",
                    f"{times['ours']:.2f} s, {written:,} rows written",
                ),
                ("open issues found", f"{issues:,}"),
                (
                    "ours, re-run with nothing changed",
                    f"{times['rerun']:.2f} s, {rerun_written:,} rows written (target 0),"
                    f" same issues: {same}",
                ),
                ("SQL bound (the same rows written by hand)", f"{times['sql']:.2f} s"),
                ("ours / SQL", f"{times['ours'] / times['sql']:.1f}x"),
                ("queries per chunk (min-max)", f"{min(per_chunk)}-{max(per_chunk)}"),
                (f"naive ORM loop (extrapolated from {len(sample)})", f"{times['naive']:.1f} s"),
                ("naive / ours", f"{times['naive'] / times['ours']:.1f}x"),
            ],
        )


if __name__ == "__main__":
    main()
