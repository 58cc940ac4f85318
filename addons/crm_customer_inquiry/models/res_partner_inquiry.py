from datetime import datetime
from datetime import time

from dateutil.relativedelta import relativedelta

from odoo import api
from odoo import fields
from odoo import models


class ResPartner(models.Model):
    """Inquiries on the customer profile: a smart button with their count,
    and an "Open inquiries" factor in the relationship health score."""

    _inherit = "res.partner"

    ccare_inquiry_count = fields.Integer("Inquiries", compute="_compute_ccare_inquiry_count")
    ccare_open_inquiry_count = fields.Integer(
        "Open Inquiries", compute="_compute_ccare_inquiry_count"
    )

    @api.depends("commercial_partner_id")
    def _compute_ccare_inquiry_count(self):
        Ticket = self.env["helpdesk.ticket"]
        commercials = self.commercial_partner_id.filtered("id")
        counts = {}
        if commercials and Ticket.has_access("read"):
            for commercial, closed, count in Ticket._read_group(
                [("commercial_partner_id", "in", commercials.ids)],
                ["commercial_partner_id", "stage_id.closed"],
                ["__count"],
            ):
                total, open_ = counts.get(commercial.id, (0, 0))
                counts[commercial.id] = (total + count, open_ + (0 if closed else count))
        for partner in self:
            partner.ccare_inquiry_count, partner.ccare_open_inquiry_count = counts.get(
                partner.commercial_partner_id.id, (0, 0)
            )

    def action_open_inquiries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_customer_inquiry.helpdesk_ticket_action_inquiries"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------ health
    def _ccare_health_factors(self, today):
        """Adds "Open inquiries": a customer with inquiries in the last
        12 months is judged on how many are still open (an overdue one
        counts double); 0 open scores full marks, the company's cap (default
        4) or more none. Weight and cap per company in Settings."""
        factors = super()._ccare_health_factors(today)
        Ticket = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)
        since = datetime.combine(today - relativedelta(years=1), time.min)
        values = {}
        rows = Ticket._read_group(
            [("commercial_partner_id", "in", self.ids), ("create_date", ">=", since)],
            ["commercial_partner_id", "stage_id.closed", "is_overdue"],
            ["__count"],
        )
        stats = {}
        for commercial, closed, overdue, count in rows:
            stat = stats.setdefault(commercial.id, {"total": 0, "open": 0, "overdue": 0})
            stat["total"] += count
            if not closed:
                stat["open"] += count
                stat["overdue"] += count if overdue else 0
        companies = {p.id: p.company_id or self.env.company for p in self}
        for partner_id, stat in stats.items():
            weight = stat["open"] + stat["overdue"]
            company = companies.get(partner_id, self.env.company)
            values[partner_id] = (
                max(0.0, 1 - weight / max(company.ccare_health_inquiry_cap, 1)),
                self.env._(
                    "%(open)s open inquiries (%(overdue)s overdue) of %(total)s in 12 months",
                    **stat,
                ),
            )
        weights = {
            p.id: (p.company_id or self.env.company).ccare_health_weight_inquiries for p in self
        }
        factors.append((self.env._("Open inquiries"), weights, values))
        return factors
