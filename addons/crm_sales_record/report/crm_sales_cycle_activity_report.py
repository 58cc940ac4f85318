from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

ACTIVITY_KINDS = [
    ("activity_done", "Activity Done"),
    ("activity_open", "Activity Planned"),
    ("meeting", "Meeting"),
]


class CrmSalesActivityReport(models.Model):
    """Sales activity per salesperson and segment per period: activities
    done and planned on leads and customers, and meetings; other modules add
    their own sources (inquiries) by extending ``_ccare_activity_queries``
    and adding their ``kind``."""

    _name = "crm.sales.activity.report"
    _description = "Sales Activity Report"
    _auto = False
    _order = "date desc"

    kind = fields.Selection(ACTIVITY_KINDS, readonly=True)
    date = fields.Datetime(readonly=True)
    user_id = fields.Many2one("res.users", "Salesperson", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    lead_id = fields.Many2one("crm.lead", "Lead", readonly=True)
    customer_segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", "Activity Type", readonly=True)
    company_id = fields.Many2one("res.company", "Company", readonly=True)
    activity_count = fields.Integer("Count", readonly=True, aggregator="sum")

    @api.model
    def _ccare_activity_queries(self):
        """The SELECTs united in the report, each giving: id, kind, date,
        user_id, partner_id, lead_id, activity_type_id, company_id (the
        segment is added from the partner or the lead)."""
        queries = [
            # activities done: the message Odoo posts when an activity is done
            SQL(
                """
                SELECT m.id * 10 + 1 AS id, 'activity_done' AS kind, m.date,
                       (SELECT u.id FROM res_users u WHERE u.partner_id = m.author_id
                         ORDER BY u.id LIMIT 1) AS user_id,
                       CASE WHEN m.model = 'res.partner' THEN m.res_id END AS partner_id,
                       CASE WHEN m.model = 'crm.lead' THEN m.res_id END AS lead_id,
                       m.mail_activity_type_id AS activity_type_id, NULL::int AS company_id
                  FROM mail_message m
                 WHERE m.mail_activity_type_id IS NOT NULL
                   AND m.model IN ('crm.lead', 'res.partner')
                """
            ),
            SQL(
                """
                SELECT a.id * 10 + 2, 'activity_open', a.date_deadline::timestamp, a.user_id,
                       CASE WHEN a.res_model = 'res.partner' THEN a.res_id END,
                       CASE WHEN a.res_model = 'crm.lead' THEN a.res_id END,
                       a.activity_type_id, NULL::int
                  FROM mail_activity a
                 WHERE a.active AND a.res_model IN ('crm.lead', 'res.partner')
                """
            ),
            SQL(
                """
                SELECT e.id * 10 + 3, 'meeting', e.start, e.user_id,
                       CASE WHEN e.res_model = 'res.partner' THEN e.res_id END,
                       e.opportunity_id, NULL::int, NULL::int
                  FROM calendar_event e
                 WHERE e.active AND (e.opportunity_id IS NOT NULL OR e.res_model = 'res.partner')
                """
            ),
        ]
        return queries

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT src.id, src.kind, src.date, src.user_id,
                   coalesce(partner.commercial_partner_id, lead.partner_id) AS partner_id,
                   src.lead_id, src.activity_type_id,
                   coalesce(src.company_id, lead.company_id, partner.company_id) AS company_id,
                   coalesce(lead.customer_segment_id, commercial.segment_id)
                       AS customer_segment_id,
                   1 AS activity_count
              FROM (%s) AS src
         LEFT JOIN crm_lead lead ON lead.id = src.lead_id
         LEFT JOIN res_partner partner ON partner.id = src.partner_id
         LEFT JOIN res_partner commercial ON commercial.id = partner.commercial_partner_id
            """,
            SQL(" UNION ALL ").join(self._ccare_activity_queries()),
        )
