import base64
import io
import json
import zipfile

from odoo.tests import tagged

from .common import LoyaltyCommon


@tagged("post_install", "-at_install")
class TestLoyaltySubjectAccess(LoyaltyCommon):
    def test_cards_and_points_are_in_the_subject_access_export(self):
        if "crm.customer.subject.access" not in self.env:
            self.skipTest("needs crm_customer_privacy, which defines crm.customer.subject.access")
        member, other = self._customers(2)
        self._card(member, points=120)
        self._card(other, points=7)
        wizard = (
            self.env["crm.customer.subject.access"]
            .with_user(self.privacy_officer)
            .create({"partner_id": member.id})
        )
        wizard.action_export()
        archive = zipfile.ZipFile(io.BytesIO(base64.b64decode(wizard.zip_file)))
        sections = json.loads(archive.read("data.json"))["sections"]
        self.assertEqual([card["points"] for card in sections["loyalty_cards"]], [120.0])
        self.assertEqual(
            [(lot["points"], lot["remaining"]) for lot in sections["loyalty_points"]],
            [(120.0, 120.0)],
        )
        self.assertIn("loyalty_points.csv", archive.namelist())
