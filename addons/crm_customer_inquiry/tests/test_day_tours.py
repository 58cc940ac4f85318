from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_inquiry", "ccare_day")
class TestInquiryDayTour(HttpCase):
    def test_care_user_day_record_inquiry(self):
        """Cody (care.user) records a phone complaint of Gemini Furniture from
        the inquiries menu: it is numbered, new, held to the complaints SLA
        (an answer within 4 working hours) and listed with the open ones."""
        self.start_tour("/odoo", "care_user_day_record_inquiry", login="care.user")
        inquiry = self.env["helpdesk.ticket"].search(
            [("name", "=", "Chairs of the last order wobble")]
        )
        self.assertEqual(len(inquiry), 1)
        self.assertEqual(inquiry.partner_id, self.env.ref("base.res_partner_3"))
        self.assertEqual(inquiry.channel_id.name, "Phone")
        self.assertEqual(
            inquiry.category_id, self.env.ref("crm_customer_inquiry.helpdesk_category_complaint")
        )
        self.assertEqual(inquiry.create_uid.login, "care.user")
        self.assertEqual((inquiry.inquiry_state, inquiry.sla_status), ("new", "running"))
        self.assertTrue(inquiry.response_deadline)
