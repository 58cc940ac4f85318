from odoo import api
from odoo import fields
from odoo import models

from .crm_data_quality_check import SEVERITIES

ISSUE_STATES = [
    ("open", "Open"),
    ("reviewed", "Reviewed"),
    ("fixed", "Fixed"),
]


class CrmDataQualityIssue(models.Model):
    """One problem of one partner found by one check. Opened by the job,
    closed by it when the data is fixed; "Mark Reviewed" accepts it (the
    profile was looked at and is right as it is) until the data changes."""

    _name = "crm.data.quality.issue"
    _description = "Data Quality Issue"
    _order = "state, severity_rank desc, date_opened desc, id desc"
    _rec_name = "check_id"
    _check_company_auto = True

    check_id = fields.Many2one(
        "crm.data.quality.check", required=True, ondelete="cascade", index=True
    )
    check_type = fields.Selection(related="check_id.check_type", store=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(
        "res.company", related="partner_id.company_id", store=True, index=True
    )
    user_id = fields.Many2one(
        "res.users", "Assigned To", index=True, help="The account manager of the partner."
    )
    severity = fields.Selection(related="check_id.severity", store=True)
    severity_rank = fields.Integer(compute="_compute_severity_rank", store=True)
    message = fields.Char("Problem")
    state = fields.Selection(ISSUE_STATES, default="open", required=True, index=True)
    date_opened = fields.Datetime(default=fields.Datetime.now, readonly=True)
    date_closed = fields.Datetime(readonly=True)
    reviewed_by_id = fields.Many2one("res.users", "Reviewed By", readonly=True)

    # one live (open or reviewed) issue per partner and check, whatever runs
    _live_unique = models.UniqueIndex(
        "(check_id, partner_id) WHERE state IN ('open', 'reviewed')",
        "A partner has at most one live issue per data-quality check.",
    )

    @api.depends("severity")
    def _compute_severity_rank(self):
        ranks = {key: rank for rank, (key, _label) in enumerate(SEVERITIES)}
        for issue in self:
            issue.severity_rank = ranks.get(issue.severity, 0)

    def action_mark_reviewed(self):
        """The profile was looked at: accept the issue, and count the
        profile as reviewed today (which fixes a stale-profile issue)."""
        self.check_access("write")
        now = fields.Datetime.now()
        live = self.filtered(lambda issue: issue.state == "open")
        live.write({"state": "reviewed", "reviewed_by_id": self.env.uid, "date_closed": now})
        partners = live.partner_id
        partners.sudo().write({"data_reviewed_date": fields.Date.context_today(self)})
        stale = live.filtered(lambda issue: issue.check_type == "stale")
        stale.write({"state": "fixed"})
        partners._ccare_write_data_quality_scores()
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
            "target": "current",
        }
