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
