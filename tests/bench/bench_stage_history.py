"""Stage history of a batch write on 10,000 leads.

Compares in one run, on the same generated leads:
- ours: one ORM ``write({"stage_id": ...})`` on all the leads; the override
  records every move in one INSERT ... SELECT (whatever the number of leads);
- no history: the same write without recording (crm's own write), the floor;
- per-record loop: the usual pattern of writing and recording each lead on
  its own (one write and one INSERT per lead), timed on a sample and
  extrapolated.
"""

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import timer


def main():
    args = parse_args(__doc__, leads=10_000, naive_sample=500)
    with odoo_env(args.db) as env:
        cr = env.cr
        team = env["crm.team"].create({"name": "Bench team"})
        Stage = env["crm.stage"]
        stages = Stage.create(
            [{"name": f"Bench {i}", "sequence": 900 + i, "team_ids": team.ids} for i in range(4)]
        )
        cr.execute(
            """
            INSERT INTO crm_lead (name, type, active, team_id, stage_id, company_id,
                                  expected_revenue, probability, won_status, create_date,
                                  write_date, create_uid, write_uid)
            SELECT 'Bench lead ' || n, 'opportunity', true, %s, %s, %s, n * 10, 10,
                   'pending', now(), now(), 1, 1
              FROM generate_series(1, %s) n RETURNING id
            """,
            [team.id, stages[0].id, env.company.id, args.leads],
        )
        ids = sorted(row[0] for row in cr.fetchall())
        Lead = env["crm.lead"].with_context(tracking_disable=True)
        History = env["crm.lead.stage.history"]
        times, queries = {}, {}

        def count(name, function):
            env.flush_all()
            env.invalidate_all()
            before = cr.sql_log_count
            with timer(times, name):
                function()
                env.flush_all()
            queries[name] = cr.sql_log_count - before

        # the floor first (so that it, not ours, pays for the cold caches):
        # crm's write without our recording
        original = History._record
        type(History)._record = lambda self, old: None
        try:
            count("floor", lambda: Lead.browse(ids).write({"stage_id": stages[2].id}))
        finally:
            type(History)._record = original

        count("ours", lambda: Lead.browse(ids).write({"stage_id": stages[1].id}))
        cr.execute(
            "SELECT count(*) FROM crm_lead_stage_history WHERE lead_id = ANY(%s)"
            " AND stage_to_id = %s",
            [ids, stages[1].id],
        )
        recorded = cr.fetchone()[0]

        sample = Lead.browse(ids[: args.naive_sample])

        def per_record():
            for lead in sample:
                old = lead.stage_id.id
                lead.write({"stage_id": stages[3].id})
                History._record({lead.id: old})

        count("naive_sample", per_record)
        times["naive"] = times["naive_sample"] * len(ids) / len(sample)
        queries["naive"] = queries["naive_sample"] * len(ids) // len(sample)

        report(
            f"Stage change of {len(ids):,} leads in one write",
            [
                ("ours (one write, history included)", f"{times['ours']:.2f} s"),
                ("crm write without history (floor)", f"{times['floor']:.2f} s"),
                (
                    f"per-record loop (extrapolated from {len(sample)})",
                    f"{times['naive']:.1f} s",
                ),
                ("ours / floor", f"{times['ours'] / times['floor']:.2f}x"),
                ("per-record / ours", f"{times['naive'] / times['ours']:.1f}x"),
                ("history lines recorded", f"{recorded:,} of {len(ids):,}"),
                ("SQL queries: ours / floor", f"{queries['ours']} / {queries['floor']}"),
                ("SQL queries: per-record (extrapolated)", f"{queries['naive']:,}"),
            ],
        )


if __name__ == "__main__":
    main()
