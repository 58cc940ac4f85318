from odoo import api
from odoo import models


class CrmCustomerCareDeferred(models.AbstractModel):
    _inherit = "crm.customer.care.deferred"

    @api.model
    def _ccare_steps(self):
        """Lead qualification (``crm.lead._ccare_deferred_qualify``) runs
        right after the customers' segments, which criteria may read (a
        lead's customer segment), and before the core's later steps."""
        steps = super()._ccare_steps()
        after = next(
            (
                index + 1
                for index, (_model, method) in enumerate(steps)
                if method == "_ccare_deferred_segments"
            ),
            0,
        )
        steps.insert(after, ("crm.lead", "_ccare_deferred_qualify"))
        return steps
