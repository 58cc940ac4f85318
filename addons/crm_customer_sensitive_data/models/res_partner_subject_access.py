from odoo import models

# the profile's sensitive fields: how the person is identified
SENSITIVE_PROFILE_FIELDS = [
    "ccare_birthdate",
    "ccare_id_number",
    "ccare_id_type",
    "ccare_id_purpose",
]


class ResPartner(models.Model):
    """A subject-access request also returns the person's sensitive data
    (in the profile) and who accessed it (the access log)."""

    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        sections = [
            (
                key,
                title,
                records,
                [*names, *SENSITIVE_PROFILE_FIELDS] if key == "profile" else names,
            )
            for key, title, records, names in super()._ccare_subject_access_sections()
        ]
        env = self.env(su=True)
        return [
            *sections,
            (
                "access_log",
                self.env._("Who accessed the sensitive data"),
                env["crm.customer.sensitive.access"].search(
                    [("partner_ids", "in", self.ids)], order="date, id"
                ),
                ["date", "user_id", "action", "field_names"],
            ),
        ]
