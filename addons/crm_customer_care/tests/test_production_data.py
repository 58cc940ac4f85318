from datetime import datetime

from lxml import etree

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.modules.module import get_manifest
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools import SQL

from ..hooks import post_init_hook
from .attack_surface import our_modules
from .test_stage_history import StageHistoryCommon


@tagged("post_install", "-at_install", "ccare_production")
class TestProductionData(StageHistoryCommon):
    """What an upgrade may and may not touch, and where batch jobs queue."""

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

    def test_crons_and_job_functions_are_noupdate(self):
        """An upgrade keeps what admins changed on crons, job functions and
        channels: their ir.model.data rows are noupdate (the 19.0.1.1.0
        migration turns the old updatable rows into noupdate ones)."""
        data = self.env["ir.model.data"].search(
            [
                ("module", "in", our_modules(self.env)),
                ("model", "in", ("ir.cron", "queue.job.function", "queue.job.channel")),
            ]
        )
        self.assertGreaterEqual(len(data.filtered(lambda d: d.model == "ir.cron")), 10)
        self.assertEqual(data.filtered(lambda d: not d.noupdate).mapped("complete_name"), [])

    def test_data_files_run_nothing_on_upgrade(self):
        """No <function> of a data file runs on an upgrade (one-off work goes
        in post_init_hook or a migration), and every ir.cron is noupdate."""
        offenders = []
        for module in our_modules(self.env):
            path = get_module_path(module)
            for name in get_manifest(module)["data"]:
                if not name.endswith(".xml"):
                    continue
                tree = etree.parse(f"{path}/{name}")
                for node in tree.iter("function", "record"):
                    if node.tag == "record" and node.get("model") != "ir.cron":
                        continue
                    flags = [a.get("noupdate") for a in node.iterancestors() if a.get("noupdate")]
                    if not flags or flags[0] not in ("1", "True", "true"):
                        offenders.append(f"{module}/{name}:{node.sourceline}")
        self.assertEqual(offenders, [])

    def test_chunked_jobs_queue_in_their_kind_channel(self):
        """Each kind of chunked job goes to its own queue_job channel."""
        with trap_jobs() as trap:
            self.env["crm.customer.segment"]._enqueue_assignment("change")
            self.env["res.partner"]._cron_compute_buying_habits()
            channels = {job.method_name: job.channel for job in trap.enqueued_jobs}
        self.assertEqual(channels["_ccare_compute_buying_habits"], "root.buying_habits")
        self.assertEqual(channels["_ccare_assign_segments"], "root.segments")
        functions = self.env["queue.job.function"].search(
            [("id", "in", self._our_ids("queue.job.function"))]
        )
        self.assertGreaterEqual(len(functions), 9)
        self.assertNotIn("root", functions.mapped("channel"))

    def _our_ids(self, model):
        return (
            self.env["ir.model.data"]
            .search([("module", "in", our_modules(self.env)), ("model", "=", model)])
            .mapped("res_id")
        )
