from odoo import models
from odoo.addons.crm_relationship_programme.report.crm_relationship_effectiveness_report import (
    programme_period_sql,
)
from odoo.tools import SQL


class CrmRelationshipEffectivenessReport(models.Model):
    _inherit = "crm.relationship.effectiveness.report"
    _depends = {
        "crm.loyalty.account.entry": ["amount", "kind", "with_sale", "company_id", "lot_id"],
        "crm.loyalty.points.lot": ["date", "partner_id"],
    }

    def _loyalty_deferred_revenue_sql(self):
        """The points' share of the participant's sales deferred as a
        contract liability (crm_loyalty_account's sub-ledger): what was
        deferred when the lots earned with a sale over the programme period
        were issued, less what credit notes clawed back, in the programme
        company's currency. Redemption and breakage later recognise it as
        revenue of their own period, not of the sale."""
        return SQL(
            """
            SELECT sum(e.amount) AS amount
              FROM crm_loyalty_account_entry e
              JOIN crm_loyalty_points_lot l ON l.id = e.lot_id
              JOIN res_partner lp ON lp.id = l.partner_id
             WHERE e.with_sale AND e.kind IN ('issue', 'clawback')
               AND e.company_id = pr.company_id
               AND lp.commercial_partner_id = rp.commercial_partner_id
               AND %s
            """,
            programme_period_sql(SQL("l.date")),
        )
