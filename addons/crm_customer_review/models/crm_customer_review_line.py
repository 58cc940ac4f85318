from odoo import fields
from odoo import models

SECTIONS = [
    ("customers", "Customers"),
    ("revenue", "Revenue"),
    ("accounts", "Top Accounts"),
    ("pipeline", "Pipeline and Sales Cycle"),
    ("stages", "Stages"),
    ("lost_reasons", "Loss Reasons"),
    ("segments", "Segments"),
]


class CrmCustomerReviewLine(models.Model):
    """One frozen figure of a customer review: written by "Compute" only,
    never edited afterwards."""

    _name = "crm.customer.review.line"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _description = "Customer Review Figure"
    # written by the review's "Compute" only (which replaces them until the
    # review is approved), never edited
    _ccare_server_create_only = True
    _order = "review_id, sequence, id"

    review_id = fields.Many2one(
        "crm.customer.review", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="review_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="review_id.currency_id")
    sequence = fields.Integer(readonly=True)
    section = fields.Selection(SECTIONS, required=True, readonly=True)
    name = fields.Char("Figure", required=True, readonly=True)
    kind = fields.Selection(
        [("number", "Number"), ("money", "Amount"), ("percent", "Percentage"), ("days", "Days")],
        default="number",
        required=True,
        readonly=True,
    )
    value = fields.Float(readonly=True, digits=(16, 2))
    previous_value = fields.Float("Previous Period", readonly=True, digits=(16, 2))
    has_previous = fields.Boolean(readonly=True)
    change_percent = fields.Float("Change (%)", readonly=True, digits=(16, 1))

    def _ccare_format(self, value):
        """The value as printed in the report."""
        self.ensure_one()
        if self.kind == "percent":
            return f"{value:,.1f} %"
        if self.kind == "days":
            return self.env._("%s days", f"{value:,.1f}")
        if self.kind == "money":
            return f"{self.currency_id.symbol or ''} {value:,.0f}".strip()
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
