import base64
import io
import json
import zipfile

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestSubjectAccess(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Delta Foods", "is_company": True, "email": "info@delta.example"}
        )
        cls.person = Partner.create(
            {
                "name": "Dora Delta",
                "parent_id": cls.customer.id,
                "email": "dora@delta.example",
                "ccare_id_number": "ID-DORA-42",
                "ccare_id_type": "other",
                "ccare_id_purpose": "identify",
            }
        )
        cls.other = Partner.create({"name": "Other Customer", "email": "other@example.com"})
        cls.env["crm.lead"].create({"name": "Delta cold room", "partner_id": cls.customer.id})
        cls.env["crm.lead"].create({"name": "Someone else's deal", "partner_id": cls.other.id})
        cls.person.with_user(cls.privacy_officer).read(["ccare_id_number"])

    def _export(self, user, partner):
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(user)
            .create({"partner_id": partner.id})
        )
        action = wizard.action_export()
        # the dialog that shows the export keeps its title
        self.assertEqual(action["name"], "Subject-Access Request")
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.zip_file)))
        return wizard, archive

    def test_export_holds_everything_on_the_person(self):
        _wizard, archive = self._export(self.privacy_officer, self.customer)
        names = archive.namelist()
        for name in ("data.json", "profile.csv", "leads.csv"):
            self.assertIn(name, names)
        self.assertTrue({"summary.pdf", "summary.html"} & set(names))
        data = json.loads(archive.read("data.json"))["sections"]
        self.assertEqual({row["name"] for row in data["profile"]}, {"Delta Foods", "Dora Delta"})
        self.assertIn("ID-DORA-42", [row["ccare_id_number"] for row in data["profile"]])
        self.assertEqual([row["name"] for row in data["leads"]], ["Delta cold room"])
        self.assertEqual(
            [row["action"] for row in data["access_log"]], ["Viewed"], "who read the ID number"
        )
        # nothing of another customer
        self.assertNotIn("Someone else", archive.read("data.json").decode())
        self.assertIn("Dora Delta", archive.read("profile.csv").decode())
        summary = archive.read(next(n for n in names if n.startswith("summary"))).decode()
        self.assertIn("Personal data held on", summary)

    def test_export_is_logged_and_noted(self):
        self._export(self.privacy_officer, self.customer)
        log = self.env["crm.customer.sensitive.access"].search([("action", "=", "subject_access")])
        self.assertEqual(log.user_id, self.privacy_officer)
        self.assertEqual(log.partner_ids, self.customer | self.person)
        self.assertIn("Subject-access export", self.customer.message_ids[0].body)

    def test_export_stays_with_its_preparer(self):
        wizard, _archive = self._export(self.privacy_officer, self.customer)
        other_officer = self.privacy_officer.copy({"login": "second_officer"})
        self.assertFalse(
            self.env["crm.customer.subject.access"]
            .with_user(other_officer)
            .search([("id", "=", wizard.id)])
        )

    def test_only_privacy_officers(self):
        for user in (self.care_user, self.care_manager):
            with self.assertRaises(AccessError):
                self._export(user, self.customer)
