"""Generating a 4-week call plan for 50,000 accounts and 20 callers.

Compares in one run, on the same generated accounts (each called once in
the last month, so the next calls fall due over the next four weeks):
- ours: crm.call.plan.run._generate_chunk() on chunks of 1,000 accounts
  (what each queued job does): consent, due dates, capacity and calendar,
  calls with their checklist answers, report lines;
- the same run's chunks again (a retried job), which must write 0 rows
  (PostgreSQL's counters, every table);
- a second run over the same horizon, which must create 0 calls (it writes
  its own report lines);
- SQL bound: the first run's calls, checklist answers and report lines
  inserted by hand into copies of their tables (same indexes, no foreign
  keys), one INSERT per table (no planning in it);
- naive: a per-account ORM loop (consent check, last call, existing calls,
  callers' load and one create per account), timed on a sample and
  extrapolated.
Targets: naive / ours >= 20x, the same number of queries for every chunk,
retried chunks = 0 rows, second run = 0 calls.
"""

import random
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import rows_written
from _common import timer


def main():
    args = parse_args(__doc__, partners=50_000, callers=20, chunk=1000, naive_sample=300)
    with odoo_env(args.db) as env:
        cr = env.cr
        env["crm.call.policy"].search([]).active = False
        env["crm.call.caller"].search([]).active = False
        segment = env["crm.customer.segment"].create(
            {"name": "Bench accounts", "domain": "[('id', '=', 0)]"}
        )
        template = env["crm.call.checklist.template"].create(
            {
                "name": "Bench checklist",
                "question_ids": [
                    (0, 0, {"name": "Satisfied?", "required": True}),
                    (0, 0, {"name": "Score", "question_type": "score"}),
                ],
            }
        )
        policy = env["crm.call.policy"].create(
            {
                "name": "Bench monthly call",
                "segment_id": segment.id,
                "channel": "phone",
                "interval_number": 1,
                "interval_type": "months",
                "duration": 2,
                "hour_from": 8,
                "hour_to": 17,
                "tolerance_days": 3,
                "checklist_template_id": template.id,
            }
        )
        calendar = env["resource.calendar"].create({"name": "Bench 40h", "tz": "UTC"})
        group = env.ref("crm_callplan.group_crm_callplan_caller")
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench caller {i}",
                    "login": f"bench_caller_{i}",
                    "group_ids": [(6, 0, group.ids)],
                }
                for i in range(args.callers)
            ]
        )
        env["crm.call.caller"].create(
            [
                {
                    "user_id": user.id,
                    "daily_capacity": 200,
                    "resource_calendar_id": calendar.id,
                    "tz": "UTC",
                }
                for user in users
            ]
        )
        rng = random.Random(7)
        today = date.today()
        names = [f"Bench account {i}" for i in range(args.partners)]
        cr.execute(
            "INSERT INTO res_partner (name, complete_name, is_company, active, autopost_bills,"
            " type, segment_id, dnc_phone)"
            " SELECT n, n, true, true, 'ask', 'contact', %s, d"
            " FROM unnest(%s::varchar[], %s::bool[]) AS v(n, d) RETURNING id",
            [segment.id, names, [rng.random() < 0.02 for _ in names]],
        )
        ids = sorted(row[0] for row in cr.fetchall())
        company = env.company
        # one done call per account in the last month: the next ones fall due over 4 weeks
        done = [datetime.combine(today - timedelta(days=rng.randint(1, 28)), time(10)) for _ in ids]
        cr.execute(
            "INSERT INTO crm_call (name, partner_id, company_id, channel, state, planned_date,"
            " date_done, duration)"
            " SELECT 'Past call', p, %s, 'phone', 'done', d, d, 2"
            " FROM unnest(%s::int[], %s::timestamp[]) AS v(p, d)",
            [company.id, ids, done],
        )
        Run = env["crm.call.plan.run"]
        chunks = [ids[i : i + args.chunk] for i in range(0, len(ids), args.chunk)]
        times, queries = {}, []

        def run_all(run):
            for chunk in chunks:
                before = cr.sql_log_count
                run._generate_chunk(chunk)
                cr.flush()  # the job's commit: its deferred steps (contact dates) run
                queries.append(cr.sql_log_count - before)
                env.invalidate_all()

        def new_run():
            with Run._ccare_transition():  # what action_generate does
                return Run.create(
                    {
                        "date_from": today,
                        "horizon_weeks": 4,
                        "state": "running",
                        "chunk_count": len(chunks),
                    }
                )

        first = new_run()
        before = rows_written(cr)
        with timer(times, "ours"):
            run_all(first)
        written = rows_written(cr) - before
        before = rows_written(cr)
        with timer(times, "retry"):
            run_all(first)
        retry_written = rows_written(cr) - before
        cr.execute("SELECT count(*) FROM crm_call WHERE plan_run_id = %s", [first.id])
        created = cr.fetchone()[0]
        cr.execute(
            "SELECT count(*) FROM crm_call_checklist_answer a JOIN crm_call c"
            " ON c.id = a.call_id WHERE c.plan_run_id = %s",
            [first.id],
        )
        answers = cr.fetchone()[0]
        cr.execute(
            "SELECT line_type, count(*) FROM crm_call_plan_run_line WHERE run_id = %s"
            " GROUP BY line_type",
            [first.id],
        )
        lines = dict(cr.fetchall())
        first_chunk, other_chunks = queries[0], sorted(set(queries[1:]))

        second = new_run()
        before = rows_written(cr)
        with timer(times, "second"):
            run_all(second)
        second_written = rows_written(cr) - before
        cr.execute("SELECT count(*) FROM crm_call WHERE plan_run_id = %s", [second.id])
        created_again = cr.fetchone()[0]

        # SQL bound: the first run's rows inserted by hand into copies of
        # their tables (same indexes, logged tables, rolled back with the
        # rest; deleting the originals first would cost more than the bound)
        tables = {
            "crm_call": "plan_run_id = %(run)s",
            "crm_call_checklist_answer": "call_id IN (SELECT id FROM crm_call"
            " WHERE plan_run_id = %(run)s)",
            "crm_call_plan_run_line": "run_id = %(run)s",
        }
        for table in tables:
            cr.execute(
                f"CREATE TABLE bench_{table} (LIKE {table} INCLUDING DEFAULTS INCLUDING INDEXES)"
            )
        with timer(times, "sql"):
            for table, where in tables.items():
                cr.execute(
                    f"INSERT INTO bench_{table} SELECT * FROM {table} WHERE {where}",
                    {"run": first.id},
                )
        env.invalidate_all()

        # naive: one account at a time through the ORM, on a sample of fresh accounts
        sample_ids = rng.sample(ids, args.naive_sample)
        cr.execute(
            "DELETE FROM crm_call WHERE plan_run_id IS NOT NULL AND partner_id = ANY(%s)",
            [sample_ids],
        )
        env.invalidate_all()
        Partner, Call, Caller = env["res.partner"], env["crm.call"], env["crm.call.caller"]
        with timer(times, "naive_sample"):
            for partner in Partner.browse(sample_ids):
                if not partner._ccare_is_contactable("sales_calls", "phone"):
                    continue
                last = Call.search(
                    [("partner_id", "=", partner.id), ("state", "=", "done")],
                    order="date_done desc",
                    limit=1,
                )
                due = (last.date_done.date() if last else today) + policy._interval()
                if due > today + timedelta(weeks=4) or Call.search_count(
                    [("partner_id", "=", partner.id), ("due_date", "=", due)]
                ):
                    continue
                for caller in Caller.search([("active", "=", True)]):
                    day_start = datetime.combine(due, time.min)
                    busy = Call.search_count(
                        [
                            ("caller_id", "=", caller.id),
                            ("planned_date", ">=", day_start),
                            ("planned_date", "<", day_start + timedelta(days=1)),
                        ]
                    )
                    if busy < caller.daily_capacity:
                        Call.create(
                            {
                                "partner_id": partner.id,
                                "user_id": caller.user_id.id,
                                "caller_id": caller.id,
                                "policy_id": policy.id,
                                "due_date": due,
                                "planned_date": day_start + timedelta(hours=8, minutes=2 * busy),
                                "duration": 2,
                            }
                        )
                        break
                env.flush_all()
        times["naive"] = times["naive_sample"] * len(ids) / len(sample_ids)

        report(
            f"Planning 4 weeks for {len(ids):,} accounts and {args.callers} callers",
            [
                (
                    f"ours (chunks of {args.chunk})",
                    f"{times['ours']:.1f} s, {written:,} rows written",
                ),
                (
                    "ours, the same chunks again (nothing changed)",
                    f"{times['retry']:.1f} s, {retry_written:,} rows written (target 0)",
                ),
                ("SQL bound (the same rows, inserted by hand)", f"{times['sql']:.2f} s"),
                ("ours / SQL", f"{times['ours'] / times['sql']:.1f}x"),
                ("calls created", f"{created:,} (+{answers:,} checklist answers)"),
                ("report lines", ", ".join(f"{k}: {v:,}" for k, v in sorted(lines.items()))),
                (
                    "queries per chunk",
                    f"first (cold caches) {first_chunk}, others {other_chunks}",
                ),
                (
                    "second run",
                    f"{times['second']:.1f} s, {created_again} calls created,"
                    f" {second_written:,} rows written (its run and report lines)",
                ),
                (
                    f"naive ORM loop (extrapolated from {len(sample_ids)})",
                    f"{times['naive']:.0f} s",
                ),
                ("naive / ours", f"{times['naive'] / times['ours']:.1f}x (target >= 20x)"),
            ],
        )


if __name__ == "__main__":
    main()
