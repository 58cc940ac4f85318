from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

from .crm_customer_consent import CONSENT_CHANNELS
from .crm_customer_consent import CONSENT_PURPOSES
from .crm_customer_consent import OPT_IN_PURPOSES

DNC_FIELDS = {
    "email": "dnc_email",
    "phone": "dnc_phone",
    "sms": "dnc_sms",
    "visit": "dnc_visit",
    "post": "dnc_post",
}


class ResPartner(models.Model):
    """Consent and do-not-contact on the customer, and THE check every
    feature that contacts a customer goes through: ``_filter_contactable``
    (or ``_ccare_contact_blocks`` for the reasons)."""

    _inherit = "res.partner"

    consent_ids = fields.One2many("crm.customer.consent", "partner_id", string="Consents")
    dnc_all = fields.Boolean(
        "Do Not Contact",
        tracking=True,
        copy=False,
        help="Never contact this customer, on any channel.",
    )
    dnc_email = fields.Boolean("No Email", tracking=True, copy=False)
    dnc_phone = fields.Boolean("No Calls", tracking=True, copy=False)
    dnc_sms = fields.Boolean("No SMS", tracking=True, copy=False)
    dnc_visit = fields.Boolean("No Visits", tracking=True, copy=False)
    dnc_post = fields.Boolean("No Post", tracking=True, copy=False)
    consent_summary = fields.Html(compute="_compute_consent_summary", sanitize=False)

    @api.depends("consent_ids.is_current", "consent_ids.state", "dnc_all")
    def _compute_consent_summary(self):
        purposes = dict(CONSENT_PURPOSES)
        channels = dict(CONSENT_CHANNELS)
        current = self.env["crm.customer.consent"].search(
            [("partner_id", "in", self.ids), ("is_current", "=", True)]
        )
        by_partner = {}
        for consent in current:
            by_partner.setdefault(consent.partner_id.id, []).append(consent)
        for partner in self:
            if partner.dnc_all:
                partner.consent_summary = Markup("<b>%s</b>") % self.env._(
                    "Do not contact on any channel."
                )
                continue
            lines = [
                Markup("%s / %s: <b>%s</b>") % (purposes[c.purpose], channels[c.channel], c.state)
                for c in by_partner.get(partner.id, [])
            ]
            partner.consent_summary = Markup("<br/>").join(lines) or self.env._(
                "No consent recorded."
            )

    # ------------------------------------------------------------ the API
    @api.model
    def _ccare_check_purpose_channel(self, purpose, channel):
        if purpose not in dict(CONSENT_PURPOSES) or channel not in DNC_FIELDS:
            raise ValueError(f"Unknown consent purpose or channel: {purpose!r}, {channel!r}")

    def _ccare_contact_blocks(self, purpose, channel, require_opt_in=None):
        """Why each partner of ``self`` may not be contacted for ``purpose``
        on ``channel``: ``{partner_id: reason}`` (absent = may be contacted).

        A partner is blocked by: do-not-contact (all channels or this one);
        a current refusal or withdrawal, or an expired grant; for opt-in
        purposes (marketing, profiling, sharing, or ``require_opt_in``), the
        absence of a current grant; Odoo's mail blacklist (email) and phone
        blacklist (phone, SMS), except for a non-marketing purpose the
        customer explicitly granted on that channel. One query whatever the
        number of partners.
        """
        self._ccare_check_purpose_channel(purpose, channel)
        if not self:
            return {}
        if require_opt_in is None:
            require_opt_in = purpose in OPT_IN_PURPOSES
        self.env["res.partner"].flush_model(
            ["dnc_all", DNC_FIELDS[channel], "email_normalized", "phone_sanitized"]
        )
        self.env["crm.customer.consent"].flush_model()
        self.env["mail.blacklist"].flush_model(["email", "active"])
        self.env["phone.blacklist"].flush_model(["number", "active"])
        # A join (the addresses are unique in both blacklists), not EXISTS:
        # the subquery made PostgreSQL's estimate cross its JIT threshold,
        # and compiling cost more than the query at 100k partners.
        blacklist_sql, blacklist_join = SQL("false"), SQL("")
        if channel == "email":
            blacklist_sql = SQL("bl.id IS NOT NULL")
            blacklist_join = SQL(
                "LEFT JOIN mail_blacklist bl ON bl.active AND bl.email = p.email_normalized"
            )
        elif channel in ("phone", "sms"):
            blacklist_sql = SQL("bl.id IS NOT NULL")
            blacklist_join = SQL(
                "LEFT JOIN phone_blacklist bl ON bl.active AND bl.number = p.phone_sanitized"
            )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT p.id, coalesce(p.dnc_all, false), coalesce(p.%s, false), %s,
                       c.state, c.expiry_date < current_date
                  FROM res_partner p
             LEFT JOIN crm_customer_consent c
                    ON c.partner_id = p.id AND c.is_current
                   AND c.purpose = %s AND c.channel = %s
                       %s
                 WHERE p.id = ANY(%s)
                """,
                SQL.identifier(DNC_FIELDS[channel]),
                blacklist_sql,
                purpose,
                channel,
                blacklist_join,
                self.ids,
            )
        )
        _ = self.env._
        # the reasons, translated once (not once per blocked partner)
        reason = {
            "dnc_all": _("do not contact"),
            "dnc_channel": _("do not contact by %s", dict(CONSENT_CHANNELS)[channel]),
            "refused": _("consent %s", "refused"),
            "withdrawn": _("consent %s", "withdrawn"),
            "expired": _("consent expired"),
            "no_consent": _("no consent given"),
            "blacklisted": _("blacklisted"),
        }
        blocks = {}
        for partner_id, dnc_all, dnc_channel, blacklisted, state, expired in rows:
            if dnc_all:
                blocks[partner_id] = reason["dnc_all"]
            elif dnc_channel:
                blocks[partner_id] = reason["dnc_channel"]
            elif state in ("refused", "withdrawn"):
                blocks[partner_id] = reason[state]
            elif state == "granted" and expired:
                blocks[partner_id] = reason["expired"]
            elif require_opt_in and state != "granted":
                blocks[partner_id] = reason["no_consent"]
            elif blacklisted and (purpose == "marketing" or state != "granted"):
                # Odoo's blacklists hold for every purpose, unless the
                # customer explicitly granted this very purpose on this
                # channel (an SMS opt-out must not veto a requested call)
                blocks[partner_id] = reason["blacklisted"]
        return blocks

    def _filter_contactable(self, purpose, channel, require_opt_in=None):
        """The partners of ``self`` that may be contacted for ``purpose`` on
        ``channel``. Every feature that contacts customers calls this (or
        ``_ccare_contact_blocks``) on the server, set-based."""
        blocked = self._ccare_contact_blocks(purpose, channel, require_opt_in)
        return self.filtered(lambda partner: partner.id not in blocked)

    def _ccare_is_contactable(self, purpose, channel, require_opt_in=None):
        self.ensure_one()
        return bool(self._filter_contactable(purpose, channel, require_opt_in))

    def _ccare_record_consent(self, purpose, channel, state, source="other", **values):
        """Record a new decision for every partner of ``self`` (superseding
        their current one)."""
        Consent = self.env["crm.customer.consent"]
        # the server's own API: the source and date it gives are the evidence
        with Consent._ccare_append_only_unlocked():
            return Consent.create(
                [
                    {
                        "partner_id": partner.id,
                        "purpose": purpose,
                        "channel": channel,
                        "state": state,
                        "source": source,
                        **values,
                    }
                    for partner in self
                ]
            )

    def action_open_consents(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consents"),
            "res_model": "crm.customer.consent",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id, "search_default_current": 1},
        }
