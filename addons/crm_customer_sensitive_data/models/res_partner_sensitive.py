from odoo import api
from odoo import fields
from odoo import models
from odoo.orm.models import fix_import_export_id_paths

SENSITIVE_GROUP = "crm_customer_sensitive_data.group_crm_customer_care_sensitive_data"


class ResPartner(models.Model):
    """Sensitive personal data: fields only the Sensitive Data group (and
    privacy officers) see; every read or export of them is logged in
    ``crm.customer.sensitive.access``; exports by users who may not see them
    leave those columns empty instead of failing."""

    _inherit = "res.partner"

    # not copied: Duplicate reads every copied field as the user, and a
    # duplicate contact is not the same person
    ccare_birthdate = fields.Date("Date of Birth", groups=SENSITIVE_GROUP, copy=False)
    ccare_id_number = fields.Char(
        "ID Number",
        groups=SENSITIVE_GROUP,
        copy=False,
        help="Passport or national identity number.",
    )

    def _ccare_sensitive_masks(self):
        """``{sensitive field: its masked twin}``: what an export by a user
        without the Sensitive Data group shows instead of an empty column."""
        return {"ccare_id_number": "ccare_id_number_masked"}

    def _ccare_sensitive_fields(self):
        """The fields whose reads and exports are logged. Extend to add
        more (crm_customer_profitability adds the P&L figures)."""
        return ["ccare_birthdate", "ccare_id_number", "ccare_id_type", "ccare_id_purpose"]

    # Every ORM read path (read, search_read, web_read, web_search_read)
    # formats its values in _read_format, and every grouping (read_group,
    # formatted_read_group, web_read_group, the pivot) runs _read_group:
    # logging there misses none of them.
    def _read_format(self, fnames, load="_classic_read"):
        result = super()._read_format(fnames, load=load)
        self._ccare_log_sensitive_read(fnames)
        return result

    def _ccare_log_sensitive_read(self, fnames):
        """Log a read by a user of the sensitive fields among ``fnames`` on
        the partners of ``self`` (one entry per call)."""
        if self and not self.env.su:
            read = [name for name in self._ccare_sensitive_fields() if name in fnames]
            if read:
                self.env["crm.customer.sensitive.access"]._ccare_log(
                    "view" if len(self) == 1 else "bulk_read", self, read
                )

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        result = super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        if result and not self.env.su:
            specs = [spec for spec in (*groupby, *aggregates) if spec != "__count"]
            used = {spec.split(":")[0].split(".")[0] for spec in specs}
            read = [name for name in self._ccare_sensitive_fields() if name in used]
            if read:
                self.env["crm.customer.sensitive.access"]._ccare_log(
                    "bulk_read", self.search(domain), read
                )
        return result

    def export_data(self, fields_to_export):
        """Sensitive columns the user may not read come out empty (the
        export dialog does not offer them; this covers direct calls), and
        exports that do include sensitive data are logged."""
        sensitive = set(self._ccare_sensitive_fields())
        masks = self._ccare_sensitive_masks()
        paths = [fix_import_export_id_paths(path) for path in fields_to_export]
        fields_to_export = list(fields_to_export)
        hidden, shown = [], set()
        for index, path in enumerate(paths):
            names = [name for name in path if name in sensitive]
            if any(not self._has_field_access(self._fields[name], "read") for name in names):
                if path[-1] in masks and path[-1] in names and len(names) == 1:
                    # the masked value instead (the HKID as A123XXX(X))
                    fields_to_export[index] = "/".join([*path[:-1], masks[path[-1]]])
                else:
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
