from odoo import models


class ResPartner(models.Model):
    """Data-quality issues erase what they hold on anonymised people
    (``_ccare_anonymise_hook``: sudo, set-based)."""

    _inherit = "res.partner"

    def _ccare_anonymise_hook(self):
        erased = super()._ccare_anonymise_hook()
        self.env["crm.data.quality.issue"].sudo().search([("partner_id", "in", self.ids)]).write(
            {"message": self.env._("Anonymised")}
        )
        return [*erased, "data-quality issues"]
