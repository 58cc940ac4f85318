from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.common import menu_visible
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged
from odoo.tests import users


@tagged("post_install", "-at_install")
class TestProgrammeGroups(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mail_new_test_user(
            cls.env, login="loyalty_user", groups="crm_loyalty.group_crm_loyalty_user"
        )
        mail_new_test_user(
            cls.env, login="loyalty_manager", groups="crm_loyalty.group_crm_loyalty_manager"
        )

    @users("loyalty_user", "loyalty_manager")
    def test_menu_visible(self):
        self.assertTrue(
            menu_visible(self.env, "crm_relationship_programme.crm_relationship_programme_menu")
        )

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
