from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_day")
class TestProgrammeDayTour(HttpCase):
    def test_care_manager_day_programme_effectiveness(self):
        """Carla (care.manager, a loyalty manager in the demo) reads the Key
        Account Appreciation programme: the members and ROI of its card are
        those of its form and of its effectiveness tab, and it is in the
        Programme Effectiveness analysis."""
        programme = self.env.ref("crm_relationship_programme.programme_key_accounts")
        self.assertEqual(programme.state, "running")
        self.assertTrue(programme.member_count)
        self.start_tour("/odoo", "care_manager_day_programme_effectiveness", login="care.manager")
