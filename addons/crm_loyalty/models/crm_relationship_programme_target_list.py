from odoo import fields
from odoo import models


class CrmRelationshipProgramme(models.Model):
    """A programme may draw its members (and holdout) from a target list of
    Customer Care: the eligible customers are then those of the target
    segments that are also in the list."""

    _inherit = "crm.relationship.programme"

    target_list_id = fields.Many2one(
        "crm.customer.target.list",
        "Target List",
        check_company=True,
        tracking=True,
        help="Only the customers of this list are enrolled or held out.",
    )

    def _crm_eligible_domain(self):
        domain = super()._crm_eligible_domain()
        if self.target_list_id:
            domain &= self.target_list_id.sudo()._partner_domain()
        return domain
