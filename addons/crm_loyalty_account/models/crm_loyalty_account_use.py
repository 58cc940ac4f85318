from odoo import fields
from odoo import models

USE_KINDS = [
    ("redeem", "Redeemed"),
    ("clawback", "Clawed back"),
    ("adjust", "Adjusted"),
]


class CrmLoyaltyAccountUse(models.Model):
    """Why points left a lot: one row per lot each consumption took points
    from (``loyalty.card._loyalty_lots_consumed``), classified by the flow that
    consumed them: a redemption (a reward, an order's reward line), a
    claw-back (a credit note, a cancelled order, owed points paid off) or an
    adjustment by hand. Written by the server in one statement; never
    changed."""

    _name = "crm.loyalty.account.use"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Loyalty Points Lot Use"
    _order = "id"

    lot_id = fields.Many2one(
        "crm.loyalty.points.lot", required=True, index=True, ondelete="cascade"
    )
    card_id = fields.Many2one("loyalty.card", "Card", required=True, ondelete="cascade")
    company_id = fields.Many2one("res.company")
    points = fields.Float(required=True)
    kind = fields.Selection(USE_KINDS, required=True)
    res_model = fields.Char("Document Model")
    res_id = fields.Many2oneReference("Document", model_field="res_model")
