import hashlib

from odoo import api
from odoo import fields
from odoo import models
from odoo import tools
from odoo.tools import SQL

SUPPRESSION_CHANNELS = [("email", "Email"), ("phone", "Phone")]
PENDING_KEY = "crm_customer_care.suppression"


class CrmCustomerSuppression(models.Model):
    """The opt-outs of erased people, kept without the person (GDPR art.
    17 and 21, PDPO s.35G): a keyed hash of each address that had opted
    out, written by the anonymisation before it deletes the blacklist
    entries (which hold the address itself). When the same address comes
    back (a new sign-up, an import, a lead), the opt-out is re-applied to
    Odoo's blacklist, so every path that checks consent or the blacklist
    (ours, mass mailing, SMS) honours it again.

    The hash is keyed with the database secret: the table cannot be turned
    back into addresses by hashing a list of known ones elsewhere.

    Every record that holds an address Odoo may mail or text (partners,
    leads, mailing contacts, anything with ``mail.thread.blacklist`` or
    ``mail.thread.phone``) notes itself with :meth:`_ccare_defer_reapply`
    when its address changes (see ``mail_thread_blacklist.py``)."""

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
    def _ccare_suppressed(self, channel, addresses):
        """The addresses of ``addresses`` (normalised e-mails or sanitised
        phones) on the list for ``channel``. No query while the list is
        empty, one otherwise."""
        if not self._ccare_has_entries():
            return set()
        wanted = {self._ccare_digest(address): address for address in set(addresses) if address}
        if not wanted:
            return set()
        self.env.cr.execute(
            SQL(
                "SELECT digest FROM crm_customer_suppression "
                "WHERE channel = %s AND digest = ANY(%s)",
                channel,
                list(wanted),
            )
        )
        return {wanted[digest] for (digest,) in self.env.cr.fetchall()}

    @api.model
    def _ccare_defer_reapply(self, records):
        """Note ``records`` (of any model with ``email_normalized`` or
        ``phone_sanitized``) whose address just changed: at the end of the
        transaction, once for all of them, the suppressed addresses they
        hold go back on the blacklists (:meth:`_ccare_reapply`). No query
        while nothing is suppressed. (``crm.customer.care.deferred`` runs
        steps of fixed models; these records are of any model.)"""
        ids = [record_id for record_id in records._ids if isinstance(record_id, int)]
        if not ids or not self._ccare_has_entries():
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(PENDING_KEY)
        if pending is None:
            pending = precommit.data[PENDING_KEY] = {}
            precommit.add(self._ccare_reapply_pending)
        pending.setdefault(records._name, set()).update(ids)

    @api.model
    def _ccare_reapply_pending(self):
        """The precommit hook: the addresses the noted records hold now,
        whoever wrote them. One query per model, plus :meth:`_ccare_reapply`."""
        pending = self.env.cr.precommit.data.pop(PENDING_KEY, None) or {}
        emails, phones = [], []
        for model, ids in pending.items():
            records = self.env[model].sudo().with_context(active_test=False).browse(ids).exists()
            if "email_normalized" in records._fields:
                emails += records.mapped("email_normalized")
            if "phone_sanitized" in records._fields:
                phones += records.mapped("phone_sanitized")
        # whoever wrote last, whatever their context: the server's own work
        self.env(context={}, su=True)["crm.customer.suppression"]._ccare_reapply(emails, phones)

    @api.model
    def _ccare_reapply(self, emails, phones):
        """Put the suppressed ones of ``emails`` (normalised) and ``phones``
        (sanitised) back on Odoo's blacklists. No query while the list is
        empty; otherwise one per channel, plus one per address found (rare)."""
        hits = [("email", email) for email in self._ccare_suppressed("email", emails)]
        hits += [("phone", phone) for phone in self._ccare_suppressed("phone", phones)]
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
