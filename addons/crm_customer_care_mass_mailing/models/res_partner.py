from odoo import models


class ResPartner(models.Model):
    """A mass mailing to contacts leaves out whom our consent API blocks."""

    _inherit = "res.partner"

    def _mailing_get_opt_out_list(self, mailing):
        """The addresses of the recipients of ``mailing`` that
        ``_ccare_contact_blocks`` blocks for e-mail marketing (do not
        contact, refusal or withdrawal, no current grant, blacklist), for
        mass_mailing's ``_get_opt_out_list``: the composer cancels their mail
        as opted out, even when the mailing does not use the exclusion list.
        An address shared with a blocked partner is left out for all who
        share it. Two queries, however many recipients."""
        partners = self.search(mailing._get_recipients_domain())
        blocks = partners._ccare_contact_blocks("marketing", "email")
        return {p.email_normalized for p in partners if p.id in blocks} - {False}
