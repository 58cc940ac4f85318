from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged


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


@tagged("post_install", "-at_install", "ccare_security", "ccare_buying_habits")
class TestProgrammeListFilters(RpcCase):
    """The issue's attack: a manager without the Sensitive Data group put
    ``ccare_id_number =like 'X%'`` on a target list, linked it to a
    programme and read the eligible count, prefix by prefix. A filter may
    only test what its author can read; who points a programme at a list,
    or changes whom it is drawn from, must be able to read what it tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mail_new_test_user(
            cls.env,
            login="tl_manager",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "crm_loyalty.group_crm_loyalty_manager",
        )
        cls.segment = cls.env["crm.customer.segment"].create(
            {"name": "List Filter Segment", "domain": "[('ref', '=', 'TLF')]"}
        )
        # written by a privacy officer, who may read ID numbers
        cls.officer_list = (
            cls.env["crm.customer.target.list"]
            .with_user(cls.env.ref("base.user_admin"))
            .create({"name": "By ID", "partner_domain": "[('ccare_id_number', '=like', 'X%')]"})
        )
        cls.plain_list = cls.env["crm.customer.target.list"].create(
            {"name": "By name", "partner_domain": "[('name', '=like', 'X%')]"}
        )

    def _programme(self, target):
        return {
            "name": "Probe",
            "segment_ids": [(6, 0, self.segment.ids)],
            "target_list_id": target.id,
        }

    def test_manager_cannot_write_a_filter_on_id_numbers(self):
        Target = "crm.customer.target.list"
        for vals in (
            {"partner_domain": "[('ccare_id_number', '=like', 'X%')]"},
            {"lead_domain": "[('partner_id.ccare_id_number', '=like', 'X%')]"},
            {"partner_domain": "[('child_ids', 'any', [('ccare_birthdate', '<', '1970-01-01')])]"},
        ):
            self.assertRefused("tl_manager", Target, "create", [{"name": "Probe", **vals}])
            self.assertRefused("tl_manager", Target, "write", [self.plain_list.ids, vals])
        self.assertEqual(self.plain_list.partner_domain, "[('name', '=like', 'X%')]")

    def test_manager_cannot_use_an_officers_list(self):
        Programme = "crm.relationship.programme"
        self.assertRefused("tl_manager", Programme, "create", [self._programme(self.officer_list)])
        programme_id = self.call_kw(
            "tl_manager", Programme, "create", [self._programme(self.plain_list)]
        )
        self.assertRefused(
            "tl_manager",
            Programme,
            "write",
            [[programme_id], {"target_list_id": self.officer_list.id}],
        )
        # nor narrow the officer's list down to one customer and count it
        self.assertRefused(
            "tl_manager",
            "crm.customer.target.list",
            "write",
            [self.officer_list.ids, {"segment_ids": [(6, 0, self.segment.ids)]}],
        )
