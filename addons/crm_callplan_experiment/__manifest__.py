{
    "name": "Call-Frequency Experiments",
    "summary": "Test a change of call policy before applying it: randomised, "
    "stratified arms of a segment, results against control with 95% intervals",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_callplan", "crm_customer_health"],
    "data": [
        "security/crm_callplan_experiment_security.xml",
        "security/ir.model.access.csv",
        "views/crm_call_experiment_views.xml",
        "views/crm_call_experiment_result_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_callplan_experiment_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
