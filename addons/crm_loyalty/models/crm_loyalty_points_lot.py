from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models
from odoo.fields import Domain

POINT_SOURCES = [
    ("sale", "Sale"),
    ("referral_converted", "Referral converted"),
    ("survey_answered", "Survey answered"),
    ("event_attended", "Programme event attended"),
    ("call_held", "Call held"),
    ("manual", "Manual adjustment"),
    ("refund", "Redemption cancelled"),
    ("other", "Other"),
]


class CrmLoyaltyPointsLot(models.Model):
    """One earning of points on a loyalty card, with its own expiry date.

    The card's ``points`` stays Odoo's balance and always equals the sum of
    ``remaining`` over its lots (see ``loyalty_ledger``); the lots say which
    points make it up and when each expires. Redemptions consume the oldest lots
    first; the expiry job zeroes the lots past their date and writes the
    expired points into the card's ``loyalty.history``.
    """

    _name = "crm.loyalty.points.lot"
    _description = "Loyalty Points Lot"
    _order = "date, id"
    _check_company_auto = True

    card_id = fields.Many2one(
        "loyalty.card", required=True, index=True, ondelete="cascade", readonly=True
    )
    program_id = fields.Many2one(related="card_id.program_id", store=True, index=True)
    partner_id = fields.Many2one(related="card_id.partner_id", store=True, index=True)
    company_id = fields.Many2one(related="card_id.company_id", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    expiry_date = fields.Date(index=True, readonly=True, help="Empty: never expires.")
    source = fields.Selection(POINT_SOURCES, required=True, default="other", readonly=True)
    description = fields.Char(readonly=True)
    points = fields.Float("Earned", required=True, readonly=True)
    consumed = fields.Float("Redeemed", default=0.0, readonly=True)
    expired = fields.Float(default=0.0, readonly=True)
    remaining = fields.Float(required=True, readonly=True)
    pending = fields.Float(
        default=0.0,
        readonly=True,
        help="Points still in the program's return window: not spendable, not expiring.",
    )
    release_date = fields.Date(readonly=True, help="When pending points become available.")
    order_id = fields.Many2one(
        "sale.order", readonly=True, index="btree_not_null", ondelete="set null"
    )
    redemption_id = fields.Many2one(
        "crm.loyalty.redemption",
        readonly=True,
        ondelete="set null",
        help="The cancelled redemption this lot refunds.",
    )
    warning_sent = fields.Boolean(
        default=False, readonly=True, help="The member was warned these points expire soon."
    )
    state = fields.Selection(
        [
            ("pending", "Pending"),
            ("open", "Open"),
            ("consumed", "Redeemed"),
            ("expired", "Expired"),
        ],
        compute="_compute_state",
    )

    _points_positive = models.Constraint("CHECK (points > 0)", "A points lot must earn points.")
    _remaining_range = models.Constraint(
        "CHECK (remaining >= 0 AND remaining <= points + 0.0001"
        " AND coalesce(pending, 0) >= 0"
        " AND abs(points - consumed - expired - remaining - coalesce(pending, 0)) < 0.0001)",
        "A points lot cannot be redeemed or expire beyond what it earned.",
    )
    _open_expiry_idx = models.Index("(expiry_date, card_id) WHERE remaining > 0")
    _pending_release_idx = models.Index("(release_date, card_id) WHERE pending > 0")
    # the tier review's window totals, a chunk of cards at a time: read from
    # the index alone (else each chunk scans every lot)
    _tier_window_idx = models.Index(
        "(card_id, date) INCLUDE (points) WHERE source != 'refund' AND coalesce(pending, 0) = 0"
    )
    # a redemption is refunded once, whatever writes its state
    _refund_unique = models.UniqueIndex(
        "(redemption_id) WHERE redemption_id IS NOT NULL",
        "This redemption has already been refunded.",
    )

    def _compute_state(self):
        for lot in self:
            if lot.pending > 0:
                lot.state = "pending"
            elif lot.remaining > 0:
                lot.state = "open"
            elif lot.expired > 0:
                lot.state = "expired"
            else:
                lot.state = "consumed"

    @api.model
    def _loyalty_pending_domain(self):
        """THE definition of "pending": lots whose points wait for their
        order's return window to close (not spendable yet, not expiring).
        The card's Pending figure is their sum, its Next Release their
        first release date (the card form and the portal page)."""
        return Domain("pending", ">", 0)

    @api.model
    def _loyalty_expiring_soon_domain(self, today=None, programs=None):
        """THE definition of "expiring soon": lots with points left that
        expire between today and the end of their program's warning period
        (Warn Before Expiry, ``crm_expiry_warning_days``; never when it is
        0), the points the expiry warning e-mail tells the member about. The
        card's Expiring Soon figure, the portal's list and the manager
        dashboard's tile all read it. One query (the programs' periods), or
        none when ``programs`` is given: then only their lots, with the
        periods read from them."""
        today = today or fields.Date.context_today(self)
        if programs is not None:
            programs = programs.sudo()
            periods = {days for days in programs.mapped("crm_expiry_warning_days") if days > 0}
        else:
            periods = [
                days
                for [days] in self.env["loyalty.program"]
                .sudo()
                .with_context(active_test=False)
                ._read_group([("crm_expiry_warning_days", ">", 0)], ["crm_expiry_warning_days"])
            ]
        return (
            (Domain("program_id", "in", programs.ids) if programs is not None else Domain.TRUE)
            & Domain("remaining", ">", 0)
            & Domain("expiry_date", ">=", today)
            & Domain.OR(
                Domain("program_id.crm_expiry_warning_days", "=", days)
                & Domain("expiry_date", "<=", today + relativedelta(days=days))
                for days in sorted(periods)
            )
        )
