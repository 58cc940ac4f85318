from odoo import fields
from odoo import models


class MailingContact(models.Model):
    """A mailing contact made from a target list keeps the customer (and
    lead) it stands for, so a refresh finds it again and a mailing checks
    that customer's consent. A contact is a sign-up: an address no customer
    holds may be mailed (unless blacklisted or suppressed)."""

    _inherit = "mailing.contact"

    ccare_partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        readonly=True,
        copy=False,  # one contact per customer (unique index)
        index="btree_not_null",
        ondelete="set null",
        help="The customer this contact was made for by a target list: the customer's "
        "consent decides whether mailings reach it.",
    )
    ccare_lead_id = fields.Many2one(
        "crm.lead",
        "Lead",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        # offered only to who may read leads (Email Marketing users need not);
        # a field with groups is never copied (Duplicate reads what it copies)
        groups="sales_team.group_sale_salesman",
        copy=False,
        help="The lead this contact was made for by a target list.",
    )

    # one contact per customer and per lead, whichever list made it
    _ccare_lead_unique = models.UniqueIndex("(ccare_lead_id) WHERE ccare_lead_id IS NOT NULL")
    _ccare_partner_unique = models.UniqueIndex(
        "(ccare_partner_id) WHERE ccare_partner_id IS NOT NULL AND ccare_lead_id IS NULL"
    )

    def _ccare_marketing_partners(self):
        """The customer (and the lead's customer) a target list made the
        contact for decides too."""
        # the consent check reads the links whoever sends (an Email Marketing
        # user need not read leads)
        return {
            contact.id: contact.ccare_partner_id | contact.ccare_lead_id.partner_id
            for contact in self.sudo()
        }

    def _ccare_marketing_sign_up(self):
        # a subscriber to a mailing list signed up: its own opt-in
        return True
