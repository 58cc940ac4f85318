import uuid
from collections import defaultdict
from datetime import datetime
from datetime import time
from datetime import timedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .crm_call_policy import CALL_CHANNELS
from .crm_call_policy import CONSENT_CHANNEL

CALL_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("missed", "Missed"),
    ("rescheduled", "Rescheduled"),
    ("cancelled", "Cancelled"),
]
CALL_OUTCOMES = [
    ("reached", "Reached"),
    ("no_answer", "No Answer"),
    ("refused", "Refused"),
    ("rescheduled", "Rescheduled"),
]
CALLER_GROUP = "crm_callplan.group_crm_callplan_caller"
MANAGER_GROUP = "crm_callplan.group_crm_callplan_manager"


def plan_key_definition(recurring_where):
    """The index of the recurring plan's key: one live call per account and
    due date among the calls ``recurring_where`` selects."""
    return f"(partner_id, due_date) WHERE {recurring_where} AND state != 'cancelled'"


class CrmCall(models.Model):
    """A call (phone, video, visit or email) to an account: planned by the
    call plan or by hand, then recorded with its outcome and checklist.

    Follows OCA crm_phonecall's call record (partner, lead, duration, chatter,
    "schedule another call", "convert to opportunity") and adds the plan."""

    _name = "crm.call"
    _description = "Call"
    _inherit = ["mail.thread", "mail.activity.mixin", "crm.customer.care.workflow.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True

    # the state and what it fixes (done date, billing, on-time flag) move
    # only through the transitions below; what the call was (its account,
    # caller, dates, outcome) is frozen once it is held
    _ccare_workflow_fields = (
        "state",
        "date_done",
        "is_on_time",
        "cost",
        "cancel_reason",
    )
    _ccare_frozen_fields = (
        "outcome",
        "actual_duration",
        "partner_id",
        "contact_id",
        "user_id",
        "caller_id",
        "channel",
        "due_date",
        "planned_date",
        "policy_id",
        "answer_ids",
    )

    name = fields.Char("Subject", compute="_compute_name", store=True, readonly=False)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        groups=CALLER_GROUP,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        index="btree_not_null",
        check_company=True,
        groups=CALLER_GROUP,
    )
    # what an outsourced agent (who cannot read partners) sees of the customer
    partner_name = fields.Char("Customer", related="partner_id.name")
    contact_name = fields.Char("Contact", compute="_compute_contact_info", compute_sudo=True)
    phone = fields.Char(compute="_compute_contact_info", compute_sudo=True)
    user_id = fields.Many2one(
        "res.users",
        string="Caller",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    caller_id = fields.Many2one(
        "crm.call.caller",
        string="Caller Profile",
        index="btree_not_null",
        check_company=True,
        groups=CALLER_GROUP,
    )
    agency_id = fields.Many2one(
        "crm.call.agency", related="caller_id.agency_id", store=True, index="btree_not_null"
    )
    segment_id = fields.Many2one(
        "crm.customer.segment", index="btree_not_null", readonly=True, groups=CALLER_GROUP
    )
    policy_id = fields.Many2one(
        "crm.call.policy", index="btree_not_null", readonly=True, groups=CALLER_GROUP
    )
    plan_run_id = fields.Many2one(
        "crm.call.plan.run", index="btree_not_null", readonly=True, ondelete="set null"
    )
    channel = fields.Selection(CALL_CHANNELS, required=True, default="phone")
    state = fields.Selection(
        CALL_STATES, required=True, default="planned", tracking=True, index=True, copy=False
    )
    due_date = fields.Date(index=True, help="When the policy says the account is due for a call.")
    deadline_date = fields.Date(
        compute="_compute_deadline_date",
        store=True,
        help="The last day the call is on time: the due date plus the policy's tolerance.",
    )
    planned_date = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True)
    duration = fields.Integer("Planned (min)", default=30)
    date_done = fields.Datetime("Done On", readonly=True, copy=False)
    actual_duration = fields.Float("Duration (min)", copy=False)
    outcome = fields.Selection(CALL_OUTCOMES, tracking=True, copy=False)
    # internal assessment: callers and managers only, never an outsourced
    # agent nor the customer on the portal (field groups, so every RPC path
    # refuses them)
    satisfaction = fields.Integer(
        "Satisfaction (1-5)",
        copy=False,
        aggregator=None,
        help="The customer's satisfaction from 1 (poor) to 5 (excellent); 0 or empty: not "
        "rated. Averages (compliance analysis, performance, effectiveness) leave unrated "
        "calls out.",
        groups=CALLER_GROUP,
    )
    propensity = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        string="Propensity to Buy",
        copy=False,
        groups=CALLER_GROUP,
    )
    findings = fields.Html("Internal Findings", copy=False, groups=CALLER_GROUP)
    cancel_reason = fields.Char(readonly=True, copy=False)
    summary = fields.Text(
        "Summary for the Customer", copy=False, help="What the customer sees on the portal."
    )
    share_with_customer = fields.Boolean(
        "Shareable", copy=False, help="Show the summary of this call to the customer."
    )
    is_on_time = fields.Boolean(compute="_compute_is_on_time", store=True)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    checklist_template_id = fields.Many2one("crm.call.checklist.template", readonly=True)
    answer_ids = fields.One2many("crm.call.checklist.answer", "call_id", string="Checklist")
    lead_id = fields.Many2one(
        "crm.lead", string="Opportunity", copy=False, index="btree_not_null", groups=CALLER_GROUP
    )
    consent_evidence = fields.Char(
        readonly=True,
        copy=False,
        help="The customer asked for this call (a call back from the portal): the request "
        "is the consent.",
    )
    previous_call_id = fields.Many2one("crm.call", readonly=True, copy=False)
    next_call_date = fields.Date(copy=False, help="Set to plan the next call when completing.")
    calendar_event_id = fields.Many2one("calendar.event", readonly=True, copy=False)
    videocall_location = fields.Char(
        "Video Link", related="calendar_event_id.videocall_location", readonly=True
    )
    cost = fields.Monetary(
        compute="_compute_cost",
        store=True,
        currency_field="currency_id",
        groups=MANAGER_GROUP,
        help="What the agency charges for this call once done.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _satisfaction_range = models.Constraint(
        "CHECK (satisfaction BETWEEN 0 AND 5)",
        "Satisfaction is a score from 1 to 5 (0: not rated).",
    )
    # the calls of the recurring plan, as an SQL condition on crm_call: an
    # addon that plans other calls with a policy (crm_callplan_campaign)
    # narrows it, so that the key below and the plan's history leave them out
    _callplan_recurring_where = "policy_id IS NOT NULL"
    _plan_unique = models.UniqueIndex(
        lambda registry: plan_key_definition(registry["crm.call"]._callplan_recurring_where),
        "An account gets only one planned call per due date.",
    )

    @api.depends("partner_id", "channel")
    def _compute_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for call in self:
            if not call.name:
                call.name = f"{channels.get(call.channel, '')}: {call.sudo().partner_id.name or ''}"

    @api.depends("partner_id.phone", "contact_id.phone", "partner_id.name", "contact_id.name")
    def _compute_contact_info(self):
        for call in self:
            contact = call.contact_id or call.partner_id
            call.contact_name = contact.name
            call.phone = contact.phone or call.partner_id.phone

    @api.depends("due_date", "policy_id.tolerance_days")
    def _compute_deadline_date(self):
        for call in self:
            call.deadline_date = call.due_date and call.due_date + timedelta(
                days=call.policy_id.tolerance_days
            )

    @api.depends("state", "date_done", "deadline_date", "planned_date")
    def _compute_is_on_time(self):
        for call in self:
            deadline = call.deadline_date or (call.planned_date and call.planned_date.date())
            call.is_on_time = bool(
                call.state == "done" and call.date_done and call.date_done.date() <= deadline
            )

    @api.depends("agency_id.cost_per_call", "state")
    def _compute_cost(self):
        for call in self:
            call.cost = call.agency_id.cost_per_call if call.state == "done" else 0.0

    @api.depends_context("uid")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for call in self:
            call.is_overdue = call.state == "planned" and call.planned_date < now

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        overdue = [("state", "=", "planned"), ("planned_date", "<", fields.Datetime.now())]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", *overdue]

    def _mail_get_partner_fields(self, introspect_fields=False):
        # the account is not a recipient of the internal chatter (and an
        # outsourced agent may not read it)
        return []

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("policy_id") and "checklist_template_id" not in vals:
                policy = self.env["crm.call.policy"].browse(vals["policy_id"])
                vals["checklist_template_id"] = policy.checklist_template_id.id
        calls = super().create(vals_list)
        calls._callplan_check_contactable()
        calls._create_answers()
        calls._update_contact_dates()
        return calls

    def _ccare_is_editable(self):
        return self.filtered(lambda c: c.state in ("planned", "missed"))

    def write(self, vals):
        res = super().write(vals)
        if {"state", "planned_date", "partner_id", "contact_id", "channel"} & set(vals):
            # rescheduling, re-planning (reset) or re-addressing a call
            self._callplan_check_contactable()
        if {"state", "planned_date", "date_done", "partner_id", "contact_id"} & set(vals):
            self._update_contact_dates()
        return res

    # ------------------------------------------------------------ consent
    def _callplan_is_requested(self):
        """Extension point: the calls of ``self`` that the customer asked
        for (the request is the consent, recorded in ``consent_evidence``),
        read from server-side facts only, never from a field the client
        writes. Their consent check is sales calls by phone, and only
        do-not-contact stops them (``_callplan_contact_blocks``). None
        here; crm_callplan_inquiry adds the portal's call backs."""
        return self.browse()

    def _callplan_contact_blocks(self):
        """``{call_id: reason}`` for the calls of ``self`` that consent
        forbids now, through ``res.partner._ccare_contact_blocks``: the
        call's purpose (its policy's, else sales calls) on the call's
        channel, for the contact person and the account (an account-level
        decision holds for every contact). A call back the customer asked
        for is stopped only by do-not-contact. One query per purpose,
        channel and opt-in the calls use, whatever their number."""
        calls = self.sudo()
        requested = calls._callplan_is_requested()
        groups = defaultdict(list)
        for call in calls - requested:
            policy = call.policy_id
            key = (
                policy.consent_purpose or "sales_calls",
                CONSENT_CHANNEL[call.channel],
                policy.require_opt_in if policy else None,
            )
            groups[key].append(call)
        if requested:
            groups["sales_calls", "phone", None] += list(requested)
        blocks = {}
        for (purpose, channel, opt_in), group in groups.items():
            people = self.env["res.partner"].browse(
                {p.id for c in group for p in (c.partner_id, c.contact_id) if p}
            )
            reasons = people._ccare_contact_blocks(purpose, channel, require_opt_in=opt_in)
            dnc = {p.id for p in people if p.dnc_all or p.commercial_partner_id.dnc_all}
            for call in group:
                for person in (call.contact_id, call.partner_id):
                    if person.id in reasons and (call not in requested or person.id in dnc):
                        blocks[call.id] = reasons[person.id]
                        break
        return blocks

    def _callplan_check_contactable(self):
        """Refuse planned calls to customers whose consent forbids them
        (manual calls, follow-ups, rescheduling, re-planning)."""
        planned = self.filtered(lambda c: c.state == "planned")
        if not planned:
            return
        blocks = planned._callplan_contact_blocks()
        if blocks:
            call = self.browse(next(iter(blocks))).sudo()
            raise UserError(
                self.env._(
                    "%(customer)s may not be contacted for this call (%(channel)s): %(reason)s.",
                    customer=(call.contact_id or call.partner_id).display_name,
                    channel=dict(CALL_CHANNELS)[call.channel],
                    reason=blocks[call.id],
                )
            )

    def _callplan_cancel_by_consent(self, reasons):
        """Cancel the calls of ``reasons`` (``{call_id: reason}``) through
        ``action_cancel``, with the reason on the call (caller's list) and
        in its chatter. Set-based: one write per distinct reason, one
        cancel, one batch of notes."""
        calls = self.browse(list(reasons)).sudo()
        if not calls:
            return calls
        by_reason = defaultdict(list)
        for call in calls:
            by_reason[reasons[call.id]].append(call.id)
        # the chatter note below says it all: no per-call tracking message
        for reason, ids in by_reason.items():
            self.browse(ids).sudo().with_context(tracking_disable=True).action_cancel(reason)
        calls._message_log_batch(
            bodies={
                call.id: self.env._(
                    "Call cancelled: the customer may no longer be contacted for it (%(reason)s).",
                    reason=reasons[call.id],
                )
                for call in calls
            }
        )
        return calls

    def _callplan_record_refusals(self):
        """A call whose outcome is *refused* records a withdrawal of sales
        calls on the call's channel for the person called, with the call
        as its evidence (which cancels their other planned calls)."""
        refused = self.sudo().filtered(lambda c: c.outcome == "refused")
        decisions = {}
        for call in refused:
            person = call.contact_id or call.partner_id
            decisions[person.id, CONSENT_CHANNEL[call.channel]] = call
        return (
            self.env["crm.customer.consent"]
            .sudo()
            .create(
                [
                    {
                        "partner_id": partner_id,
                        "purpose": "sales_calls",
                        "channel": channel,
                        "state": "withdrawn",
                        "source": "call",
                        "evidence": self.env._(
                            "Refused during call “%(call)s” (crm.call #%(id)s) on %(date)s "
                            "by %(caller)s",
                            call=call.name,
                            id=call.id,
                            date=fields.Datetime.to_string(call.date_done or fields.Datetime.now()),
                            caller=call.user_id.name or "-",
                        ),
                    }
                    for (partner_id, channel), call in decisions.items()
                ]
            )
        )

    @api.model
    def _insert_planned(self, vals_list):
        """Insert the calls of a plan run in one statement (the ORM would
        insert and then update them 100 by 100), stored computed fields
        included, then add their checklists and meetings. ``vals_list`` holds
        the keys of :meth:`_callplan_planned_columns`; returns the new calls."""
        if not vals_list:
            return self.browse()
        columns = self._callplan_planned_columns(vals_list)
        self.env.flush_all()
        ids = [
            row[0]
            for row in self.env.execute_query(
                SQL(
                    """
                    INSERT INTO crm_call (%(names)s, state, is_on_time, cost, create_uid,
                                          write_uid, create_date, write_date)
                    SELECT %(names)s, 'planned', false, 0, %(uid)s, %(uid)s,
                           now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                      FROM unnest(%(arrays)s) AS v(%(names)s)
                    RETURNING id
                    """,
                    names=SQL(", ").join(SQL.identifier(name) for name in columns),
                    uid=self.env.uid,
                    arrays=SQL(", ").join(
                        SQL("%s::" + sql_type + "[]", [getter(v) for v in vals_list])
                        for sql_type, getter in columns.values()
                    ),
                )
            )
        ]
        # one2many caches (the accounts' calls, the run's calls) are stale
        self.env.invalidate_all()
        calls = self.browse(ids)
        calls._create_answers()
        calls._create_meetings()
        return calls

    @api.model
    def _callplan_planned_columns(self, vals_list):
        """Extension point: ``{column: (SQL type, getter of the value from a
        call's values)}`` of the calls :meth:`_insert_planned` inserts for
        ``vals_list``; an addon adds the columns it stores on planned calls
        (``deadline_date``, ``lead_id`` and ``contact_id`` are optional
        keys)."""
        policies = self.env["crm.call.policy"].browse({v["policy_id"] for v in vals_list})
        tolerance = {policy.id: policy.tolerance_days for policy in policies}
        callers = self.env["crm.call.caller"].browse({v["caller_id"] for v in vals_list})
        agency = {caller.id: caller.agency_id.id or None for caller in callers}
        return {
            "name": ("varchar", lambda v: v["name"]),
            "partner_id": ("int", lambda v: v["partner_id"]),
            "company_id": ("int", lambda v: v["company_id"]),
            "user_id": ("int", lambda v: v["user_id"]),
            "caller_id": ("int", lambda v: v["caller_id"]),
            "agency_id": ("int", lambda v: agency[v["caller_id"]]),
            "segment_id": ("int", lambda v: v["segment_id"] or None),
            "policy_id": ("int", lambda v: v["policy_id"]),
            "plan_run_id": ("int", lambda v: v["plan_run_id"]),
            "channel": ("varchar", lambda v: v["channel"]),
            "due_date": ("date", lambda v: v["due_date"]),
            "deadline_date": (
                "date",
                lambda v: (
                    v.get("deadline_date")
                    or v["due_date"] + timedelta(days=tolerance[v["policy_id"]])
                ),
            ),
            "planned_date": ("timestamp", lambda v: v["planned_date"]),
            "duration": ("int", lambda v: v["duration"]),
            "checklist_template_id": ("int", lambda v: v["checklist_template_id"] or None),
            # a call about a lead (a campaign's): the lead, its contact person
            "lead_id": ("int", lambda v: v.get("lead_id") or None),
            "contact_id": ("int", lambda v: v.get("contact_id") or None),
        }

    def _create_answers(self):
        """One answer line per question of each call's template: one INSERT."""
        calls = self.filtered("checklist_template_id")
        if not calls:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_call_checklist_answer
                       (call_id, company_id, question_id, sequence, is_answered,
                        create_uid, write_uid, create_date, write_date)
                SELECT c.id, c.company_id, q.id, q.sequence, false,
                       %(uid)s, %(uid)s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
                  FROM crm_call c
                  JOIN crm_call_checklist_question q ON q.template_id = c.checklist_template_id
                 WHERE c.id = ANY(%(ids)s)
                ON CONFLICT DO NOTHING
                """,
                uid=self.env.uid,
                ids=calls.ids,
            )
        )
        calls.invalidate_recordset(["answer_ids"])

    def _video_meeting_values(self, call):
        """A video call gets Odoo's own meeting room (Discuss), the link
        the customer and the caller join from the invitation."""
        if call.channel != "video":
            return {}
        Event = self.env["calendar.event"]
        token = uuid.uuid4().hex
        return {
            "access_token": token,
            "videocall_location": f"{Event.get_base_url()}/{Event.DISCUSS_ROUTE}/{token}",
        }

    def _create_meetings(self):
        """Visits and video calls go to the caller's calendar: one batch
        create of meetings, one UPDATE linking them to the calls.

        The meeting is the caller's own and private: its only attendee is
        the caller (a customer attendee would hand the customer's e-mail and
        phone to every user through ``calendar.attendee``), other users see
        it as "Busy", and the visit's address is written only for internal
        callers (an outsourced agent gets the customer's name and phone from
        the call, nothing more)."""
        calls = self.sudo().filtered(
            lambda c: c.channel in ("visit", "video") and not c.calendar_event_id
        )
        if not calls:
            return
        events = (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                no_mail_to_attendees=True,
                dont_notify=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
                tracking_disable=True,
            )
            .create(
                [
                    {
                        "name": call.name,
                        "start": call.planned_date,
                        "stop": call.planned_date + timedelta(minutes=call.duration or 30),
                        "user_id": call.user_id.id,
                        "partner_ids": [(6, 0, call.user_id.partner_id.ids)],
                        "privacy": "private",
                        "location": (
                            call.channel == "visit"
                            and not call.agency_id
                            and call.partner_id.contact_address
                        )
                        or False,
                        **self._video_meeting_values(call),
                    }
                    for call in calls
                ]
            )
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                UPDATE crm_call c SET calendar_event_id = v.event_id
                  FROM unnest(%s::int[], %s::int[]) AS v(call_id, event_id)
                 WHERE c.id = v.call_id
                """,
                calls.ids,
                events.ids,
            )
        )
        calls.invalidate_recordset(["calendar_event_id"])

    def _update_contact_dates(self):
        partners = self.sudo().partner_id | self.sudo().contact_id
        self.env["res.partner"]._ccare_recompute_contact_dates_of(partners)

    # ------------------------------------------------------------ actions
    def _check_can_complete(self):
        for call in self:
            if call.state not in ("planned", "missed"):
                raise UserError(
                    self.env._(
                        "Call “%(call)s” is %(state)s: only a planned or missed call can be "
                        "completed.",
                        call=call.name,
                        state=dict(CALL_STATES)[call.state].lower(),
                    )
                )
            if not call.outcome:
                raise UserError(
                    self.env._("Call “%(call)s”: choose the outcome first.", call=call.name)
                )
        missing = self.answer_ids.filtered(lambda a: a.required and not a.is_answered)
        if missing:
            raise UserError(
                self.env._(
                    "Answer the required checklist questions before completing the call: "
                    "%(questions)s.",
                    questions=", ".join(missing.mapped("question")),
                )
            )

    def action_done(self):
        self.check_access("write")
        self._check_can_complete()
        now = fields.Datetime.now()
        rescheduled = self.filtered(lambda c: c.outcome == "rescheduled")
        with self._ccare_transition():
            rescheduled.write({"state": "rescheduled", "date_done": now})
            (self - rescheduled).write({"state": "done", "date_done": now})
        self._callplan_record_refusals()
        # a call that reached the customer is a relationship activity
        # (loyalty points, see res.partner._ccare_relationship_activity)
        held = self.sudo().filtered(lambda c: c.state == "done" and c.outcome == "reached")
        if held:
            self.env["res.partner"]._ccare_relationship_activity(
                "call_held", held.partner_id.browse([c.partner_id.id for c in held]), held
            )
        follow = self.filtered("next_call_date")
        blocked = follow._callplan_contact_blocks()
        follow.filtered(lambda c: c.id not in blocked).action_schedule_next_call()
        if blocked:
            self.browse(list(blocked))._message_log_batch(
                bodies={
                    call_id: self.env._("No follow-up call planned: %(reason)s.", reason=reason)
                    for call_id, reason in blocked.items()
                }
            )
        self._consume_allocations()
        return True

    def action_missed(self):
        self.check_access("write")
        with self._ccare_transition():
            self.filtered(lambda c: c.state == "planned").write({"state": "missed"})
        return True

    def action_cancel(self, reason=None):
        """Cancel planned (or missed) calls, e.g. when the customer
        withdraws consent (``reason`` is kept on the call and in its
        chatter); their meetings are removed. A held call stays."""
        self.check_access("write")
        held = self.filtered(lambda c: c.state in ("done", "rescheduled"))
        if held:
            raise UserError(
                self.env._(
                    "A done call cannot be cancelled: %(calls)s",
                    calls=", ".join(held.mapped("name")),
                )
            )
        calls = self.filtered(lambda c: c.state != "cancelled")
        vals = {"state": "cancelled"}
        if isinstance(reason, str) and reason:
            vals["cancel_reason"] = reason[:200]
        with self._ccare_transition():
            calls.write(vals)
        calls.sudo().calendar_event_id.unlink()
        return True

    def action_reset(self):
        self.check_access("write")
        with self._ccare_transition():
            self.filtered(lambda c: c.state in ("missed", "cancelled")).write(
                {"state": "planned", "cancel_reason": False}
            )
        return True

    def action_schedule_next_call(self):
        """Follow-up: plan the next call to the same account (same caller,
        channel and checklist), on the chosen date or in a week."""
        # the follow-up is planned as the server: only on calls the user may
        # change (a portal customer or another caller's agent gets an error)
        self.check_access("write")
        today = fields.Date.context_today(self)
        vals_list = []
        for call in self.sudo():
            day = call.next_call_date or today + timedelta(days=7)
            vals_list.append(
                {
                    "partner_id": call.partner_id.id,
                    "contact_id": call.contact_id.id,
                    "company_id": call.company_id.id,
                    "user_id": call.user_id.id,
                    "caller_id": call.caller_id.id,
                    "channel": call.channel,
                    "duration": call.duration,
                    "checklist_template_id": call.checklist_template_id.id,
                    "planned_date": datetime.combine(day, time(9, 0)),
                    "previous_call_id": call.id,
                    "name": self.env._("Follow-up: %(call)s", call=call.name),
                }
            )
        calls = self.env["crm.call"].sudo().create(vals_list)
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "crm.call",
                "res_id": calls.id,
                "view_mode": "form",
            }
        return calls

    def action_send_email(self):
        """An e-mail "call": Odoo's composer on the call, addressed to the
        contact, once the consent API allows e-mail for the policy's purpose.
        The message stays in the call's chatter; the caller then completes
        the call with its outcome."""
        self.ensure_one()
        self.check_access("write")
        recipient = self.contact_id or self.partner_id
        purpose = self.policy_id.consent_purpose or "sales_calls"
        blocks = self.partner_id.commercial_partner_id._ccare_contact_blocks(purpose, "email")
        blocks.update(recipient._ccare_contact_blocks(purpose, "email"))
        if blocks or not recipient.email:
            raise UserError(
                self.env._(
                    "%(partner)s cannot be e-mailed for this call: %(reason)s.",
                    partner=recipient.display_name,
                    reason=next(iter(blocks.values()), self.env._("no e-mail address")),
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_model": self._name,
                "default_res_ids": self.ids,
                "default_partner_ids": recipient.ids,
                "default_subject": self.name,
                "default_composition_mode": "comment",
            },
        }

    def action_create_opportunity(self):
        """Follow-up: an opportunity for the account, linked to the call."""
        self.ensure_one()
        self.check_access("write")
        if self.lead_id:
            raise UserError(self.env._("This call already has an opportunity."))
        lead = self.env["crm.lead"].create(
            {
                "name": self.env._("Opportunity from call: %(call)s", call=self.name),
                "type": "opportunity",
                "partner_id": (self.contact_id or self.partner_id).id,
                "user_id": self.partner_id.user_id.id or self.env.uid,
                "description": self.findings,
            }
        )
        self.lead_id = lead
        return {
            "type": "ir.actions.act_window",
            "res_model": "crm.lead",
            "res_id": lead.id,
            "view_mode": "form",
        }

    PERFORMANCE_FIELDS = (
        "calls_done",
        "compliance_rate",
        "reach_rate",
        "avg_satisfaction",
        "opportunities",
        "cost_per_reached",
    )

    def _callplan_set_performance(self, records, group_field):
        """Fill the performance fields of callers or agencies (``records``)."""
        stats = self._callplan_performance(group_field, records.ids)
        for record in records:
            values = stats.get(record.id, {})
            for name in self.PERFORMANCE_FIELDS:
                record[name] = values.get(name, 0)

    @api.model
    def _callplan_performance(self, group_field, ids):
        """``{id: {calls_done, compliance_rate, reach_rate, avg_satisfaction,
        opportunities, cost_per_reached}}`` per caller or agency, one query."""
        if group_field not in ("caller_id", "agency_id", "user_id") or not ids:
            return {}
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT %(field)s,
                       count(*) FILTER (WHERE state = 'done'),
                       count(*) FILTER (WHERE is_on_time),
                       count(*) FILTER (WHERE state = 'done' OR (state != 'cancelled'
                                          AND coalesce(deadline_date, planned_date::date)
                                              < %(today)s)),
                       count(*) FILTER (WHERE state = 'done' AND outcome = 'reached'),
                       avg(nullif(satisfaction, 0)),
                       count(*) FILTER (WHERE lead_id IS NOT NULL),
                       coalesce(sum(cost), 0)
                  FROM crm_call
                 WHERE %(field)s = ANY(%(ids)s)
                 GROUP BY %(field)s
                """,
                field=SQL.identifier(group_field),
                ids=list(ids),
                today=fields.Date.context_today(self),
            )
        )
        result = {}
        for key, done, on_time, due, reached, satisfaction, leads, cost in rows:
            result[key] = {
                "calls_done": done,
                "compliance_rate": 100.0 * on_time / due if due else 0.0,
                "reach_rate": 100.0 * reached / done if done else 0.0,
                "avg_satisfaction": float(satisfaction or 0.0),
                "opportunities": leads,
                "cost_per_reached": float(cost) / reached if reached else 0.0,
            }
        return result

    @api.model
    def _cron_mark_missed(self):
        """Planned calls past their deadline (or planned date, for calls
        outside the plan) become missed: one UPDATE through the ORM."""
        today = fields.Date.context_today(self)
        calls = self.sudo().search(
            [
                ("state", "=", "planned"),
                "|",
                ("deadline_date", "<", today),
                "&",
                ("deadline_date", "=", False),
                ("planned_date", "<", datetime.combine(today, time.min)),
            ]
        )
        with calls._ccare_transition():
            calls.write({"state": "missed"})
        return len(calls)
