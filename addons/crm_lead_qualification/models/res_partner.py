from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        """The leads' section also gives each lead's qualification grade."""
        return [
            (key, title, records, [*names, "qualification_grade_id"] if key == "leads" else names)
            for key, title, records, names in super()._ccare_subject_access_sections()
        ]
