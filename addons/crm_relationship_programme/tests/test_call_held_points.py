"""Points for a call held (crm_callplan) never go to the holdout of a
running programme (skipped without crm_callplan)."""

from datetime import datetime

from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestCallHeldPointsHoldout(LoyaltyCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if "crm.call" not in cls.env:
            cls.skipTest(cls, "crm_callplan is not installed")
        cls.env["crm.loyalty.points.rule"].create(
            {"program_id": cls.program.id, "event": "call_held", "points": 15}
        )
        cls.customers = cls._customers(3, prefix="Called")
        cls.customers.write({"segment_id": cls.segment.id})

    def _call(self, partner, outcome="reached"):
        call = self.env["crm.call"].create(
            {"partner_id": partner.id, "planned_date": datetime.now(), "channel": "phone"}
        )
        call.outcome = outcome
        call.action_done()
        return call

    def _points(self, partner):
        return (
            self.env["loyalty.card"]
            .search([("program_id", "=", self.program.id), ("partner_id", "=", partner.id)])
            .points
        )

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
