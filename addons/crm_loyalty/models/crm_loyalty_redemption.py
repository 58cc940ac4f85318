from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


class CrmLoyaltyRedemption(models.Model):
    """A member's request to redeem points for a reward (from the portal or
    by staff). The points are taken from the card when the request is made
    (locked, oldest lots first), so two requests can never spend the same
    points; cancelling gives them back as a new lot."""

    _name = "crm.loyalty.redemption"
    _description = "Loyalty Redemption Request"
    _inherit = ["mail.thread", "crm.customer.care.workflow.mixin"]
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
    # what the points pay for: an addon adds its kind (selection_add) and
    # delivers it in ``_loyalty_check_kind`` / ``_loyalty_deliver``
    kind = fields.Selection([("reward", "Reward")], default="reward", required=True)
    coupon_id = fields.Many2one(
        "loyalty.card",
        "Coupon",
        readonly=True,
        help="The coupon code this redemption issued (programs that redeem as coupon codes).",
    )
    coupon_code = fields.Char(related="coupon_id.code", string="Coupon Code")
    refund_lot_ids = fields.One2many("crm.loyalty.points.lot", "redemption_id", readonly=True)
    consumed_lot_ids = fields.One2many(
        "crm.loyalty.redemption.lot",
        "redemption_id",
        string="Lots Consumed",
        readonly=True,
        help="The points lots this redemption took its points from (oldest first).",
    )
    request_key = fields.Char(
        readonly=True,
        copy=False,
        help="The key of the request that made it (the portal form's): a request sent twice "
        "(a double click, a retry) makes one redemption.",
    )

    _ccare_workflow_fields = (
        "state",
        "points",
        "card_id",
        "reward_id",
        "request_key",
        "kind",
        "coupon_id",
    )

    _request_unique = models.UniqueIndex(
        "(card_id, request_key) WHERE request_key IS NOT NULL",
        "This redemption request has already been made.",
    )

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
        """Request a redemption: the points are the reward's (or, without a
        reward, the ones asked for) and leave the card at once."""
        Reward = self.env["loyalty.reward"]
        for vals in vals_list:
            if vals.get("state", "requested") != "requested":
                self._ccare_refuse({"state"})
            paid = self._loyalty_paid_fields() & {k for k, v in vals.items() if v}
            if paid:
                self._ccare_refuse(paid)
            if vals.get("reward_id"):
                required = Reward.browse(vals["reward_id"]).required_points
                if vals.get("points") and abs(vals["points"] - required) > 0.0001:
                    raise UserError(
                        self.env._(
                            "This reward costs %(required)s points, not %(points)s.",
                            required=required,
                            points=vals["points"],
                        )
                    )
                vals["points"] = required
        with self._ccare_transition():
            requests = super().create(vals_list)
        requests._loyalty_check_kind()
        for request in requests:
            # one lock per card: the balance check and the debit are atomic
            request.card_id._loyalty_points_redeem(
                request.points,
                self.env._("Redemption: %(name)s", name=request.name),
                origin=request,
            )
        requests._loyalty_deliver()
        requests._loyalty_mark_participants()
        return requests

    @api.model
    def _loyalty_paid_fields(self):
        """Extension point: the fields the server fills when it delivers a
        request (a coupon, a credit); a create that sets one is refused. An
        addon adding a kind adds the fields it fills."""
        return {"coupon_id"}

    def _loyalty_check_kind(self):
        """Extension point: refuse (``UserError``) the new requests of
        ``self`` that their kind does not allow, before their points leave
        the card, as the user who asked. Here: a reward the card is not
        allowed; an addon adding a kind checks its own requests."""
        for request in self.filtered("reward_id"):
            request.card_id._loyalty_check_reward_allowed(request.reward_id)

    def _loyalty_deliver(self):
        """Extension point: pay the new requests of ``self`` whose points
        just left their cards, once each (a kind that pays at once marks its
        requests delivered). Here: rewards of a program that redeems as
        coupon codes; an addon adding a kind pays its own requests."""
        self.filtered(
            lambda r: r.kind == "reward" and r.reward_id and r.program_id.sudo().crm_issue_coupons
        )._loyalty_issue_coupons()

    def _loyalty_issue_coupons(self):
        """Issue each redemption's reward as an Odoo coupon: a card of the
        program's reward coupons program, for the member, holding the
        reward's points (keyed by the redemption: issued once); staff enter
        its code on an order as any coupon. The request is delivered."""
        Card = self.env["loyalty.card"].sudo()
        for request in self:
            program = request.program_id.sudo()
            reward = program._loyalty_coupon_reward(request.reward_id)
            coupon = Card.create(
                {
                    "program_id": reward.program_id.id,
                    "partner_id": request.partner_id.commercial_partner_id.id,
                }
            )
            coupon._loyalty_points_add(
                {coupon.id: reward.required_points},
                "other",
                self.env._("Redemption: %(name)s", name=request.name),
                origins={coupon.id: request},
            )
            with request._ccare_transition():
                request.write({"coupon_id": coupon.id, "state": "done"})

    def _loyalty_mark_participants(self):
        """Extension point: the members of these delivered requests redeemed
        a reward (relationship programmes record it)."""

    def _loyalty_lock_pending(self):
        """Lock the rows and return those still pending in the database (a
        concurrent transition waits here, then sees the new state)."""
        self.flush_recordset(["state"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id FROM crm_loyalty_redemption WHERE id = ANY(%s) AND state = 'requested'"
                " ORDER BY id FOR NO KEY UPDATE",
                self.ids,
            )
        )
        self.invalidate_recordset(["state"])
        return self.browse([row[0] for row in rows])

    def action_done(self):
        """Deliver: the card must still be allowed the reward
        (``_loyalty_check_reward_allowed``: a member downgraded below a tier-only
        reward since the request is refused; cancel it)."""
        self.check_access("write")
        pending = self._loyalty_lock_pending()
        for request in pending.filtered("reward_id"):
            request.card_id._loyalty_check_reward_allowed(request.reward_id)
        with pending._ccare_transition():
            pending.write({"state": "done"})

    def action_cancel(self):
        """Cancel pending requests and give their points back: one refund lot
        per redemption (the database refuses a second one) and one
        statement line per card."""
        self.check_access("write")
        pending = self._loyalty_lock_pending()
        if pending != self:
            raise UserError(self.env._("Only a pending redemption can be cancelled."))
        with self._ccare_transition():
            self.write({"state": "cancel"})
        self.env["loyalty.card"].sudo()._loyalty_points_refund(self.sudo())

    @api.ondelete(at_uninstall=False)
    def _unlink_except_pending_or_delivered(self):
        if any(request.state != "cancel" for request in self):
            raise UserError(
                self.env._(
                    "A pending or delivered redemption cannot be deleted: its points left the "
                    "card. Cancel it (which refunds them) instead."
                )
            )


class CrmLoyaltyRedemptionLot(models.Model):
    """Which lots a redemption consumed, and how many points of each: the
    audit trail from a reward back to the earnings that paid for it.
    Written by the server when the points leave the card; never changed."""

    _name = "crm.loyalty.redemption.lot"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Loyalty Redemption Lot"
    _order = "redemption_id, id"
    _check_company_auto = True

    redemption_id = fields.Many2one(
        "crm.loyalty.redemption", required=True, index=True, ondelete="cascade"
    )
    lot_id = fields.Many2one("crm.loyalty.points.lot", required=True, ondelete="cascade")
    card_id = fields.Many2one(related="redemption_id.card_id", store=True)
    company_id = fields.Many2one(related="redemption_id.company_id", store=True)
    lot_date = fields.Date(related="lot_id.date", string="Earned On")
    lot_source = fields.Selection(related="lot_id.source", string="Source")
    points = fields.Float(required=True)
