from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.crm_customer_care.tests.common import check_spreadsheet_dashboard
from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.addons.mail.tests.common import mail_new_test_user
from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.tests import tagged

MANAGER = "crm_customer_care.group_crm_customer_care_manager"


@tagged("post_install", "-at_install", "ccare_security", "ccare_qualification")
class TestQualificationServer(RpcCase):
    """Criteria over the web client's JSON-RPC path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        mail_new_test_user(cls.env, login="lq_manager", name="Lou Manager", groups=MANAGER)

    def test_rules_cannot_test_what_the_author_cannot_read(self):
        """A manager without the Sensitive Data group writes a criterion on
        customers' ID numbers: refused (the score would leak them)."""
        ruleset = self.env["crm.lead.qualification.ruleset"].create({"name": "Oracle"})
        self.assertRefused(
            "lq_manager",
            "crm.lead.qualification.criterion",
            "create",
            [
                {
                    "ruleset_id": ruleset.id,
                    "name": "ID starts with A",
                    "kind": "domain",
                    "domain": "[('partner_id.ccare_id_number', '=like', 'A%')]",
                    "points": 10,
                }
            ],
        )
        self.assertFalse(ruleset.criterion_ids)


@tagged("post_install", "-at_install", "ccare_production", "ccare_qualification")
class TestQualificationProduction(CustomerCareCommon):
    def test_rescoring_queues_in_its_channel(self):
        lead = self.env["crm.lead"].create({"name": "Channel lead"})
        with trap_jobs() as trap:
            self.env["crm.lead.qualification.ruleset"]._enqueue_rescoring([("id", "=", lead.id)])
            channels = {job.method_name: job.channel for job in trap.enqueued_jobs}
        self.assertEqual(channels["_ccare_qualify"], "root.rescoring")

    def test_subject_access_gives_the_leads_grade(self):
        sections = {
            key: names
            for key, _title, _records, names in self.env[
                "res.partner"
            ]._ccare_subject_access_sections()
        }
        self.assertIn("qualification_grade_id", sections["leads"])

    def test_qualification_runs_after_the_segments(self):
        steps = [method for _model, method in self.env["crm.customer.care.deferred"]._ccare_steps()]
        self.assertIn("_ccare_deferred_qualify", steps)
        self.assertLess(
            steps.index("_ccare_deferred_segments"), steps.index("_ccare_deferred_qualify")
        )

    def test_dashboard_charts_read_what_exists(self):
        titles = check_spreadsheet_dashboard(
            self, "crm_lead_qualification.spreadsheet_dashboard_lead_qualification", self.care_user
        )
        self.assertIn("Open pipeline by qualification grade", titles)
