import base64
import io
import json
import zipfile

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestConsentSubjectAccess(CustomerCareCommon):
    def test_export_holds_the_consent_history(self):
        if "crm.customer.subject.access" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.subject.access")
        customer = self.env["res.partner"].create(
            {"name": "Delta Foods", "is_company": True, "email": "info@delta.example"}
        )
        customer._ccare_record_consent("marketing", "email", "granted", source="form")
        customer._ccare_record_consent("marketing", "email", "withdrawn", source="portal")
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(self.privacy_officer)
            .create({"partner_id": customer.id})
        )
        wizard.action_export()
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.zip_file)))
        self.assertIn("consents.csv", archive.namelist())
        data = json.loads(archive.read("data.json"))["sections"]
        self.assertEqual(
            [(row["state"], row["source"]) for row in data["consents"]],
            [("Granted", "Signed form"), ("Withdrawn", "Customer portal")],
        )
        self.assertEqual(list(data)[:2], ["profile", "consents"])
