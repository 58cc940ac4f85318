from odoo import models


class ResPartner(models.Model):
    """Account service requests erase what they hold on anonymised people
    (``_ccare_anonymise_hook``: sudo, set-based)."""

    _inherit = "res.partner"

    def _ccare_anonymise_hook(self):
        erased = super()._ccare_anonymise_hook()
        requests = (
            self.env["crm.account.service.request"]
            .sudo()
            .search(["|", ("partner_id", "in", self.ids), ("data_subject_id", "in", self.ids)])
        )
        requests.write({"description": False})
        with requests._ccare_transition():
            requests.line_ids.write({"new_value": "-", "old_value": False})
            # an officer's reason for refusing may quote the person
            requests.filtered("closure_reason").write({"closure_reason": "-"})
        self._ccare_erase_messages("crm.account.service.request", requests.ids)
        return [*erased, "account requests"]
