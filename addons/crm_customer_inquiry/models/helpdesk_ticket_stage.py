from odoo import api
from odoo import fields
from odoo import models

INQUIRY_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("waiting", "Waiting on Customer"),
    ("answered", "Answered"),
    ("closed", "Closed"),
]


class HelpdeskTicketStage(models.Model):
    """The five inquiry states are mapped onto helpdesk stages: each stage
    says which state it stands for (closed stages are "closed", unattended
    ones "new"), so teams keep their own stages and the reports still speak
    of states."""

    _inherit = "helpdesk.ticket.stage"

    ccare_state = fields.Selection(
        INQUIRY_STATES,
        string="Inquiry State",
        compute="_compute_ccare_state",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
        help="The inquiry state this stage stands for in Customer Care reports and the portal.",
    )

    @api.depends("closed", "unattended")
    def _compute_ccare_state(self):
        for stage in self:
            if stage.closed:
                stage.ccare_state = "closed"
            elif stage.unattended:
                stage.ccare_state = "new"
            elif not stage.ccare_state or stage.ccare_state in ("new", "closed"):
                stage.ccare_state = "in_progress"
