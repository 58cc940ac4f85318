from datetime import timedelta

from markupsafe import Markup

from odoo import models
from odoo.tools import hash_sign
from odoo.tools import verify_hash_signed

# The signed tokens of unsubscribe links: scope and lifetime.
PREFERENCE_SCOPE = "crm_customer_care.preferences"  # kept: the links already sent
PREFERENCE_TOKEN_DAYS = 180


class MailMail(models.Model):
    """Mails our features send for a consent purpose (tier and expiry
    notices...): they carry an unsubscribe link with a signed token and a
    ``List-Unsubscribe`` header, and a withdrawal cancels them while they
    wait in the queue (``res.partner._ccare_consent_changed``)."""

    _inherit = "mail.mail"

    def _ccare_consent_mail_values(self, partner, purpose, subject, body):
        """The body with the unsubscribe footer, the ``List-Unsubscribe``
        headers (one-click, RFC 8058)."""
        values = super()._ccare_consent_mail_values(partner, purpose, subject, body)
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
        values.update(body_html=values["body_html"] + footer, headers=repr(headers))
        return values


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
