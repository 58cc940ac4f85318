from odoo import api
from odoo import models


class CrmLeadQualificationRescoreMixin(models.AbstractModel):
    """Parts of a rule set (criteria, grades): any change requalifies the
    leads the rule set covers, in chunked jobs (queued once per chunk)."""

    _name = "crm.lead.qualification.rescore.mixin"
    _description = "Requalify leads when a rule set part changes"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # the rule sets' _trigger_fields
        records.ruleset_id._enqueue_rescoring(records.ruleset_id._scope_domain())
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()  # the rule sets' _trigger_fields
        self.ruleset_id._enqueue_rescoring(self.ruleset_id._scope_domain())
        return res

    def unlink(self):
        rulesets = self.ruleset_id
        res = super().unlink()
        self.env.registry.clear_cache()  # the rule sets' _trigger_fields
        rulesets._enqueue_rescoring(rulesets._scope_domain())
        return res
