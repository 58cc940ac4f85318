"""Consent checks (res.partner._filter_contactable) on 100,000 partners.

Generates partners with a realistic mix of do-not-contact flags (all
channels or one), consent histories (one to three decisions per purpose and
channel, only the latest one current, some grants expired) and mail / phone
blacklist entries, then compares for marketing/email (opt-in) and
sales_calls/phone (opt-out):
- ours: one _filter_contactable() call on every partner (one SQL query
  whatever the number of partners; best of --repeat runs);
- naive: partner._ccare_is_contactable() per partner in a loop, timed on a
  sample and extrapolated; its answers are checked against ours.
Reports the queries of one call on 1,000 and on all partners (must be equal),
and ours again with PostgreSQL's JIT off (its compilation can dominate the
one big query). Then times recording decisions (_ccare_record_consent) for
100 and 1,000 partners, with their query counts.
Everything runs in one transaction that is rolled back.

    .venv/bin/python tests/bench/bench_consent.py --db <db> [--partners 100000]
"""

import random
from collections import Counter
from datetime import datetime
from datetime import timedelta

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import timer

CASES = [("marketing", "email"), ("sales_calls", "phone")]
DNC = ["dnc_all", "dnc_email", "dnc_phone", "dnc_sms", "dnc_visit", "dnc_post"]
# (purpose, channel, share of partners with a consent history for it)
HISTORIES = [
    ("marketing", "email", 0.6),
    ("marketing", "sms", 0.3),
    ("sales_calls", "phone", 0.4),
    ("sales_calls", "visit", 0.1),
    ("profiling", "email", 0.15),
    ("sharing", "post", 0.05),
]
STATES = ["granted"] * 13 + ["refused"] * 3 + ["withdrawn"] * 4


def generate_partners(env, count, rng):
    """Partners with emails and phones, 2% do-not-contact at all, 3% per
    channel; 5% have no email, 5% no phone."""
    cr = env.cr
    rows = []
    for i in range(count):
        email = f"consent{i}@bench.example.com" if rng.random() > 0.05 else None
        digits = f"{200 + i // 10000:03d}{i % 10000:04d}"
        phone = (f"+32 2 {digits[:3]} {digits[3:]}", f"+322{digits}")
        if rng.random() < 0.05:
            phone = (None, None)
        flags = [rng.random() < 0.02] + [rng.random() < 0.03 for _ in DNC[1:]]
        rows.append((f"Bench consent {i}", email, email, *phone, *flags))
    cr.execute(
        "INSERT INTO res_partner (name, complete_name, email, email_normalized, phone,"
        f" phone_sanitized, {', '.join(DNC)}, active, autopost_bills, type)"
        " SELECT n, n, e, en, p, ps, d0, d1, d2, d3, d4, d5, true, 'ask', 'contact'"
        " FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[], %s::varchar[],"
        " %s::varchar[], %s::bool[], %s::bool[], %s::bool[], %s::bool[], %s::bool[],"
        " %s::bool[]) AS r(n, e, en, p, ps, d0, d1, d2, d3, d4, d5) RETURNING id",
        [list(col) for col in zip(*rows)],
    )
    ids = sorted(row[0] for row in cr.fetchall())
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", [ids])
    return ids


