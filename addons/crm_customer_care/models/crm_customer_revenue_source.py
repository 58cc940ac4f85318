from odoo import api
from odoo import models
from odoo.tools import SQL

from ..report.crm_customer_revenue_report import revenue_lines_sql


class CrmCustomerRevenueSource(models.AbstractModel):
    """The one place the buying-habits analyses (RFM, affinity, association
    rules, next-best products, hits) read revenue from.

    It wraps the single revenue definition (``revenue_lines_sql`` of
    ``crm.customer.revenue.report``: posted customer invoice and credit-note
    product lines, ``-balance`` in company currency, commercial partner,
    accounting date), keeping the lines with a product.
    """

    _name = "crm.customer.revenue.source"
    _description = "Revenue Source of the Buying-Habits Analyses"

    @api.model
    def _revenue_lines_sql(self):
        """A subquery with one row per revenue line with a product:
        ``company_id``, ``partner_id`` (commercial partner), ``move_id``,
        ``date`` (accounting date), ``product_id``, ``categ_id``, ``amount``
        (company currency), read from the single revenue definition of
        ``crm.customer.revenue.report``."""
        self.env["account.move.line"].flush_model()
        self.env["account.move"].flush_model()
        self.env["product.product"].flush_model(["product_tmpl_id", "standard_price"])
        self.env["product.template"].flush_model(["categ_id", "uom_id"])
        self.env["res.partner"].flush_model(["segment_id"])
        return SQL(
            """
            (SELECT rv.company_id, rv.commercial_partner_id AS partner_id, rv.move_id,
                    rv.date, rv.product_id, rv.product_categ_id AS categ_id,
                    rv.revenue AS amount
               FROM (%s) rv
              WHERE rv.product_id IS NOT NULL)
            """,
            revenue_lines_sql(self.env),
        )
