"""Contacts carry an optional Chinese name, found by the customer search."""

from odoo.tests import TransactionCase
from odoo.tests import tagged
from odoo.tests.common import new_test_user


@tagged("post_install", "-at_install")
class TestChineseName(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_user = new_test_user(
            cls.env, login="name_zh_care", groups="crm_customer_care.group_crm_customer_care_user"
        )
        cls.wing = cls.env["res.partner"].create(
            {"name": "Chan Tai Man", "ccare_name_zh": "陳大文"}
        )

    def test_chinese_name_found_by_the_customer_search(self):
        Partner = self.env["res.partner"].with_user(self.care_user)
        self.assertIn(self.wing, Partner.search([("display_name", "ilike", "陳大文")]))
        self.assertIn(self.wing.id, [pid for pid, _name in Partner.name_search("大文")])
