from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _ccare_consent_changed(self):
        """A withdrawal also stops the mass mailings already queued for the
        customers: their outgoing mails of a mailing (to the partners, or
        to an address they hold) are cancelled, with the reason, through
        the same check as at queueing (``_ccare_marketing_blocks``). Three
        queries plus the check's, whatever the number of partners."""
        if self:
            partners = self._ccare_affected_partners()
            emails = [email for email in partners.mapped("email_normalized") if email]
            Mail = self.env["mail.mail"].sudo()
            domain = [("recipient_ids", "in", partners.ids)]
            if emails:
                domain = ["|", ("email_to", "in", emails), *domain]
            mails = Mail.search([("state", "=", "outgoing"), ("mailing_id", "!=", False), *domain])
            if mails:
                blocks = self.env["mailing.mailing"]._ccare_marketing_blocks(
                    {
                        mail.id: (mail.recipient_ids, [mail.email_to] if mail.email_to else [])
                        for mail in mails
                    },
                    sign_up=True,
                )
                for mail in mails.filtered(lambda m: m.id in blocks):
                    mail.cancel()
                    mail.failure_reason = self.env._("Cancelled by consent: %s", blocks[mail.id])
        return super()._ccare_consent_changed()
