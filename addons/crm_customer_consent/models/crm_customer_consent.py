from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.ccare_guard import is_unlocked
from odoo.addons.crm_customer_care.models.res_partner_contact import CONSENT_CHANNELS
from odoo.addons.crm_customer_care.models.res_partner_contact import CONSENT_PURPOSES
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.tools import email_normalize

# sources only the server's own routes record (the portal page, the
# unsubscribe link, the preference page): a user cannot claim the customer
# decided online
SERVER_SOURCES = {"portal", "email", "web"}


class CrmCustomerConsent(models.Model):
    """A customer's consent (or refusal) for one purpose on one channel.

    Consents are never edited: recording a new decision creates a record
    that supersedes the current one, so the history shows who decided
    what, when, from which source and with which evidence.
    """

    _name = "crm.customer.consent"
    _inherit = ["crm.customer.care.append.only.mixin"]
    _description = "Customer Consent"
    # the anonymisation erases what identifies the person in the evidence
    _ccare_erasable_fields = ("evidence",)
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="partner_id.company_id", store=True, index=True)
    purpose = fields.Selection(CONSENT_PURPOSES, required=True)
    channel = fields.Selection(CONSENT_CHANNELS, required=True)
    state = fields.Selection(
        [("granted", "Granted"), ("refused", "Refused"), ("withdrawn", "Withdrawn")],
        required=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    source = fields.Selection(
        [
            ("form", "Signed form"),
            ("call", "During a call"),
            ("portal", "Customer portal"),
            ("email", "Email / unsubscribe link"),
            ("web", "Web preference page"),
            ("import", "Import"),
            ("other", "Other"),
        ],
        required=True,
        default="other",
    )
    evidence = fields.Text(help="What proves the decision: a reference, a quote...")
    evidence_attachment_ids = fields.Many2many("ir.attachment", string="Evidence Files")
    expiry_date = fields.Date(help="A granted consent lapses after this date.")
    user_id = fields.Many2one(
        "res.users", "Recorded By", default=lambda self: self.env.user, readonly=True
    )
    is_current = fields.Boolean(default=True, readonly=True, index=True)
    superseded_by_id = fields.Many2one("crm.customer.consent", readonly=True)

    _current_unique = models.UniqueIndex(
        "(partner_id, purpose, channel) WHERE is_current",
        "A customer has one current decision per purpose and channel.",
    )

    @api.constrains("state", "expiry_date", "date")
    def _check_expiry(self):
        for consent in self:
            if consent.expiry_date and consent.expiry_date < consent.date.date():
                raise ValidationError(
                    self.env._(
                        "A consent cannot expire (%(expiry)s) before it was given.",
                        expiry=consent.expiry_date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """Record new decisions; each supersedes the current one of the same
        partner, purpose and channel."""
        if not is_unlocked(self._ccare_append_only_key()):
            # the evidence of a decision is the server's: when and by whom it
            # was recorded, and that online sources come from our own routes
            for vals in vals_list:
                if vals.get("source") in SERVER_SOURCES:
                    raise UserError(
                        self.env._(
                            "Decisions from the customer portal, the preference page or an "
                            "unsubscribe link are recorded by those pages only."
                        )
                    )
                vals.update(date=fields.Datetime.now(), user_id=self.env.uid)
        keys = {(v.get("partner_id"), v.get("purpose"), v.get("channel")) for v in vals_list}
        if len(keys) != len(vals_list):
            raise UserError(
                self.env._("Record one decision per customer, purpose and channel at a time.")
            )
        current = (
            self.sudo()
            .search(
                [
                    ("is_current", "=", True),
                    ("partner_id", "in", [k[0] for k in keys]),
                ]
            )
            .filtered(lambda c: (c.partner_id.id, c.purpose, c.channel) in keys)
        )
        with self._ccare_append_only_unlocked():
            current.write({"is_current": False})
            current.flush_recordset(["is_current"])  # free the unique "current" slot first
            consents = super().create(vals_list)
            by_key = {(c.partner_id.id, c.purpose, c.channel): c for c in consents}
            for old in current:
                old.superseded_by_id = by_key[(old.partner_id.id, old.purpose, old.channel)]
        consents._sync_blacklists()
        narrowed = consents.filtered(lambda c: c.state != "granted").partner_id
        if narrowed:
            narrowed.sudo()._ccare_consent_changed()
        return consents

    @api.model
    def _ccare_append_only_message(self):
        return self.env._(
            "Consents are never edited: record a new decision instead (it supersedes "
            "the current one). The consent history is permanent and cannot be deleted."
        )

    def _ccare_verified_addresses(self):
        """``{(channel, address): state}`` of the marketing decisions of
        ``self`` that may act on Odoo's blacklists (the last one per address
        wins). A decision acts on the entry of the partner's normalised
        e-mail or sanitised number only when the address is this customer's
        alone (no partner of another commercial entity holds it) and the
        decision proves it is theirs: recorded by staff (who hold the
        evidence), through the unsubscribe link that was sent to it, or on
        the portal by the user whose login (verified at sign-up) it is. So
        setting one's own e-mail to someone else's address never lifts, nor
        sets, their entry. Two queries, however many decisions."""
        candidates = []
        for consent in self.filtered(lambda c: c.purpose == "marketing"):
            partner = consent.partner_id
            if consent.channel == "email":
                value = partner.email_normalized
            elif consent.channel == "sms":
                value = partner.phone_sanitized
            else:
                continue
            if value:
                candidates.append((consent, value))
        if not candidates:
            return {}
        Partner = self.env["res.partner"].sudo().with_context(active_test=False)
        holders = {}
        for field in ("email_normalized", "phone_sanitized"):
            values = [
                v for c, v in candidates if (c.channel == "email") == (field == "email_normalized")
            ]
            if values:
                for value, commercial in Partner._read_group(
                    [(field, "in", values)], [field, "commercial_partner_id"]
                ):
                    holders.setdefault(value, set()).add(commercial.id)
        wanted = {}
        for consent, value in candidates:
            partner = consent.partner_id
            if holders.get(value, set()) - {partner.commercial_partner_id.id}:
                continue
            if consent.source == "portal":
                logins = {email_normalize(u.login) for u in partner.sudo().user_ids if u.share}
                if consent.channel != "email" or value not in logins:
                    continue
            wanted[consent.channel, value] = consent.state
        return wanted

    def _sync_blacklists(self):
        """Keep Odoo's mail and phone blacklists in step with marketing
        decisions: a refusal or withdrawal blacklists the address, a new
        grant lifts it, for the addresses ``_ccare_verified_addresses``
        allows. Set-based: one search, one write per direction, one create
        and one batch of log notes per blacklist, however many decisions."""
        wanted = self._ccare_verified_addresses()
        for channel, model, field in (
            ("email", "mail.blacklist", "email"),
            ("sms", "phone.blacklist", "number"),
        ):
            states = {value: state for (c, value), state in wanted.items() if c == channel}
            if not states:
                continue
            Blacklist = self.env[model].sudo().with_context(active_test=False)
            existing = Blacklist.search([(field, "in", list(states))])
            known = set(existing.mapped(field))
            blocked = {value for value, state in states.items() if state != "granted"}
            to_block = existing.filtered(lambda r, f=field, b=blocked: r[f] in b and not r.active)
            to_lift = existing.filtered(lambda r, f=field, b=blocked: r[f] not in b and r.active)
            to_block.write({"active": True})
            to_lift.write({"active": False})
            created = Blacklist.create(
                [
                    {field: value, "active": state != "granted"}
                    for value, state in states.items()
                    if value not in known
                ]
            )
            changed = to_block | to_lift | created
            if changed:
                changed._message_log_batch(
                    bodies={
                        record.id: self.env._(
                            "Marketing consent %(state)s (customer care)",
                            state=states[record[field]],
                        )
                        for record in changed
                    }
                )
