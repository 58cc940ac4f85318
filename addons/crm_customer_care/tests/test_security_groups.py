from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users

from .common import CustomerCareCommon
from .common import menu_visible


@tagged("post_install", "-at_install")
class TestSecurityGroups(CustomerCareCommon):
    def test_group_ladder(self):
        user = self.env.ref("crm_customer_care.group_crm_customer_care_user")
        manager = self.env.ref("crm_customer_care.group_crm_customer_care_manager")
        officer = self.env.ref("crm_customer_care.group_crm_customer_care_privacy_officer")
        self.assertIn(user, manager.all_implied_ids)
        self.assertIn(user, officer.all_implied_ids)
        self.assertNotIn(manager, officer.all_implied_ids, "a privacy officer is not a manager")
        self.assertIn(self.env.ref("base.group_user"), user.all_implied_ids)
        self.assertIn(self.env.ref("sales_team.group_sale_salesman"), user.all_implied_ids)
        self.assertEqual(user.privilege_id, manager.privilege_id)
        self.assertNotEqual(officer.privilege_id, manager.privilege_id)

    @users("care_user", "care_manager", "privacy_officer")
    def test_menu_visible_to_care_groups(self):
        self.assertTrue(menu_visible(self.env, "crm_customer_care.crm_customer_care_menu_root"))
        self.assertTrue(menu_visible(self.env, "crm_customer_care.res_partner_menu_customers"))

    @users("plain_user")
    def test_menu_hidden_from_others(self):
        self.assertFalse(menu_visible(self.env, "crm_customer_care.crm_customer_care_menu_root"))

    @users("care_manager")
    def test_configuration_for_managers(self):
        self.assertTrue(menu_visible(self.env, "crm_customer_care.crm_customer_segment_menu"))
        segment = self.env["crm.customer.segment"].create(
            {"name": "Tour Segment", "domain": "[('is_company', '=', True)]"}
        )
        self.assertEqual(segment.company_id, self.env.company)

    @users("care_user")
    def test_users_cannot_configure(self):
        self.assertFalse(menu_visible(self.env, "crm_customer_care.crm_customer_segment_menu"))
        with self.assertRaises(AccessError):
            self.env["crm.customer.segment"].create({"name": "Not allowed"})

    def test_segment_multi_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        segment = self.env["crm.customer.segment"].create(
            {"name": "Other segment", "company_id": other.id}
        )
        self.care_manager.write({"company_ids": [(4, other.id)]})
        as_manager = self.env["crm.customer.segment"].with_user(self.care_manager)
        main_only = as_manager.with_context(allowed_company_ids=[self.company.id])
        self.assertFalse(main_only.search([("id", "=", segment.id)]))
        visible = as_manager.with_context(allowed_company_ids=[other.id]).search(
            [("id", "=", segment.id)]
        )
        self.assertEqual(visible, segment)
