from odoo import models


class ResPartner(models.Model):
    """A subject-access request returns the inquiries of these people too
    (``_ccare_subject_access_sections``), after their leads."""

    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        sections = super()._ccare_subject_access_sections()
        people = self.sudo().with_context(active_test=False)
        section = (
            "inquiries",
            self.env._("Inquiries"),
            people.env["helpdesk.ticket"].search(
                [("partner_id", "in", people.ids)], order="create_date, id"
            ),
            ["number", "name", "stage_id", "channel_id", "category_id", "outcome", "create_date"],
        )
        keys = [key for key, *_rest in sections]
        position = keys.index("leads") + 1 if "leads" in keys else len(sections)
        sections.insert(position, section)
        return sections
