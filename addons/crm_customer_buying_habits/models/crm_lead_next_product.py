from odoo import Command
from odoo import api
from odoo import fields
from odoo import models


class CrmLead(models.Model):
    """The customer's next-best products on the lead, and the product the
    opportunity proposes: winning it closes that suggestion as a hit."""

    _inherit = "crm.lead"

    ccare_next_product_ids = fields.Many2many(
        "crm.customer.next.product",
        string="Next-Best Products",
        compute="_compute_ccare_next_product_ids",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
    ccare_proposed_product_id = fields.Many2one(
        "product.product",
        "Proposed Product",
        index="btree_not_null",
        tracking=True,
        help="The suggested product this opportunity sells: winning it counts as a hit.",
    )

    @api.depends("partner_id")
    def _compute_ccare_next_product_ids(self):
        commercial = self.partner_id.commercial_partner_id
        suggestions = self.env["crm.customer.next.product"].search(
            [("partner_id", "in", commercial.ids)]
        )
        by_partner = {}
        for suggestion in suggestions:
            by_partner.setdefault(suggestion.partner_id.id, []).append(suggestion.id)
        for lead in self:
            lead.ccare_next_product_ids = [
                Command.set(by_partner.get(lead.partner_id.commercial_partner_id.id, []))
            ]

    def action_set_won(self):
        res = super().action_set_won()
        partners = self.filtered("ccare_proposed_product_id").partner_id.commercial_partner_id
        if partners:
            self.flush_recordset()
            partners.sudo()._ccare_record_lead_hits(fields.Date.context_today(self))
        return res
