from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

SLA_KINDS = [("response", "Response"), ("resolution", "Resolution")]


class HelpdeskSla(models.Model):
    """OCA's SLA policy, made to work per category *and customer segment*,
    with an optional working-hours calendar of its own (deadlines are then
    counted in working hours of that calendar, public holidays excluded;
    without one, OCA's semantics apply unchanged)."""

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
        help="Count this policy's deadlines in these working hours, public holidays "
        "excluded. Empty: OCA's rule, the team's working hours (the company's for an "
        "inquiry without a team).",
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
