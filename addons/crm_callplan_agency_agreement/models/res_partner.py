from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        """A subject-access request lists the agencies that received the
        person's data: each call given to an agency, when, under which
        agreement, which data and until when its agents could see it."""
        calls = (
            self.env["crm.call"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("partner_id", "in", self.ids),
                    ("contact_id", "in", self.ids),
                    ("agency_id", "!=", False),
                ],
                order="create_date, id",
            )
        )
        names = ["agency_id", "agency_agreement_id", "create_date", "planned_date"]
        names += ["date_done", "channel", "agency_shared_data", "agency_visible_until"]
        return [
            *super()._ccare_subject_access_sections(),
            ("agencies", self.env._("Agencies that received the data"), calls, names),
        ]
