from collections import defaultdict
from datetime import datetime
from datetime import time
from datetime import timedelta

import pytz

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import SQL

CHUNK_SIZE = 1000


class CrmCallPlanRun(models.Model):
    """One generation of the call plan over a horizon, and its report.

    The accounts are handed to queue_job in chunks (crm_customer_care's
    chunked job helper); each chunk (:meth:`_generate_chunk`) works on its
    accounts in a constant number of queries. A unique key on the calls
    (account, due date) and due dates computed from the calls already there
    make re-runs create nothing new and a crashed chunk safe to retry."""

    _name = "crm.call.plan.run"
    _description = "Call Plan Run"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # the run's progress is the server's: set by action_generate and its chunks
    _ccare_workflow_fields = ("state", "chunk_count", "chunk_done", "user_id", "cause")
    _ccare_frozen_fields = ("date_from", "horizon_weeks", "company_id")

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one("res.users", default=lambda self: self.env.user, readonly=True)
    cause = fields.Selection([("manual", "Manual"), ("cron", "Scheduled")], default="manual")
    date_from = fields.Date(required=True, default=fields.Date.context_today)
    horizon_weeks = fields.Integer("Horizon (weeks)", default=4, required=True)
    date_to = fields.Date(compute="_compute_date_to", store=True)
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
    )
    chunk_count = fields.Integer(readonly=True)
    chunk_done = fields.Integer(readonly=True)
    call_ids = fields.One2many("crm.call", "plan_run_id", string="Planned Calls")
    call_count = fields.Integer(compute="_compute_counts")
    line_ids = fields.One2many("crm.call.plan.run.line", "run_id", string="Report")
    load_ids = fields.One2many("crm.call.plan.run.load", "run_id", string="Load")
    skipped_count = fields.Integer("Skipped", compute="_compute_counts")
    unfitted_count = fields.Integer("Not Fitted", compute="_compute_counts")
    capacity_total = fields.Integer(
        compute="_compute_capacity", help="Calls the callers can make over the horizon."
    )
    capacity_used = fields.Float(
        "Capacity Used (%)",
        compute="_compute_capacity",
        help="Planned calls of the horizon over the callers' capacity.",
    )

    _horizon_positive = models.Constraint(
        "CHECK(horizon_weeks BETWEEN 1 AND 52)",
        "The horizon of a call plan is between 1 and 52 weeks.",
    )

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for run in self:
            run.name = self.env._(
                "Plan %(from)s - %(to)s", **{"from": run.date_from, "to": run.date_to}
            )

    @api.depends("date_from", "horizon_weeks")
    def _compute_date_to(self):
        for run in self:
            run.date_to = run.date_from and run.date_from + timedelta(
                weeks=run.horizon_weeks, days=-1
            )

    def _compute_counts(self):
        calls = dict(
            self.env["crm.call"]._read_group(
                [("plan_run_id", "in", self.ids)], ["plan_run_id"], ["__count"]
            )
        )
        lines = defaultdict(int)
        for run, line_type, count in self.env["crm.call.plan.run.line"]._read_group(
            [("run_id", "in", self.ids)], ["run_id", "line_type"], ["__count"]
        ):
            lines[run.id, "skipped" if line_type in ("skipped", "limit") else line_type] += count
        for run in self:
            run.call_count = calls.get(run, 0)
            run.skipped_count = lines[run.id, "skipped"]
            run.unfitted_count = lines[run.id, "unfitted"]

    def _compute_capacity(self):
        for run in self:
            callers = self.env["crm.call.caller"].search([("company_id", "=", run.company_id.id)])
            work = run._working_days(callers) if run.date_from and run.date_to else {}
            capacity = {caller.id: caller.daily_capacity for caller in callers}
            total = sum(capacity[caller_id] for caller_id, _day in work)
            planned = (
                self.env["crm.call"].search_count(
                    [
                        ("caller_id", "in", callers.ids),
                        ("state", "!=", "cancelled"),
                        ("planned_date", ">=", datetime.combine(run.date_from, time.min)),
                        ("planned_date", "<=", datetime.combine(run.date_to, time.max)),
                    ]
                )
                if callers
                else 0
            )
            run.capacity_total = total
            run.capacity_used = 100.0 * planned / total if total else 0.0

    # ------------------------------------------------------------ launch
    def _partner_domain(self):
        self.ensure_one()
        policies = (
            self.env["crm.call.policy"]
            .sudo()
            .search([("company_id", "in", [False, self.company_id.id])])
        )
        domain = Domain("parent_id", "=", False) & Domain(
            "company_id", "in", [False, self.company_id.id]
        )
        return domain & (
            Domain("segment_id", "in", policies.filtered(lambda p: not p.partner_id).segment_id.ids)
            | Domain("id", "in", policies.partner_id.ids)
        ), policies

    def action_generate(self):
        """Check the policies, then plan the calls of every account: right
        away when they fit in one chunk, else in queued jobs (one per chunk)."""
        self.check_access("write")
        for run in self:
            if run.state != "draft":
                raise UserError(self.env._("This plan run has already been started."))
            domain, policies = run._partner_domain()
            if not policies:
                raise UserError(
                    self.env._(
                        "There is no active call policy in %(company)s: define one per "
                        "segment first (Call Plans > Call Policies).",
                        company=run.company_id.name,
                    )
                )
            run._check_policies(policies)
            partners = self.env["res.partner"].sudo().search(domain)
            chunks = self.env["crm.customer.care.chunked.job"]._split_in_chunks(
                partners.ids, CHUNK_SIZE
            )
            with run._ccare_transition():
                run.write({"state": "running", "chunk_count": len(chunks), "chunk_done": 0})
            if len(chunks) <= 1 and not self.env.context.get("callplan_queue"):
                partners._callplan_generate(run.id)
            elif chunks:
                self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
                    partners,
                    "_callplan_generate",
                    chunk_size=CHUNK_SIZE,
                    description=self.env._("Generate call plan %(run)s", run=run.name),
                    run_id=run.id,
                )
            if not chunks:
                with run._ccare_transition():
                    run.state = "done"
        return True

    def _compute_load(self):
        """Rewrite the load table of each run: capacity per caller and day
        from the working calendars, planned calls from one grouped read."""
        Load = self.env["crm.call.plan.run.load"].sudo()
        for run in self:
            Load.search([("run_id", "=", run.id)]).unlink()
            callers = (
                self.env["crm.call.caller"].sudo().search([("company_id", "=", run.company_id.id)])
            )
            if not callers:
                continue
            capacity = dict.fromkeys(run._working_days(callers))
            # days the calendar has them working but a leave or holiday takes
            scheduled = set(run._working_days(callers, compute_leaves=False))
            daily = {caller.id: caller.daily_capacity for caller in callers}
            planned = {
                (caller.id, day.date() if hasattr(day, "date") else day): count
                for caller, day, count in self.env["crm.call"]
                .sudo()
                ._read_group(
                    [
                        ("caller_id", "in", callers.ids),
                        ("state", "!=", "cancelled"),
                        ("planned_date", ">=", datetime.combine(run.date_from, time.min)),
                        ("planned_date", "<=", datetime.combine(run.date_to, time.max)),
                    ],
                    ["caller_id", "planned_date:day"],
                    ["__count"],
                )
            }
            rows = []
            for key in sorted(set(capacity) | set(planned) | scheduled):
                caller_id, day = key
                cap = daily[caller_id] if key in capacity else 0
                count = planned.get(key, 0)
                rows.append(
                    {
                        "run_id": run.id,
                        "caller_id": caller_id,
                        "day": day,
                        "capacity": cap,
                        "planned": count,
                        "free": cap - count,
                        "used": 100.0 * count / cap if cap else (100.0 if count else 0.0),
                        "on_leave": key in scheduled and key not in capacity,
                    }
                )
            Load.create(rows)
        return True

    def action_refresh_load(self):
        self.check_access("write")
        self._compute_load()
        return True

    def _check_policies(self, policies):
        """Report the policies that cannot produce calls: no caller covers
        them, or their preferred hours fall outside every caller's hours."""
        self.ensure_one()
        callers = (
            self.env["crm.call.caller"].sudo().search([("company_id", "=", self.company_id.id)])
        )
        work = self._working_days(callers)
        lines = []
        for policy in policies:
            eligible = self._eligible_callers(policy, policy.segment_id, callers)
            if not eligible:
                lines.append(
                    {
                        "run_id": self.id,
                        "line_type": "policy",
                        "policy_id": policy.id,
                        "reason": self.env._(
                            "No caller covers the segment “%(segment)s” of this policy: its "
                            "accounts cannot be planned.",
                            segment=policy.segment_id.name or policy.partner_id.name,
                        ),
                    }
                )
                continue
            weekdays = policy._weekdays()
            fits = any(
                start.hour + start.minute / 60 < policy.hour_to
                and stop.hour + stop.minute / 60 > policy.hour_from
                for (caller_id, day), intervals in work.items()
                if caller_id in eligible.ids and day.weekday() in weekdays
                for start, stop in intervals
            )
            if not fits:
                lines.append(
                    {
                        "run_id": self.id,
                        "line_type": "policy",
                        "policy_id": policy.id,
                        "reason": self.env._(
                            "The preferred hours (%(from)s-%(to)s) and days of this policy are "
                            "outside the working hours of all its callers.",
                            **{"from": _hours(policy.hour_from), "to": _hours(policy.hour_to)},
                        ),
                    }
                )
        self.env["crm.call.plan.run.line"].sudo().create(lines)

    @api.model
    def _cron_generate_plan(self):
        """Weekly: a run per company with call policies, queued in chunks."""
        horizon = int(
            self.env["ir.config_parameter"].sudo().get_param("crm_callplan.horizon_weeks", 4)
        )
        policies = self.env["crm.call.policy"].sudo().search([])
        companies = policies.company_id or self.env.company
        with self._ccare_transition():
            runs = self.sudo().create(
                [
                    {"company_id": company.id, "cause": "cron", "horizon_weeks": horizon}
                    for company in companies
                ]
            )
        for run in runs:
            run.with_company(run.company_id).with_context(callplan_queue=True).action_generate()
        return runs

    # ------------------------------------------------------------ helpers
    @api.model
    def _eligible_callers(self, policy, segment, callers):
        if policy.caller_ids:
            return policy.caller_ids & callers
        covering = callers.filtered(
            lambda c: segment in c.segment_ids or segment in c.agency_id.segment_ids
        )
        return covering or callers.filtered(
            lambda c: not c.segment_ids and not c.agency_id.segment_ids
        )

    def _working_days(self, callers, compute_leaves=True):
        """``{(caller_id, local date): [(start, stop), ...]}``: when each
        caller works over the run's horizon, from their working calendar
        minus their leaves (and public holidays) unless ``compute_leaves`` is
        False. A few queries per calendar."""
        self.ensure_one()
        result = defaultdict(list)
        start = pytz.utc.localize(datetime.combine(self.date_from, time.min)) - timedelta(days=1)
        stop = pytz.utc.localize(datetime.combine(self.date_to, time.max)) + timedelta(days=1)
        by_calendar = defaultdict(lambda: self.env["crm.call.caller"])
        for caller in callers:
            by_calendar[caller.resource_calendar_id] |= caller
        for calendar, members in by_calendar.items():
            if not calendar:
                continue
            intervals = calendar._work_intervals_batch(
                start, stop, resources=members.resource_id, compute_leaves=compute_leaves
            )
            for caller in members:
                for begin, end, _meta in intervals.get(caller.resource_id.id, []):
                    day = begin.date()
                    if self.date_from <= day <= self.date_to:
                        result[caller.id, day].append((begin, end))
        return result

    # ------------------------------------------------------------ the engine
    def _generate_chunk(self, partner_ids):
        """Plan the calls of the horizon for the accounts ``partner_ids``.

        Constant number of queries whatever the number of accounts: the
        accounts, the policies, one consent check per (purpose, channel), the
        call history, the callers, their calendars, their load, then one
        batch create of the calls, answers, meetings and report lines."""
        self.ensure_one()
        run = self.sudo()
        env = run.env
        company = run.company_id
        # serialise the chunks of one company on its callers: capacity is
        # shared between chunks running in parallel
        env.cr.execute(
            SQL(
                "SELECT id FROM crm_call_caller WHERE company_id = %s ORDER BY id FOR UPDATE",
                company.id,
            )
        )
        partners = env["res.partner"].search_fetch(
            [("id", "in", list(partner_ids)), ("company_id", "in", [False, company.id])],
            ["name", "segment_id", "user_id", "last_contact_date"],
        )
        policies = env["crm.call.policy"].search([("company_id", "in", [False, company.id])])
        by_account = {p.partner_id.id: p for p in policies if p.partner_id}
        by_segment = {}
        for policy in policies:
            if not policy.partner_id and policy.segment_id.id not in by_segment:
                by_segment[policy.segment_id.id] = policy
        policy_of = {}
        for partner in partners:
            policy = by_account.get(partner.id) or by_segment.get(partner.segment_id.id)
            if policy:
                policy_of[partner.id] = policy

        lines = []
        # consent: one query per (purpose, channel, opt-in) the policies use
        groups = defaultdict(list)
        for partner_id, policy in policy_of.items():
            groups[policy.consent_purpose, policy.consent_channel, policy.require_opt_in].append(
                partner_id
            )
        for (purpose, channel, opt_in), ids in groups.items():
            blocks = (
                env["res.partner"]
                .browse(ids)
                ._ccare_contact_blocks(purpose, channel, require_opt_in=opt_in)
            )
            for partner_id, reason in blocks.items():
                lines.append(
                    {
                        "run_id": run.id,
                        "line_type": "skipped",
                        "partner_id": partner_id,
                        "policy_id": policy_of[partner_id].id,
                        "reason": reason,
                    }
                )
                del policy_of[partner_id]

        # history: last done call, last due date of the series, contact days
        env["crm.call"].flush_model()
        last_done, last_due, contacts, taken = {}, {}, defaultdict(list), set()
        window_start = run.date_from - timedelta(
            days=max([p.max_contacts_days for p in policies] + [0])
        )
        for partner_id, due, done_on, planned_on, state, generated in env.execute_query(
            SQL(
                """
                SELECT partner_id, due_date, date_done::date, planned_date::date, state,
                       policy_id IS NOT NULL
                  FROM crm_call
                 WHERE partner_id = ANY(%s) AND company_id = %s AND state != 'cancelled'
                   AND (state = 'done' OR due_date IS NOT NULL OR planned_date >= %s)
                """,
                list(policy_of),
                company.id,
                window_start,
            )
        ):
            if state == "done" and done_on:
                last_done[partner_id] = max(last_done.get(partner_id, done_on), done_on)
            if due and generated:
                last_due[partner_id] = max(last_due.get(partner_id, due), due)
                taken.add((partner_id, due))
            contacts[partner_id].append(done_on or planned_on)

        # due dates of the horizon, oldest first
        tasks = []
        for partner in partners:
            policy = policy_of.get(partner.id)
            if not policy:
                continue
            interval = policy._interval()
            anchor_due, anchor_done = last_due.get(partner.id), last_done.get(partner.id)
            if anchor_due and (not anchor_done or anchor_due >= anchor_done):
                due = anchor_due + interval
            elif anchor_done:
                due = anchor_done + interval
            else:
                due = run.date_from
            last_contact = max(filter(None, [partner.last_contact_date, anchor_done]), default=None)
            if policy.min_gap_days and last_contact:
                due = max(due, last_contact + timedelta(days=policy.min_gap_days))
            due = max(due, run.date_from)
            while due <= run.date_to:
                if (partner.id, due) not in taken:
                    tasks.append((due, partner.id, partner, policy))
                due += interval
        tasks.sort(key=lambda task: task[:2])

        # callers, their working days and their load
        callers = env["crm.call.caller"].search([("company_id", "=", company.id)])
        callers.fetch(["user_id", "agency_id", "daily_capacity", "segment_ids", "resource_id"])
        work = run._working_days(callers)
        caller_tz = {
            c.id: pytz.timezone(c.tz or c.resource_calendar_id.tz or "UTC") for c in callers
        }
        load, next_free = defaultdict(int), {}
        if callers:
            for caller_id, planned, duration in env.execute_query(
                SQL(
                    """
                    SELECT caller_id, planned_date, coalesce(duration, 0) FROM crm_call
                     WHERE caller_id = ANY(%s) AND state != 'cancelled'
                       AND planned_date BETWEEN %s AND %s
                    """,
                    callers.ids,
                    datetime.combine(run.date_from - timedelta(days=1), time.min),
                    datetime.combine(run.date_to + timedelta(days=1), time.max),
                )
            ):
                local = pytz.utc.localize(planned).astimezone(caller_tz[caller_id])
                key = (caller_id, local.date())
                load[key] += 1
                end = local + timedelta(minutes=duration)
                next_free[key] = max(next_free.get(key, end), end)
        user_caller = {c.user_id.id: c for c in callers}

        def fit(caller, day, policy):
            key = (caller.id, day)
            if load[key] >= caller.daily_capacity:
                return None
            if caller.agency_id and not caller.agency_id._is_under_contract(day):
                return None
            for begin, end in work.get(key, ()):
                midnight = begin.replace(hour=0, minute=0, second=0, microsecond=0)
                start = max(
                    begin, midnight + timedelta(hours=policy.hour_from), next_free.get(key, begin)
                )
                stop = start + timedelta(minutes=policy.duration)
                if stop <= min(end, midnight + timedelta(hours=policy.hour_to)):
                    load[key] += 1
                    next_free[key] = stop
                    return start.astimezone(pytz.utc).replace(tzinfo=None)
            return None

        _ = env._
        channels = dict(env["crm.call"]._fields["channel"]._description_selection(env))
        eligible_cache = {}
        vals_list = []
        for due, partner_id, partner, policy in tasks:
            if policy.max_contacts:
                since = due - timedelta(days=policy.max_contacts_days - 1)
                if (
                    sum(1 for d in contacts[partner_id] if d and since <= d <= due)
                    >= policy.max_contacts
                ):
                    lines.append(
                        {
                            "run_id": run.id,
                            "line_type": "limit",
                            "partner_id": partner_id,
                            "policy_id": policy.id,
                            "due_date": due,
                            "reason": _(
                                "already %(count)s contact(s) in %(days)s days",
                                count=policy.max_contacts,
                                days=policy.max_contacts_days,
                            ),
                        }
                    )
                    continue
            cache_key = (policy.id, partner.segment_id.id)
            if cache_key not in eligible_cache:
                eligible_cache[cache_key] = run._eligible_callers(
                    policy, partner.segment_id, callers
                )
            eligible = eligible_cache[cache_key]
            if not eligible:
                lines.append(
                    {
                        "run_id": run.id,
                        "line_type": "unfitted",
                        "partner_id": partner_id,
                        "policy_id": policy.id,
                        "due_date": due,
                        "reason": _("no caller covers this account's segment"),
                    }
                )
                continue
            preferred = user_caller.get(partner.user_id.id)
            weekdays = policy._weekdays()
            placed = None
            last_day = min(due + timedelta(days=policy.tolerance_days), run.date_to)
            day = due
            while not placed and day <= last_day:
                if day.weekday() in weekdays:
                    ordered = sorted(
                        eligible, key=lambda c, d=day: (c != preferred, load[c.id, d], c.id)
                    )
                    for caller in ordered:
                        start = fit(caller, day, policy)
                        if start:
                            placed = (caller, start)
                            break
                day += timedelta(days=1)
            if not placed:
                lines.append(
                    {
                        "run_id": run.id,
                        "line_type": "unfitted",
                        "partner_id": partner_id,
                        "policy_id": policy.id,
                        "due_date": due,
                        "reason": _(
                            "no caller has free time between %(from)s and %(to)s",
                            **{"from": due, "to": last_day},
                        ),
                    }
                )
                continue
            caller, start = placed
            contacts[partner_id].append(start.date())
            vals_list.append(
                {
                    "name": f"{channels[policy.channel]}: {partner.name}",
                    "partner_id": partner_id,
                    "company_id": company.id,
                    "user_id": caller.user_id.id,
                    "caller_id": caller.id,
                    "segment_id": partner.segment_id.id,
                    "policy_id": policy.id,
                    "plan_run_id": run.id,
                    "channel": policy.channel,
                    "due_date": due,
                    "planned_date": start,
                    "duration": policy.duration,
                    "checklist_template_id": policy.checklist_template_id.id,
                }
            )
        calls = env["crm.call"]._insert_planned(vals_list)
        run._insert_lines(lines)
        env["res.partner"]._ccare_recompute_contact_dates_of(calls.partner_id)
        env.flush_all()
        # a chunk run again once the run is done (a job re-queued) writes nothing
        finished = env.execute_query(
            SQL(
                """
                UPDATE crm_call_plan_run
                   SET chunk_done = chunk_done + 1,
                       state = CASE WHEN chunk_done + 1 >= chunk_count THEN 'done' ELSE state END
                 WHERE id = %s AND chunk_done < chunk_count
             RETURNING state = 'done'
                """,
                run.id,
            )
        )
        run.invalidate_recordset(["chunk_done", "state"])
        if finished and finished[0][0]:
            run._compute_load()
        return calls

    def _insert_lines(self, lines):
        """The report lines in one INSERT (there can be thousands), but for
        those the run already has (a chunk run twice reports nothing new)."""
        if not lines:
            return
        self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_call_plan_run_line
                       (run_id, company_id, line_type, partner_id, policy_id, due_date, reason,
                        create_uid, write_uid, create_date, write_date)
                SELECT v.run_id, %(company)s, v.line_type, v.partner_id, v.policy_id, v.due_date,
                       v.reason, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(runs)s::int[], %(types)s::varchar[], %(partners)s::int[],
                              %(policies)s::int[], %(dues)s::date[], %(reasons)s::varchar[])
                       AS v(run_id, line_type, partner_id, policy_id, due_date, reason)
                 WHERE NOT EXISTS (
                       SELECT 1 FROM crm_call_plan_run_line l
                        WHERE l.run_id = v.run_id AND l.line_type = v.line_type
                          AND l.partner_id IS NOT DISTINCT FROM v.partner_id
                          AND l.policy_id IS NOT DISTINCT FROM v.policy_id
                          AND l.due_date IS NOT DISTINCT FROM v.due_date
                          AND l.reason IS NOT DISTINCT FROM v.reason)
                """,
                company=self.company_id.id,
                uid=self.env.uid,
                runs=[line["run_id"] for line in lines],
                types=[line["line_type"] for line in lines],
                partners=[line.get("partner_id") for line in lines],
                policies=[line.get("policy_id") for line in lines],
                dues=[line.get("due_date") for line in lines],
                reasons=[line["reason"] for line in lines],
            )
        )
        self.invalidate_recordset(["line_ids"])

    def action_open_calls(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("crm_callplan.crm_call_action")
        action.update(
            domain=[("plan_run_id", "=", self.id)],
            context={"search_default_group_user": 1},
            view_mode="pivot,list,calendar,form",
            views=[(False, "pivot"), (False, "list"), (False, "calendar"), (False, "form")],
        )
        return action


def _hours(value):
    return f"{int(value):02d}:{round(value % 1 * 60):02d}"
