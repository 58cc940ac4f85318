from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.addons.mail.tests.common import mail_new_test_user


class CallPlanCommon(CustomerCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.caller = mail_new_test_user(
            cls.env,
            login="cp_caller",
            name="Carl Caller",
            groups="crm_callplan.group_crm_callplan_caller",
        )
        cls.callplan_manager = mail_new_test_user(
            cls.env,
            login="callplan_manager",
            name="Mona Callplan",
            groups="crm_callplan.group_crm_callplan_manager",
        )
        cls.agent = mail_new_test_user(
            cls.env,
            login="cp_agent",
            name="Agnes Agent",
            groups="crm_callplan.group_crm_callplan_agent",
        )
