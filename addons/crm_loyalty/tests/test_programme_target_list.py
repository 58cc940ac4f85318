from odoo.tests import tagged

from .common import LoyaltyCommon


@tagged("post_install", "-at_install", "ccare_buying_habits")
class TestProgrammeTargetList(LoyaltyCommon):
    """A programme over a target list enrols (or holds out) only the
    customers of its segments that are in the list: of 30 customers
    "List 0".."List 29", the list's filter name ilike "List 1" keeps
    "List 1" and "List 10".."List 19", eleven in all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls._customers(30, prefix="List")
        cls.customers.write({"segment_id": cls.segment.id})
        cls.target = cls.env["crm.customer.target.list"].create(
            {"name": "List 1x", "partner_domain": "[('name', 'ilike', 'List 1')]"}
        )
        cls.programme = cls.env["crm.relationship.programme"].create(
            {
                "name": "Targeted Club",
                "segment_ids": [(6, 0, cls.segment.ids)],
                "target_list_id": cls.target.id,
                "holdout_percent": 20,
                "holdout_seed": 7,
            }
        )

    def test_members_drawn_from_list(self):
        self.assertEqual(self.target.partner_count, 11)
        self.programme.action_start()
        enrolled = self.programme.participant_ids.partner_id
        self.assertEqual(len(enrolled), 11)
        self.assertTrue(all(name.startswith("List 1") for name in enrolled.mapped("name")))
        self.assertEqual(self.programme.member_count + self.programme.holdout_count, 11)
