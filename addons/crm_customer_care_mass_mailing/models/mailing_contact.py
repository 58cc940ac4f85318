from odoo import fields
from odoo import models


class MailingContact(models.Model):
    """A mailing contact made from a target list keeps the customer (and
    lead) it stands for, so a refresh finds it again and a mailing checks
    that customer's consent."""

    _inherit = "mailing.contact"

    ccare_partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        readonly=True,
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
        help="The lead this contact was made for by a target list.",
    )

    # one contact per customer and per lead, whichever list made it
    _ccare_lead_unique = models.UniqueIndex("(ccare_lead_id) WHERE ccare_lead_id IS NOT NULL")
    _ccare_partner_unique = models.UniqueIndex(
        "(ccare_partner_id) WHERE ccare_partner_id IS NOT NULL AND ccare_lead_id IS NULL"
    )

    def _ccare_email_marketing_blocked_emails(self):
        """The addresses of the contacts of ``self`` our consent API blocks
        for e-mail marketing: through the customer or lead a target list
        made the contact for, and through every customer holding the same
        address (a sign-up to a list is no consent of ours). Three queries."""
        emails = [email for email in self.mapped("email_normalized") if email]
        holders = self.env["res.partner"].sudo().search([("email_normalized", "in", emails)])
        people = holders | self.ccare_partner_id
        blocks = people._ccare_contact_blocks("marketing", "email")
        lead_blocks = self.ccare_lead_id._ccare_email_marketing_blocks()
        blocked = {p.email_normalized for p in holders if p.id in blocks}
        blocked.update(
            contact.email_normalized
            for contact in self
            if contact.ccare_partner_id.id in blocks or contact.ccare_lead_id.id in lead_blocks
        )
        return blocked - {False}
