from odoo import models

# the profile: who they are, how to reach them, what we decided about them
PROFILE_FIELDS = """
    name parent_id type function email phone street street2 zip city country_id
    vat company_registry website lang ccare_name_zh segment_id user_id
    dnc_all dnc_email dnc_phone dnc_sms dnc_visit dnc_post comment create_date
""".split()
# their leads and opportunities
LEAD_FIELDS = """
    name type stage_id user_id contact_name email_from phone expected_revenue
    create_date date_closed
""".split()


class ResPartner(models.Model):
    """What a subject-access request returns: every section of data held on
    these people. Other addons add their sections (calls, loyalty, who
    accessed the sensitive data) or fields of the profile by extending
    ``_ccare_subject_access_sections``."""

    _inherit = "res.partner"

    def _ccare_subject_access_sections(self):
        """``[(key, title, records, field names)]`` held on the partners of
        ``self`` (a customer and its contacts), read as superuser: the
        privacy officer must see everything, whoever owns it."""
        people = self.sudo().with_context(active_test=False)
        ids = people.ids
        env = people.env
        return [
            (
                "profile",
                self.env._("Profile"),
                people,
                PROFILE_FIELDS,
            ),
            (
                "leads",
                self.env._("Leads and opportunities"),
                env["crm.lead"].search([("partner_id", "in", ids)], order="create_date, id"),
                LEAD_FIELDS,
            ),
            (
                "segment_history",
                self.env._("Segment history"),
                env["crm.customer.segment.history"].search(
                    [("partner_id", "in", ids)], order="date, id"
                ),
                ["date", "segment_from_id", "segment_to_id", "cause"],
            ),
            (
                "messages",
                self.env._("Messages and notes"),
                env["mail.message"].search(
                    [
                        ("model", "=", "res.partner"),
                        ("res_id", "in", ids),
                        ("message_type", "!=", "user_notification"),
                    ],
                    order="date, id",
                ),
                ["date", "author_id", "subject", "body"],
            ),
        ]
