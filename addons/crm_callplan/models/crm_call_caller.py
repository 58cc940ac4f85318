from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import AccessError

# caller fields that are the resource's (resource.mixin's related fields)
RESOURCE_FIELDS = {"tz", "resource_calendar_id", "company_id"}


class CrmCallCaller(models.Model):
    """Someone who makes the calls of the plan: an internal caller or an
    agent of an outsourcing agency, with a daily capacity and working hours
    (a resource, so its working calendar and leaves count)."""

    _name = "crm.call.caller"
    _description = "Caller"
    _inherit = ["resource.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    user_id = fields.Many2one(
        "res.users", required=True, index=True, ondelete="cascade", domain=[("share", "=", False)]
    )
    agency_id = fields.Many2one(
        "crm.call.agency", index="btree_not_null", check_company=True, ondelete="restrict"
    )
    daily_capacity = fields.Integer(
        default=8, required=True, help="At most this many planned calls a day."
    )
    segment_ids = fields.Many2many(
        "crm.customer.segment",
        string="Segments",
        help="The segments this caller covers; empty: any segment.",
    )
    qualifications = fields.Text(help="Languages, products, trainings...")
    calls_done = fields.Integer(compute="_compute_performance")
    compliance_rate = fields.Float("Compliance (%)", compute="_compute_performance")
    reach_rate = fields.Float("Reach Rate (%)", compute="_compute_performance")
    avg_satisfaction = fields.Float("Satisfaction", compute="_compute_performance")
    opportunities = fields.Integer(compute="_compute_performance")
    cost_per_reached = fields.Monetary(
        "Cost per Reached", compute="_compute_performance", currency_field="currency_id"
    )
    currency_id = fields.Many2one(related="company_id.currency_id")

    _user_company_unique = models.Constraint(
        "UNIQUE(user_id, company_id)", "This user is already a caller in this company."
    )
    _capacity_positive = models.Constraint(
        "CHECK(daily_capacity > 0)", "A caller's daily capacity must be at least one call."
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A caller is a resource (working calendar, leaves), and Odoo lets
        only administrators change resources: once the user's right to
        create callers (and the company) is checked, the server creates the
        caller and its resource (``sudo`` keeps the user as their author)."""
        self.check_access("create")
        users = self.env["res.users"].browse([v["user_id"] for v in vals_list if v.get("user_id")])
        names = {user.id: user.name for user in users}
        vals_list = [dict(vals) for vals in vals_list]
        for vals in vals_list:
            if not vals.get("name") and vals.get("user_id"):
                vals["name"] = names.get(vals["user_id"])
            self._check_caller_company(vals.get("company_id"))
        return super(CrmCallCaller, self.sudo()).create(vals_list).with_env(self.env)

    def write(self, vals):
        """Working hours, time zone and company live on the resource: written
        by the server once the right to change these callers is checked."""
        if self and RESOURCE_FIELDS & vals.keys() and not self.env.su:
            self.check_access("write")
            self._check_caller_company(vals.get("company_id"))
            return super(CrmCallCaller, self.sudo()).write(vals)
        return super().write(vals)

    def _check_caller_company(self, company_id):
        if company_id and company_id not in self.env.user.company_ids.ids and not self.env.su:
            raise AccessError(self.env._("You cannot add callers to a company you do not work in."))

    def _prepare_resource_values(self, vals, tz):
        values = super()._prepare_resource_values(vals, tz)
        values["user_id"] = vals.get("user_id")
        return values

    def _compute_performance(self):
        self.env["crm.call"]._callplan_set_performance(self, "caller_id")
