from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.report.crm_customer_revenue_report import revenue_lines_sql
from odoo.tools import SQL

from ..models.res_partner_referral import NETWORK_MEMBER_SQL
from ..models.res_partner_referral import referral_network_sql


class CrmCustomerReferralReport(models.Model):
    """Referrals analysis: one row per referrer, what its referrals brought.

    The same figures as the "Referrals" tab of the contact form: direct
    referrals, the whole network, referred leads and how many
    were won, referred customers who bought (a posted customer invoice) and
    their revenue (``crm.customer.revenue.report``, all time, in the
    current company).
    """

    _name = "crm.customer.referral.report"
    _description = "Referrals Analysis"
    _auto = False
    _rec_name = "referrer_id"
    _order = "referral_count desc, referrer_id"
    _depends = {
        "crm.customer.revenue.report": ["revenue", "company_id", "commercial_partner_id"],
        "res.partner": ["referred_by_id", "company_id", "commercial_partner_id", "active"],
        "crm.lead": ["referred_by_id", "won_status"],
    }

    referrer_id = fields.Many2one("res.partner", string="Referrer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    country_id = fields.Many2one("res.country", string="Country", readonly=True)
    company_id = fields.Many2one("res.company", string="Company", readonly=True)
    is_company = fields.Boolean(string="Referrer is a Company", readonly=True)
    referral_count = fields.Integer(string="Referrals", readonly=True)
    network_count = fields.Integer(
        string="Referral Network",
        readonly=True,
        help="Referrals over every level: direct referrals, theirs, and so on.",
    )
    lead_count = fields.Integer(string="Leads", readonly=True)
    won_lead_count = fields.Integer(string="Won Leads", readonly=True)
    lead_conversion = fields.Float(
        string="Conversion (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Referred leads won / referred leads (lost ones included).",
    )
    customer_count = fields.Integer(
        string="Customers Who Bought",
        readonly=True,
        help="Direct referrals with a posted customer invoice.",
    )
    revenue = fields.Float(
        groups="crm_customer_care.group_crm_customer_care_manager",
        string="Referred Revenue",
        readonly=True,
        digits="Account",
        help="Posted customer invoices of the direct referrals, untaxed, net of "
        "refunds, in company currency.",
    )

    @property
    def _table_query(self):
        return self._query()

    def _query(self):
        return SQL(
            """
            WITH RECURSIVE %(network)s, %(sales)s,
            referrers AS (
                SELECT referrer_id FROM referrals
                 UNION
                SELECT referrer_id FROM leads
            )
            SELECT ref.id AS id,
                   ref.id AS referrer_id,
                   ref.user_id,
                   ref.country_id,
                   ref.company_id,
                   COALESCE(ref.is_company, FALSE) AS is_company,
                   COALESCE(rc.referral_count, 0) AS referral_count,
                   COALESCE(nc.network_count, 0) AS network_count,
                   COALESCE(l.lead_count, 0) AS lead_count,
                   COALESCE(l.won_lead_count, 0) AS won_lead_count,
                   CASE WHEN COALESCE(l.lead_count, 0) > 0
                        THEN 100.0 * l.won_lead_count / l.lead_count
                        ELSE 0.0 END AS lead_conversion,
                   COALESCE(c.customer_count, 0) AS customer_count,
                   COALESCE(c.revenue, 0.0) AS revenue
              FROM referrers r
              JOIN res_partner ref ON ref.id = r.referrer_id
         LEFT JOIN referrals rc ON rc.referrer_id = ref.id
         LEFT JOIN network_counts nc ON nc.referrer_id = ref.id
         LEFT JOIN leads l ON l.referrer_id = ref.id
         LEFT JOIN customers c ON c.referrer_id = ref.id
            """,
            network=self._network_ctes(),
            sales=self._sales_ctes(),
        )

    def _network_ctes(self):
        """Per referrer: the whole network under them (recursive), the
        direct referrals and the leads they brought."""
        return SQL(
            """
            %(network)s,
            network_counts AS (
                SELECT n.root_id AS referrer_id, COUNT(*) AS network_count
                  FROM network n
                  JOIN res_partner p ON p.id = n.partner_id
                 WHERE %(member)s
              GROUP BY n.root_id
            ),
            referrals AS (
                SELECT referred_by_id AS referrer_id, COUNT(*) AS referral_count
                  FROM res_partner
                 WHERE referred_by_id IS NOT NULL AND active
              GROUP BY referred_by_id
            ),
            leads AS (
                SELECT referred_by_id AS referrer_id,
                       COUNT(*) AS lead_count,
                       COUNT(*) FILTER (WHERE won_status = 'won') AS won_lead_count
                  FROM crm_lead
                 WHERE referred_by_id IS NOT NULL
              GROUP BY referred_by_id
            ),
            referred AS (
                SELECT DISTINCT referred_by_id AS referrer_id, commercial_partner_id
                  FROM res_partner
                 WHERE referred_by_id IS NOT NULL AND active
            )
            """,
            network=referral_network_sql(SQL("p.referred_by_id IS NOT NULL")),
            member=NETWORK_MEMBER_SQL,
        )

    def _sales_ctes(self):
        """Per referrer: the customers they brought who bought, and their
        revenue in the current company (one revenue source)."""
        return SQL(
            """
            sales AS (
                SELECT commercial_partner_id, company_id,
                       BOOL_OR(move_type = 'out_invoice') AS bought,
                       SUM(revenue) AS revenue
                  FROM (%(revenue)s) rev
              GROUP BY commercial_partner_id, company_id
            ),
            customers AS (
                -- the current company: amounts of different companies
                -- (and currencies) never add up
                SELECT r.referrer_id,
                       COUNT(*) FILTER (WHERE s.bought) AS customer_count,
                       SUM(s.revenue) AS revenue
                  FROM referred r
                  JOIN sales s ON s.commercial_partner_id = r.commercial_partner_id
                              AND s.company_id = %(company)s
              GROUP BY r.referrer_id
            )
            """,
            revenue=revenue_lines_sql(self.env),
            company=self.env.company.id,
        )
