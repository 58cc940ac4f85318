from markupsafe import Markup

from odoo import fields
from odoo import models

from .res_partner_contact import CONSENT_PURPOSES


class MailMail(models.Model):
    """Mails our features send for a consent purpose (tier and expiry
    notices...): the purpose is kept on the mail, so that a withdrawal can
    cancel it while it waits in the queue (``crm_customer_consent``, through
    ``res.partner._ccare_consent_changed``)."""

    _inherit = "mail.mail"

    ccare_consent_purpose = fields.Selection(
        CONSENT_PURPOSES,
        string="Consent Purpose",
        index="btree_not_null",
        help="Sent for this purpose: the recipient's consent was checked, a withdrawal "
        "cancels it while it is queued, and it carries an unsubscribe link.",
    )

    def _ccare_consent_mail_values(self, partner, purpose, subject, body):
        """Extension point: the values of a mail.mail to ``partner`` for
        ``purpose`` (``subject``, ``body_html``, ``recipient_ids``,
        ``headers``, ``ccare_consent_purpose``). The caller has checked the
        consent (``_filter_contactable``). Here: the body as it is and no
        headers; ``crm_customer_consent`` adds the unsubscribe footer and
        the ``List-Unsubscribe`` headers."""
        return {
            "subject": subject,
            "body_html": Markup(body),
            "recipient_ids": [(4, partner.id)],
            "headers": False,
            "ccare_consent_purpose": purpose,
        }
