from odoo.tests import HttpCase
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_day")
class TestAnomalyDayTours(HttpCase):
    """The loyalty manager's review of the demo's anomaly, through the UI."""

    def test_loyalty_manager_day_clear_anomaly(self):
        """Lou (loyalty.manager) clears the one anomaly of the demo: refused
        without a note, then cleared by Lou with the note kept."""
        Anomaly = self.env["crm.loyalty.anomaly"]
        anomaly = Anomaly.search([("state", "=", "open")])
        self.assertEqual(anomaly.mapped("kind"), ["redeem_after_earn"])
        self.start_tour("/odoo", "loyalty_manager_day_clear_anomaly", login="loyalty.manager")
        self.assertEqual(anomaly.state, "cleared")
        self.assertEqual(anomaly.cleared_by_id, self.env.ref("crm_loyalty.user_loyalty_manager"))
        self.assertIn("year-end review", anomaly.clear_note)
        self.assertFalse(Anomaly.search_count([("state", "=", "open")]))
