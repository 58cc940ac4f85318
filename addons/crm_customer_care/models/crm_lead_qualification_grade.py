from odoo import api
from odoo import fields
from odoo import models


class CrmLeadQualificationGrade(models.Model):
    """A grade of a rule set (A, B, C...): reached from a minimum score."""

    _name = "crm.lead.qualification.grade"
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

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records.ruleset_id._enqueue_rescoring(records.ruleset_id._scope_domain())
        return records

    def write(self, vals):
        res = super().write(vals)
        self.ruleset_id._enqueue_rescoring(self.ruleset_id._scope_domain())
        return res

    def unlink(self):
        rulesets = self.ruleset_id
        res = super().unlink()
        rulesets._enqueue_rescoring(rulesets._scope_domain())
        return res
