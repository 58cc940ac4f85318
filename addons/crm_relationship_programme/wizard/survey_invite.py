from odoo import models
from odoo.exceptions import UserError


class SurveyInvite(models.TransientModel):
    """Invitations to a programme's survey reach only customers whose
    consent allows marketing by e-mail, never the programme's holdout
    group (drawn or recorded), and carry the unsubscribe link."""

    _inherit = "survey.invite"

    def _loyalty_programme(self):
        """The survey's programme, whoever invites: the rules below hold for
        every survey user, and the programme field is loyalty staff's."""
        return self.survey_id.sudo().crm_programme_id

    def _loyalty_filter_partners(self, partners):
        """``(allowed, skipped)``: the invitees of a programme survey whose
        consent allows it and who are not held out; one consent query."""
        programme = self._loyalty_programme()
        if not programme or not partners:
            return partners, partners.browse()
        accounts = partners.commercial_partner_id
        held = programme._loyalty_is_holdout(accounts.ids)
        held |= set(
            self.env["crm.relationship.participant"]
            .sudo()
            .search(
                [
                    ("programme_id", "=", programme.id),
                    ("group", "=", "holdout"),
                    ("partner_id", "in", accounts.ids),
                ]
            )
            .partner_id.ids
        )
        blocked = partners._ccare_contact_blocks("marketing", "email")
        allowed = partners.filtered(
            lambda p: p.id not in blocked and p.commercial_partner_id.id not in held
        )
        return allowed, partners - allowed

    def _prepare_answers(self, partners, emails):
        if not self._loyalty_programme():
            return super()._prepare_answers(partners, emails)
        # addresses without a customer record cannot be checked for consent
        allowed, skipped = self._loyalty_filter_partners(partners)
        if not allowed:
            raise UserError(
                self.env._(
                    "None of these customers may be invited to the survey of programme "
                    "%(programme)s: their consent does not allow marketing e-mails, or they "
                    "are in its holdout group.",
                    programme=self._loyalty_programme().name,
                )
            )
        if skipped or emails:
            self._loyalty_programme().message_post(
                body=self.env._(
                    "Survey %(survey)s: %(count)s invitee(s) skipped (consent, holdout or "
                    "an address without a customer record).",
                    survey=self.survey_id.display_name,
                    count=len(skipped) + len(emails),
                )
            )
        return super()._prepare_answers(allowed, [])

    def _send_mail(self, answer):
        mail = super()._send_mail(answer)
        if self._loyalty_programme() and answer.partner_id:
            values = mail._ccare_consent_mail_values(
                answer.partner_id, "marketing", mail.subject, mail.body_html
            )
            mail.write(
                {key: values[key] for key in ("body_html", "headers", "ccare_consent_purpose")}
            )
        return mail
