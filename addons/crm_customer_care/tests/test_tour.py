from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCustomerCareTour(HttpCase):
    def test_root_view_tour(self):
        mail_new_test_user(
            self.env,
            login="tour_care_user",
            groups="crm_customer_care.group_crm_customer_care_user",
        )
        self.env["res.partner"].create({"name": "Tour Customer Ltd", "is_company": True})
        self.start_tour("/odoo", "crm_customer_care_root_tour", login="tour_care_user")
