from datetime import date

from odoo.addons.crm_loyalty.tests.common import LoyaltyCommon
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import Form
from odoo.tests import tagged


@tagged("post_install", "-at_install", "ccare_loyalty_ledger")
class TestProgrammeWorkflow(LoyaltyCommon):
    def test_state_only_through_transitions(self):
        programme = self.env["crm.relationship.programme"].create(
            {"name": "Dinner", "segment_ids": [(6, 0, self.segment.ids)]}
        )
        manager = programme.with_user(self.loyalty_manager)
        with self.assertRaisesRegex(UserError, "own actions"):
            manager.write({"state": "running"})
        with self.assertRaisesRegex(UserError, "own actions"):
            self.env["crm.relationship.programme"].with_user(self.loyalty_manager).create(
                {"name": "Born running", "state": "closed"}
            )
        with self.assertRaisesRegex(UserError, "cannot become"):
            manager.action_close()
        manager.action_start()
        self.assertEqual(programme.state, "running")
        with self.assertRaisesRegex(UserError, "cannot become"):
            manager.action_draft()
        manager.action_close()
        manager.action_draft()
        self.assertEqual(programme.state, "draft")
        with self.assertRaises(AccessError):
            programme.with_user(self.loyalty_user).action_start()
        with self.assertRaises(AccessError):
            programme.with_user(self.loyalty_user).action_enrol()

    def test_form_still_saves(self):
        with Form(self.env["crm.relationship.programme"].with_user(self.loyalty_manager)) as f:
            f.name = "Form programme"
            f.date_start = date(2025, 1, 1)
        self.assertEqual(f.record.state, "draft")
