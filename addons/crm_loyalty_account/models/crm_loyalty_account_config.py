from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import SQL

ACCOUNTANT_GROUPS = ("account.group_account_user", "account.group_account_manager")


class CrmLoyaltyAccountConfig(models.Model):
    """How one loyalty program's points go into one company's books: the
    contract liability, revenue and marketing expense accounts, the journal,
    the stand-alone selling price of a point and the expected redemption
    rate (estimated from the program's closed lots, or set by hand)."""

    _name = "crm.loyalty.account.config"
    _description = "Loyalty Points Accounting"
    _order = "company_id, program_id"
    _check_company_auto = True

    program_id = fields.Many2one(
        "loyalty.program", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    active = fields.Boolean(default=True)
    liability_account_id = fields.Many2one(
        "account.account",
        "Contract Liability Account",
        required=True,
        check_company=True,
        help="Points issued and not yet redeemed, expired or broken (a current liability).",
    )
    revenue_account_id = fields.Many2one(
        "account.account",
        "Revenue Account",
        required=True,
        check_company=True,
        help="Debited with the points' share of a sale when points are issued; credited when "
        "they are redeemed, broken or expire.",
    )
    expense_account_id = fields.Many2one(
        "account.account",
        "Marketing Expense Account",
        required=True,
        check_company=True,
        help="Debited for points given without a sale (activities, referrals, manual grants).",
    )
    opening_account_id = fields.Many2one(
        "account.account",
        "Opening Balance Account",
        check_company=True,
        help="Debited with the liability of the lots earned before Account Lots From, brought "
        "in as an opening balance; empty: the company's undistributed profits/losses account.",
    )
    journal_id = fields.Many2one(
        "account.journal",
        required=True,
        check_company=True,
        domain="[('type', '=', 'general')]",
    )
    point_value = fields.Float(
        "Stand-alone Selling Price of a Point",
        digits=(16, 6),
        required=True,
        help="In the company's currency: what a point would sell for on its own.",
    )
    date_start = fields.Date(
        "Account Lots From",
        help="Lots earned before this date come into the books as an opening balance, dated the "
        "day before: what they still owed then, in one journal entry.",
    )
    use_manual_rate = fields.Boolean(
        "Set Redemption Rate by Hand",
        help="Required while the program has fewer closed lots than the minimum history.",
    )
    manual_rate = fields.Float("Manual Redemption Rate", digits=(16, 4))
    min_history_lots = fields.Integer(
        "Minimum History (lots)",
        default=100,
        help="Closed lots (fully redeemed or expired) the estimate needs; below it, set the "
        "rate by hand.",
    )
    estimated_rate = fields.Float(
        compute="_compute_estimated_rate",
        digits=(16, 4),
        help="Points redeemed / (redeemed + expired) over the program's closed lots in this "
        "company.",
    )
    history_lots = fields.Integer("Closed Lots", compute="_compute_estimated_rate")
    redemption_rate = fields.Float(
        "Expected Redemption Rate",
        compute="_compute_estimated_rate",
        digits=(16, 4),
        help="The rate the postings use: the manual one if set, else the estimate.",
    )

    _program_company_unique = models.Constraint(
        "UNIQUE(program_id, company_id)",
        "A program has one accounting configuration per company.",
    )
    _values_valid = models.Constraint(
        "CHECK (point_value >= 0 AND manual_rate >= 0 AND manual_rate <= 1"
        " AND min_history_lots >= 0)",
        "The point value is not negative and a rate lies between 0 and 100 %.",
    )

    @api.depends("program_id", "company_id")
    def _compute_display_name(self):
        for config in self:
            config.display_name = f"{config.program_id.name} ({config.company_id.name})"

    @api.depends("program_id", "company_id", "use_manual_rate", "manual_rate", "min_history_lots")
    def _compute_estimated_rate(self):
        history = self._loyalty_rate_history()
        for config in self:
            redeemed, expired, count = history.get(
                (config.program_id.id, config.company_id.id), (0.0, 0.0, 0)
            )
            config.history_lots = count
            config.estimated_rate = redeemed / (redeemed + expired) if redeemed + expired else 0.0
            config.redemption_rate = (
                config.manual_rate if config.use_manual_rate else config.estimated_rate
            )

    def _loyalty_rate_history(self):
        """``{(program_id, company_id): (redeemed, expired, closed lots)}``
        over the closed lots (nothing remaining, nothing pending) of these
        configurations' programs (lots of the company, or of no company), in
        one query. Claw-backs and adjustments
        are not redemptions."""
        if not self.program_id:
            return {}
        self.env["crm.loyalty.points.lot"].flush_model()
        self.env["crm.loyalty.account.use"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.program_id, l.company_id,
                       sum(l.consumed - coalesce(u.other, 0)), sum(l.expired), count(*)
                  FROM crm_loyalty_points_lot l
             LEFT JOIN (SELECT lot_id, sum(points) AS other FROM crm_loyalty_account_use
                         WHERE kind != 'redeem' GROUP BY lot_id) u ON u.lot_id = l.id
                 WHERE l.program_id = ANY(%s) AND l.remaining = 0
                       AND coalesce(l.pending, 0) = 0
              GROUP BY 1, 2
                """,
                self.program_id.ids,
            )
        )
        history = {}
        for config in self:
            redeemed = expired = count = 0
            for program_id, company_id, r, e, n in rows:
                if program_id == config.program_id.id and company_id in (
                    config.company_id.id,
                    None,
                ):
                    redeemed, expired, count = redeemed + (r or 0), expired + (e or 0), count + n
            history[(config.program_id.id, config.company_id.id)] = (redeemed, expired, count)
        return history

    def _loyalty_opening_account(self):
        """The counterpart of the opening balance: the account set, else the
        company's undistributed profits/losses (Odoo's own opening entry
        balances there too)."""
        self.ensure_one()
        return self.opening_account_id or self.company_id.get_unaffected_earnings_account()

    def _loyalty_usable_rate(self):
        """The redemption rate to post with, or None when the history is too
        short and no rate was set by hand."""
        self.ensure_one()
        if self.use_manual_rate:
            return self.manual_rate
        if self.history_lots < self.min_history_lots:
            return None
        return self.estimated_rate

    @api.constrains("use_manual_rate", "min_history_lots", "program_id")
    def _check_rate(self):
        for config in self:
            if not config.use_manual_rate and config.history_lots < config.min_history_lots:
                raise ValidationError(
                    self.env._(
                        "%(program)s has %(count)s closed lots, fewer than the minimum history "
                        "of %(minimum)s: set the expected redemption rate by hand.",
                        program=config.program_id.display_name,
                        count=config.history_lots,
                        minimum=config.min_history_lots,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_posted(self):
        """The sub-ledger keeps its configuration: archive it instead."""
        posted = (
            self.env["crm.loyalty.account.entry"]
            .sudo()
            .search_count([("config_id", "in", self.ids)], limit=1)
        )
        if posted:
            raise UserError(
                self.env._(
                    "These programs have points in the books: archive their configuration "
                    "instead of deleting it."
                )
            )

    @api.model
    def _loyalty_check_accountant(self):
        if not any(self.env.user.has_group(group) for group in ACCOUNTANT_GROUPS):
            raise AccessError(
                self.env._("Only accountants may post the points liability to the books.")
            )

    def action_crm_post_liability(self, date=None):
        """Post the points liability of these programs up to ``date``
        (today): accountants only; queued in chunks of lots."""
        self.check_access("read")
        self._loyalty_check_accountant()
        if not self:
            raise UserError(self.env._("Choose the programs to post."))
        for config in self:
            if config._loyalty_usable_rate() is None:
                raise UserError(
                    self.env._(
                        "%(program)s needs an expected redemption rate set by hand.",
                        program=config.program_id.display_name,
                    )
                )
        return (
            self.env["crm.loyalty.points.lot"]
            .sudo()
            ._loyalty_account_enqueue(self.sudo(), date=date)
        )

    @api.model
    def _cron_post_liability(self, chunk_size=10000):
        configs = self.search([])
        return self.env["crm.loyalty.points.lot"]._loyalty_account_enqueue(
            configs, chunk_size=chunk_size
        )
