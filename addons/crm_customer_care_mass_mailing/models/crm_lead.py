from odoo import models


class CrmLead(models.Model):
    """Who among leads may get e-mail marketing, and a mass mailing to leads
    that leaves out the others."""

    _inherit = "crm.lead"

    def _ccare_email_marketing_blocks(self):
        """Why each lead of ``self`` may not get e-mail marketing:
        ``{lead_id: reason}`` (absent = it may). The lead's customer decides,
        through ``res.partner._ccare_contact_blocks`` (its own and its
        account's decision); a prospect (no customer) has granted nothing yet
        (marketing is opt-in); and the lead's own address may be on Odoo's
        blacklist, as crm_callplan's campaigns check it. Two queries."""
        reasons = self.partner_id._ccare_contact_blocks("marketing", "email")
        emails = [email for email in self.mapped("email_normalized") if email]
        blacklisted = set(
            self.env["mail.blacklist"].sudo().search([("email", "in", emails)]).mapped("email")
        )
        no_consent = self.env._("no consent given")
        on_blacklist = self.env._("blacklisted")
        blocks = {}
        for lead in self:
            if not lead.partner_id:
                blocks[lead.id] = no_consent
            elif lead.partner_id.id in reasons:
                blocks[lead.id] = reasons[lead.partner_id.id]
            elif lead.email_normalized in blacklisted:
                blocks[lead.id] = on_blacklist
        return blocks

    def _mailing_get_opt_out_list(self, mailing):
        """A mass mailing to leads (mass_mailing's ``_get_opt_out_list``)
        leaves out the addresses of the leads our consent API blocks for
        e-mail marketing. The recipients are searched with the mailing's
        domain (not ``_get_recipients``, whose A/B sample is random)."""
        leads = self.search(mailing._get_recipients_domain())
        blocks = leads._ccare_email_marketing_blocks()
        return {lead.email_normalized for lead in leads if lead.id in blocks} - {False}
