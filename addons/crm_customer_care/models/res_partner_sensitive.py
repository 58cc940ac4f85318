from odoo import fields
from odoo import models
from odoo.orm.models import fix_import_export_id_paths

SENSITIVE_GROUP = "crm_customer_care.group_crm_customer_care_sensitive_data"


class ResPartner(models.Model):
    """Sensitive personal data: fields only the Sensitive Data group (and
    privacy officers) see; every read or export of them is logged in
    ``crm.customer.sensitive.access``; exports by users who may not see them
    leave those columns empty instead of failing."""

    _inherit = "res.partner"

    ccare_birthdate = fields.Date("Date of Birth", groups=SENSITIVE_GROUP)
    ccare_id_number = fields.Char(
        "ID Number", groups=SENSITIVE_GROUP, help="Passport or national identity number."
    )

    def _ccare_sensitive_fields(self):
        """The fields whose reads and exports are logged. Extend to add
        more (the P&L figures are added by the profit module)."""
        return ["ccare_birthdate", "ccare_id_number"]

    def read(self, fields=None, load="_classic_read", **kwargs):
        result = super().read(fields, load=load, **kwargs)
        if self and not self.env.su:
            sensitive = self._ccare_sensitive_fields()
            if fields is None:
                read = [
                    name for name in sensitive if self._has_field_access(self._fields[name], "read")
                ]
            else:
                read = [name for name in sensitive if name in fields]
            if read:
                self.env["crm.customer.sensitive.access"]._ccare_log(
                    "view" if len(self) == 1 else "bulk_read", self, read
                )
        return result

    def export_data(self, fields_to_export):
        """Sensitive columns the user may not read come out empty (the
        export dialog does not offer them; this covers direct calls), and
        exports that do include sensitive data are logged."""
        sensitive = set(self._ccare_sensitive_fields())
        paths = [fix_import_export_id_paths(path) for path in fields_to_export]
        hidden, shown = [], set()
        for index, path in enumerate(paths):
            names = [name for name in path if name in sensitive]
            if any(not self._has_field_access(self._fields[name], "read") for name in names):
                hidden.append(index)
            else:
                shown.update(names)
        if not hidden:
            result = super().export_data(fields_to_export)
        else:
            kept = [path for index, path in enumerate(fields_to_export) if index not in hidden]
            result = super().export_data(kept) if kept else {"datas": [[] for _ in self]}
            for row in result["datas"]:
                for index in hidden:
                    row.insert(index, "")
        if shown and self and not self.env.su:
            self.env["crm.customer.sensitive.access"]._ccare_log("export", self, shown)
        return result
