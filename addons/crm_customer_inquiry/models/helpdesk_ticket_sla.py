from odoo import api
from odoo import fields
from odoo import models


class HelpdeskTicketSla(models.Model):
    """One SLA deadline of an inquiry.

    Where a calendar was configured for it (the policy's *Working Hours*, or
    the company's for an inquiry taken without a team, which OCA does not
    hold to any SLA), the deadline is counted in that calendar's working
    hours, public holidays excluded. Everywhere else OCA's semantics stay
    as they are: the team's calendar, OCA's own computation.
    """

    _inherit = "helpdesk.ticket.sla"

    ccare_kind = fields.Selection(related="sla_id.ccare_kind", store=True)

    def _ccare_calendar(self):
        """The calendar we count in, or an empty recordset: OCA's semantics."""
        self.ensure_one()
        if self.sla_id.resource_calendar_id:
            return self.sla_id.resource_calendar_id
        if not self.ticket_id.team_id:
            return self.ticket_id.company_id.resource_calendar_id
        return self.env["resource.calendar"]

    def _ccare_own(self):
        return self.filtered(lambda record: record._ccare_calendar())

    @api.depends("sla_id")
    def _compute_sla_data(self):
        res = super()._compute_sla_data()
        for record in self._ccare_own():
            record.hours = record.sla_id.hours + record._ccare_calendar().hours_per_day * (
                record.sla_id.days
            )
        return res

    @api.depends("hours", "consumed_time", "ticket_id", "last_state_date", "state")
    def _compute_deadline(self):
        own = self._ccare_own()
        res = super(HelpdeskTicketSla, self - own)._compute_deadline()
        for record in own:
            if record.state in ("accomplished", "expired") and record.deadline:
                continue  # a met or missed deadline stays where it was
            start = record.last_state_date or record.ticket_id.create_date or fields.Datetime.now()
            record.deadline = record._ccare_calendar().plan_hours(
                record.hours - record.consumed_time, start, compute_leaves=True
            )
        return res

    def _stage_recompute(self):
        """OCA's state machine, run as it is, with the working time the SLA
        ran since its last change counted in our calendar where one is set
        (``_ccare_calendar``).

        OCA counts that time only for a running SLA, in the team's calendar
        (an inquiry without a team has none). So we count it, hand OCA the
        SLA paused, and keep what it decides: met (its deadline read before
        anything changed) or running/paused by the new stage. The one rule
        OCA applies to running SLAs only, a passed deadline is missed, is
        applied after it.
        """
        self.ensure_one()
        calendar = self._ccare_calendar()
        if not calendar or self.state != "in_progress" or not self.last_state_date:
            return super()._stage_recompute()
        now = fields.Datetime.now()
        consumed = self.consumed_time + calendar.get_work_hours_count(
            self.last_state_date, now, compute_leaves=True
        )
        deadline = self.deadline
        self.state = "on_hold"
        res = super()._stage_recompute()
        if self.state != "accomplished" and deadline and deadline <= now:
            self.state = "expired"
        self.consumed_time = consumed
        return res
