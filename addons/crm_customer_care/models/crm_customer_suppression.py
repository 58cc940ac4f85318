import hashlib

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

SUPPRESSION_CHANNELS = [("email", "Email"), ("phone", "Phone")]


class CrmCustomerSuppression(models.Model):
    """The opt-outs of erased people, kept without the person (GDPR art.
    17 and 21, PDPO s.35G): a keyed hash of each address that had opted
    out, written by the anonymisation before it deletes the blacklist
    entries (which hold the address itself). When the same address comes
    back (a new sign-up, an import, a lead), the opt-out is re-applied to
    Odoo's blacklist, so every path that checks consent or the blacklist
    (ours, mass mailing, SMS) honours it again.

    The hash is keyed with the database secret: the table cannot be turned
    back into addresses by hashing a list of known ones elsewhere."""

    _name = "crm.customer.suppression"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _ccare_server_create_only = True
    _description = "Suppressed Address"
    _order = "id desc"
    _rec_name = "channel"

    channel = fields.Selection(SUPPRESSION_CHANNELS, required=True, readonly=True)
    digest = fields.Char(required=True, readonly=True, index=True)

    _digest_unique = models.Constraint(
        "UNIQUE (channel, digest)", "An address is suppressed once per channel."
    )

    @api.model
    def _ccare_digest(self, address):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        return hashlib.sha256(f"{secret}|{address}".encode()).hexdigest()

    @tools.ormcache()
    def _ccare_has_entries(self):
        """Whether anything is suppressed: cached, so that creating and
        writing partners and leads costs no query while nothing is."""
        self.env.cr.execute("SELECT EXISTS (SELECT 1 FROM crm_customer_suppression)")
        return self.env.cr.fetchone()[0]

    @api.model
    def _ccare_suppress(self, addresses):
        """Suppress ``{channel: [address, ...]}``; one statement, once per
        address whatever the number of erasures."""
        rows = [
            (channel, self._ccare_digest(address))
            for channel, values in addresses.items()
            for address in set(values)
            if address
        ]
        if not rows:
            return
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO crm_customer_suppression
                            (channel, digest, create_uid, write_uid, create_date, write_date)
                     SELECT v.channel, v.digest, %(uid)s, %(uid)s, now() at time zone 'UTC',
                            now() at time zone 'UTC'
                       FROM unnest(%(channels)s::varchar[], %(digests)s::varchar[])
                            AS v(channel, digest)
                ON CONFLICT (channel, digest) DO NOTHING
                """,
                uid=self.env.uid,
                channels=[channel for channel, _digest in rows],
                digests=[digest for _channel, digest in rows],
            )
        )
        self.env.registry.clear_cache()  # _ccare_has_entries

    @api.model
    def _ccare_reapply(self, emails, phones):
        """Put the suppressed ones of ``emails`` (normalised) and ``phones``
        (sanitised) back on Odoo's blacklists. One query, plus one per
        address found (rare)."""
        if not self._ccare_has_entries():
            return
        wanted = {("email", email): self._ccare_digest(email) for email in set(emails) if email} | {
            ("phone", phone): self._ccare_digest(phone) for phone in set(phones) if phone
        }
        if not wanted:
            return
        self.env.cr.execute(
            "SELECT channel, digest FROM crm_customer_suppression WHERE digest = ANY(%s)",
            [list(wanted.values())],
        )
        found = set(self.env.cr.fetchall())
        hits = [key for key, digest in wanted.items() if (key[0], digest) in found]
        if not hits:
            return
        message = self.env._(
            "Opted out before: the address belonged to a person whose data was erased, "
            "and their opt-out is kept on the suppression list."
        )
        env = self.env(su=True)
        for channel, address in hits:
            if channel == "email":
                env["mail.blacklist"]._add(address, message=message)
        phones_found = [address for channel, address in hits if channel == "phone"]
        if phones_found:
            active = (
                env["phone.blacklist"].search([("number", "in", phones_found)]).mapped("number")
            )
            missing = [number for number in phones_found if number not in active]
            if missing:
                env["phone.blacklist"]._add(missing, message=message)
