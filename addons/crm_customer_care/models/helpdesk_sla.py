from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

SLA_KINDS = [("response", "Response"), ("resolution", "Resolution")]


class HelpdeskSla(models.Model):
    """OCA's SLA policy, made to work per category *and customer segment*,
    with its own working-hours calendar (deadlines are counted in working
    hours of that calendar, public holidays excluded)."""

    _inherit = "helpdesk.sla"

    ccare_kind = fields.Selection(
        SLA_KINDS,
        string="Deadline For",
        default="resolution",
        required=True,
        help="Response: the inquiry must be answered (or be waiting on the customer) "
        "by the deadline. Resolution: it must be closed by then.",
    )
    segment_ids = fields.Many2many(
        "crm.customer.segment",
        string="Segments",
        help="Customer segments this policy applies to; empty means every segment.",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Deadlines are counted in these working hours; empty means the team's calendar.",
    )

    @api.constrains("resource_calendar_id", "team_ids")
    def _check_ccare_calendar(self):
        for sla in self:
            if sla.resource_calendar_id:
                continue
            if not sla.team_ids or any(not team.resource_calendar_id for team in sla.team_ids):
                raise ValidationError(
                    self.env._(
                        "SLA policy “%(sla)s” has no Working Hours: its deadlines are counted "
                        "in working hours, so set a calendar on the policy (or on each of its "
                        "teams).",
                        sla=sla.name,
                    )
                )

    @api.constrains("days", "hours", "stage_id")
    def _check_ccare_target(self):
        for sla in self:
            if sla.days < 0 or sla.hours < 0 or not (sla.days or sla.hours):
                raise ValidationError(
                    self.env._(
                        "SLA policy “%(sla)s”: Days and Hours must be positive and not both zero.",
                        sla=sla.name,
                    )
                )
            if not sla.stage_id:
                raise ValidationError(
                    self.env._(
                        "SLA policy “%(sla)s” needs a Stage: the stage an inquiry must reach "
                        "for the SLA to be met.",
                        sla=sla.name,
                    )
                )
