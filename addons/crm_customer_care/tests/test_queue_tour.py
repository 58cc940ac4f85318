from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestQueueTour(HttpCase):
    def test_issue_queue_tour(self):
        user = mail_new_test_user(
            self.env,
            login="tour_queue_user",
            groups="crm_customer_care.group_crm_customer_care_user",
        )
        check = self.env["crm.data.quality.check"].create(
            {"name": "Tour check", "check_type": "email", "severity": "high"}
        )
        bad = self.env["res.partner"].create({"name": "Tour DQ Ltd", "is_company": True})
        issue = self.env["crm.data.quality.issue"].create(
            {
                "check_id": check.id,
                "partner_id": bad.id,
                "user_id": user.id,
                "message": "E-mail missing",
            }
        )
        self.start_tour(
            "/odoo/action-crm_customer_care.crm_data_quality_issue_action?view_type=kanban",
            "crm_customer_care_queue_tour",
            login="tour_queue_user",
        )
        self.assertEqual(issue.state, "reviewed")
        self.assertEqual(issue.reviewed_by_id, user)
        self.assertTrue(bad.data_reviewed_date)
