from odoo import fields
from odoo import models


class CrmLeadQualificationGrade(models.Model):
    """A grade of a rule set (A, B, C...): reached from a minimum score."""

    _name = "crm.lead.qualification.grade"
    _inherit = ["crm.lead.qualification.rescore.mixin"]
    _description = "Lead Qualification Grade"
    _order = "min_score desc, id"

    ruleset_id = fields.Many2one(
        "crm.lead.qualification.ruleset", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="ruleset_id.company_id", store=True)
    name = fields.Char(required=True, translate=True)
    min_score = fields.Integer("Minimum Score", required=True)
    color = fields.Integer()

    _ruleset_name_unique = models.Constraint(
        "UNIQUE(ruleset_id, name)", "Each grade of a rule set needs its own name."
    )
    _ruleset_score_unique = models.Constraint(
        "UNIQUE(ruleset_id, min_score)", "Two grades of a rule set cannot share a minimum score."
    )
