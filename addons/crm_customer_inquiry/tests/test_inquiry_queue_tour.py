from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_inquiry")
class TestInquiryQueueTour(HttpCase):
    def test_inquiry_queue_tour(self):
        """A care user answers an inquiry from the inquiries kanban: the
        customer gets the answer and the inquiry is answered."""
        user = mail_new_test_user(
            self.env,
            login="tour_inquiry_user",
            groups="crm_customer_care.group_crm_customer_care_user",
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Fridge Ltd", "is_company": True, "email": "fridge@example.com"}
        )
        inquiry = self.env["helpdesk.ticket"].create(
            {
                "name": "Tour fridge is broken",
                "description": "It stopped cooling.",
                "partner_id": customer.id,
                "user_id": user.id,
            }
        )
        self.start_tour("/odoo/inquiries", "crm_customer_inquiry_queue_tour", login=user.login)
        self.assertEqual(inquiry.inquiry_state, "answered")
        self.assertTrue(inquiry.response_date)
        self.assertTrue(
            inquiry.message_ids.filtered(lambda m: "A technician comes on Monday" in m.body),
            "the answer went to the customer",
        )
