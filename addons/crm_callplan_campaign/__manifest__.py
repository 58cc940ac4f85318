{
    "name": "Call Campaigns",
    "summary": "Call a target list once over a horizon, under a campaign policy, "
    "with a holdout and results against it; next-best product hits per caller",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_callplan", "crm_customer_buying_habits"],
    "data": [
        "security/crm_callplan_campaign_security.xml",
        "security/ir.model.access.csv",
        "data/queue_job_data.xml",
        "views/crm_call_plan_run_views.xml",
        "views/crm_customer_target_list_views.xml",
        "report/crm_call_next_product_report_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_callplan_campaign_demo.xml",
    ],
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
