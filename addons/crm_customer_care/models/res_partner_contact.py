from odoo import api
from odoo import fields
from odoo import models

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

    These are extension points: here their answers are permissive (nothing
    is recorded, nobody is blocked); ``crm_customer_consent`` stores the
    decisions and enforces them, do-not-contact included."""

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
        """Extension point: why each partner of ``self`` may not be
        contacted for ``purpose`` on ``channel``: ``{partner_id: reason}``
        (absent = may be contacted).

        Contract: set-based (a constant number of queries whatever the
        number of partners); an override adds the blocks it knows of to
        ``super()``'s. Here: the purpose and channel are checked and nobody
        is blocked; ``crm_customer_consent`` blocks by do-not-contact,
        consent decisions and Odoo's blacklists."""
        self._ccare_check_purpose_channel(purpose, channel)
        return {}

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
