from odoo import models


class CrmCallPlanRun(models.Model):
    _inherit = "crm.call.plan.run"

    def _callplan_policies_of(self, partners, policies):
        """The members of a running experiment of the run's company are
        called under their arm's policy; consent, do-not-contact and the
        contact limits are checked afterwards by the plan, as for everyone.
        One query."""
        policy_of = super()._callplan_policies_of(partners, policies)
        members = (
            self.env["crm.call.experiment.member"]
            .sudo()
            .search_fetch(
                [
                    ("partner_id", "in", partners.ids),
                    ("experiment_id.state", "=", "running"),
                    ("experiment_id.company_id", "=", self.company_id.id),
                ],
                ["partner_id", "arm_id"],
            )
        )
        for member in members:
            policy_of[member.partner_id.id] = member.arm_id.policy_id
        return policy_of
