import base64
import io
import json
import zipfile

from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_inquiry")
class TestInquirySubjectAccess(CustomerCareCommon):
    """A subject-access request returns the person's inquiries, after their
    leads, and nothing of another customer's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create(
            {"name": "Delta Foods", "is_company": True, "email": "info@delta.example"}
        )
        cls.person = Partner.create(
            {"name": "Dora Delta", "parent_id": cls.customer.id, "email": "dora@delta.example"}
        )
        cls.other = Partner.create({"name": "Other Customer", "email": "other@example.com"})
        Ticket = cls.env["helpdesk.ticket"]
        Ticket.create(
            {"name": "Invoice question", "description": "Why?", "partner_id": cls.person.id}
        )
        Ticket.create({"name": "Someone else's", "description": "?", "partner_id": cls.other.id})

    def test_export_holds_the_inquiries(self):
        if "crm.customer.subject.access" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.subject.access")
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(self.privacy_officer)
            .create({"partner_id": self.customer.id})
        )
        wizard.action_export()
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.zip_file)))
        self.assertIn("inquiries.csv", archive.namelist())
        sections = json.loads(archive.read("data.json"))["sections"]
        self.assertEqual([row["name"] for row in sections["inquiries"]], ["Invoice question"])
        keys = list(sections)
        self.assertEqual(keys.index("inquiries"), keys.index("leads") + 1)
        self.assertNotIn("Someone else", archive.read("data.json").decode())
        self.assertIn("Inquiries: 1", wizard.summary)
