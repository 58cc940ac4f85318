from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_loyalty.models.crm_loyalty_redemption import (
    CrmLoyaltyRedemption as BaseRedemption,
)
from odoo.exceptions import UserError


class CrmLoyaltyRedemption(models.Model):
    """A conversion of points into the member's eWallet: a redemption of
    kind ``ewallet``, paid at once (points x the program's rate) and
    delivered."""

    _inherit = "crm.loyalty.redemption"

    kind = fields.Selection(
        selection_add=[("ewallet", "eWallet credit")],
        ondelete={"ewallet": "set default"},
        help="eWallet credit: the points go into the member's eWallet of the program's "
        "'Convert Points To' program at its rate, at once (the request is delivered).",
    )
    ewallet_card_id = fields.Many2one("loyalty.card", "eWallet", readonly=True)
    ewallet_amount = fields.Float("eWallet Credit", readonly=True)

    _ccare_workflow_fields = (
        *BaseRedemption._ccare_workflow_fields,
        "ewallet_card_id",
        "ewallet_amount",
    )

    @api.model
    def _loyalty_paid_fields(self):
        return super()._loyalty_paid_fields() | {"ewallet_card_id", "ewallet_amount"}

    def _loyalty_check_kind(self):
        res = super()._loyalty_check_kind()
        for request in self.filtered(lambda r: r.kind == "ewallet"):
            request._loyalty_check_ewallet()
        return res

    def _loyalty_deliver(self):
        res = super()._loyalty_deliver()
        self.filtered(lambda r: r.kind == "ewallet")._loyalty_credit_ewallet()
        return res

    def _loyalty_check_ewallet(self):
        self.ensure_one()
        if self.reward_id:
            raise UserError(self.env._("An eWallet conversion has no reward."))
        program = self.program_id.sudo()
        if not program.crm_ewallet_program_id or program.crm_ewallet_rate <= 0:
            raise UserError(
                self.env._(
                    "%(program)s does not convert points into an eWallet credit.",
                    program=program.display_name,
                )
            )

    def _loyalty_credit_ewallet(self):
        """Pay these eWallet conversions: the member's eWallet card (of the
        program's 'Convert Points To' program, created if needed) gets points
        x rate, keyed by the redemption (credited once), and the request is
        delivered."""
        Card = self.env["loyalty.card"].sudo()
        for request in self:
            request._loyalty_check_ewallet()
            program = request.program_id.sudo()
            wallet_program = program.crm_ewallet_program_id
            partner = request.partner_id.commercial_partner_id
            wallet = Card.search(
                [("program_id", "=", wallet_program.id), ("partner_id", "=", partner.id)],
                limit=1,
            ) or Card.create({"program_id": wallet_program.id, "partner_id": partner.id})
            wallet._loyalty_check_not_suspended()
            amount = wallet.currency_id.round(request.points * program.crm_ewallet_rate)
            wallet._loyalty_points_add(
                {wallet.id: amount},
                "other",
                self.env._("Points converted: %(name)s", name=request.name),
                origins={wallet.id: request},
            )
            with request._ccare_transition():
                request.write(
                    {"ewallet_card_id": wallet.id, "ewallet_amount": amount, "state": "done"}
                )
