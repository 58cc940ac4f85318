from odoo import models
from odoo.tools import SQL


class ResPartner(models.Model):
    """The anonymisation erases the evidence of the consents and the
    blacklist entries of the addresses, whose opt-outs are kept, hashed,
    on the suppression list (``_ccare_anonymise_hook``: sudo, set-based)."""

    _inherit = "res.partner"

    def _ccare_anonymise_hook(self):
        erased = super()._ccare_anonymise_hook()
        people = self.sudo().with_context(active_test=False)
        env = people.env
        # our own append-only table: the evidence of consents (the decisions
        # stay)
        env["crm.customer.consent"].flush_model(["evidence"])
        env.cr.execute(
            SQL(
                "UPDATE crm_customer_consent SET evidence = NULL WHERE partner_id = ANY(%s)"
                " AND evidence IS NOT NULL",
                people.ids,
            )
        )
        env["crm.customer.consent"].invalidate_model(["evidence"])
        people._ccare_suppress_and_drop_blacklists()
        return [
            *erased,
            "consent evidence",
            "blacklist entries (opt-outs kept as hashes on the suppression list)",
        ]

    def _ccare_suppress_and_drop_blacklists(self):
        """A blacklist entry holds the address itself: the opt-outs of the
        people of ``self`` survive as keyed hashes on the suppression list,
        then the entries go."""
        env = self.env
        emails = [e for e in self.mapped("email_normalized") if e]
        phones = [p for p in self.mapped("phone_sanitized") if p]
        mail_blacklist = (
            env["mail.blacklist"]
            .sudo()
            .with_context(active_test=False)
            .search([("email", "in", emails)])
            if emails
            else env["mail.blacklist"]
        )
        phone_blacklist = (
            env["phone.blacklist"]
            .sudo()
            .with_context(active_test=False)
            .search([("number", "in", phones)])
            if phones
            else env["phone.blacklist"]
        )
        no_email = self.filtered(lambda p: p.dnc_all or p.dnc_email)
        no_phone = self.filtered(lambda p: p.dnc_all or p.dnc_phone or p.dnc_sms)
        env["crm.customer.suppression"]._ccare_suppress(
            {
                "email": mail_blacklist.filtered("active").mapped("email")
                + no_email.mapped("email_normalized"),
                "phone": phone_blacklist.filtered("active").mapped("number")
                + no_phone.mapped("phone_sanitized"),
            }
        )
        mail_blacklist.unlink()
        phone_blacklist.unlink()
