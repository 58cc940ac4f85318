from odoo import fields
from odoo import models
from odoo.tools import SQL


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
    # what the screens show: "r (n, p)", empty when the correlation is
    # undefined (fewer than two accounts, or no variance): never 0
    corr_health_label = fields.Char("r Health", compute="_compute_corr_labels")
    corr_health_change_label = fields.Char("r Health Change", compute="_compute_corr_labels")
    corr_satisfaction_label = fields.Char("r Satisfaction", compute="_compute_corr_labels")
    corr_revenue_label = fields.Char("r Revenue", compute="_compute_corr_labels")
    under_served = fields.Boolean("Under-served")

    def _compute_corr_labels(self):
        keys = ("corr_health", "corr_health_change", "corr_satisfaction", "corr_revenue")
        real = self.filtered("id")
        defined = {}  # line id: {column whose value is not NULL}
        if real:
            real.flush_recordset([name for key in keys for name in (key, f"{key}_p")])
            columns = SQL(", ").join(
                SQL("%s IS NOT NULL", SQL.identifier(name))
                for key in keys
                for name in (key, f"{key}_p")
            )
            for line_id, *flags in self.env.execute_query(
                SQL(
                    "SELECT id, %s FROM crm_call_effectiveness_line WHERE id = ANY(%s)",
                    columns,
                    real.ids,
                )
            ):
                names = [name for key in keys for name in (key, f"{key}_p")]
                defined[line_id] = {name for name, flag in zip(names, flags) if flag}
        for line in self:
            known = defined.get(line.id, set())
            for key in keys:
                if key not in known:
                    line[f"{key}_label"] = False
                elif f"{key}_p" in known:
                    line[f"{key}_label"] = self.env._(
                        "%(r).2f (n = %(n)s, p = %(p).3f)",
                        r=line[key],
                        n=line[f"{key}_n"],
                        p=line[f"{key}_p"],
                    )
                else:
                    line[f"{key}_label"] = self.env._(
                        "%(r).2f (n = %(n)s)", r=line[key], n=line[f"{key}_n"]
                    )
