from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.common import menu_visible
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users


@tagged("post_install", "-at_install")
class TestLoyaltyGroups(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mail_new_test_user(
            cls.env, login="loyalty_user", groups="crm_loyalty.group_crm_loyalty_user"
        )
        mail_new_test_user(
            cls.env, login="loyalty_manager", groups="crm_loyalty.group_crm_loyalty_manager"
        )

    def test_group_ladder(self):
        user = self.env.ref("crm_loyalty.group_crm_loyalty_user")
        manager = self.env.ref("crm_loyalty.group_crm_loyalty_manager")
        self.assertIn(user, manager.all_implied_ids)
        self.assertIn(
            self.env.ref("crm_customer_care.group_crm_customer_care_user"), user.all_implied_ids
        )

    @users("loyalty_user", "loyalty_manager")
    def test_menu_visible(self):
        self.assertTrue(menu_visible(self.env, "crm_loyalty.crm_loyalty_program_menu"))
        self.env["loyalty.program"].search([])

    @users("care_user")
    def test_menu_hidden_from_care_users(self):
        self.assertFalse(menu_visible(self.env, "crm_loyalty.crm_loyalty_menu_root"))

    @users("loyalty_user")
    def test_user_cannot_design_programs(self):
        with self.assertRaises(AccessError):
            self.env["loyalty.program"].create({"name": "Nope", "program_type": "loyalty"})

    @users("loyalty_manager")
    def test_manager_designs_programs(self):
        program = self.env["loyalty.program"].create({"name": "Members", "program_type": "loyalty"})
        self.assertEqual(program.program_type, "loyalty")
