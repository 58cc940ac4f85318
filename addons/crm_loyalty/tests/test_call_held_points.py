"""Points for a call held (crm_callplan): a call that reached the customer
earns the program's "call held" points once per call, never for a call
that did not reach."""

from odoo.tests import tagged

from .common import CallHeldCommon


@tagged("post_install", "-at_install")
class TestCallHeldPoints(CallHeldCommon):
    def test_a_call_that_reached_earns_once(self):
        call = self._call(self.customers[0])
        self.assertEqual(self._points(self.customers[0]), 15.0)
        lot = self.env["crm.loyalty.points.lot"].search(
            [
                ("card_id.partner_id", "=", self.customers[0].id),
                ("card_id.program_id", "=", self.program.id),
            ]
        )
        self.assertEqual(lot.source, "call_held")
        # the same call reported again (a retried request) earns nothing more
        self.env["res.partner"]._ccare_relationship_activity("call_held", self.customers[0], call)
        self.assertEqual(self._points(self.customers[0]), 15.0)
        # a second call is a second activity
        self._call(self.customers[0])
        self.assertEqual(self._points(self.customers[0]), 30.0)

    def test_no_answer_earns_nothing(self):
        self._call(self.customers[1], outcome="no_answer")
        self.assertFalse(self._points(self.customers[1]))
