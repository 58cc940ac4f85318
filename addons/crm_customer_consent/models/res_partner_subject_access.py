from odoo import models


class ResPartner(models.Model):
    """A subject-access request returns the full consent history."""

    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        sections = super()._ccare_subject_access_sections()
        people = self.sudo().with_context(active_test=False)
        consents = (
            "consents",
            self.env._("Consents (full history)"),
            people.env["crm.customer.consent"].search(
                [("partner_id", "in", people.ids)], order="date, id"
            ),
            [
                "partner_id",
                "purpose",
                "channel",
                "state",
                "date",
                "source",
                "evidence",
                "expiry_date",
                "is_current",
                "user_id",
            ],
        )
        # right after the profile, where the core had it
        position = next((i + 1 for i, s in enumerate(sections) if s[0] == "profile"), 0)
        return [*sections[:position], consents, *sections[position:]]