def generate_consents(env, ids, rng):
    """One to three decisions per partner, purpose and channel (see
    HISTORIES), oldest first; the latest is current and supersedes the one
    before. A fifth of the grants carry an expiry date, half of them past."""
    now = datetime.now().replace(microsecond=0)
    rows = []
    for partner_id in ids:
        for purpose, channel, share in HISTORIES:
            if rng.random() >= share:
                continue
            days = sorted(rng.sample(range(1, 1500), rng.choice([1, 1, 2, 2, 3])), reverse=True)
            for age in days:
                date = now - timedelta(days=age)
                state = rng.choice(STATES)
                expiry = None
                if state == "granted" and rng.random() < 0.2:
                    expiry = (date + timedelta(days=rng.randint(30, 2 * age + 30))).date()
                source = rng.choice(["form", "call", "portal", "email", "import"])
                rows.append((partner_id, purpose, channel, state, date, expiry, source))
    env.cr.execute(
        "INSERT INTO crm_customer_consent (partner_id, purpose, channel, state, date,"
        " expiry_date, source, is_current, user_id, create_uid, write_uid, create_date,"
        " write_date)"
        " SELECT pa, pu, ch, st, d, ex, so, false, %s, %s, %s, d, d"
        " FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::varchar[],"
        " %s::timestamp[], %s::date[], %s::varchar[]) AS r(pa, pu, ch, st, d, ex, so)",
        [env.uid, env.uid, env.uid, *(list(col) for col in zip(*rows))],
    )
    env.cr.execute(
        """
        UPDATE crm_customer_consent c
           SET is_current = h.next_id IS NULL, superseded_by_id = h.next_id
          FROM (SELECT id, lead(id) OVER (PARTITION BY partner_id, purpose, channel
                                              ORDER BY date, id) AS next_id
                  FROM crm_customer_consent WHERE partner_id = ANY(%s)) h
         WHERE h.id = c.id
        """,
        [ids],
    )
    return len(rows)


def generate_blacklists(env, ids, rng):
    """3% of the partners' emails and 2% of their numbers blacklisted (a tenth
    of those entries archived, i.e. lifted), plus as many unrelated entries."""
    cr = env.cr
    cr.execute(
        "SELECT email_normalized, phone_sanitized FROM res_partner WHERE id = ANY(%s) ORDER BY id",
        [ids],
    )
    pairs = cr.fetchall()
    emails = [e for e, _p in pairs if e and rng.random() < 0.03]
    numbers = [p for _e, p in pairs if p and rng.random() < 0.02]
    emails += [f"other{i}@elsewhere.example.org" for i in range(len(emails))]
    numbers += [f"+3249{i:07d}" for i in range(len(numbers))]
    for table, column, values in (
        ("mail_blacklist", "email", emails),
        ("phone_blacklist", "number", numbers),
    ):
        cr.execute(
            f"INSERT INTO {table} ({column}, active, create_uid, write_uid, create_date,"
            " write_date) SELECT v, a, %s, %s, now(), now()"
            " FROM unnest(%s::varchar[], %s::bool[]) AS r(v, a)",
            [env.uid, env.uid, values, [rng.random() >= 0.1 for _ in values]],
        )
    return len(emails), len(numbers)


