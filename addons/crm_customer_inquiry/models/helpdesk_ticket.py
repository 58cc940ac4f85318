from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.fields import Domain
from odoo.tools import html2plaintext

INQUIRY_OUTCOMES = [
    ("resolved", "Resolved"),
    ("information", "Information Given"),
    ("lead", "Became a Lead"),
    ("referred", "Referred Elsewhere"),
    ("unresolved", "Not Resolved"),
    ("no_action", "No Action Needed"),
]
SLA_STATUSES = [
    ("none", "No SLA"),
    ("running", "Running"),
    ("met", "Met"),
    ("missed", "Missed"),
]


class HelpdeskTicket(models.Model):
    """A customer inquiry is a helpdesk ticket (OCA ``helpdesk_mgmt``):
    channel, category, priority, owner, team, partner, stages, mail alias,
    portal and SLA come from there; Customer Care adds the segment, the
    response and outcome, the inquiry state, SLA met/missed and the
    escalation of overdue inquiries."""

    _inherit = "helpdesk.ticket"

    segment_id = fields.Many2one(
        related="commercial_partner_id.segment_id",
        store=True,
        index="btree_not_null",
        string="Segment",
    )
    inquiry_state = fields.Selection(related="stage_id.ccare_state", store=True, string="State")
    response = fields.Html(
        sanitize_style=True, help="The answer given to the customer (shown on the portal)."
    )
    response_date = fields.Datetime("First Response", readonly=True, copy=False)
    response_hours = fields.Float(
        "Response Time (working hours)",
        compute="_compute_response_hours",
        store=True,
        aggregator="avg",
        digits=(16, 2),
    )
    outcome = fields.Selection(INQUIRY_OUTCOMES, tracking=True, copy=False)
    response_deadline = fields.Datetime(compute="_compute_ccare_deadlines", store=True)
    resolution_deadline = fields.Datetime(compute="_compute_ccare_deadlines", store=True)
    next_deadline = fields.Datetime(
        "Next Deadline", compute="_compute_ccare_deadlines", store=True, index="btree_not_null"
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        "SLA",
        compute="_compute_sla_status",
        store=True,
        default="none",
        help="Met: every SLA deadline was kept. Missed: one was not. Kept once decided.",
    )
    is_overdue = fields.Boolean(
        "Overdue",
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="An SLA deadline passed while the inquiry was open (set by the escalation job).",
    )
    escalated_date = fields.Datetime(readonly=True, copy=False)

    # ------------------------------------------------------------ computes
    def _ccare_calendar(self):
        self.ensure_one()
        response_slas = self.ticket_sla_ids.filtered(lambda line: line.ccare_kind == "response")
        calendar = response_slas[:1]._ccare_calendar() if response_slas else False
        return calendar or self.team_id.resource_calendar_id or self.company_id.resource_calendar_id

    @api.depends("response_date")
    def _compute_response_hours(self):
        for ticket in self:
            calendar = ticket._ccare_calendar() if ticket.response_date else False
            ticket.response_hours = (
                calendar.get_work_hours_count(ticket.create_date, ticket.response_date)
                if calendar and ticket.create_date
                else 0.0
            )

    @api.depends("ticket_sla_ids.deadline", "ticket_sla_ids.state", "ticket_sla_ids.ccare_kind")
    def _compute_ccare_deadlines(self):
        for ticket in self:
            lines = ticket.ticket_sla_ids.filtered("deadline")
            by_kind = {}
            for kind in ("response", "resolution"):
                kind_lines = lines.filtered(lambda line, k=kind: line.ccare_kind == k)
                by_kind[kind] = min(kind_lines.mapped("deadline"), default=False)
            ticket.response_deadline = by_kind["response"]
            ticket.resolution_deadline = by_kind["resolution"]
            running = lines.filtered(lambda line: line.state in ("in_progress", "on_hold"))
            ticket.next_deadline = min(running.mapped("deadline"), default=False)

    @api.depends("ticket_sla_ids.state")
    def _compute_sla_status(self):
        for ticket in self:
            states = set(ticket.ticket_sla_ids.mapped("state"))
            if not states:
                ticket.sla_status = "none"
            elif "expired" in states:
                ticket.sla_status = "missed"
            elif states == {"accomplished"}:
                ticket.sla_status = "met"
            else:
                ticket.sla_status = "running"

    # ------------------------------------------------------------ SLA
    def _get_sla_ticket_domain(self):
        domain = super()._get_sla_ticket_domain()
        segment = self.segment_id
        return Domain.AND(
            [
                domain,
                Domain("segment_ids", "=", False) | Domain("segment_ids", "in", segment.ids)
                if segment
                else Domain("segment_ids", "=", False),
                Domain("company_id", "in", [False, self.company_id.id]),
            ]
        )

    def set_sla(self):
        """OCA applies SLAs only to teams that use them; an inquiry taken
        without a team (walk-in, phone) is held to the policies that name
        no team."""
        res = super().set_sla()
        for ticket in self.filtered(lambda t: not t.team_id):
            ticket.ticket_sla_ids.unlink()
            for sla in ticket._get_sla():
                self.env["helpdesk.ticket.sla"].create({"ticket_id": ticket.id, "sla_id": sla.id})
        return res

    # ------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("response") and not vals.get("response_date"):
                vals["response_date"] = fields.Datetime.now()
        return super().create(vals_list)

    def write(self, vals):
        stage = self.env["helpdesk.ticket.stage"].browse(vals.get("stage_id"))
        responded = (vals.get("response") and html2plaintext(vals["response"]).strip()) or (
            stage.ccare_state in ("waiting", "answered", "closed")
        )
        if stage.closed:
            vals = dict(vals, is_overdue=False)
        res = super().write(vals)
        if responded:
            self.filtered(lambda t: not t.response_date).write(
                {"response_date": fields.Datetime.now()}
            )
        return res

    # ------------------------------------------------------------ actions
    def _ccare_answered_stage(self):
        self.ensure_one()
        stages = self.team_id._get_applicable_stages()
        return stages.filtered(lambda s: s.ccare_state == "answered")[:1]

    def action_send_response(self):
        """Send the response to the customer (chatter and email; the portal
        shows it) and move the inquiry to its "Answered" stage."""
        for ticket in self:
            if not html2plaintext(ticket.response or "").strip():
                raise UserError(
                    self.env._(
                        "Inquiry %(ticket)s has no Response to send: write it first.",
                        ticket=ticket.display_name,
                    )
                )
            ticket.message_post(
                body=Markup("<p><strong>%s</strong></p>") % self.env._("Our answer")
                + ticket.response,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=ticket.partner_id.ids,
            )
            vals = {}
            if not ticket.response_date:
                vals["response_date"] = fields.Datetime.now()
            stage = ticket._ccare_answered_stage()
            if stage and ticket.inquiry_state in ("new", "in_progress", "waiting"):
                vals["stage_id"] = stage.id
            if vals:
                ticket.write(vals)
        return True

    def action_convert_to_lead(self):
        """The wizard of ``helpdesk_mgmt_crm``, opened on this inquiry."""
        self.ensure_one()
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt_crm.helpdesk_ticket_create_lead_action"
        )
        action["context"] = {"active_id": self.id, "active_model": self._name}
        return action

    # ------------------------------------------------------------ mail gateway
    @api.model
    def message_new(self, msg, custom_values=None):
        """An email to a team's alias becomes an inquiry of channel Email,
        linked to the sender's partner (an existing one, found by address)."""
        custom_values = dict(custom_values or {})
        channel = self.env.ref("helpdesk_mgmt.helpdesk_ticket_channel_email", False)
        if channel and not custom_values.get("channel_id"):
            custom_values["channel_id"] = channel.id
        if not msg.get("author_id") and msg.get("email_from"):
            partner = self.env["res.partner"]._mail_find_partner_from_emails(
                [msg["email_from"]], force_create=False
            )
            if partner and partner[0]:
                custom_values.setdefault("partner_id", partner[0].id)
        ticket = super().message_new(msg, custom_values=custom_values)
        if ticket.partner_id and not ticket.partner_name:
            ticket.partner_name = ticket.partner_id.name
        return ticket

    # ------------------------------------------------------------ escalation
    @api.model
    def _ccare_overdue_domain(self):
        return Domain.AND(
            [
                Domain("stage_id.closed", "=", False),
                Domain("is_overdue", "=", False),
                Domain("ticket_sla_ids.expired", "=", True),
            ]
        )

    @api.model
    def _cron_escalate_overdue(self):
        tickets = self.sudo().with_context(active_test=False).search(self._ccare_overdue_domain())
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            tickets,
            "_ccare_escalate_overdue",
            description=self.env._("Escalate overdue inquiries"),
        )

    def _ccare_escalate_overdue(self):
        """Flag the overdue inquiries of ``self``, mark their passed SLA
        deadlines missed, and give the team leader (or the owner) a to-do;
        set-based, and never twice for the same inquiry."""
        tickets = self.sudo().filtered_domain(self._ccare_overdue_domain())
        if not tickets:
            return
        now = fields.Datetime.now()
        lines = tickets.ticket_sla_ids.filtered(
            lambda line: line.state == "in_progress" and line.deadline and line.deadline < now
        )
        lines.write({"state": "expired"})
        tickets.write({"is_overdue": True, "escalated_date": now})
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        for ticket in tickets:
            user = ticket.team_id.user_id or ticket.user_id
            if not user:
                continue
            activities.append(
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "activity_type_id": todo.id,
                    "user_id": user.id,
                    "date_deadline": fields.Date.context_today(self),
                    "summary": self.env._("Overdue inquiry: SLA deadline passed"),
                    "note": self.env._(
                        "Inquiry %(ticket)s from %(partner)s passed its SLA deadline "
                        "(%(deadline)s).",
                        ticket=ticket.display_name,
                        partner=ticket.partner_id.display_name or ticket.partner_name or "-",
                        deadline=min(
                            ticket.ticket_sla_ids.filtered("deadline").mapped("deadline"),
                            default="",
                        ),
                    ),
                }
            )
        self.env["mail.activity"].sudo().create(activities)
