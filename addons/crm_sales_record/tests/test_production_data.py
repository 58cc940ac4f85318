from datetime import datetime

from odoo.tests import tagged
from odoo.tools import SQL

from ..hooks import post_init_hook
from .test_stage_history import StageHistoryCommon


@tagged("post_install", "-at_install", "ccare_production", "ccare_sales_record")
class TestSalesRecordInstall(StageHistoryCommon):
    """The installation's one-off work, which runs again when a database
    upgraded from Customer Care 19.0.1.x installs this addon: it must add
    nothing the second time."""

    def test_post_init_hook_backfills_each_lead_once(self):
        """Leads that existed before the module (here: two whose lines are
        removed) get one entry line at their last stage update, written by
        the installing user; running the hook again adds nothing."""
        leads = self._leads(2, stage=self.stage_qualified)
        self.env.flush_all()
        self.env.cr.execute(
            SQL("DELETE FROM crm_lead_stage_history WHERE lead_id = ANY(%s)", leads.ids)
        )
        self.env.cr.execute(
            SQL(
                "UPDATE crm_lead SET date_last_stage_update = '2024-03-05 10:00:00'"
                " WHERE id = ANY(%s)",
                leads.ids,
            )
        )
        self.env.invalidate_all()
        post_init_hook(self.env)
        post_init_hook(self.env)
        lines = self.History.search([("lead_id", "in", leads.ids)])
        self.assertEqual(len(lines), 2)
        self.assertEqual(lines.lead_id, leads)
        self.assertFalse(lines.stage_from_id)
        self.assertEqual(lines.stage_to_id, self.stage_qualified)
        self.assertEqual(set(lines.mapped("date")), {datetime(2024, 3, 5, 10, 0)})
        self.assertEqual(lines.create_uid, self.env.user)
