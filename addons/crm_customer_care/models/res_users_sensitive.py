from odoo import models


class ResUsers(models.Model):
    """Users carry their partner's fields by delegation: reading a user's
    sensitive fields is logged as a read of the partner's."""

    _inherit = "res.users"

    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        if self and not self.env.su:
            Partner = self.env["res.partner"]
            read = [name for name in Partner._ccare_sensitive_fields() if name in fnames]
            if read:
                self.env["crm.customer.sensitive.access"]._ccare_log(
                    "view" if len(self) == 1 else "bulk_read", self.partner_id, read
                )
        return result
