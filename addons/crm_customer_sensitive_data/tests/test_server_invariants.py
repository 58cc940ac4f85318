"""Attacks on the promises of crm_customer_care, driven over the web
client's own JSON-RPC path by users who must be refused: append-only
records, rules as oracles of sensitive data, the sensitive-data log on every
read path."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.tests import tagged

USER = "crm_customer_care.group_crm_customer_care_user"
MANAGER = "crm_customer_care.group_crm_customer_care_manager"
SENSITIVE = "crm_customer_sensitive_data.group_crm_customer_care_sensitive_data"


@tagged("post_install", "-at_install", "ccare_security")
class TestServerInvariants(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        new = mail_new_test_user
        cls.user = new(cls.env, login="inv_user", name="Ulla User", groups=USER)
        cls.manager = new(cls.env, login="inv_manager", name="Mo Manager", groups=MANAGER)
        cls.sensitive = new(
            cls.env, login="inv_sensitive", name="Sid Sensitive", groups=f"{USER},{SENSITIVE}"
        )
        cls.portal = new(cls.env, login="inv_portal", name="Pat Portal", groups="base.group_portal")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Victim Trading Ltd", "is_company": True, "vat": "BE0477472701"}
        )

    # ------------------------------------------------------------ oracles
    def test_rules_cannot_test_what_the_author_cannot_read(self):
        self.assertRefused(
            "inv_manager",
            "crm.customer.segment",
            "create",
            [{"name": "Born in 1970", "domain": "[('ccare_birthdate', '<', '1971-01-01')]"}],
        )

    # ------------------------------------------------------------ the log
    def test_every_read_path_of_sensitive_data_is_logged(self):
        self.customer.sudo().write({"ccare_id_number": "A123456(3)", "ccare_id_purpose": "law"})
        Log = self.env["crm.customer.sensitive.access"]
        for method, args, kwargs in (
            ("search_read", [[("id", "=", self.customer.id)]], {"fields": ["ccare_id_number"]}),
            ("read", [self.customer.ids, ["ccare_id_number"]], {}),
            (
                "web_search_read",
                [[("id", "=", self.customer.id)]],
                {"specification": {"ccare_id_number": {}}},
            ),
            (
                "formatted_read_group",
                [[("id", "=", self.customer.id)], ["ccare_id_number"], ["__count"]],
                {},
            ),
        ):
            before = Log.search_count([])
            self.call_kw("inv_sensitive", "res.partner", method, args, kwargs)
            entries = Log.search([], order="id desc", limit=Log.search_count([]) - before)
            self.assertEqual(len(entries), 1, f"{method} logged {len(entries)} entries")
            self.assertEqual(entries.user_id, self.sensitive, method)
            self.assertIn(self.customer, entries.partner_ids, method)
            self.assertIn("ccare_id_number", entries.field_names, method)
