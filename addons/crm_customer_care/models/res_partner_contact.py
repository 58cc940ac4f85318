from odoo import api
from odoo import fields
from odoo import models
from odoo.tools import SQL

# The consent vocabulary every feature that contacts customers speaks: the
# purposes and channels of ``_ccare_contact_blocks`` (crm_customer_consent
# records decisions in these terms).
CONSENT_PURPOSES = [
    ("marketing", "Marketing"),
    ("sales_calls", "Sales calls"),
    ("profiling", "Profiling"),
    ("sharing", "Sharing with third parties"),
]
CONSENT_CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("sms", "SMS"),
    ("visit", "Visit"),
    ("post", "Post"),
]
# Purposes that need an explicit, current "granted" consent (opt-in, as the
# PDPO and GDPR ask for direct marketing); the others are allowed unless the
# customer refused or withdrew.
OPT_IN_PURPOSES = {"marketing", "profiling", "sharing"}
DNC_FIELDS = {
    "email": "dnc_email",
    "phone": "dnc_phone",
    "sms": "dnc_sms",
    "visit": "dnc_visit",
    "post": "dnc_post",
}


class ResPartner(models.Model):
    """Do-not-contact on the customer, and the consent API every feature
    that contacts a customer goes through: ``_filter_contactable`` (or
    ``_ccare_contact_blocks`` for the reasons), ``_ccare_record_consent``
    and the ``_ccare_consent_changed`` hook.

    These are extension points: here only do-not-contact blocks, and
    nothing is recorded; ``crm_customer_consent`` records the decisions and
    enforces them (opt-in, refusals, withdrawals, Odoo's blacklists)."""

    _inherit = "res.partner"

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

    # ------------------------------------------------------------ the API
    @api.model
    def _ccare_check_purpose_channel(self, purpose, channel):
        if purpose not in dict(CONSENT_PURPOSES) or channel not in DNC_FIELDS:
            raise ValueError(f"Unknown consent purpose or channel: {purpose!r}, {channel!r}")

    def _ccare_contact_blocks(self, purpose, channel, require_opt_in=None):
        """Why each partner of ``self`` may not be contacted for ``purpose``
        on ``channel``: ``{partner_id: reason}`` (absent = may be contacted).
        One query whatever the number of partners.

        Here: do-not-contact (all channels or this one), the contact's own
        or its account's (commercial partner's), which governs every
        contact of the company. ``crm_customer_consent`` adds consent
        decisions, opt-in and Odoo's blacklists by extending
        ``_ccare_contact_block_rows`` (the query) and
        ``_ccare_contact_block_reason`` (what a row means).
        """
        self._ccare_check_purpose_channel(purpose, channel)
        if not self:
            return {}
        # direct marketing, profiling and sharing always need a current grant
        # (PDPO Part 6A, GDPR art. 6/7): ``require_opt_in`` may add the
        # requirement to another purpose, never waive it
        require_opt_in = bool(require_opt_in) or purpose in OPT_IN_PURPOSES
        reasons = self._ccare_contact_block_reasons(channel)
        blocks = {}
        for row in self._ccare_contact_block_rows(purpose, channel):
            reason = self._ccare_contact_block_reason(row, reasons, purpose, require_opt_in)
            if reason:
                blocks[row[0]] = reason
        return blocks

    def _ccare_contact_block_rows(self, purpose, channel):
        """One row per partner of ``self``: ``(id, do-not-contact,
        do-not-contact on the channel, blacklisted, own decision, own grant
        expired, the account's do-not-contact, the account's on the channel,
        the account's decision, the account's grant expired)``. Here the
        decisions and the blacklist are empty. One query."""
        self.env["res.partner"].flush_model(
            ["dnc_all", DNC_FIELDS[channel], "commercial_partner_id"]
        )
        return self.env.execute_query(
            SQL(
                """
                SELECT p.id, coalesce(p.dnc_all, false), coalesce(p.%(dnc)s, false), false,
                       NULL, NULL,
                       coalesce(a.dnc_all, false), coalesce(a.%(dnc)s, false),
                       NULL, NULL
                  FROM res_partner p
             LEFT JOIN res_partner a
                    ON a.id = p.commercial_partner_id AND a.id != p.id
                 WHERE p.id = ANY(%(ids)s)
                """,
                dnc=SQL.identifier(DNC_FIELDS[channel]),
                ids=self.ids,
            )
        )

    @api.model
    def _ccare_contact_block_reasons(self, channel):
        """The reasons, translated once (not once per blocked partner)."""
        return {
            "dnc_all": self.env._("do not contact"),
            "dnc_channel": self.env._("do not contact by %s", dict(CONSENT_CHANNELS)[channel]),
            "account": self.env._("%s (for the whole account)"),
        }

    @api.model
    def _ccare_contact_block_reason(self, row, reasons, purpose, require_opt_in):
        """The reason the partner of one row of ``_ccare_contact_block_rows``
        is blocked, or None: the contact's own do-not-contact, then the
        account's (for every contact of the company)."""
        dnc_all, dnc_channel = row[1:3]
        acc_dnc_all, acc_dnc_channel = row[6:8]
        if dnc_all:
            return reasons["dnc_all"]
        if acc_dnc_all:
            return reasons["account"] % reasons["dnc_all"]
        if dnc_channel:
            return reasons["dnc_channel"]
        if acc_dnc_channel:
            return reasons["account"] % reasons["dnc_channel"]
        return None

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
        """Extension point: record a new decision (``granted``, ``refused``
        or ``withdrawn``) for every partner of ``self``, superseding their
        current one, as the server (``source`` and the date are evidence).
        Returns the decisions recorded. Here: nothing is recorded (None);
        ``crm_customer_consent`` records them."""
        self._ccare_check_purpose_channel(purpose, channel)
        return None

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
          (``_ccare_record_consent``), after do-not-contact turns on
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

        Here: nothing. ``crm_customer_consent`` cancels queued mails sent
        for a consent purpose and planned contact activities;
        ``crm_callplan`` cancels planned calls.
        """
        return None
