from odoo import fields
from odoo import models


class CrmCallExperimentMember(models.Model):
    """A customer's arm in an experiment, written by the draw only and never
    changed afterwards (append-only; a draft's draw replaces its members)."""

    _name = "crm.call.experiment.member"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Call Experiment Member"
    _order = "experiment_id, arm_id, partner_id"
    _rec_name = "partner_id"

    experiment_id = fields.Many2one(
        "crm.call.experiment", required=True, index=True, ondelete="cascade", readonly=True
    )
    company_id = fields.Many2one(related="experiment_id.company_id", store=True, index=True)
    arm_id = fields.Many2one(
        "crm.call.experiment.arm", required=True, index=True, ondelete="cascade", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, ondelete="cascade", readonly=True
    )
    stratum = fields.Char(readonly=True)

    _partner_unique = models.Constraint(
        "UNIQUE(experiment_id, partner_id)", "A customer is drawn once per experiment."
    )
