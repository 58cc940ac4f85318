from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_account_request", "ccare_day")
class TestServiceRequestDayTours(HttpCase):
    """Each role's day on the demo data, as the demo user, through the UI."""

    def test_care_user_day_account_request(self):
        """Cody (care.user) records Gemini Furniture's request to close its
        account and submits it: it waits for a manager, prepared by Cody."""
        self.start_tour("/odoo", "care_user_day_account_request", login="care.user")
        request = self.env["crm.account.service.request"].search(
            [("partner_id", "=", self.env.ref("base.res_partner_3").id)]
        )
        self.assertEqual(len(request), 1)
        self.assertEqual(
            (request.request_type, request.source, request.state),
            ("close", "phone", "approval"),
        )
        self.assertEqual(request.prepared_by_id.login, "care.user")
        self.assertEqual(request.review_ids.mapped("status"), ["pending"])
        self.assertTrue(request.sla_deadline)

    def test_care_manager_day_approve_request(self):
        """Carla (care.manager) approves Ready Mat's closure from the demo:
        approved by her, ready to be carried out, the customer untouched."""
        request = self.env.ref("crm_account_service_request.service_request_close_ready_mat")
        self.assertEqual(request.state, "approval")
        self.start_tour("/odoo", "care_manager_day_approve_request", login="care.manager")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.review_ids.mapped("status"), ["approved"])
        self.assertEqual(request.review_ids.done_by.login, "care.manager")
        self.assertTrue(request.partner_id.active, "nothing is applied before Carry Out")
