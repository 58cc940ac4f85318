import functools
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
    make re-runs create nothing new and a crashed chunk safe to retry.

    Other kinds of run (crm_callplan_campaign's call campaigns) override the
    extension points :meth:`_callplan_launch`, :meth:`_callplan_tasks` and
    :meth:`_callplan_is_campaign`; they share the placing of the calls
    (:meth:`_place_tasks`) and the report."""

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
        domain = (
            Domain("parent_id", "=", False)
            & Domain("company_id", "in", [False, self.company_id.id])
            & ~self.env["res.partner"]._ccare_own_partner_domain()
        )
        return domain & (
            Domain("segment_id", "in", policies.filtered(lambda p: not p.partner_id).segment_id.ids)
            | Domain("id", "in", policies.partner_id.ids)
        ), policies

    def action_generate(self):
        """Start each draft run (:meth:`_callplan_launch`)."""
        self.check_access("write")
        for run in self:
            if run.state != "draft":
                raise UserError(self.env._("This plan run has already been started."))
            run._callplan_launch()
        return True

    def _callplan_launch(self):
        """Extension point: start the run ``self`` (one, in draft, checked
        writable; as the user). The recurring plan checks the policies, then
        plans the calls of every account: right away when they fit in one
        chunk, else in queued jobs (one per chunk), each through
        :meth:`_generate_chunk`. Another kind of run overrides it and calls
        super() for the runs that are not its own."""
        self.ensure_one()
        domain, policies = self._partner_domain()
        if not policies:
            raise UserError(
                self.env._(
                    "There is no active call policy in %(company)s: define one per "
                    "segment first (Call Plans > Call Policies).",
                    company=self.company_id.name,
                )
            )
        self._check_policies(policies)
        partners = self.env["res.partner"].sudo().search(domain)
        Job = self.env["crm.customer.care.chunked.job"]
        chunks = Job._split_in_chunks(partners.ids, CHUNK_SIZE)
        with self._ccare_transition():
            self.write(
                {
                    "state": "running" if chunks else "done",
                    "chunk_count": len(chunks),
                    "chunk_done": 0,
                }
            )
        if len(chunks) == 1 and not self.env.context.get("callplan_queue"):
            partners._callplan_generate(self.id)
        elif chunks:
            Job._enqueue_chunks(
                partners,
                "_callplan_generate",
                chunk_size=CHUNK_SIZE,
                description=self.env._("Generate call plan %(run)s", run=self.name),
                run_id=self.id,
            )

    def _callable_domain(self, partner_ids):
        """Of ``partner_ids``, the accounts this run may call: of its
        company (or shared), never our own companies, their contacts or our
        staff (``res.partner._ccare_own_partner_domain``)."""
        return (
            Domain("id", "in", list(partner_ids))
            & Domain("company_id", "in", [False, self.company_id.id])
            & ~self.env["res.partner"]._ccare_own_partner_domain()
        )

    def _duplicate_reasons(self, partner_ids):
        """``{partner id: reason}``: the accounts of ``partner_ids`` Data
        Quality flags as probable duplicates (an open duplicate issue) are
        not called until the profiles are merged or the issue is marked
        reviewed; one query."""
        flagged = self.env["res.partner"].browse(partner_ids)._ccare_open_duplicates()
        return {
            partner_id: self.env._(
                "probable duplicate (%(why)s): merge the profiles or mark the Data Quality "
                "issue reviewed",
                why=why,
            )
            for partner_id, why in flagged.items()
        }

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
                reason = self.env._(
                    "No caller covers the segment “%(segment)s” of this policy: its "
                    "accounts cannot be planned.",
                    segment=policy.segment_id.name or policy.partner_id.name,
                )
                lines.append(self._report_line("policy", None, policy, reason))
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
                reason = self.env._(
                    "The preferred hours (%(from)s-%(to)s) and days of this policy are "
                    "outside the working hours of all its callers.",
                    **{"from": _hours(policy.hour_from), "to": _hours(policy.hour_to)},
                )
                lines.append(self._report_line("policy", None, policy, reason))
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
    def _eligible_callers(self, policy, segment, callers, campaign=False):
        """The callers of ``policy`` for an account of ``segment``: the
        policy's own, else those covering the segment, else those covering
        no segment in particular. In a campaign, a customer without segment
        (a prospect just given its customer) may be called by any caller
        when none is free of segments."""
        if policy.caller_ids:
            return policy.caller_ids & callers
        covering = callers.filtered(
            lambda c: segment in c.segment_ids or segment in c.agency_id.segment_ids
        )
        unsegmented = callers.filtered(lambda c: not c.segment_ids and not c.agency_id.segment_ids)
        if campaign and not segment:
            return unsegmented or callers
        return covering or unsegmented

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
    def _generate_chunk(self, partner_ids, lead_ids=()):
        """Plan the calls of the horizon for the accounts ``partner_ids`` (and
        the leads ``lead_ids`` of a run that calls leads: :meth:`_callplan_tasks`).

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
        tasks, lines, contacts = run._callplan_tasks(partner_ids, lead_ids)
        vals_list = run._place_tasks(tasks, lines, contacts)
        calls = env["crm.call"]._insert_planned(vals_list)
        run._insert_lines(lines)
        env["res.partner"]._ccare_recompute_contact_dates_of(calls.partner_id | calls.contact_id)
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

    def _callplan_policies_of(self, partners, policies):
        """Extension point: ``{partner_id: policy}`` the recurring plan calls
        ``partners`` (a chunk, as superuser) under, from the company's active
        ``policies``; consent, do-not-contact and the limits of the chosen
        policy are checked after it. Overrides call super(), set-based."""
        by_account = {p.partner_id.id: p for p in policies if p.partner_id}
        by_segment = {}
        for policy in policies:
            if not policy.partner_id and policy.segment_id.id not in by_segment:
                by_segment[policy.segment_id.id] = policy
        chosen = {p.id: by_account.get(p.id) or by_segment.get(p.segment_id.id) for p in partners}
        return {partner_id: policy for partner_id, policy in chosen.items() if policy}

    def _callplan_tasks(self, partner_ids, lead_ids):
        """Extension point: ``(tasks, lines, contacts)`` of one chunk for
        :meth:`_place_tasks` (as superuser): the calls due for the accounts
        ``partner_ids`` (and the leads ``lead_ids`` of a kind of run that
        calls leads), the report lines of those that cannot be called and
        each account's contact days. The recurring plan's come from
        :meth:`_plan_tasks`."""
        return self._plan_tasks(partner_ids)

    def _callplan_is_campaign(self):
        """Extension point: whether the run ``self`` calls a list once
        rather than the recurring plan, so that a customer without segment
        may be called by any caller (``_eligible_callers``)."""
        return False

    def _report_line(self, line_type, partner_id, policy, reason, lead_id=None, due=None):
        """The values of a line of the run's report (:meth:`_insert_lines`)."""
        return {
            "run_id": self.id,
            "line_type": line_type,
            "partner_id": partner_id or None,
            "lead_id": lead_id or None,
            "policy_id": policy.id,
            "due_date": due,
            "reason": reason,
        }

    def _plan_tasks(self, partner_ids):
        """The recurring plan of ``partner_ids``: ``(tasks, lines, contacts)``
        for :meth:`_place_tasks`, from their policies, consent and call
        history."""
        partners = self.env["res.partner"].search_fetch(
            self._callable_domain(partner_ids),
            ["name", "segment_id", "user_id", "last_contact_date"],
        )
        policies = self.env["crm.call.policy"].search(
            [("company_id", "in", [False, self.company_id.id])]
        )
        policy_of = self._callplan_policies_of(partners, policies)
        lines = self._plan_skips(policy_of)
        last_done, last_due, contacts, taken = self._plan_history(policy_of, policies)
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
                due = self.date_from
            last_contact = max(filter(None, [partner.last_contact_date, anchor_done]), default=None)
            if policy.min_gap_days and last_contact:
                due = max(due, last_contact + timedelta(days=policy.min_gap_days))
            due = max(due, self.date_from)
            while due <= self.date_to:
                if (partner.id, due) not in taken:
                    last_day = min(due + timedelta(days=policy.tolerance_days), self.date_to)
                    tasks.append((due, partner.id, partner, policy, last_day, {}))
                due += interval
        return tasks, lines, contacts

    def _plan_skips(self, policy_of):
        """The report lines of the accounts of ``policy_of`` that consent
        (one query per purpose, channel and opt-in the policies use) or Data
        Quality keep from being called; they leave ``policy_of``."""
        groups = defaultdict(list)
        for partner_id, policy in policy_of.items():
            groups[policy.consent_purpose, policy.consent_channel, policy.require_opt_in].append(
                partner_id
            )
        lines = []
        for (purpose, channel, opt_in), ids in groups.items():
            blocks = (
                self.env["res.partner"]
                .browse(ids)
                ._ccare_contact_blocks(purpose, channel, require_opt_in=opt_in)
            )
            for partner_id, reason in blocks.items():
                lines.append(
                    self._report_line("skipped", partner_id, policy_of.pop(partner_id), reason)
                )
        for partner_id, reason in self._duplicate_reasons(list(policy_of)).items():
            lines.append(
                self._report_line("skipped", partner_id, policy_of.pop(partner_id), reason)
            )
        return lines

    def _plan_history(self, policy_of, policies):
        """``(last_done, last_due, contacts, taken)`` of the accounts of
        ``policy_of``: the day of their last done call, the last due date of
        their series in the recurring plan, their contact days (for the
        contact limits) and the ``(account, due date)`` the plan already has;
        one query."""
        self.env["crm.call"].flush_model()
        last_done, last_due, contacts, taken = {}, {}, defaultdict(list), set()
        window_start = self.date_from - timedelta(
            days=max([p.max_contacts_days for p in (*policies, *policy_of.values())] + [0])
        )
        for partner_id, due, done_on, planned_on, state, generated in self.env.execute_query(
            SQL(
                """
                SELECT partner_id, due_date, date_done::date, planned_date::date, state, %s
                  FROM crm_call
                 WHERE partner_id = ANY(%s) AND company_id = %s AND state != 'cancelled'
                   AND (state = 'done' OR due_date IS NOT NULL OR planned_date >= %s)
                """,
                SQL(self.env["crm.call"]._callplan_recurring_where),
                list(policy_of),
                self.company_id.id,
                window_start,
            )
        ):
            if state == "done" and done_on:
                last_done[partner_id] = max(last_done.get(partner_id, done_on), done_on)
            if due and generated:
                last_due[partner_id] = max(last_due.get(partner_id, due), due)
                taken.add((partner_id, due))
            contacts[partner_id].append(done_on or planned_on)
        return last_done, last_due, contacts, taken

    def _place_tasks(self, tasks, lines, contacts):
        """Fit ``tasks`` (``(due, key, account, policy, last day, extra call
        values)``) into the callers' free time, oldest first, over their
        calendars, capacity and the policies' hours, days and contact limits;
        a report line goes to ``lines`` for each that cannot be placed.
        Returns the values of the calls to insert."""
        env = self.env
        tasks.sort(key=lambda task: task[:2])
        callers = env["crm.call.caller"].search([("company_id", "=", self.company_id.id)])
        callers.fetch(["user_id", "agency_id", "daily_capacity", "segment_ids", "resource_id"])
        agenda = self._callers_agenda(callers)
        user_caller = {c.user_id.id: c for c in callers}
        campaign = self._callplan_is_campaign()
        eligible_of, vals_list = {}, []
        for due, _key, partner, policy, last_day, extra in tasks:
            line = functools.partial(
                self._report_line,
                partner_id=partner.id,
                policy=policy,
                lead_id=extra.get("lead_id"),
                due=due,
            )
            since = due - timedelta(days=policy.max_contacts_days - 1)
            if policy.max_contacts and (
                sum(1 for d in contacts[partner.id] if d and since <= d <= due)
                >= policy.max_contacts
            ):
                reason = env._(
                    "already %(count)s contact(s) in %(days)s days",
                    count=policy.max_contacts,
                    days=policy.max_contacts_days,
                )
                lines.append(line("limit", reason=reason))
                continue
            if (policy.id, partner.segment_id.id) not in eligible_of:
                eligible_of[policy.id, partner.segment_id.id] = self._eligible_callers(
                    policy, partner.segment_id, callers, campaign=campaign
                )
            eligible = eligible_of[policy.id, partner.segment_id.id]
            preferred = user_caller.get(extra.get("user_id", partner.user_id.id))
            placed = eligible and agenda.place(eligible, preferred, policy, due, last_day)
            if not placed:
                reason = env._("no caller covers this account's segment")
                if eligible:
                    reason = env._(
                        "no caller has free time between %(from)s and %(to)s",
                        **{"from": due, "to": last_day},
                    )
                lines.append(line("unfitted", reason=reason))
                continue
            contacts[partner.id].append(placed[1].date())
            vals_list.append(self._planned_call_values(partner, policy, due, placed, extra))
        return vals_list

    def _planned_call_values(self, partner, policy, due, placed, extra):
        """The values of the call to ``partner`` placed at ``placed``
        (``(caller, start)``), with the ``extra`` values of its task."""
        caller, start = placed
        channels = dict(self.env["crm.call"]._fields["channel"]._description_selection(self.env))
        return {
            **extra,
            "name": extra.get("name") or f"{channels[policy.channel]}: {partner.name}",
            "partner_id": partner.id,
            "company_id": self.company_id.id,
            "user_id": caller.user_id.id,
            "caller_id": caller.id,
            "segment_id": partner.segment_id.id,
            "policy_id": policy.id,
            "plan_run_id": self.id,
            "channel": policy.channel,
            "due_date": due,
            "planned_date": start,
            "duration": policy.duration,
            "checklist_template_id": policy.checklist_template_id.id,
        }

    def _callers_agenda(self, callers):
        """The free time of ``callers`` over the run (:class:`CallerAgenda`):
        their working days and the calls already planned; one query."""
        work = self._working_days(callers)
        caller_tz = {
            c.id: pytz.timezone(c.tz or c.resource_calendar_id.tz or "UTC") for c in callers
        }
        load, next_free = defaultdict(int), {}
        if callers:
            for caller_id, planned, duration in self.env.execute_query(
                SQL(
                    """
                    SELECT caller_id, planned_date, coalesce(duration, 0) FROM crm_call
                     WHERE caller_id = ANY(%s) AND state != 'cancelled'
                       AND planned_date BETWEEN %s AND %s
                    """,
                    callers.ids,
                    datetime.combine(self.date_from - timedelta(days=1), time.min),
                    datetime.combine(self.date_to + timedelta(days=1), time.max),
                )
            ):
                local = pytz.utc.localize(planned).astimezone(caller_tz[caller_id])
                key = (caller_id, local.date())
                load[key] += 1
                end = local + timedelta(minutes=duration)
                next_free[key] = max(next_free.get(key, end), end)
        return CallerAgenda(work, load, next_free)

    def _insert_lines(self, lines):
        """The report lines in one INSERT (there can be thousands), but for
        those the run already has (a chunk run twice reports nothing new)."""
        if not lines:
            return
        self.env.execute_query(
            SQL(
                """
                INSERT INTO crm_call_plan_run_line
                       (run_id, company_id, line_type, partner_id, lead_id, policy_id, due_date,
                        reason, create_uid, write_uid, create_date, write_date)
                SELECT v.run_id, %(company)s, v.line_type, v.partner_id, v.lead_id, v.policy_id,
                       v.due_date, v.reason, %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC',
                       now() AT TIME ZONE 'UTC'
                  FROM unnest(%(runs)s::int[], %(types)s::varchar[], %(partners)s::int[],
                              %(leads)s::int[], %(policies)s::int[], %(dues)s::date[],
                              %(reasons)s::varchar[])
                       AS v(run_id, line_type, partner_id, lead_id, policy_id, due_date, reason)
                 WHERE NOT EXISTS (
                       SELECT 1 FROM crm_call_plan_run_line l
                        WHERE l.run_id = v.run_id AND l.line_type = v.line_type
                          AND l.partner_id IS NOT DISTINCT FROM v.partner_id
                          AND l.lead_id IS NOT DISTINCT FROM v.lead_id
                          AND l.policy_id IS NOT DISTINCT FROM v.policy_id
                          AND l.due_date IS NOT DISTINCT FROM v.due_date
                          AND l.reason IS NOT DISTINCT FROM v.reason)
                """,
                company=self.company_id.id,
                uid=self.env.uid,
                runs=[line["run_id"] for line in lines],
                types=[line["line_type"] for line in lines],
                partners=[line.get("partner_id") for line in lines],
                leads=[line.get("lead_id") for line in lines],
                policies=[line.get("policy_id") for line in lines],
                dues=[line.get("due_date") for line in lines],
                reasons=[line["reason"] for line in lines],
            )
        )
        self.invalidate_recordset(["line_ids"])

    def action_open_calls(self):
        self.ensure_one()
        self.check_access("read")
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


class CallerAgenda:
    """The callers' free time over a run, filled as calls are placed: the
    working intervals per ``(caller id, local day)``, the calls planned that
    day and when the last one ends."""

    def __init__(self, work, load, next_free):
        self.work, self.load, self.next_free = work, load, next_free

    def fit(self, caller, day, policy):
        """The start (UTC, naive) of a call of ``policy`` by ``caller`` on
        ``day``, booked, or None when the day is full."""
        key = (caller.id, day)
        if self.load[key] >= caller.daily_capacity:
            return None
        if caller.agency_id and not caller.agency_id._is_under_contract(day):
            return None
        for begin, end in self.work.get(key, ()):
            midnight = begin.replace(hour=0, minute=0, second=0, microsecond=0)
            start = max(
                begin, midnight + timedelta(hours=policy.hour_from), self.next_free.get(key, begin)
            )
            stop = start + timedelta(minutes=policy.duration)
            if stop <= min(end, midnight + timedelta(hours=policy.hour_to)):
                self.load[key] += 1
                self.next_free[key] = stop
                return start.astimezone(pytz.utc).replace(tzinfo=None)
        return None

    def place(self, eligible, preferred, policy, due, last_day):
        """``(caller, start)`` of the first day from ``due`` to ``last_day``
        of the policy's weekdays where one of ``eligible`` is free (the
        ``preferred`` caller first, then the least loaded), or None."""
        weekdays = policy._weekdays()
        day = due
        while day <= last_day:
            if day.weekday() in weekdays:
                for caller in sorted(
                    eligible, key=lambda c, d=day: (c != preferred, self.load[c.id, d], c.id)
                ):
                    start = self.fit(caller, day, policy)
                    if start:
                        return caller, start
            day += timedelta(days=1)
        return None
