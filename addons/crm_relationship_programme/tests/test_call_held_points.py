"""Points for a call held (crm_callplan) never go to the holdout of a
running programme (skipped without crm_callplan)."""

from odoo.addons.crm_loyalty.tests.common import CallHeldCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCallHeldPointsHoldout(CallHeldCommon):
    def test_the_holdout_earns_nothing(self):
        programme = self.env["crm.relationship.programme"].create(
            {
                "name": "Call club",
                "segment_ids": [(6, 0, self.segment.ids)],
                "holdout_percent": 0,
                "loyalty_program_id": self.program.id,
            }
        )
        programme.action_start()
        programme.participant_ids.filtered(lambda p: p.partner_id == self.customers[2]).write(
            {"group": "holdout", "state": "holdout"}
        )
        self._call(self.customers[2])
        self._call(self.customers[1])
        self.assertFalse(self._points(self.customers[2]))
        self.assertEqual(self._points(self.customers[1]), 15.0)
