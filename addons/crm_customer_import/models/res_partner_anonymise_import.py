from odoo import models


class ResPartner(models.Model):
    """The import reports erase what they hold on anonymised people
    (``_ccare_anonymise_hook``: sudo, set-based)."""

    _inherit = "res.partner"

    def _ccare_anonymise_hook(self):
        erased = super()._ccare_anonymise_hook()
        emails = [e for e in self.mapped("email_normalized") if e]
        domain = [("partner_id", "in", self.ids)]
        if emails:
            domain = ["|", ("email", "in", emails), *domain]
        self.env["crm.customer.import.line"].sudo().search(domain).write(
            {"name": False, "email": False, "phone": False, "vat": False, "country": False}
        )
        return [*erased, "import lines"]
