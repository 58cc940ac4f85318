from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

ROLL_FORWARD = ("issued", "redeemed", "broken", "expired", "clawed", "adjusted")
KIND_COLUMNS = {
    "issued": "issue",
    "redeemed": "redeem",
    "broken": "breakage",
    "expired": "expire",
    "clawed": "clawback",
    "adjusted": "adjust",
}
NOT_OVER_PERIODS = "Adds up over programs, not over periods: group by month to read it."


class CrmLoyaltyAccountReport(models.Model):
    """The points liability roll-forward: per company, program and month,
    the opening balance, what was issued, redeemed, broken, expired, clawed
    back and adjusted, and the closing balance, in points and in money
    (company currency), read from the sub-ledger
    (``crm.loyalty.account.entry``) whose journal entries make the general
    ledger balance of the liability account. Releases are negative."""

    _name = "crm.loyalty.account.report"
    _description = "Points Liability Roll-forward"
    _auto = False
    _order = "date desc, company_id, program_id"
    _rec_name = "program_id"

    date = fields.Date("Period", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    program_id = fields.Many2one("loyalty.program", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    opening_points = fields.Float(readonly=True, help=NOT_OVER_PERIODS)
    issued_points = fields.Float(readonly=True)
    redeemed_points = fields.Float(readonly=True)
    broken_points = fields.Float(readonly=True, help="Breakage moves money, never points.")
    expired_points = fields.Float(readonly=True)
    clawed_points = fields.Float("Clawed Back Points", readonly=True)
    adjusted_points = fields.Float(readonly=True)
    closing_points = fields.Float(
        readonly=True, help="Points outstanding in the books. " + NOT_OVER_PERIODS
    )
    opening_amount = fields.Monetary("Opening", readonly=True, help=NOT_OVER_PERIODS)
    issued_amount = fields.Monetary("Issued", readonly=True)
    redeemed_amount = fields.Monetary("Redeemed", readonly=True)
    broken_amount = fields.Monetary(
        "Breakage",
        readonly=True,
        help="Revenue for the points never expected to be redeemed, recognised in proportion "
        "to redemptions and re-assessed at each posting.",
    )
    expired_amount = fields.Monetary("Expired", readonly=True)
    clawed_amount = fields.Monetary("Clawed Back", readonly=True)
    adjusted_amount = fields.Monetary("Adjustments", readonly=True)
    is_last = fields.Boolean(
        "Latest Period",
        readonly=True,
        help="The program's last month in the books: its closing is the liability today.",
    )
    breakage_rate = fields.Float(
        "Breakage Rate (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Breakage and expiry recognised to date over the deferred value issued to date "
        "(net of claw-backs and adjustments): the share of the points' value never redeemed.",
    )
    closing_amount = fields.Monetary(
        "Closing",
        readonly=True,
        help="The contract liability: the open lots' deferred value, equal to the general "
        "ledger balance of the liability account. " + NOT_OVER_PERIODS,
    )

    def _query(self):
        flows = SQL(", ").join(
            SQL(
                "coalesce(sum(e.points) FILTER (WHERE e.kind = %(kind)s), 0) AS %(p)s,"
                " coalesce(sum(e.amount) FILTER (WHERE e.kind = %(kind)s), 0) AS %(a)s",
                kind=kind,
                p=SQL.identifier(f"{name}_points"),
                a=SQL.identifier(f"{name}_amount"),
            )
            for name, kind in KIND_COLUMNS.items()
        )
        selected = SQL(", ").join(
            SQL.identifier(f"{name}_{unit}")
            for name in ROLL_FORWARD
            for unit in ("points", "amount")
        )
        return SQL(
            """
            WITH months AS (
                SELECT e.company_id, e.program_id, date_trunc('month', e.date)::date AS date,
                       %(flows)s, sum(e.points) AS net_points, sum(e.amount) AS net_amount
                  FROM crm_loyalty_account_entry e
              GROUP BY 1, 2, 3
            )
            SELECT row_number() OVER (ORDER BY m.date, m.company_id, m.program_id) AS id,
                   m.date, m.company_id, m.program_id, c.currency_id, %(selected)s,
                   sum(m.net_points) OVER w - m.net_points AS opening_points,
                   sum(m.net_points) OVER w AS closing_points,
                   sum(m.net_amount) OVER w - m.net_amount AS opening_amount,
                   sum(m.net_amount) OVER w AS closing_amount,
                   m.date = max(m.date) OVER (PARTITION BY m.company_id, m.program_id)
                       AS is_last,
                   round((100 * -sum(m.broken_amount + m.expired_amount) OVER w
                          / nullif(sum(m.issued_amount + m.clawed_amount + m.adjusted_amount)
                                   OVER w, 0))::numeric, 1) AS breakage_rate
              FROM months m
              JOIN res_company c ON c.id = m.company_id
            WINDOW w AS (PARTITION BY m.company_id, m.program_id ORDER BY m.date)
            """,
            flows=flows,
            selected=selected,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
