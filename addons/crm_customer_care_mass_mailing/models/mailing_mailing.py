from odoo import api
from odoo import models


class MailingMailing(models.Model):
    """Consent at the mailing: THE check between a mass mailing and its
    recipients, whatever the mailing's model and however they were chosen
    (domain, explicit ``res_ids``, lists, the test mail). The composer calls
    it when recipients become mails (``mail.compose.message``), the test
    mail wizard before it sends (``mailing.mailing.test``)."""

    _inherit = "mailing.mailing"

    @api.model
    def _ccare_marketing_blocks(self, recipients, sign_up=False, staff=False):
        """Why each recipient may not get e-mail marketing: ``{key: reason}``
        for ``recipients`` = ``{key: (partners, addresses)}`` (the partners
        the mail goes to or stands for, and its normalised addresses);
        absent = it may.

        - every partner given, and every partner (archived too) holding one
          of the addresses, goes through our consent API
          (``_ccare_contact_blocks("marketing", "email")``): an address held
          by a blocked customer is blocked for all who share it;
        - every address is checked against Odoo's blacklist and the
          suppression list (an erased person's opt-out);
        - marketing is opt-in: a recipient no customer stands for (no
          partner given, none holding its address) has granted nothing,
          unless ``sign_up`` (a mailing contact: its subscription is its own
          opt-in; the test mail);
        - with ``staff``, internal users' partners are not customers (the
          test mail goes to colleagues).

        Set-based: five queries however many recipients.
        """
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        given = Partner.browse(
            {pid for partners, _emails in recipients.values() for pid in partners.ids}
        )
        addresses = {
            email for _partners, emails in recipients.values() for email in emails if email
        }
        addresses |= set(given.mapped("email_normalized")) - {False}
        holders = (
            Partner.search([("email_normalized", "in", list(addresses))]) if addresses else Partner
        )
        if staff:
            internal = (given | holders).user_ids.filtered(lambda user: not user.share).partner_id
            given, holders = given - internal, holders - internal
        blocks = (given | holders)._ccare_contact_blocks("marketing", "email")
        by_address = {}
        for holder in holders.filtered(lambda p: p.id in blocks):
            by_address.setdefault(holder.email_normalized, blocks[holder.id])
        held = set(holders.mapped("email_normalized"))
        blacklisted = set(
            self.env["mail.blacklist"]
            .sudo()
            .search([("email", "in", list(addresses))])
            .mapped("email")
        )
        suppressed = (
            self.env["crm.customer.suppression"].sudo()._ccare_suppressed("email", addresses)
        )
        reasons = {
            "blacklisted": self.env._("blacklisted"),
            "suppressed": self.env._("opted out before an erasure (suppression list)"),
            "no_consent": self.env._("no consent given"),
        }
        result = {}
        for key, (partners, emails) in recipients.items():
            partners = given & partners
            own = {email for email in emails if email} | (
                set(partners.mapped("email_normalized")) - {False}
            )
            # the first that applies, most specific first
            reason = (
                next((blocks[p.id] for p in partners if p.id in blocks), None)
                or next((by_address[a] for a in sorted(own) if a in by_address), None)
                or (own & blacklisted and reasons["blacklisted"])
                or (own & suppressed and reasons["suppressed"])
                or (not (sign_up or partners or own & held) and reasons["no_consent"])
            )
            if reason:
                result[key] = reason
        return result
