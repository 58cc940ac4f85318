from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        """The member's tier on each card, and their tier history."""
        sections = super()._ccare_subject_access_sections()
        for key, _title, _records, field_names in sections:
            if key == "loyalty_cards":
                field_names.insert(field_names.index("points") + 1, "crm_tier_id")
        env = self.env(su=True)
        return [
            *sections,
            (
                "loyalty_tiers",
                self.env._("Tier history"),
                env["crm.loyalty.tier.history"].search(
                    [("partner_id", "in", self.ids)], order="date, id"
                ),
                ["program_id", "date", "tier_from_id", "tier_to_id", "direction", "metric"],
            ),
        ]
