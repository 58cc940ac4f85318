from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .crm_customer_product_rule import DEFAULT_MIN_CONFIDENCE
from .crm_customer_product_rule import DEFAULT_MIN_SUPPORT
from .crm_customer_product_rule import DEFAULT_MONTHS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ccare_habits_months = fields.Integer(
        "Analysis window (months)",
        config_parameter="crm_customer_care.habits_months",
        default=DEFAULT_MONTHS,
    )
    ccare_rule_min_support = fields.Float(
        "Minimum support",
        config_parameter="crm_customer_care.rule_min_support",
        default=DEFAULT_MIN_SUPPORT,
        digits=(16, 4),
    )
    ccare_rule_min_confidence = fields.Float(
        "Minimum confidence",
        config_parameter="crm_customer_care.rule_min_confidence",
        default=DEFAULT_MIN_CONFIDENCE,
        digits=(16, 4),
    )

    @api.constrains("ccare_habits_months", "ccare_rule_min_support", "ccare_rule_min_confidence")
    def _check_buying_habits_settings(self):
        for settings in self:
            if settings.ccare_habits_months < 1:
                raise ValidationError(
                    self.env._("The buying-habits analysis window is at least one month.")
                )
            for value in (settings.ccare_rule_min_support, settings.ccare_rule_min_confidence):
                if not 0 < value <= 1:
                    raise ValidationError(
                        self.env._(
                            "Minimum support and confidence are fractions above 0 and up to 1 "
                            "(0.05 = 5%%), not %(value)s.",
                            value=value,
                        )
                    )
