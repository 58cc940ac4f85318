from odoo import models


class ResPartner(models.Model):
    """Inquiries erase what they hold on anonymised people
    (``_ccare_anonymise_hook``: sudo, set-based)."""

    _inherit = "res.partner"

    def _ccare_anonymise_hook(self):
        erased = super()._ccare_anonymise_hook()
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", self.ids)])
        )
        tickets.write(
            {
                "name": self.env._("Anonymised inquiry"),
                "partner_name": False,
                "partner_email": False,
                "description": self.env._("Anonymised"),
                "response": False,
            }
        )
        self._ccare_erase_messages("helpdesk.ticket", tickets.ids)
        return [*erased, "inquiries"]
