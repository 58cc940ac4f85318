from odoo import fields
from odoo import models


class CrmCallEffectivenessLine(models.Model):
    _name = "crm.call.effectiveness.line"
    _description = "Call Effectiveness per Segment"
    _order = "analysis_id, compliance, id"

    analysis_id = fields.Many2one(
        "crm.call.effectiveness", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="analysis_id.company_id", store=True, index=True)
    segment_id = fields.Many2one("crm.customer.segment", required=True)
    account_count = fields.Integer("Accounts", aggregator="sum")
    calls_due = fields.Integer(aggregator="sum")
    calls_done = fields.Integer(aggregator="sum")
    calls_on_time = fields.Integer(aggregator="sum")
    compliance = fields.Float("Compliance (%)", digits=(16, 1), aggregator="avg")
    gap_variance = fields.Float("Variance of Gaps (days²)", digits=(16, 1), aggregator="avg")
    avg_health = fields.Float("Avg Health", digits=(16, 1), aggregator="avg")
    avg_health_change = fields.Float(
        "Avg Health Change",
        digits=(16, 1),
        aggregator="avg",
        help="Health at the end of the period minus health at its start, per account.",
    )
    avg_satisfaction = fields.Float("Avg Satisfaction", digits=(16, 2), aggregator="avg")
    revenue = fields.Float(aggregator="sum")
    corr_health = fields.Float("Corr. Regularity/Health", digits=(16, 2), aggregator=None)
    corr_health_n = fields.Integer("n (Health)", aggregator=None)
    corr_health_p = fields.Float("p (Health)", aggregator=None)
    corr_health_change = fields.Float(
        "Corr. Regularity/Health Change", digits=(16, 2), aggregator=None
    )
    corr_health_change_n = fields.Integer("n (Health Change)", aggregator=None)
    corr_health_change_p = fields.Float("p (Health Change)", aggregator=None)
    corr_satisfaction = fields.Float(
        "Corr. Regularity/Satisfaction", digits=(16, 2), aggregator=None
    )
    corr_satisfaction_n = fields.Integer("n (Satisfaction)", aggregator=None)
    corr_satisfaction_p = fields.Float("p (Satisfaction)", aggregator=None)
    corr_revenue = fields.Float("Corr. Regularity/Revenue", digits=(16, 2), aggregator=None)
    corr_revenue_n = fields.Integer("n (Revenue)", aggregator=None)
    corr_revenue_p = fields.Float("p (Revenue)", aggregator=None)
    # what the screens show: "r (n, p)", written with the figures; empty
    # when the correlation is undefined (fewer than two accounts, or no
    # variance): never 0
    corr_health_label = fields.Char("r Health")
    corr_health_change_label = fields.Char("r Health Change")
    corr_satisfaction_label = fields.Char("r Satisfaction")
    corr_revenue_label = fields.Char("r Revenue")
    under_served = fields.Boolean("Under-served")
