from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_consent")
class TestSurveyInvitations(LoyaltyCommon):
    """Invitations to a programme's survey (Odoo's survey.invite) reach only
    members whose consent allows marketing e-mails, never the holdout."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.members = cls._customers(40, prefix="Inv")
        cls.members.write({"segment_id": cls.segment.id})
        cls.programme = cls.env["crm.relationship.programme"].create(
            {
                "name": "Survey Club",
                "segment_ids": [(6, 0, cls.segment.ids)],
                "holdout_percent": 30,
                "holdout_seed": 77,
            }
        )
        cls.programme.action_start()
        cls.survey = cls.env["survey.survey"].create(
            {"title": "How are we doing?", "crm_programme_id": cls.programme.id}
        )

    def _invite(self, partners):
        wizard = (
            self.env["survey.invite"]
            .with_context(default_survey_id=self.survey.id)
            .create({"partner_ids": [(6, 0, partners.ids)], "survey_id": self.survey.id})
        )
        wizard.action_invite()
        return self.env["survey.user_input"].search([("survey_id", "=", self.survey.id)])

    def test_holdout_and_withdrawn_never_invited(self):
        participants = self.programme.participant_ids
        holdout = participants.filtered(lambda p: p.group == "holdout").partner_id
        members = participants.filtered(lambda p: p.group == "member").partner_id
        self.assertTrue(holdout and len(members) > 2)
        withdrawn = members[:2]
        withdrawn._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        answers = self._invite(self.members)
        self.assertEqual(answers.partner_id, members - withdrawn)
        mails = self.env["mail.mail"].search([("recipient_ids", "in", self.members.ids)])
        self.assertFalse(mails.recipient_ids & (holdout | withdrawn))
        # each invitation carries the unsubscribe link and header
        self.assertTrue(mails)
        for mail in mails:
            self.assertIn("/ccare/preferences/", str(mail.body_html))
            self.assertIn("List-Unsubscribe", mail.headers)
            self.assertEqual(mail.ccare_consent_purpose, "marketing")

    def test_only_holdout_refused(self):
        holdout = self.programme.participant_ids.filtered(lambda p: p.group == "holdout")
        with self.assertRaisesRegex(UserError, "holdout"):
            self._invite(holdout.partner_id)


@tagged("post_install", "-at_install", "ccare_consent")
class TestProgrammeEnrolmentChecksConsent(LoyaltyCommon):
    def test_enrolment_refuses_a_blocked_customer(self):
        member = self._customers(1, prefix="Blk")
        member._ccare_record_consent("marketing", "email", "withdrawn", source="form")
        member.segment_id = self.segment
        programme = self.env["crm.relationship.programme"].create(
            {"name": "Blocked", "segment_ids": [(6, 0, self.segment.ids)], "holdout_percent": 0}
        )
        programme.action_start()
        self.assertFalse(programme.participant_ids.filtered(lambda p: p.partner_id == member))
