from odoo import models
from odoo.tools import SQL

# Odoo's blacklists per channel: (model, its address field, the partner's
# address it is matched on)
BLACKLISTS = {
    "email": ("mail.blacklist", "email", "email_normalized"),
    "phone": ("phone.blacklist", "number", "phone_sanitized"),
}


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
        refused = {
            "email": self.filtered(lambda p: p.dnc_all or p.dnc_email),
            "phone": self.filtered(lambda p: p.dnc_all or p.dnc_phone or p.dnc_sms),
        }
        suppressed = {}
        entries = []
        for channel, (model, field, partner_field) in BLACKLISTS.items():
            addresses = [address for address in self.mapped(partner_field) if address]
            found = (
                self.env[model]
                .sudo()
                .with_context(active_test=False)
                .search([(field, "in", addresses)])
            )
            opted_out = found.filtered("active").mapped(field)
            suppressed[channel] = opted_out + refused[channel].mapped(partner_field)
            entries.append(found)
        self.env["crm.customer.suppression"]._ccare_suppress(suppressed)
        for found in entries:
            found.unlink()
