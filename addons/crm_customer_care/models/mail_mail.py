from datetime import timedelta

from markupsafe import Markup

from odoo import fields
from odoo import models
from odoo.tools import hash_sign
from odoo.tools import verify_hash_signed

from .crm_customer_consent import CONSENT_PURPOSES

# The signed tokens of unsubscribe links: scope and lifetime.
PREFERENCE_SCOPE = "crm_customer_care.preferences"
PREFERENCE_TOKEN_DAYS = 180


class MailMail(models.Model):
    """Mails our features send for a consent purpose (tier and expiry
    notices...): they carry an unsubscribe link with a signed token and a
    ``List-Unsubscribe`` header, and a withdrawal cancels them while they
    wait in the queue (``res.partner._ccare_consent_changed``)."""

    _inherit = "mail.mail"

    ccare_consent_purpose = fields.Selection(
        CONSENT_PURPOSES,
        string="Consent Purpose",
        index="btree_not_null",
        help="Sent for this purpose: the recipient's consent was checked, a withdrawal "
        "cancels it while it is queued, and it carries an unsubscribe link.",
    )

    def _ccare_consent_mail_values(self, partner, purpose, subject, body):
        """The values of a mail.mail to ``partner`` for ``purpose``: the
        body with the unsubscribe footer, the ``List-Unsubscribe`` headers
        (one-click, RFC 8058) and the purpose. The caller has checked the
        consent (``_filter_contactable``)."""
        url = partner._ccare_preference_url(purpose)
        oneclick = partner._ccare_preference_url(purpose, oneclick=True)
        # the footer in the recipient's language, like the message above it
        lang_env = self.with_context(lang=partner.lang or self.env.lang).env
        footer = Markup(
            '<p style="font-size: 12px; color: #888;">%s '
            '<a href="%s" class="o_ccare_unsubscribe">%s</a></p>'
        ) % (
            lang_env._("You receive this e-mail as a customer of ours."),
            url,
            lang_env._("Unsubscribe or change your preferences"),
        )
        headers = {
            "List-Unsubscribe": f"<{oneclick}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Precedence": "list",
        }
        return {
            "subject": subject,
            "body_html": Markup(body) + footer,
            "recipient_ids": [(4, partner.id)],
            "headers": repr(headers),
            "ccare_consent_purpose": purpose,
        }


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _ccare_preference_token(self, purpose):
        self.ensure_one()
        return hash_sign(
            self.env(su=True),
            PREFERENCE_SCOPE,
            {"partner_id": self.id, "purpose": purpose},
            expiration=timedelta(days=PREFERENCE_TOKEN_DAYS),
        )

    def _ccare_preference_url(self, purpose, oneclick=False):
        """The public preference page of this partner (no login), reached
        from the unsubscribe link of a mail sent for ``purpose``."""
        token = self._ccare_preference_token(purpose)
        path = "unsubscribe" if oneclick else "preferences"
        return f"{self.get_base_url()}/ccare/{path}/{token}"

    def _ccare_preference_partner(self, token):
        """``(partner, purpose)`` of a valid token, or ``(empty, None)`` for an
        expired, forged or unreadable one."""
        try:
            values = verify_hash_signed(self.env(su=True), PREFERENCE_SCOPE, token or "")
        except (ValueError, TypeError, UnicodeDecodeError):
            values = None
        if not isinstance(values, dict) or not isinstance(values.get("partner_id"), int):
            return self.browse(), None
        partner = self.sudo().browse(values["partner_id"]).exists()
        if not partner or partner.ccare_anonymised_date:
            return self.browse(), None
        return partner, values.get("purpose")
