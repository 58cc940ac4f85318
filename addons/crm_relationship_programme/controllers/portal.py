from odoo.addons.crm_loyalty.controllers.portal import CrmLoyaltyPortal
from odoo.http import request


class CrmRelationshipProgrammePortal(CrmLoyaltyPortal):
    """/my/loyalty also lists the feedback surveys of the running programmes
    the member takes part in, not yet answered."""

    def _loyalty_values(self, cards):
        values = super()._loyalty_values(cards)
        partner = request.env.user.partner_id.commercial_partner_id
        # the active surveys of the running programmes the member takes part
        # in, in one query (in the programmes' order, newest survey first)
        surveys = (
            request.env["survey.survey"]
            .sudo()
            .search(
                [
                    ("crm_programme_id.state", "=", "running"),
                    (
                        "crm_programme_id.participant_ids",
                        "any",
                        [("partner_id", "=", partner.id), ("group", "=", "member")],
                    ),
                ]
            )
            .sorted(lambda survey: survey.crm_programme_id.id)
        )
        done = (
            request.env["survey.user_input"]
            .sudo()
            .search(
                [
                    ("survey_id", "in", surveys.ids),
                    ("partner_id", "=", request.env.user.partner_id.id),
                    ("state", "=", "done"),
                ]
            )
            .survey_id
        )
        values["surveys"] = surveys - done
        return values
