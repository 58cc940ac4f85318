"""Hong Kong identity data (PCPD Code of Practice on the Identity Card
Number): checked on entry, collected for a recorded purpose, masked for
everyone without the Sensitive Data group on every path."""

from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import new_test_user

from ..models.res_partner_hkid import hkid_check_digit
from ..models.res_partner_hkid import hkid_mask

SENSITIVE = "crm_customer_sensitive_data.group_crm_customer_care_sensitive_data"


@tagged("post_install", "-at_install", "ccare_hkid")
class TestHkid(RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care_user = new_test_user(
            cls.env,
            login="hkid_care",
            groups="crm_customer_care.group_crm_customer_care_user,base.group_allow_export",
        )
        cls.officer = new_test_user(
            cls.env, login="hkid_sensitive", groups=f"{SENSITIVE},base.group_allow_export"
        )
        cls.wing = cls.env["res.partner"].create(
            {
                "name": "Chan Tai Man",
                "ccare_name_zh": "陳大文",
                "ccare_id_type": "hkid",
                "ccare_id_purpose": "law",
                "ccare_id_number": "a123456 (3)",
            }
        )

    def test_check_digit_by_hand(self):
        """A123456: a space (36) x 9 + A (10) x 8 + 1x7 + 2x6 + 3x5 + 4x4 +
        5x3 + 6x2 = 481; 481 mod 11 = 8; 11 - 8 = 3. G123456: 324 + 16 x 8
        + 77 = 529, mod 11 = 1, 11 - 1 = 10, written A. Two letters AB987654:
        10x9 + 11x8 + 9x7 + 8x6 + 7x5 + 6x4 + 5x3 + 4x2 = 371, mod 11 = 8, 3."""
        self.assertEqual(hkid_check_digit("A", "123456"), "3")
        self.assertEqual(hkid_check_digit("G", "123456"), "A")
        self.assertEqual(hkid_check_digit("AB", "987654"), "3")

    def test_valid_number_normalised(self):
        self.assertEqual(self.wing.ccare_id_number, "A123456(3)")
        self.wing.ccare_id_number = "G123456(a)"
        self.assertEqual(self.wing.ccare_id_number, "G123456(A)")

    def test_wrong_check_digit_refused_with_the_rule(self):
        with self.assertRaisesRegex(ValidationError, r"A123456\(4\) is not a valid Hong Kong"):
            self.wing.ccare_id_number = "A123456(4)"
        with self.assertRaisesRegex(ValidationError, "not a valid Hong Kong"):
            self.wing.ccare_id_number = "123456"

    def test_purpose_required(self):
        with self.assertRaisesRegex(ValidationError, "ID Collected For"):
            self.env["res.partner"].create({"name": "No Purpose", "ccare_id_number": "A123456(3)"})

    def test_users_without_the_group_still_create_contacts(self):
        """No field of the Sensitive Data group gets a default: a care user
        creates and edits contacts as before."""
        partner = self.env["res.partner"].with_user(self.care_user).create({"name": "Plain"})
        partner.with_user(self.care_user).write({"ccare_name_zh": "平常"})
        self.assertFalse(partner.sudo().ccare_id_type)

    def test_passport_numbers_are_not_hkids(self):
        partner = self.env["res.partner"].create(
            {
                "name": "Visitor",
                "ccare_id_type": "passport",
                "ccare_id_purpose": "contract",
                "ccare_id_number": "K12345678",
            }
        )
        self.assertEqual(partner.ccare_id_number_masked, "K1XXXXXXX")

    def test_masked_for_users_without_the_group_over_rpc(self):
        """A care user reads the masked number, never the number itself,
        and an export gives the mask too; nothing of that is a sensitive
        read. The Sensitive Data group reads and exports it, logged."""
        self.assertEqual(hkid_mask("A123456(3)"), "A123XXX(X)")
        rows = self.call_kw(
            "hkid_care",
            "res.partner",
            "read",
            [self.wing.ids, ["ccare_id_number_masked"]],
        )
        self.assertEqual(rows[0]["ccare_id_number_masked"], "A123XXX(X)")
        self.assertRefused("hkid_care", "res.partner", "read", [self.wing.ids, ["ccare_id_number"]])
        self.assertRefused(
            "hkid_care", "res.partner", "write", [self.wing.ids, {"ccare_id_number": "G123456(A)"}]
        )
        exported = self.call_kw(
            "hkid_care", "res.partner", "export_data", [self.wing.ids, ["name", "ccare_id_number"]]
        )
        self.assertEqual(exported["datas"], [["Chan Tai Man", "A123XXX(X)"]])
        exported = self.call_kw(
            "hkid_sensitive",
            "res.partner",
            "export_data",
            [self.wing.ids, ["name", "ccare_id_number"]],
        )
        self.assertEqual(exported["datas"], [["Chan Tai Man", "A123456(3)"]])
        logged = self.env["crm.customer.sensitive.access"].search(
            [("user_id", "=", self.officer.id)]
        )
        self.assertEqual(logged.mapped("action"), ["export"])
