from odoo.addons.crm_loyalty.controllers.portal import CrmLoyaltyPortal


class CrmLoyaltyTierPortal(CrmLoyaltyPortal):
    """/my/loyalty shows the member's tier, their progress to the next one,
    the program's tiers with their benefits, and the tier each locked
    reward needs."""

    def _loyalty_card_fields(self):
        return [*super()._loyalty_card_fields(), "crm_tier_id", "crm_downgrade_date"]

    def _loyalty_program_fields(self):
        return [*super()._loyalty_program_fields(), "crm_tier_basis", "crm_tier_window_months"]

    def _loyalty_values(self, cards):
        values = super()._loyalty_values(cards)
        for row in values["rows"]:
            card = row["card"]
            rewards = row["rewards"] | row["locked"]
            row["tiers"] = card.program_id.crm_tier_ids.sorted("threshold")
            row["reward_tiers"] = card._loyalty_reward_tiers(rewards)
        return values
