from odoo import models

# what the profile of a subject-access request shows of the relationship
HEALTH_PROFILE_FIELDS = ["lifecycle_stage", "health_score"]


class ResPartner(models.Model):
    """A subject-access request also returns the customer's lifecycle stage
    and relationship health (in the profile section)."""

    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        return [
            (
                key,
                title,
                records,
                [*names, *HEALTH_PROFILE_FIELDS] if key == "profile" else names,
            )
            for key, title, records, names in super()._ccare_subject_access_sections()
        ]
