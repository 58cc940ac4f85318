from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo.addons.crm_callplan.models import crm_call_plan_run
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestPlanGeneration(CallPlanCommon):
    def _calls(self, partners):
        return self.env["crm.call"].search([("partner_id", "in", partners.ids)], order="due_date")

    def test_due_dates_never_called(self):
        """An account never called is due at once, then every two weeks."""
        partner = self._partners(1)
        run = self._run()
        calls = self._calls(partner)
        self.assertEqual(calls.mapped("due_date"), [self.date_from, self.date_from + timedelta(14)])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.call_count, 2)
        self.assertEqual(set(calls.mapped("state")), {"planned"})
        # the checklist of the policy comes with each call
        self.assertEqual(len(calls[0].answer_ids), 3)
        self.assertEqual(calls[0].policy_id, self.policy_smb)
        self.assertEqual(calls[0].segment_id, self.segment_smb)

    def test_due_dates_from_last_done_call(self):
        partner = self._partners(1)
        done = self._call(
            partner, planned_date=datetime.combine(self.date_from - timedelta(7), time(9))
        )
        with done._ccare_transition():
            done.write({"state": "done", "date_done": done.planned_date})
        self._run()
        planned = self._calls(partner).filtered(lambda c: c.state == "planned")
        self.assertEqual(
            planned.mapped("due_date"),
            [self.date_from + timedelta(7), self.date_from + timedelta(21)],
        )

    def test_second_run_creates_nothing(self):
        partners = self._partners(5)
        first = self._run()
        self.assertEqual(first.call_count, 10)
        second = self._run()
        self.assertEqual(second.call_count, 0)
        self.assertEqual(len(self._calls(partners)), 10)
        # even a run starting a week later only adds what falls due after the plan
        third = self._run(date_from=self.date_from + timedelta(7))
        self.assertEqual(third.call_count, 5)
        self.assertEqual(len(self._calls(partners)), 15)

    def test_consent_skipped_with_reason(self):
        ok = self._partners(1)
        no_calls = self._partners(1, name="No calls please", dnc_phone=True)
        refused = self._partners(1, name="Refused")
        refused._ccare_record_consent("sales_calls", "phone", "refused")
        run = self._run()
        self.assertTrue(self._calls(ok))
        self.assertFalse(self._calls(no_calls | refused))
        reasons = {
            line.partner_id: line.reason for line in run.line_ids if line.line_type == "skipped"
        }
        self.assertIn("do not contact", reasons[no_calls])
        self.assertEqual(reasons[refused], "consent refused")
        self.assertEqual(run.skipped_count, 2)

    def test_our_own_companies_and_staff_never_called(self):
        """The plan calls customers only: not our company (YourCompany is a
        company like an SMB), its contacts, nor a colleague's partner."""
        ours = self.env.company.partner_id
        colleague = self.env["res.partner"].create({"name": "Our buyer", "parent_id": ours.id})
        staff = self.caller2.partner_id
        Partner = self.env["res.partner"].with_context(ccare_assigning_segment=True)
        Partner.browse((ours | staff).ids).write({"segment_id": self.segment_smb.id})
        customer = self._partners(1)
        run = self._run()
        self.assertTrue(self._calls(customer))
        self.assertFalse(run.call_ids & self._calls(ours | colleague | staff), "never ourselves")
        self.assertFalse(run.line_ids.filtered(lambda line: line.partner_id in ours | staff))

    def test_probable_duplicates_wait(self):
        """Two records of one customer (same phone) flagged as probable
        duplicates (``res.partner._ccare_open_duplicates``: an open Data
        Quality issue): the plan calls neither and says why on its report;
        once the flag is cleared (not a duplicate), the next plan calls it."""
        twin_a, twin_b = self._partners(2, phone="+32 2 290 77 10")
        single = self._partners(1, name="Single", phone="+32 2 290 77 11")
        flagged = {
            twin_a.id: f"Same phone as {twin_b.name} (#{twin_b.id})",
            twin_b.id: f"Same phone as {twin_a.name} (#{twin_a.id})",
        }

        def open_duplicates(partners):
            return {pid: why for pid, why in flagged.items() if pid in partners.ids}

        self.patch(type(self.env["res.partner"]), "_ccare_open_duplicates", open_duplicates)
        run = self._run()
        self.assertTrue(self._calls(single))
        self.assertFalse(self._calls(twin_a | twin_b))
        reasons = {
            line.partner_id: line.reason for line in run.line_ids if line.line_type == "skipped"
        }
        self.assertIn("probable duplicate", reasons[twin_a])
        self.assertIn("Same phone as", reasons[twin_a])
        del flagged[twin_a.id]  # marked reviewed: not a duplicate
        self._run()
        self.assertTrue(self._calls(twin_a), "reviewed: not a duplicate, called")
        self.assertFalse(self._calls(twin_b))

    def test_chunk_run_again_writes_nothing(self):
        """A chunk of a finished run run again (a job re-queued): no call,
        no second report line for the same skip, the chunk counter and the
        load table untouched; no row written at all."""
        ok = self._partners(1)
        no_calls = self._partners(1, name="No calls please", dnc_phone=True)
        run = self._run()
        self.assertEqual((run.state, run.chunk_done, run.skipped_count), ("done", 1, 1))
        calls = self._calls(ok)
        self.assertTrue(calls)
        self.env.cr.flush()
        self.env.cr.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        (before,) = self.env.cr.fetchone()
        run._generate_chunk((ok | no_calls).ids)
        self.env.cr.flush()
        self.env.cr.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
            " FROM pg_stat_xact_user_tables"
        )
        self.assertEqual(self.env.cr.fetchone()[0] - before, 0, "rows written")
        run.invalidate_recordset()
        self.assertEqual((run.state, run.chunk_done, run.skipped_count), ("done", 1, 1))
        self.assertEqual(self._calls(ok), calls)

    def test_opt_in_policy_needs_grant(self):
        self.policy_smb.require_opt_in = True
        granted, silent = self._partners(2)
        granted._ccare_record_consent("sales_calls", "phone", "granted")
        run = self._run()
        self.assertTrue(self._calls(granted))
        self.assertFalse(self._calls(silent))
        self.assertEqual(
            run.line_ids.filtered(lambda line: line.partner_id == silent).reason, "no consent given"
        )

    def test_video_calls_need_phone_consent(self):
        self.policy_smb.channel = "video"
        partner = self._partners(1, dnc_phone=True)
        self._run()
        self.assertFalse(self._calls(partner))

    def test_capacity_and_unfitted(self):
        """Two callers of 2 calls a day, tolerance 0: 4 of 6 accounts fit."""
        self.policy_smb.write(
            {"tolerance_days": 0, "caller_ids": [(6, 0, (self.caller_carl | self.caller_cleo).ids)]}
        )
        (self.caller_carl | self.caller_cleo).daily_capacity = 2
        partners = self._partners(6)
        run = self._run(weeks=1)
        calls = self._calls(partners)
        self.assertEqual(len(calls), 4)
        for caller in self.caller_carl | self.caller_cleo:
            mine = calls.filtered(lambda c, caller=caller: c.caller_id == caller)
            self.assertEqual(len(mine), 2)
            # one after the other, within the policy hours
            self.assertEqual(sorted(c.planned_date.time() for c in mine), [time(9), time(9, 30)])
        self.assertEqual(run.unfitted_count, 2)
        self.assertTrue(
            all(
                "no caller has free time" in line.reason
                for line in run.line_ids
                if line.line_type == "unfitted"
            )
        )

    def _day_off(self, caller, day):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Training day",
                "resource_id": caller.resource_id.id,
                "calendar_id": self.calendar.id,
                "date_from": datetime.combine(day, time(0)),
                "date_to": datetime.combine(day, time(23, 59)),
            }
        )

    def test_calendar_leaves_and_weekends(self):
        """The caller on leave on Monday gets nothing that day; nobody works at weekends."""
        self.policy_smb.write(
            {"caller_ids": [(6, 0, self.caller_carl.ids)], "day_sat": True, "day_sun": True}
        )
        self._day_off(self.caller_carl, self.date_from)
        partners = self._partners(3)
        self._run(weeks=1)
        calls = self._calls(partners)
        self.assertEqual(len(calls), 3)
        self.assertEqual({c.planned_date.date() for c in calls}, {self.date_from + timedelta(1)})

    def test_account_manager_preferred(self):
        partners = self._partners(3, user_id=self.caller2.id)
        self._run(weeks=1)
        self.assertEqual(self._calls(partners).caller_id, self.caller_cleo)

    def test_visits_in_callers_calendar(self):
        partner = self._partners(1, segment=self.segment_key)
        self._run(weeks=1)
        call = self._calls(partner)
        self.assertEqual(call.channel, "visit")
        event = call.calendar_event_id
        self.assertTrue(event)
        self.assertEqual(event.start, call.planned_date)
        self.assertEqual(event.stop, call.planned_date + timedelta(minutes=60))
        self.assertIn(call.user_id.partner_id, event.partner_ids)
        self.assertFalse(call.videocall_location, "a visit has no video link")

    def test_video_calls_get_a_meeting_link(self):
        self.policy_smb.channel = "video"
        partner = self._partners(1)
        self._run(weeks=1)
        call = self._calls(partner)
        self.assertIn("/calendar/join_videocall/", call.videocall_location)
        self.assertEqual(call.videocall_location, call.calendar_event_id.videocall_location)
        self.assertEqual(call.calendar_event_id.videocall_source, "discuss")

    def test_contact_limits(self):
        """At most one contact per 30 days, and 20 days after the last contact."""
        self.policy_smb.write({"max_contacts": 1, "max_contacts_days": 30})
        partner = self._partners(1)
        run = self._run()
        self.assertEqual(len(self._calls(partner)), 1)
        limit = run.line_ids.filtered(lambda line: line.line_type == "limit")
        self.assertEqual(limit.due_date, self.date_from + timedelta(14))
        self.assertIn("contact", limit.reason)

    def test_min_gap(self):
        self.policy_smb.min_gap_days = 20
        partner = self._partners(1)
        done = self._call(
            partner, planned_date=datetime.combine(self.date_from - timedelta(3), time(9))
        )
        with done._ccare_transition():
            done.write({"state": "done", "date_done": done.planned_date})
        self._run()
        planned = self._calls(partner).filtered(lambda c: c.state == "planned")
        self.assertEqual(planned[0].due_date, self.date_from - timedelta(3) + timedelta(20))

    def test_policy_problems_reported(self):
        self.policy_key.caller_ids = [(6, 0, [])]
        (self.caller_carl | self.caller_cleo | self.caller_agnes).segment_ids = self.segment_smb
        self.policy_smb.write({"hour_from": 19, "hour_to": 21})
        self._partners(1)
        run = self._run(weeks=1)
        reasons = run.line_ids.filtered(lambda line: line.line_type == "policy").mapped("reason")
        self.assertTrue(any("No caller covers the segment “CP Key”" in r for r in reasons), reasons)
        self.assertTrue(any("outside the working hours" in r for r in reasons), reasons)

    def test_no_policy_is_an_error(self):
        self.env["crm.call.policy"].search([]).active = False
        with self.assertRaisesRegex(UserError, "no active call policy"):
            self._run()

    def test_account_policy_overrides_segment(self):
        partner = self._partners(1)
        self.env["crm.call.policy"].create(
            {
                "name": "Weekly for this one",
                "partner_id": partner.id,
                "interval_number": 1,
                "interval_type": "weeks",
            }
        )
        self._run()
        self.assertEqual(len(self._calls(partner)), 4)

    def test_other_company_callers_never_used(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        user = self.env["res.users"].create(
            {
                "name": "Otto Other",
                "login": "cp_other",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
                "group_ids": [(6, 0, self.env.ref("crm_callplan.group_crm_callplan_caller").ids)],
            }
        )
        self.env["crm.call.caller"].create(
            {
                "user_id": user.id,
                "company_id": other.id,
                "resource_calendar_id": self.calendar.id,
                "daily_capacity": 50,
            }
        )
        partners = self._partners(4, company_id=self.env.company.id)
        self._run()
        self.assertNotIn(user, self._calls(partners).user_id)
        self.assertEqual(self._calls(partners).company_id, self.env.company)

    def test_queued_in_chunks_and_restartable(self):
        self.patch(crm_call_plan_run, "CHUNK_SIZE", 3)
        partners = self._partners(7)
        run = self.env["crm.call.plan.run"].create({"date_from": self.date_from})
        with trap_jobs() as trap:
            run.with_context(callplan_queue=True).action_generate()
            trap.assert_jobs_count(3)
            self.assertEqual(run.state, "running")
            trap.perform_enqueued_jobs()
        self.assertEqual(run.state, "done")
        self.assertEqual(len(self._calls(partners)), 14)
        # a chunk run twice (a retry after a crash) creates nothing more
        run._generate_chunk(partners[:3].ids)
        self.assertEqual(len(self._calls(partners)), 14)

    def test_cron(self):
        self._partners(2)
        runs = self.env["crm.call.plan.run"]._cron_generate_plan()
        self.assertTrue(runs)
        self.assertEqual(runs.mapped("cause"), ["cron"] * len(runs))

    def test_constant_queries(self):
        """One chunk of 10 or of 100 accounts: the same number of queries."""
        (self.caller_carl | self.caller_cleo | self.caller_agnes).daily_capacity = 100
        counts = []
        for size in (5, 10, 100):  # the first one warms the caches up
            partners = self._partners(size, segment=self.segment_smb)
            partners |= self._partners(2, segment=self.segment_key)
            Run = self.env["crm.call.plan.run"]
            with Run._ccare_transition():
                run = Run.create(
                    {"date_from": self.date_from, "state": "running", "chunk_count": 1}
                )
            self.env.invalidate_all()
            counts.append(self.count_queries(run._generate_chunk, partners.ids))
            self.assertEqual(run.call_count, size * 2 + 2)
            self.env["crm.call"].search([("plan_run_id", "=", run.id)]).unlink()
        self.assertEqual(counts[1], counts[2])

    def test_load_per_caller_and_day(self):
        """Carl (2 calls a day) on leave on Monday, Cleo (2 a day) working:
        the load table shows capacity 0 for Carl on Monday, 2 otherwise,
        and the calls planned each day."""
        self.policy_smb.write(
            {"tolerance_days": 0, "caller_ids": [(6, 0, (self.caller_carl | self.caller_cleo).ids)]}
        )
        (self.caller_carl | self.caller_cleo).daily_capacity = 2
        self._day_off(self.caller_carl, self.date_from)
        partners = self._partners(3)
        run = self._run(weeks=1)
        calls = self._calls(partners)
        self.assertEqual(len(calls), 2, "only Cleo works on Monday, 2 calls a day")
        load = {
            (row.caller_id, row.day): (row.capacity, row.planned, row.free)
            for row in run.load_ids
            if row.caller_id in (self.caller_carl | self.caller_cleo)
        }
        monday = self.date_from
        self.assertEqual(load[self.caller_carl, monday], (0, 0, 0), "on leave: no capacity")
        self.assertTrue(
            run.load_ids.filtered(
                lambda r: r.caller_id == self.caller_carl and r.day == monday
            ).on_leave
        )
        self.assertEqual(load[self.caller_cleo, monday], (2, 2, 0))
        self.assertEqual(load[self.caller_carl, monday + timedelta(1)], (2, 0, 2))
        self.assertNotIn((self.caller_cleo, monday + timedelta(5)), load, "Saturday is off")
        # 5 working days x 2 callers x 2 calls, minus Carl's Monday
        self.assertEqual(
            sum(
                row.capacity
                for row in run.load_ids
                if row.caller_id in (self.caller_carl | self.caller_cleo)
            ),
            18,
        )
        # a call added by hand shows up on refresh
        self._call(
            partners[2],
            caller_id=self.caller_carl.id,
            planned_date=datetime.combine(monday + timedelta(1), time(10)),
        )
        run.action_refresh_load()
        row = run.load_ids.filtered(
            lambda r: r.caller_id == self.caller_carl and r.day == monday + timedelta(1)
        )
        self.assertEqual((row.planned, row.free, row.used), (1, 1, 50.0))
