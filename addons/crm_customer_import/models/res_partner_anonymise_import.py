from odoo import models
from odoo.fields import Domain


class ResPartner(models.Model):
    """The import reports erase what they hold on anonymised people
    (``_ccare_anonymise_hook``: sudo, set-based)."""

    _inherit = "res.partner"

    def _ccare_anonymise_hook(self):
        erased = super()._ccare_anonymise_hook()
        emails = [e for e in self.mapped("email_normalized") if e]
        domain = Domain("partner_id", "in", self.ids) | Domain("email", "in", emails)
        self.env["crm.customer.import.line"].sudo().search(domain).write(
            {"name": False, "email": False, "phone": False, "vat": False, "country": False}
        )
        return [*erased, "import lines"]
