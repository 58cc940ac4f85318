from markupsafe import Markup

from odoo import api
from odoo import fields
from odoo import models
from odoo.addons.crm_customer_care.models.res_partner_contact import CONSENT_CHANNELS
from odoo.addons.crm_customer_care.models.res_partner_contact import CONSENT_PURPOSES
from odoo.addons.crm_customer_care.models.res_partner_contact import DNC_FIELDS
from odoo.tools import SQL


class ResPartner(models.Model):
    """Consent on the customer, and the answer of THE check every feature
    that contacts a customer goes through (the core's
    ``_filter_contactable``, ``_ccare_contact_blocks`` for the reasons):
    do-not-contact, consent decisions and Odoo's blacklists."""

    _inherit = "res.partner"

    consent_ids = fields.One2many(
        "crm.customer.consent",
        "partner_id",
        string="Consents",
        groups="crm_customer_care.group_crm_customer_care_user",
    )
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
    # The core's ``_ccare_contact_blocks`` asks these: one query, then what
    # each row means.
    #
    # A partner is blocked by: do-not-contact (all channels or this one, the
    # core's); a current refusal or withdrawal, or an expired grant; for
    # opt-in purposes (marketing, profiling, sharing, always; any other with
    # ``require_opt_in``), the absence of a current grant; Odoo's mail
    # blacklist (email) and phone blacklist (phone, SMS), except for a
    # non-marketing purpose the customer explicitly granted on that channel.
    #
    # People and companies (B2B), one rule:
    # - a contact's own choice governs that contact (its do-not-contact,
    #   refusal, withdrawal or grant);
    # - the account's (commercial partner's) do-not-contact, refusal or
    #   withdrawal governs every contact of the company, whatever the
    #   contact chose;
    # - a contact that decided nothing follows the account's decision (an
    #   account-level grant covers its contacts);
    # - blacklists are per address: the contact's own e-mail and phone.
    def _ccare_contact_block_rows(self, purpose, channel):
        """The core's rows with the current decisions and the blacklists
        filled in: the same columns, one query (it replaces the core's)."""
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
        return self.env.execute_query(
            SQL(
                """
                SELECT p.id, coalesce(p.dnc_all, false), coalesce(p.%(dnc)s, false), %(bl)s,
                       c.state, c.expiry_date < %(today)s,
                       coalesce(a.dnc_all, false), coalesce(a.%(dnc)s, false),
                       ac.state, ac.expiry_date < %(today)s
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
                today=fields.Date.context_today(self),
            )
        )

    @api.model
    def _ccare_contact_block_reasons(self, channel):
        return {
            **super()._ccare_contact_block_reasons(channel),
            "refused": self.env._("consent %s", "refused"),
            "withdrawn": self.env._("consent %s", "withdrawn"),
            "expired": self.env._("consent expired"),
            "no_consent": self.env._("no consent given"),
            "blacklisted": self.env._("blacklisted"),
        }

    @api.model
    def _ccare_contact_block_reason(self, row, reason, purpose, require_opt_in):
        """Do-not-contact (the core's), then the contact's refusal or
        withdrawal, the account's, an expired grant, a missing opt-in, a
        blacklisted address."""
        found = super()._ccare_contact_block_reason(row, reason, purpose, require_opt_in)
        if found:
            return found
        blacklisted, own_state, own_expired = row[3:6]
        acc_state, acc_expired = row[8:10]
        if own_state in ("refused", "withdrawn"):
            return reason[own_state]
        if acc_state in ("refused", "withdrawn"):
            return reason["account"] % reason[acc_state]
        # the contact's own decision, or else the account's
        state, expired = (own_state, own_expired) if own_state else (acc_state, acc_expired)
        if state == "granted" and expired:
            return reason["expired"]
        if require_opt_in and state != "granted":
            return reason["no_consent"]
        if blacklisted and (purpose == "marketing" or state != "granted"):
            # Odoo's blacklists hold for every purpose, unless the customer
            # explicitly granted this very purpose on this channel (an SMS
            # opt-out must not veto a requested call)
            return reason["blacklisted"]
        return None

    def _ccare_consent_changed(self):
        """Pending outgoing e-mails sent for a consent purpose
        (``mail.mail.ccare_consent_purpose``, the mails of our
        notifications) are cancelled with the reason, and planned call and
        e-mail activities on the customers (and their leads) are cancelled
        with a note on the document (contract: the core's docstring)."""
        if self:
            partners = self._ccare_affected_partners()
            self._ccare_cancel_pending_mails(partners)
            self._ccare_cancel_contact_activities(partners)
        return super()._ccare_consent_changed()

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
        super()._ccare_record_consent(purpose, channel, state, source, **values)
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
