from odoo import fields
from odoo import models


class CrmLoyaltyTierHistory(models.Model):
    _name = "crm.loyalty.tier.history"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Loyalty Tier History"
    _order = "date desc, id desc"

    card_id = fields.Many2one("loyalty.card", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, index=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    tier_from_id = fields.Many2one("crm.loyalty.tier", string="From", ondelete="set null")
    tier_to_id = fields.Many2one("crm.loyalty.tier", string="To", ondelete="set null")
    direction = fields.Selection(
        [("up", "Upgrade"), ("down", "Downgrade"), ("grace", "Grace period started")],
        required=True,
    )
    metric = fields.Float(help="Points earned or spend over the window when evaluated.")
    notified = fields.Boolean(help="The member was told by e-mail (consent allowed it).")
