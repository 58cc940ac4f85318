from odoo import fields
from odoo import models


class LoyaltyProgram(models.Model):
    """Tiers on Odoo's loyalty programs: their basis, window and grace
    period, and the review a manager starts by hand (the daily job starts
    it too)."""

    _inherit = "loyalty.program"

    crm_tier_ids = fields.One2many(
        "crm.loyalty.tier",
        "program_id",
        string="Tiers",
        groups="crm_loyalty.group_crm_loyalty_user",
    )
    crm_tier_basis = fields.Selection(
        [("points", "Points earned"), ("spend", "Amount spent")],
        string="Tier Basis",
        default="points",
        required=True,
    )
    crm_tier_window_months = fields.Integer(
        "Tier Window (months)", default=12, help="Rolling window the tier threshold is measured on."
    )
    crm_tier_grace_days = fields.Integer(
        "Downgrade Grace (days)",
        default=30,
        help="A member below their tier keeps it this many days before being downgraded.",
    )

    _crm_tier_window_positive = models.Constraint(
        "CHECK (crm_tier_window_months > 0 AND crm_tier_grace_days >= 0)",
        "The tier window must be positive and the grace period cannot be negative.",
    )

    def action_crm_evaluate_tiers(self):
        """Queue the tier review of every member of these programs and tell
        the manager so."""
        self.check_access("write")
        jobs = self._loyalty_queue_tier_review()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Tier review queued: %(jobs)s job(s).", jobs=jobs),
            },
        }

    def _loyalty_queue_tier_review(self):
        """Chunk jobs reviewing every member of these programs; their number."""
        cards = self.env["loyalty.card"].search(
            [("program_id", "in", self.filtered("crm_tier_ids").ids)]
        )
        return self.env["crm.customer.care.chunked.job"]._enqueue_chunks(
            cards, "_loyalty_evaluate_tiers", description=self.env._("Loyalty tier review")
        )
