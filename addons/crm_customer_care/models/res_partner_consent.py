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

    consent_ids = fields.One2many(
        "crm.customer.consent",
        "partner_id",
        string="Consents",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
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
    consent_summary = fields.Html(
        compute="_compute_consent_summary",
        sanitize=False,
        groups="crm_customer_care.group_crm_customer_care_user",
    )

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
        purposes (marketing, profiling, sharing, always; any other with
        ``require_opt_in``), the absence of a current grant; Odoo's mail blacklist (email) and phone
        blacklist (phone, SMS), except for a non-marketing purpose the
        customer explicitly granted on that channel. One query whatever the
        number of partners.

        People and companies (B2B), one rule:

        - a contact's own choice governs that contact (its do-not-contact,
          refusal, withdrawal or grant);
        - the account's (commercial partner's) do-not-contact, refusal or
          withdrawal governs every contact of the company, whatever the
          contact chose;
        - a contact that decided nothing follows the account's decision
          (an account-level grant covers its contacts);
        - blacklists are per address: the contact's own e-mail and phone.
        """
        self._ccare_check_purpose_channel(purpose, channel)
        if not self:
            return {}
        # direct marketing, profiling and sharing always need a current grant
        # (PDPO Part 6A, GDPR art. 6/7): ``require_opt_in`` may add the
        # requirement to another purpose, never waive it
        require_opt_in = bool(require_opt_in) or purpose in OPT_IN_PURPOSES
        self.env["res.partner"].flush_model(
            [
                "dnc_all",
                DNC_FIELDS[channel],
                "email_normalized",
                "phone_sanitized",
                "commercial_partner_id",
            ]
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
                SELECT p.id, coalesce(p.dnc_all, false), coalesce(p.%(dnc)s, false), %(bl)s,
                       c.state, c.expiry_date < current_date,
                       coalesce(a.dnc_all, false), coalesce(a.%(dnc)s, false),
                       ac.state, ac.expiry_date < current_date
                  FROM res_partner p
             LEFT JOIN crm_customer_consent c
                    ON c.partner_id = p.id AND c.is_current
                   AND c.purpose = %(purpose)s AND c.channel = %(channel)s
             LEFT JOIN res_partner a
                    ON a.id = p.commercial_partner_id AND a.id != p.id
             LEFT JOIN crm_customer_consent ac
                    ON ac.partner_id = a.id AND ac.is_current
                   AND ac.purpose = %(purpose)s AND ac.channel = %(channel)s
                       %(bl_join)s
                 WHERE p.id = ANY(%(ids)s)
                """,
                dnc=SQL.identifier(DNC_FIELDS[channel]),
                bl=blacklist_sql,
                purpose=purpose,
                channel=channel,
                bl_join=blacklist_join,
                ids=self.ids,
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
        account = _("%s (for the whole account)")
        blocks = {}
        for row in rows:
            partner_id, dnc_all, dnc_channel, blacklisted, own_state, own_expired = row[:6]
            acc_dnc_all, acc_dnc_channel, acc_state, acc_expired = row[6:]
            if dnc_all:
                blocks[partner_id] = reason["dnc_all"]
            elif acc_dnc_all:
                blocks[partner_id] = account % reason["dnc_all"]
            elif dnc_channel:
                blocks[partner_id] = reason["dnc_channel"]
            elif acc_dnc_channel:
                blocks[partner_id] = account % reason["dnc_channel"]
            elif own_state in ("refused", "withdrawn"):
                blocks[partner_id] = reason[own_state]
            elif acc_state in ("refused", "withdrawn"):
                blocks[partner_id] = account % reason[acc_state]
            else:
                # the contact's own decision, or else the account's
                state, expired = (own_state, own_expired) if own_state else (acc_state, acc_expired)
                if state == "granted" and expired:
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

    def write(self, vals):
        """Setting do-not-contact (by hand, by an account closure or
        suspension) narrows what may be done: the partners whose flag turns
        on go to ``_ccare_consent_changed``. Only those rows: a write that
        changes nothing triggers nothing."""
        turned_on = [f for f in ("dnc_all", *DNC_FIELDS.values()) if vals.get(f)]
        narrowed = self.browse()
        if turned_on:
            narrowed = self.filtered(lambda p: not all(p[f] for f in turned_on))
        res = super().write(vals)
        if narrowed:
            narrowed.sudo()._ccare_consent_changed()
        return res

    def _ccare_consent_changed(self):
        """Extension point: the contact permissions of the partners of
        ``self`` have just narrowed.

        Contract:

        - *When*: after a refusal or withdrawal is recorded
          (``crm.customer.consent.create``), after do-not-contact turns on
          (``write``: by hand, account closure or suspension), and on
          anonymisation, in the same transaction.
        - *What it gets*: ``self``, the partners whose own decision changed
          (people or companies; a company's decision reaches its contacts,
          see ``_ccare_contact_blocks``), as superuser.
        - *What an override does*: cancel what it holds planned or pending
          for these partners (and, for a company, its contacts) that
          ``_ccare_contact_blocks`` now forbids, with the block's reason in
          the record's chatter; then call ``super()``. Set-based: a constant
          number of queries whatever the number of partners.

        Here: pending outgoing e-mails sent for a consent purpose
        (``mail.mail.ccare_consent_purpose``, the mails of our notifications)
        are cancelled with the reason, and planned call and e-mail
        activities on the customers (and their leads) are cancelled with a
        note on the document. ``crm_callplan`` cancels planned calls.
        """
        if not self:
            return
        partners = self._ccare_affected_partners()
        self._ccare_cancel_pending_mails(partners)
        self._ccare_cancel_contact_activities(partners)

    def _ccare_affected_partners(self):
        """``self`` and, for companies, every contact of the company: one
        search."""
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("id", "in", self.ids),
                    ("commercial_partner_id", "in", self.ids),
                ]
            )
        )

    def _ccare_cancel_pending_mails(self, partners):
        Mail = self.env["mail.mail"].sudo()
        mails = Mail.search(
            [
                ("state", "=", "outgoing"),
                ("ccare_consent_purpose", "!=", False),
                ("recipient_ids", "in", partners.ids),
            ]
        )
        if not mails:
            return
        by_purpose = {}
        for mail in mails:
            by_purpose.setdefault(mail.ccare_consent_purpose, Mail)
            by_purpose[mail.ccare_consent_purpose] |= mail
        for purpose, group in by_purpose.items():
            blocks = group.recipient_ids._ccare_contact_blocks(purpose, "email")
            blocked = group.filtered(lambda m, b=blocks: any(r.id in b for r in m.recipient_ids))
            reasons = {}
            for mail in blocked:
                reason = next(blocks[r.id] for r in mail.recipient_ids if r.id in blocks)
                reasons.setdefault(reason, Mail)
                reasons[reason] |= mail
            for reason, todo in reasons.items():
                todo.cancel()
                todo.write({"failure_reason": self.env._("Cancelled by consent: %s", reason)})

    def _ccare_contact_activity_channels(self):
        """``{activity type id: consent channel}``: the activity types that
        contact the customer (phone calls, e-mails, meetings)."""
        Type = self.env["mail.activity.type"].sudo()
        channels = {t.id: "phone" for t in Type.search([("category", "=", "phonecall")])}
        for xmlid, channel in (
            ("mail.mail_activity_data_email", "email"),
            ("mail.mail_activity_data_call", "phone"),
            ("mail.mail_activity_data_meeting", "visit"),
        ):
            activity_type = self.env.ref(xmlid, raise_if_not_found=False)
            if activity_type:
                channels[activity_type.id] = channel
        return channels

    def _ccare_cancel_contact_activities(self, partners):
        channels = self._ccare_contact_activity_channels()
        leads = (
            self.env["crm.lead"]
            .sudo()
            .with_context(active_test=False)
            .search([("partner_id", "in", partners.ids)])
        )
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("activity_type_id", "in", list(channels)),
                    "|",
                    "&",
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    "&",
                    ("res_model", "=", "crm.lead"),
                    ("res_id", "in", leads.ids),
                ]
            )
        )
        if not activities:
            return
        lead_partner = {lead.id: lead.partner_id.id for lead in leads}
        person = {
            a.id: a.res_id if a.res_model == "res.partner" else lead_partner[a.res_id]
            for a in activities
        }
        reasons = {}
        for channel in set(channels.values()):
            group = activities.filtered(lambda a, c=channel: channels[a.activity_type_id.id] == c)
            if not group:
                continue
            blocks = (
                self.env["res.partner"]
                .browse({person[a.id] for a in group})
                ._ccare_contact_blocks("sales_calls", channel)
            )
            for activity in group:
                if person[activity.id] in blocks:
                    reasons[activity] = blocks[person[activity.id]]
        if not reasons:
            return
        notes = {}
        for activity, reason in reasons.items():
            notes.setdefault(activity.res_model, {})[activity.res_id] = self.env._(
                "Planned activity “%(activity)s” cancelled: %(reason)s.",
                activity=activity.summary or activity.activity_type_id.name,
                reason=reason,
            )
        self.env["mail.activity"].concat(*reasons).unlink()
        for model, bodies in notes.items():
            self.env[model].sudo().browse(list(bodies))._message_log_batch(bodies=bodies)

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
        self.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Consents"),
            "res_model": "crm.customer.consent",
            "view_mode": "list,form",
            "domain": [("partner_id", "=", self.id)],
            "context": {"default_partner_id": self.id, "search_default_current": 1},
        }
