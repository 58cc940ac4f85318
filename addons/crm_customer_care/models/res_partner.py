from odoo import fields, models


class ResPartner(models.Model):
    """The customer profile: everything Customer Care knows of a customer.

    Profile features live in their own files (res_partner_*.py), each an
    ``_inherit`` of res.partner, and add to the "Customer Care" page of the
    contact form (view res_partner_view_form_customer_care).
    """

    _inherit = "res.partner"

    segment_id = fields.Many2one(
        "crm.customer.segment",
        string="Segment",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Assigned from the segments' rules: the first segment whose rule the "
        "customer matches.",
    )
