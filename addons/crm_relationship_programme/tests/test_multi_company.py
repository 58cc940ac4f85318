from odoo.addons.crm_loyalty.tests import test_multi_company
from odoo.tests import tagged


@tagged("post_install", "-at_install")
class TestProgrammeMultiCompany(test_multi_company.TestLoyaltyMultiCompany):
    """A loyalty manager of the first company never sees the second's
    programmes, and a programme of the first never enrols the second's
    customers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.programme_b = cls.env["crm.relationship.programme"].create(
            {"name": "Programme B", "company_id": cls.company_b.id}
        )

    def test_manager_of_a_sees_no_programme_of_b(self):
        env = self.env(user=self.manager_a)
        self.assertFalse(
            env["crm.relationship.programme"].search([("id", "=", self.programme_b.id)])
        )
        self.assertFalse(
            env["crm.relationship.effectiveness.report"].search(
                [("programme_id", "=", self.programme_b.id)]
            )
        )

    def test_programme_never_enrols_another_company(self):
        members = self._customers(5, prefix="A member")
        (members | self.customer_b).with_context(ccare_assigning_segment=True).write(
            {"segment_id": self.segment.id}
        )
        programme = self.env["crm.relationship.programme"].create(
            {"name": "Programme A", "segment_ids": [(6, 0, self.segment.ids)]}
        )
        programme.action_start()
        self.assertEqual(programme.participant_ids.partner_id, members)
