from odoo import api
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

    @api.constrains("target_list_id", "segment_ids", "company_id")
    def _check_target_list_filters(self):
        # the eligible count and the enrolment evaluate the list's filters as
        # superuser: whoever points a programme at a list, or changes whom it
        # is drawn from, must be able to read what the filters test
        self._loyalty_check_eligibility_filters()

    def _loyalty_check_eligibility_filters(self):
        res = super()._loyalty_check_eligibility_filters()
        self.target_list_id._ccare_check_filters()
        return res

    def _loyalty_eligible_domain(self):
        domain = super()._loyalty_eligible_domain()
        if self.target_list_id:
            domain &= self.target_list_id.sudo()._partner_domain()
        return domain
