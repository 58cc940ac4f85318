from odoo import api
from odoo import fields
from odoo import models


class CrmCallPlanRun(models.Model):
    _inherit = "crm.call.plan.run"

    @api.model
    def _eligible_callers(self, policy, segment, callers, campaign=False):
        """An agency's agents are eligible only when an agreement in force
        covers the policy's purpose and channel over the whole run (the
        plan places calls anywhere in it): planning never gives an agency
        a call its agreement does not cover."""
        eligible = super()._eligible_callers(policy, segment, callers, campaign=campaign)
        agencies = eligible.agency_id
        if not agencies:
            return eligible
        if len(self) == 1 and self.date_from and self.date_to:
            date_from, date_to = self.date_from, self.date_to
        else:
            date_from = date_to = fields.Date.context_today(self)
        covered = agencies.sudo()._agreement_covers_period(
            policy.consent_purpose or "sales_calls", policy.channel, date_from, date_to
        )
        return eligible.filtered(lambda c: not c.agency_id or c.agency_id in covered)
