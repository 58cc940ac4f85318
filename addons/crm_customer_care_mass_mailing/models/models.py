from odoo import models


class Base(models.AbstractModel):
    """Who stands behind a record a mailing targets, for the consent check
    of every mass mailing (``mailing.mailing._ccare_marketing_blocks``), on
    every model a mailing may target, installed now or later."""

    _inherit = "base"

    def _ccare_marketing_partners(self):
        """``{record id: partners}``: the customers whose e-mail marketing
        consent governs a mailing to each record of ``self``, besides the
        partners the mail goes to and those holding its address. By default
        the record's partner fields (``_mail_get_partners``: ``partner_id``,
        ``partner_ids``; a partner is its own). One query per batch."""
        return self._mail_get_partners()

    def _ccare_marketing_sign_up(self):
        """Whether a record of this model is its own sign-up to e-mail
        marketing, so that an address no customer holds may be mailed
        (marketing is opt-in: by default it may not)."""
        return False
