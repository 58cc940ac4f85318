from odoo import fields
from odoo import models


class CrmLead(models.Model):
    """Leads carry their customer's segment (for the sales record and the
    reviews) and note the customers whose activities changed."""

    _inherit = "crm.lead"

    customer_segment_id = fields.Many2one(
        related="partner_id.commercial_partner_id.segment_id",
        string="Customer Segment",
        store=True,
        index="btree_not_null",
    )

    def _ccare_deferred_lead_contact_dates(self, uid_by_lead):
        """The customers of leads whose activities changed: their contact dates."""
        partners = self.browse(list(uid_by_lead)).exists().partner_id
        partners._ccare_deferred_contact_dates(dict.fromkeys(partners.ids))
