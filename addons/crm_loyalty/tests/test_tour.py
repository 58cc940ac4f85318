from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestLoyaltyTour(HttpCase):
    def test_root_view_tour(self):
        mail_new_test_user(
            self.env, login="tour_loyalty_manager", groups="crm_loyalty.group_crm_loyalty_manager"
        )
        self.env["loyalty.program"].create({"name": "Tour Loyalty Card", "program_type": "loyalty"})
        self.start_tour("/odoo", "crm_loyalty_root_tour", login="tour_loyalty_manager")
