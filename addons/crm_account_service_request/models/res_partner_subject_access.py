from odoo import models


class ResPartner(models.Model):
    """The subject-access export holds the account requests of these people
    (``_ccare_subject_access_sections``, read as superuser)."""

    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        env = self.env(su=True)
        return [
            *super()._ccare_subject_access_sections(),
            (
                "service_requests",
                self.env._("Account service requests"),
                env["crm.account.service.request"].search(
                    [("partner_id", "in", self.ids)], order="create_date, id"
                ),
                ["name", "request_type", "state", "source", "description", "create_date"],
            ),
        ]
