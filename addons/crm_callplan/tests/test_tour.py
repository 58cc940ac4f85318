from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestCallPlanTour(HttpCase):
    def test_root_view_tour(self):
        mail_new_test_user(
            self.env, login="tour_caller", groups="crm_callplan.group_crm_callplan_caller"
        )
        self.env["crm.call.policy"].create({"name": "Tour policy"})
        self.start_tour("/odoo", "crm_callplan_root_tour", login="tour_caller")