def main():
    args = parse_args(__doc__, partners=100_000, naive_sample=2000, small=1000, repeat=3)
    with odoo_env(args.db) as env:
        cr = env.cr
        times = {}
        with timer(times, "generate"):
            rng = random.Random(7)
            ids = generate_partners(env, args.partners, rng)
            consents = generate_consents(env, ids, rng)
            emails, numbers = generate_blacklists(env, ids, rng)
            cr.execute("ANALYZE res_partner, crm_customer_consent, mail_blacklist, phone_blacklist")
        print(
            f"generated {len(ids):,} partners, {consents:,} consent decisions,"
            f" {emails:,} mail and {numbers:,} phone blacklist entries"
            f" in {times['generate']:.1f} s"
        )
        env.invalidate_all()
        Partner = env["res.partner"]
        everyone = Partner.browse(ids)
        small = Partner.browse(ids[:: max(1, len(ids) // args.small)][: args.small])
        sample = Partner.browse(ids[:: max(1, len(ids) // args.naive_sample)][: args.naive_sample])
        cr.execute("SHOW jit")
        jit = cr.fetchone()[0]
        for purpose, channel in CASES:
            small._filter_contactable(purpose, channel)  # warm the caches
            queries = {}
            for label, partners in (("small", small), ("all", everyone)):
                env.invalidate_all()
                before = cr.sql_log_count
                partners._filter_contactable(purpose, channel)
                queries[label] = cr.sql_log_count - before
            runs = []
            for _ in range(args.repeat):
                env.invalidate_all()
                with timer(times, "ours"):
                    contactable = everyone._filter_contactable(purpose, channel)
                runs.append(times["ours"])
            ours = min(runs)
            cr.execute("SELECT set_config('jit', 'off', true)")
            no_jit = []
            for _ in range(args.repeat):
                env.invalidate_all()
                with timer(times, "no_jit"):
                    everyone._filter_contactable(purpose, channel)
                no_jit.append(times["no_jit"])
            cr.execute("RESET jit")
            reasons = Counter(everyone._ccare_contact_blocks(purpose, channel).values())

            env.invalidate_all()
            with timer(times, "naive_sample"):
                naive = sample.browse(
                    [p.id for p in sample if p._ccare_is_contactable(purpose, channel)]
                )
            naive_total = times["naive_sample"] * len(ids) / len(sample)
            same = naive == sample & contactable

            report(
                f"{purpose}/{channel}: {len(ids):,} partners",
                [
                    (
                        f"ours, one call (best of {args.repeat})",
                        f"{ours:.3f} s ({', '.join(f'{t:.3f}' for t in runs)})",
                    ),
                    (
                        f"naive per-partner loop (extrapolated from {len(sample):,})",
                        f"{naive_total:.1f} s ({times['naive_sample']:.2f} s measured)",
                    ),
                    ("naive / ours", f"{naive_total / ours:.0f}x"),
                    (
                        f"ours with jit = off (server: jit = {jit})",
                        f"{min(no_jit):.3f} s ({', '.join(f'{t:.3f}' for t in no_jit)})",
                    ),
                    (
                        f"queries, {len(small):,} vs {len(ids):,} partners",
                        f"{queries['small']} vs {queries['all']}"
                        f" ({'same' if queries['small'] == queries['all'] else 'DIFFERENT'})",
                    ),
                    ("contactable", f"{len(contactable):,} of {len(ids):,}"),
                    *(
                        (f"  blocked: {reason}", f"{n:,}")
                        for reason, n in sorted(reasons.items(), key=lambda r: -r[1])
                    ),
                    ("naive agrees with ours on the sample", str(same)),
                ],
            )
        record_decisions(env, ids)


def record_decisions(env, ids):
    """Time _ccare_record_consent() on 100 and 1,000 partners that already
    have a current decision (so each new one supersedes it): marketing/email
    also syncs the mail blacklist, sales_calls/phone does not."""
    cr = env.cr
    cr.execute(
        "SELECT partner_id FROM crm_customer_consent WHERE is_current AND partner_id = ANY(%s)"
        " AND purpose = 'marketing' AND channel = 'email' AND state = 'granted' ORDER BY 1",
        [ids],
    )
    granted = [row[0] for row in cr.fetchall()]
    cr.execute(
        "SELECT partner_id FROM crm_customer_consent WHERE is_current AND partner_id = ANY(%s)"
        " AND purpose = 'sales_calls' AND channel = 'phone' ORDER BY 1",
        [ids],
    )
    called = [row[0] for row in cr.fetchall()]
    rows = []
    for purpose, channel, state, pool in (
        ("marketing", "email", "withdrawn", granted),
        ("sales_calls", "phone", "refused", called),
    ):
        start = 0
        for count in (100, 1000):
            partners = env["res.partner"].browse(pool[start : start + count])
            start += count
            env.flush_all()
            env.invalidate_all()
            times = {}
            before = cr.sql_log_count
            with timer(times, "record"):
                partners._ccare_record_consent(purpose, channel, state, source="portal")
                env.flush_all()
            queries = cr.sql_log_count - before
            rows.append(
                (
                    f"{purpose}/{channel} {state}, {len(partners):,} partners",
                    f"{times['record']:.2f} s, {queries:,} queries"
                    f" ({queries / len(partners):.2f} per partner)",
                )
            )
    report("Recording decisions: _ccare_record_consent (supersedes the current one)", rows)


if __name__ == "__main__":
    main()
