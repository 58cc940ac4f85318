from datetime import date

from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCustomerReviewTour(HttpCase):
    def test_manager_computes_approves_prints(self):
        manager = mail_new_test_user(
            self.env,
            login="tour_review_manager",
            groups="crm_customer_care.group_crm_customer_care_manager",
        )
        segment = self.env["crm.customer.segment"].create(
            {"name": "Tour Review Segment", "domain": "[('ref', '=', 'CCREV-TOUR')]"}
        )
        review = self.env["crm.customer.review"].create(
            {
                "name": "Tour Segment Review",
                "scope": "segment",
                "segment_id": segment.id,
                "date_from": date(date.today().year, 1, 1),
                "date_to": date.today(),
                "analyst_id": manager.id,
                "findings": "<p>Written by the analyst</p>",
            }
        )
        self.start_tour("/odoo", "crm_customer_review_tour", login="tour_review_manager")
        self.assertEqual(review.state, "approved")
        self.assertEqual(review.approver_id, manager)
        self.assertTrue(review.line_ids)
