"""The privacy officer's day: a subject-access request answered from the
contact form."""

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged

OFFICER_GROUP = "crm_customer_care.group_crm_customer_care_privacy_officer"


@tagged("post_install", "-at_install", "ccare_day")
class TestPrivacyOfficerDay(HttpCase):
    def _officer(self):
        """The demo's Priya Privacy (``privacy.officer``, created by the
        account requests' demo), or one like her where that is not installed."""
        officer = self.env["res.users"].search([("login", "=", "privacy.officer")])
        return officer or mail_new_test_user(
            self.env, login="privacy.officer", name="Priya Privacy", groups=OFFICER_GROUP
        )

    def test_privacy_officer_day_subject_access(self):
        """Priya answers Joel Willis's subject-access request: a ZIP named
        after him, a summary per section, the export in the access log and a
        note on his contact."""
        officer = self._officer()
        self.assertTrue(officer.has_group(OFFICER_GROUP))
        joel = self.env.ref("base.partner_demo_portal")
        Log = self.env["crm.customer.sensitive.access"]
        logged = Log.search([("action", "=", "subject_access")])
        self.start_tour("/odoo", "privacy_officer_day_subject_access", login=officer.login)
        log = Log.search([("action", "=", "subject_access")]) - logged
        self.assertEqual(len(log), 1)
        self.assertEqual(log.user_id, officer)
        self.assertIn(joel, log.partner_ids)
        self.assertIn("Subject-access export prepared by", joel.message_ids[0].body)
