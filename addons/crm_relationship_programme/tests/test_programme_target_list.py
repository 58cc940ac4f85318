from odoo.addons.crm_customer_care.tests.attack_surface import probe
from odoo.addons.crm_customer_care.tests.attack_surface import unreadable_partner_fields
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
        cls.manager = mail_new_test_user(
            cls.env,
            login="tl_manager",
            groups="crm_customer_care.group_crm_customer_care_manager,"
            "crm_loyalty.group_crm_loyalty_manager",
        )
        cls.segment = cls.env["crm.customer.segment"].create(
            {"name": "List Filter Segment", "domain": "[('ref', '=', 'TLF')]"}
        )
        # each field the manager may not read, with the addons installed; a
        # list on each, written by an administrator, who may read them
        cls.refused = unreadable_partner_fields(cls.manager)
        Target = cls.env["crm.customer.target.list"].with_user(cls.env.ref("base.user_admin"))
        cls.officer_lists = [
            Target.create({"name": f"By {name}", "partner_domain": repr([probe(field)])})
            for name, field in cls.refused.items()
        ]
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
        self.assertTrue(self.refused)
        if hasattr(self.env["res.partner"], "_ccare_sensitive_fields"):
            self.assertLessEqual({"ccare_id_number", "ccare_birthdate"}, set(self.refused))
        Target = "crm.customer.target.list"
        for field in self.refused.values():
            for vals in (
                {"partner_domain": repr([probe(field)])},
                {"lead_domain": repr([probe(field, "partner_id.")])},
                {"partner_domain": repr([("child_ids", "any", [probe(field)])])},
            ):
                with self.subTest(field=field.name, vals=vals):
                    self.assertRefused("tl_manager", Target, "create", [{"name": "Probe", **vals}])
                    self.assertRefused("tl_manager", Target, "write", [self.plain_list.ids, vals])
        self.assertEqual(self.plain_list.partner_domain, "[('name', '=like', 'X%')]")

    def test_manager_cannot_use_an_officers_list(self):
        self.assertTrue(self.officer_lists)
        Programme = "crm.relationship.programme"
        programme_id = self.call_kw(
            "tl_manager", Programme, "create", [self._programme(self.plain_list)]
        )
        for officer_list in self.officer_lists:
            with self.subTest(target=officer_list.name):
                self.assertRefused(
                    "tl_manager", Programme, "create", [self._programme(officer_list)]
                )
                self.assertRefused(
                    "tl_manager",
                    Programme,
                    "write",
                    [[programme_id], {"target_list_id": officer_list.id}],
                )
                # nor narrow the officer's list down to one customer and count it
                self.assertRefused(
                    "tl_manager",
                    "crm.customer.target.list",
                    "write",
                    [officer_list.ids, {"segment_ids": [(6, 0, self.segment.ids)]}],
                )
