from odoo import models


class ResUsers(models.Model):
    """Users carry their partner's fields by delegation: reading a user's
    sensitive fields is logged as a read of the partner's."""

    _inherit = "res.users"

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        # partner_id is read only when a sensitive field was (users are read often)
        if set(self.env["res.partner"]._ccare_sensitive_fields()) & set(fnames):
            self.partner_id._ccare_log_sensitive_read(fnames)
        return result
