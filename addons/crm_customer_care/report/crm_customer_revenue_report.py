from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

MANAGER_GROUP = "crm_customer_care.group_crm_customer_care_manager"


def revenue_lines_sql(env):
    """The one definition of revenue, as SQL (one row per invoice line).

    Every figure that shows revenue reads this, through the report model or,
    inside other SQL views, by embedding this query:

    - posted customer invoices and credit notes (``out_invoice``,
      ``out_refund``), product lines only (no taxes, sections, notes,
      rounding or payment-term lines);
    - amount = ``-balance`` of the line: in the company currency at the
      invoice's rate, credit notes negative by themselves;
    - period rule: the accounting date of the entry (``account_move.date``,
      which is the invoice date unless a lock date moved it);
    - customer = the commercial partner of the invoice (a contact invoiced
      on its own counts for its company);
    - cost = signed quantity (in the product's unit) times the product's
      cost price in the invoice's company as it is today: the P&L's cost of
      goods, so revenue - cost is the P&L's gross margin.
    """
    Move = env["account.move"]
    # the invoice's sales team when Sales is installed, else the
    # salesperson's (first active membership, as the call compliance does)
    member_team = SQL(
        "(SELECT tm.crm_team_id FROM crm_team_member tm"
        " WHERE tm.user_id = m.invoice_user_id AND tm.active ORDER BY tm.id LIMIT 1)"
    )
    team = (
        SQL("coalesce(m.team_id, %s)", member_team)
        if "team_id" in Move._fields and Move._fields["team_id"].store
        else member_team
    )
    return SQL(
        """
        SELECT l.id AS id,
               l.move_id AS move_id,
               m.move_type AS move_type,
               m.commercial_partner_id AS commercial_partner_id,
               m.partner_id AS partner_id,
               l.company_id AS company_id,
               l.company_currency_id AS currency_id,
               m.invoice_date AS invoice_date,
               l.date AS date,
               l.product_id AS product_id,
               pt.categ_id AS product_categ_id,
               m.invoice_user_id AS user_id,
               %(team)s AS team_id,
               cp.segment_id AS segment_id,
               (CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END)
                   * l.quantity * coalesce(line_uom.factor / nullif(product_uom.factor, 0), 1)
                   AS quantity,
               -l.balance AS revenue,
               (CASE WHEN m.move_type = 'out_refund' THEN -1 ELSE 1 END)
                   * l.quantity * coalesce(line_uom.factor / nullif(product_uom.factor, 0), 1)
                   * coalesce((pp.standard_price ->> l.company_id::text)::numeric, 0) AS cost
          FROM account_move_line l
          JOIN account_move m ON m.id = l.move_id
          JOIN res_partner cp ON cp.id = m.commercial_partner_id
     LEFT JOIN product_product pp ON pp.id = l.product_id
     LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
     LEFT JOIN uom_uom line_uom ON line_uom.id = l.product_uom_id
     LEFT JOIN uom_uom product_uom ON product_uom.id = pt.uom_id
         WHERE m.state = 'posted'
           AND m.move_type IN ('out_invoice', 'out_refund')
           AND l.display_type = 'product'
        """,
        team=team,
    )


class CrmCustomerRevenueReport(models.Model):
    """Revenue per invoice line: the single source of every revenue figure
    (segment analysis, dashboards, and the features that read revenue:
    scores, P&L, referrals, reviews, effectiveness). See ``revenue_lines_sql`` for the rules."""

    _name = "crm.customer.revenue.report"
    _description = "Customer Revenue"
    _auto = False
    _rec_name = "move_id"
    _order = "date desc, id desc"
    _depends = {
        "account.move": [
            "move_type",
            "state",
            "commercial_partner_id",
            "partner_id",
            "invoice_date",
            "invoice_user_id",
        ],
        "account.move.line": [
            "move_id",
            "company_id",
            "company_currency_id",
            "date",
            "display_type",
            "product_id",
            "product_uom_id",
            "quantity",
            "balance",
        ],
        "res.partner": ["segment_id"],
        "product.product": ["standard_price", "product_tmpl_id"],
        "product.template": ["categ_id", "uom_id"],
    }

    move_id = fields.Many2one("account.move", "Invoice", readonly=True)
    move_type = fields.Selection(
        [("out_invoice", "Invoice"), ("out_refund", "Credit Note")], "Type", readonly=True
    )
    commercial_partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    partner_id = fields.Many2one("res.partner", "Invoiced Contact", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", "Company Currency", readonly=True)
    invoice_date = fields.Date(readonly=True)
    date = fields.Date(
        "Accounting Date",
        readonly=True,
        help="The period rule of every revenue figure: the entry's accounting date.",
    )
    product_id = fields.Many2one("product.product", readonly=True)
    product_categ_id = fields.Many2one("product.category", "Product Category", readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", "Sales Team", readonly=True)
    segment_id = fields.Many2one(
        "crm.customer.segment",
        "Segment",
        readonly=True,
        help="The customer's segment today (segments at the time are in the segment history).",
    )
    quantity = fields.Float(readonly=True, aggregator="sum")
    revenue = fields.Monetary(
        readonly=True,
        aggregator="sum",
        help="Untaxed amount in the company currency; credit notes negative.",
    )
    cost = fields.Monetary(
        "Cost of Goods", readonly=True, aggregator="sum", help="Quantity times today's cost price."
    )
    margin = fields.Monetary("Gross Margin", readonly=True, aggregator="sum")

    @property
    def _table_query(self):
        return SQL(
            "SELECT r.*, r.revenue - r.cost AS margin FROM (%s) r", revenue_lines_sql(self.env)
        )

    @api.model
    def _ccare_totals(self, domain, groupby=("commercial_partner_id",)):
        """``{group key: (revenue, cost)}`` over ``domain``, superuser, one
        query: the helper the other figures call (they apply the company
        and period themselves). Keys are ids (or a tuple of ids)."""
        rows = self.sudo()._read_group(domain, list(groupby), ["revenue:sum", "cost:sum"])
        result = {}
        for *keys, revenue, cost in rows:
            ids = tuple(key.id if isinstance(key, models.BaseModel) else key for key in keys)
            result[ids[0] if len(ids) == 1 else ids] = (revenue or 0.0, cost or 0.0)
        return result
