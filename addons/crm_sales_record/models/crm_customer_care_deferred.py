from odoo import api
from odoo import models


class CrmCustomerCareDeferred(models.AbstractModel):
    """The sales record is a deferred step of its own: it copies the lead's
    customer segment, so it runs after the core's steps."""

    _inherit = "crm.customer.care.deferred"

    @api.model
    def _ccare_steps(self):
        return [*super()._ccare_steps(), ("crm.lead", "_ccare_deferred_stage_history")]
