{
    "name": "Customer Privacy",
    "summary": "Retention and anonymisation of closed accounts, the anonymisation log and "
    "subject-access exports (PDPO DPP2 and DPP6, GDPR art. 15 and 17)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "crm_customer_health", "crm_customer_sensitive_data"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_customer_privacy_security.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/crm_customer_anonymisation_views.xml",
        "wizard/crm_customer_subject_access_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_customer_privacy/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
