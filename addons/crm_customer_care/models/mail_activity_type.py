from odoo import fields
from odoo import models


class MailActivityType(models.Model):
    """What one activity of this type costs, for the customers' cost to serve."""

    _inherit = "mail.activity.type"

    ccare_currency_id = fields.Many2one(
        "res.currency",
        string="Unit Cost Currency",
        compute="_compute_ccare_currency_id",
    )
    ccare_unit_cost = fields.Monetary(
        string="Unit Cost",
        currency_field="ccare_currency_id",
        help="What one activity of this type costs, in the company currency: each "
        "activity done with a customer or on its leads adds it to the customer's "
        "cost to serve (Customer Care profit and loss).",
    )

    def _compute_ccare_currency_id(self):
        self.ccare_currency_id = self.env.company.currency_id
