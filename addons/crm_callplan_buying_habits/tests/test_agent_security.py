from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests import users


@tagged("post_install", "-at_install")
class TestAgentSeesNoRfmClass(CallPlanCommon):
    """Employees read RFM classes (their names show on contacts, tickets
    and leads); an outsourced agent, an internal user of an agency, none."""

    @users("cp_agent")
    def test_agent_sees_no_rfm_class(self):
        champions = self.env.ref("crm_customer_buying_habits.rfm_class_champions")
        self.assertFalse(self.env["crm.customer.rfm.class"].search([]))
        with self.assertRaises(AccessError):
            self.env["crm.customer.rfm.class"].browse(champions.id).read(["name"])

    @users("cp_caller")
    def test_caller_reads_rfm_classes(self):
        classes = self.env["crm.customer.rfm.class"].search([])
        self.assertIn(self.env.ref("crm_customer_buying_habits.rfm_class_champions"), classes)
