from datetime import datetime

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class LoyaltyCommon(CustomerCareCommon):
    """The shared world of the loyalty tests: a loyalty user and manager, a
    loyalty program whose points expire after 12 months,
    and a helper to make consenting customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loyalty_user = mail_new_test_user(
            cls.env,
            login="loy_user",
            name="Lou Loyalty",
            groups="crm_loyalty.group_crm_loyalty_user",
        )
        cls.loyalty_manager = mail_new_test_user(
            cls.env,
            login="loy_manager",
            name="Mia Manager",
            groups="crm_loyalty.group_crm_loyalty_manager",
        )
        cls.program = cls.env["loyalty.program"].create(
            {
                "name": "Test Club",
                "program_type": "loyalty",
                "crm_points_expiry": "months",
                "crm_points_validity_months": 12,
                "crm_expiry_warning_days": 30,
                "reward_ids": [
                    (
                        0,
                        0,
                        {
                            "reward_type": "discount",
                            "discount": 10,
                            "required_points": 50,
                            "description": "Test voucher",
                        },
                    ),
                ],
            }
        )
        cls.segment = cls.env["crm.customer.segment"].create(
            {"name": "Loyalty Test Segment", "domain": "[('id', '=', 0)]", "sequence": 999}
        )

    @classmethod
    def _customers(cls, count, consent=True, prefix="Member"):
        partners = cls.env["res.partner"].create(
            [
                {"name": f"{prefix} {i}", "email": f"{prefix.lower()}{i}@example.com"}
                for i in range(count)
            ]
        )
        if consent:
            partners._ccare_record_consent("marketing", "email", "granted")
        return partners

    @classmethod
    def _card(cls, partner, points=0.0):
        card = cls.env["loyalty.card"].create(
            {"program_id": cls.program.id, "partner_id": partner.id}
        )
        if points:
            card._loyalty_points_add({card.id: points}, "manual", "Welcome points")
        return card


class CallHeldCommon(LoyaltyCommon):
    """Points for a call held: the program gives 15 points for each call
    that reached the customer (crm_callplan's calls; the tests are skipped
    where crm_callplan is not installed: crm_loyalty does not depend on it)."""

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
