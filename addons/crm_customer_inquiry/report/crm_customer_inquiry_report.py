from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

from ..models.helpdesk_ticket import SLA_STATUSES
from ..models.helpdesk_ticket_stage import INQUIRY_STATES


class CrmCustomerInquiryReport(models.Model):
    """Inquiry analysis: volume, response time and SLA met % per channel,
    category, segment, team and owner. A view over the inquiries so that
    averages skip what is not decided yet (no response, SLA running)."""

    _name = "crm.customer.inquiry.report"
    _description = "Inquiry Analysis"
    _auto = False
    _order = "create_date desc"

    ticket_id = fields.Many2one("helpdesk.ticket", "Inquiry", readonly=True)
    create_date = fields.Datetime("Received On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    segment_id = fields.Many2one("crm.customer.segment", "Segment", readonly=True)
    channel_id = fields.Many2one("helpdesk.ticket.channel", "Channel", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", "Category", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", "Team", readonly=True)
    user_id = fields.Many2one("res.users", "Owner", readonly=True)
    priority = fields.Selection(
        [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")], readonly=True
    )
    inquiry_state = fields.Selection(INQUIRY_STATES, "State", readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, "SLA", readonly=True)
    is_overdue = fields.Boolean("Overdue", readonly=True)
    inquiry_count = fields.Integer("Inquiries", readonly=True, aggregator="sum")
    response_hours = fields.Float(
        "Response Time (working hours)", readonly=True, aggregator="avg", digits=(16, 2)
    )
    sla_met_percent = fields.Float("SLA Met %", readonly=True, aggregator="avg", digits=(16, 1))

    def _query(self):
        return SQL(
            """
            SELECT t.id, t.id AS ticket_id, t.create_date, t.company_id,
                   t.commercial_partner_id AS partner_id, t.segment_id, t.channel_id,
                   t.category_id, t.team_id, t.user_id, t.priority, t.inquiry_state,
                   t.sla_status, t.is_overdue, 1 AS inquiry_count,
                   CASE WHEN t.response_date IS NOT NULL THEN t.response_hours END
                       AS response_hours,
                   CASE t.sla_status WHEN 'met' THEN 100.0 WHEN 'missed' THEN 0.0 END
                       AS sla_met_percent
              FROM helpdesk_ticket AS t
             WHERE t.active
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
