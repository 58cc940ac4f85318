from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError


class CrmLoyaltyTier(models.Model):
    """A level of a loyalty program (Silver, Gold, Platinum) reached by
    earning ``threshold`` points (or spending it) over the program's
    rolling window."""

    _name = "crm.loyalty.tier"
    _description = "Loyalty Tier"
    _order = "program_id, threshold, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    program_id = fields.Many2one(
        "loyalty.program", required=True, ondelete="cascade", index=True, check_company=True
    )
    company_id = fields.Many2one(related="program_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    threshold = fields.Float(
        required=True,
        help="Points earned (or amount spent) over the program's window to reach this tier.",
    )
    points_multiplier = fields.Float(
        default=1.0, help="Points earned by members of this tier are multiplied by this."
    )
    benefits = fields.Html(translate=True)
    reward_ids = fields.Many2many(
        "loyalty.reward",
        string="Tier Rewards",
        domain="[('program_id', '=', program_id)]",
        help="Rewards only members of this tier (or above) may request.",
    )
    color = fields.Integer()
    member_count = fields.Integer(compute="_compute_member_count")

    _threshold_positive = models.Constraint(
        "CHECK (threshold >= 0)", "A tier threshold cannot be negative."
    )
    _multiplier_positive = models.Constraint(
        "CHECK (points_multiplier > 0)", "A tier's points multiplier must be positive."
    )

    @api.constrains("threshold", "sequence", "program_id")
    def _check_threshold_order(self):
        for program in self.program_id:
            tiers = program.crm_tier_ids.sorted(lambda t: (t.sequence, t.id))
            thresholds = tiers.mapped("threshold")
            if len(set(thresholds)) != len(thresholds):
                raise ValidationError(
                    self.env._(
                        "Tier thresholds of %(program)s overlap: each tier needs its own "
                        "threshold.",
                        program=program.display_name,
                    )
                )
            if thresholds != sorted(thresholds):
                raise ValidationError(
                    self.env._(
                        "Tier thresholds of %(program)s overlap: a tier with a higher sequence "
                        "must have a higher threshold (%(tiers)s).",
                        program=program.display_name,
                        tiers=", ".join(f"{t.name}: {t.threshold:g}" for t in tiers),
                    )
                )

    def _compute_member_count(self):
        counts = dict(
            self.env["loyalty.card"]._read_group(
                [("crm_tier_id", "in", self.ids)], ["crm_tier_id"], ["__count"]
            )
        )
        for tier in self:
            tier.member_count = counts.get(tier, 0)
