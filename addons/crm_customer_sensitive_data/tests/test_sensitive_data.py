from datetime import date

from lxml import etree

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSensitiveData(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # two users allowed to export: one with the Sensitive Data group
        cls.sensitive_user = mail_new_test_user(
            cls.env,
            login="sensitive_user",
            name="Sam Sensitive",
            groups="crm_customer_sensitive_data.group_crm_customer_care_sensitive_data,"
            "base.group_allow_export",
        )
        cls.exporter = mail_new_test_user(
            cls.env,
            login="exporter",
            name="Eve Exporter",
            groups="crm_customer_care.group_crm_customer_care_user,base.group_allow_export",
        )
        Partner = cls.env["res.partner"]
        cls.anna = Partner.create(
            {
                "name": "Anna Private",
                "email": "anna@private.example",
                "ccare_birthdate": date(1980, 5, 17),
                "ccare_id_number": "BE-80051712345",
                "ccare_id_type": "passport",
                "ccare_id_purpose": "contract",
            }
        )
        cls.bob = Partner.create(
            {
                "name": "Bob Private",
                "ccare_id_number": "BE-79010154321",
                "ccare_id_type": "passport",
                "ccare_id_purpose": "contract",
            }
        )
        cls.Log = cls.env["crm.customer.sensitive.access"]

    def _logs(self, user):
        return self.Log.search([("user_id", "=", user.id)])

    def test_fields_hidden_from_users_without_the_group(self):
        as_user = self.anna.with_user(self.care_user)
        self.assertEqual(as_user.name, "Anna Private")
        with self.assertRaises(AccessError):
            as_user.read(["ccare_id_number"])
        self.assertNotIn(
            "ccare_id_number", self.env["res.partner"].with_user(self.care_user).fields_get()
        )
        # the form the user opens has no sensitive field
        arch = (
            self.env["res.partner"]
            .with_user(self.care_user)
            .get_view(self.env.ref("base.view_partner_form").id)["arch"]
        )
        self.assertNotIn('name="ccare_id_number"', arch)
        self.assertIn('name="ccare_id_number_masked"', arch)
        arch = (
            self.env["res.partner"]
            .with_user(self.sensitive_user)
            .get_view(self.env.ref("base.view_partner_form").id)["arch"]
        )
        self.assertIn('name="ccare_id_number"', arch)
        self.assertNotIn('name="ccare_id_number_masked"', arch)

    def test_view_and_bulk_read_are_logged(self):
        partners = (self.anna | self.bob).with_user(self.sensitive_user)
        # reading non-sensitive fields logs nothing
        partners.read(["name", "email"])
        self.assertFalse(self._logs(self.sensitive_user))
        # the form of one customer (the web client's web_read calls read)
        self.anna.with_user(self.sensitive_user).web_read({"name": {}, "ccare_id_number": {}})
        # a list of both with the birth date column
        partners.read(["name", "ccare_birthdate"])
        logs = self._logs(self.sensitive_user).sorted("id")
        self.assertEqual(logs.mapped("action"), ["view", "bulk_read"])
        self.assertEqual(logs[0].partner_ids, self.anna)
        self.assertEqual(logs[0].field_names, "ccare_id_number")
        self.assertEqual(logs[1].partner_ids, self.anna | self.bob)
        self.assertEqual(logs[1].record_count, 2)
        self.assertEqual(logs[1].field_names, "ccare_birthdate")

    def test_export_by_authorised_user_is_logged(self):
        result = (
            (self.anna | self.bob)
            .with_user(self.sensitive_user)
            .export_data(["name", "ccare_id_number"])
        )
        self.assertIn(["Anna Private", "BE-80051712345"], result["datas"])
        log = self._logs(self.sensitive_user).filtered(lambda entry: entry.action == "export")
        self.assertEqual(log.partner_ids, self.anna | self.bob)
        self.assertEqual(log.field_names, "ccare_id_number")

    def test_export_of_leads_reaching_sensitive_fields_is_logged(self):
        owner = self.sensitive_user.id  # salespeople see their own leads
        lead = self.env["crm.lead"].create(
            {"name": "Anna's kitchen", "partner_id": self.anna.id, "user_id": owner}
        )
        self.env["crm.lead"].create({"name": "No customer yet", "user_id": owner})
        leads = (
            self.env["crm.lead"]
            .with_user(self.sensitive_user)
            .search([("name", "in", ("Anna's kitchen", "No customer yet"))])
        )
        self.assertIn(lead, leads)
        leads.export_data(["name", "partner_id/name"])
        self.assertFalse(self._logs(self.sensitive_user), "nothing sensitive exported")
        result = leads.export_data(["name", "partner_id/ccare_id_number"])
        self.assertIn(["Anna's kitchen", "BE-80051712345"], result["datas"])
        log = self._logs(self.sensitive_user)
        self.assertEqual(
            (log.action, log.partner_ids, log.field_names), ("export", self.anna, "ccare_id_number")
        )

    def test_export_without_the_group_leaves_sensitive_columns_out(self):
        """The ID number comes out masked (prefix kept, PCPD Code of
        Practice), the date of birth empty."""
        result = (
            (self.anna | self.bob)
            .with_user(self.exporter)
            .export_data(["name", "ccare_id_number", "ccare_birthdate", "email"])
        )
        self.assertEqual(
            sorted(result["datas"]),
            [
                ["Anna Private", "BEXXXXXXXXXXXX", "", "anna@private.example"],
                ["Bob Private", "BEXXXXXXXXXXXX", "", ""],
            ],
        )
        exported = str(result["datas"])
        self.assertNotIn("BE-80051712345", exported)
        self.assertNotIn("1980", exported)
        # nothing sensitive left the database, so nothing to log
        self.assertFalse(self._logs(self.exporter))

    def test_log_is_for_privacy_officers_only_and_never_editable(self):
        self.anna.with_user(self.sensitive_user).read(["ccare_id_number"])
        log = self._logs(self.sensitive_user)
        self.assertEqual(len(log), 1)
        for user in (self.care_user, self.care_manager, self.sensitive_user):
            with self.assertRaises(AccessError):
                self.Log.with_user(user).search([])
        self.assertEqual(
            self.Log.with_user(self.privacy_officer).search([("id", "=", log.id)]), log
        )
        with self.assertRaises(AccessError):
            self.Log.with_user(self.privacy_officer).create({"action": "view"})
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            log.sudo().write({"field_names": "name"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            log.sudo().unlink()

    def test_only_sensitive_fields_under_the_sensitive_heading(self):
        """On the contact form, the "Sensitive Data" heading covers the
        birth date and the ID number (its type and purpose) only: the contact
        dates sit in a group of their own."""
        user = self.sensitive_user
        user.group_ids |= self.env.ref("crm_customer_care.group_crm_customer_care_manager")
        arch = etree.fromstring(
            self.env["res.partner"]
            .with_user(user)
            .get_view(self.env.ref("base.view_partner_form").id)["arch"]
        )
        [heading] = arch.xpath("//*[@string='Sensitive Data']")
        under = {node.get("name") for node in heading.iter("field")}
        if heading.tag == "separator":  # a separator heads what follows it
            under = {n.get("name") for n in heading.itersiblings() if n.tag == "field"}
        self.assertEqual(
            under, {"ccare_birthdate", "ccare_id_number", "ccare_id_type", "ccare_id_purpose"}
        )
        self.assertLessEqual(under, set(self.env["res.partner"]._ccare_sensitive_fields()))
        [dates] = arch.xpath("//field[@name='last_contact_date']/..")
        self.assertEqual(dates.get("string"), "Contact Dates")

    def test_anonymisation_erases_sensitive_fields(self):
        if "crm.customer.anonymisation" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.anonymisation")
        self.anna.write({"lifecycle_override": "closed"})
        self.anna._ccare_anonymise(reason="manual")
        self.assertFalse(self.anna.ccare_birthdate)
        self.assertFalse(self.anna.ccare_id_number)
