from odoo import api
from odoo import models
from odoo.tools import SQL


class CrmCustomerRevenueSource(models.AbstractModel):
    """The one place the buying-habits analyses (RFM, affinity, association
    rules, next-best products, hits) read revenue from.

    Today: the product lines of posted customer invoices and credit notes,
    in company currency (the signed ``balance`` negated: an invoice line is
    positive, a credit-note line negative), per commercial partner. When the
    revenue report of the figures issue lands, only ``_revenue_lines_sql``
    changes to select from it.
    """

    _name = "crm.customer.revenue.source"
    _description = "Revenue Source of the Buying-Habits Analyses"

    @api.model
    def _revenue_lines_sql(self):
        """A subquery with one row per revenue line: ``company_id``,
        ``partner_id`` (commercial partner), ``move_id``, ``date``,
        ``product_id``, ``categ_id``, ``amount`` (company currency)."""
        self.env["account.move.line"].flush_model(
            ["move_id", "company_id", "product_id", "balance", "display_type", "parent_state"]
        )
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "move_type", "state", "invoice_date"]
        )
        self.env["product.product"].flush_model(["product_tmpl_id"])
        self.env["product.template"].flush_model(["categ_id"])
        return SQL(
            """
            (SELECT aml.company_id, am.commercial_partner_id AS partner_id,
                    aml.move_id, am.invoice_date AS date, aml.product_id,
                    pt.categ_id, -aml.balance AS amount
               FROM account_move_line aml
               JOIN account_move am ON am.id = aml.move_id
               JOIN product_product pp ON pp.id = aml.product_id
               JOIN product_template pt ON pt.id = pp.product_tmpl_id
              WHERE am.state = 'posted'
                AND am.move_type IN ('out_invoice', 'out_refund')
                AND aml.display_type = 'product'
                AND am.commercial_partner_id IS NOT NULL)
            """
        )
