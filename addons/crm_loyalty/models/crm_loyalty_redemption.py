from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError


class CrmLoyaltyRedemption(models.Model):
    """A member's request to redeem points for a reward (from the portal or
    by staff). The points are taken from the card when the request is made
    (locked, oldest lots first), so two requests can never spend the same
    points; cancelling gives them back as a new lot."""

    _name = "crm.loyalty.redemption"
    _description = "Loyalty Redemption Request"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    card_id = fields.Many2one(
        "loyalty.card", required=True, index=True, ondelete="restrict", check_company=True
    )
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, index=True)
    program_id = fields.Many2one(related="card_id.program_id", store=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    reward_id = fields.Many2one(
        "loyalty.reward", domain="[('program_id', '=', program_id)]", ondelete="restrict"
    )
    points = fields.Float(required=True)
    note = fields.Text()
    state = fields.Selection(
        [("requested", "Requested"), ("done", "Delivered"), ("cancel", "Cancelled")],
        default="requested",
        required=True,
        tracking=True,
    )
    source = fields.Selection([("portal", "Portal"), ("backend", "Staff")], default="backend")

    _points_positive = models.Constraint(
        "CHECK (points > 0)", "A redemption must spend a positive number of points."
    )

    @api.depends("reward_id", "points")
    def _compute_name(self):
        for request in self:
            request.name = request.reward_id.description or self.env._(
                "%(points)s points", points=request.points
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("points") and vals.get("reward_id"):
                vals["points"] = (
                    self.env["loyalty.reward"].browse(vals["reward_id"]).required_points
                )
        requests = super().create(vals_list)
        for request in requests:
            # one lock per card: the balance check and the debit are atomic
            request.card_id._crm_points_redeem(
                request.points,
                self.env._("Redemption: %(name)s", name=request.name),
                origin=request,
            )
        requests._crm_mark_participants()
        return requests

    def _crm_mark_participants(self):
        self.env["crm.relationship.participant"].sudo()._crm_mark_partners(
            self.partner_id, "redeemed"
        )

    def action_done(self):
        self.filtered(lambda r: r.state == "requested").state = "done"

    def action_cancel(self):
        for request in self:
            if request.state != "requested":
                raise UserError(self.env._("Only a pending redemption can be cancelled."))
        for request in self:
            request.card_id._crm_points_add(
                {request.card_id.id: request.points},
                "refund",
                self.env._("Cancelled redemption: %(name)s", name=request.name),
            )
        self.state = "cancel"
