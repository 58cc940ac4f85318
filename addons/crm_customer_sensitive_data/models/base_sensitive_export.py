from odoo import models
from odoo.orm.models import fix_import_export_id_paths


class Base(models.AbstractModel):
    """Exports of other records that reach customers' sensitive fields
    through a relation (e.g. leads with ``partner_id/ccare_id_number``) are
    logged like exports of the customers themselves. Users without the
    Sensitive Data group cannot export them at all (field access)."""

    _inherit = "base"

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        if self._name != "res.partner" and self and not self.env.su:
            self._ccare_log_related_sensitive_export(fields_to_export)
        return result

    def _ccare_log_related_sensitive_export(self, fields_to_export):
        Partner = self.env["res.partner"]
        sensitive = set(Partner._ccare_sensitive_fields())
        partners, names = Partner, set()
        for path in fields_to_export:
            steps = fix_import_export_id_paths(path)
            if len(steps) < 2 or steps[-1] not in sensitive:
                continue
            model, relation = self, []
            for step in steps[:-1]:
                field = model._fields.get(step)
                if not field or not field.relational:
                    break
                model, relation = self.env[field.comodel_name], [*relation, step]
            else:
                if model._name == "res.partner":
                    partners |= self.mapped(".".join(relation))
                    names.add(steps[-1])
                elif model._name == "res.users":  # partner fields by delegation
                    partners |= self.mapped(".".join(relation)).partner_id
                    names.add(steps[-1])
        if partners:
            self.env["crm.customer.sensitive.access"]._ccare_log("export", partners, names)
