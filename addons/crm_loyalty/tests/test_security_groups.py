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

    def test_programme_form_opens_with_its_surveys(self):
        """The programme form shows its linked surveys: loyalty users must be
        able to read them (they used to get an access error on reload)."""
        survey = self.env["survey.survey"].create({"title": "Programme feedback"})
        programme = self.env["crm.relationship.programme"].create(
            {"name": "Readable", "survey_ids": [(6, 0, survey.ids)]}
        )
        for login in ("loyalty_user", "loyalty_manager"):
            user = self.env["res.users"].search([("login", "=", login)])
            values = programme.with_user(user).web_read(
                {"name": {}, "survey_ids": {"fields": {"display_name": {}}}}
            )
            self.assertEqual(values[0]["survey_ids"][0]["display_name"], "Programme feedback")

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
