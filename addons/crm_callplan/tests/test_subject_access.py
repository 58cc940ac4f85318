import base64
import io
import json
import zipfile

from odoo.tests import tagged

from .common import CallPlanCommon


@tagged("post_install", "-at_install")
class TestCallSubjectAccess(CallPlanCommon):
    def test_calls_are_in_the_subject_access_export(self):
        if "crm.customer.subject.access" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.subject.access")
        customer = self.env["res.partner"].create({"name": "Call Subject Ltd", "is_company": True})
        other = self.env["res.partner"].create({"name": "Not Them Ltd", "is_company": True})
        self._call(customer, summary="Talked about renewals")
        self._call(other, summary="Someone else")
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(self.privacy_officer)
            .create({"partner_id": customer.id})
        )
        wizard.action_export()
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.zip_file)))
        self.assertIn("calls.csv", archive.namelist())
        calls = json.loads(archive.read("data.json"))["sections"]["calls"]
        self.assertEqual([call["summary"] for call in calls], ["Talked about renewals"])
