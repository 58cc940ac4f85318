import re

from odoo import fields
from odoo import models
from odoo.exceptions import UserError

# our spreadsheet dashboards: "<addon>.spreadsheet_dashboard_<name>"
DASHBOARD_XMLID = re.compile(r"crm_[a-z0-9_]+\.spreadsheet_dashboard_[a-z0-9_]+")


class CrmCustomerReviewDashboard(models.TransientModel):
    """The manager dashboard: a launcher with no figures of its own.

    Its buttons open the spreadsheet dashboards (Dashboards app) and the
    analysis screens, which carry the figures: a figure has one home, so
    it cannot disagree with itself. Other addons add their buttons to the
    form (``ccare_dashboard_launchers``)."""

    _name = "crm.customer.review.dashboard"
    _description = "Customer Care Manager Dashboard"

    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)

    def _compute_display_name(self):
        # a transient record has no name: the breadcrumb would show its id
        self.display_name = self.env._("Manager Dashboard")

    def action_open_report(self):
        # the button names one of our report actions in its context; the
        # context comes from the client, so only those actions are opened
        xmlid = self.env.context.get("ccare_report_action")
        if not isinstance(xmlid, str) or not re.fullmatch(r"crm_[a-z0-9_]+_action", xmlid):
            raise UserError(self.env._("This dashboard has no such report."))
        self.check_access("read")
        # the reviews' action is ours, the analyses are the core's
        for module in ("crm_customer_review", "crm_customer_care"):
            if self.env.ref(f"{module}.{xmlid}", raise_if_not_found=False):
                return self.env["ir.actions.act_window"]._for_xml_id(f"{module}.{xmlid}")
        raise UserError(self.env._("This dashboard has no such report."))

    def action_open_dashboard(self):
        """Open one of our spreadsheet dashboards (named in the button's
        context) in the Dashboards app, if the user may see it."""
        xmlid = self.env.context.get("ccare_dashboard")
        if not isinstance(xmlid, str) or not DASHBOARD_XMLID.fullmatch(xmlid):
            raise UserError(self.env._("This dashboard has no such report."))
        self.check_access("read")
        dashboard = self.env.ref(xmlid, raise_if_not_found=False)
        if (
            not dashboard
            or dashboard._name != "spreadsheet.dashboard"
            or not dashboard.has_access("read")
        ):
            raise UserError(self.env._("This dashboard has no such report."))
        action = self.env["ir.actions.actions"]._for_xml_id(
            "spreadsheet_dashboard.ir_actions_dashboard_action"
        )
        action["params"] = {"dashboard_id": dashboard.id}
        return action
