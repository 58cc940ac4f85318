from odoo import fields, models


class CrmCustomerSegment(models.Model):
    """A customer segment laid down by management as a rule on partners.

    A partner belongs to the first segment (by sequence) whose domain it
    matches; assignment and history come with the profile features.
    """

    _name = "crm.customer.segment"
    _description = "Customer Segment"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Lower numbers are matched first.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    color = fields.Integer()
    description = fields.Html(translate=True)
    domain = fields.Char(
        default="[]",
        required=True,
        help="Partners matching this rule belong to the segment.",
    )

    _name_company_unique = models.Constraint(
        "UNIQUE(name, company_id)",
        "A segment with this name already exists in this company.",
    )
