from lxml import etree

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.modules.module import get_manifest
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from .attack_surface import declared_records
from .attack_surface import our_modules
from .common import CustomerCareCommon


@tagged("post_install", "-at_install", "ccare_production")
class TestProductionData(CustomerCareCommon):
    """What an upgrade may and may not touch, and where batch jobs queue."""

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
        # every cron, job function and channel the installed addons declare
        self.assertEqual(
            set(data.mapped("complete_name")),
            {
                xmlid
                for model in ("ir.cron", "queue.job.function", "queue.job.channel")
                for xmlid in declared_records(self.env, model)
            },
        )
        self.assertTrue(data.filtered(lambda d: d.model == "ir.cron"), "the core's crons at least")
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
            channels = {job.method_name: job.channel for job in trap.enqueued_jobs}
        self.assertEqual(channels["_ccare_assign_segments"], "root.segments")
        functions = self.env["queue.job.function"].search(
            [("id", "in", self._our_ids("queue.job.function"))]
        )
        self.assertEqual(
            set(functions.mapped(lambda function: function.get_external_id()[function.id])),
            set(declared_records(self.env, "queue.job.function")),
        )
        self.assertNotIn("root", functions.mapped("channel"))

    def _our_ids(self, model):
        return (
            self.env["ir.model.data"]
            .search([("module", "in", our_modules(self.env)), ("model", "=", model)])
            .mapped("res_id")
        )
