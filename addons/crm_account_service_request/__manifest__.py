{
    "name": "Customer Care - Account Service Requests",
    "summary": "Account requests with four-eyes approval, and statutory data access, "
    "correction and erasure requests with their legal deadline",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm_customer_care",
        "crm_customer_health",
        "crm_customer_consent",
        "crm_customer_privacy",
        "base_tier_validation",
        "portal",
    ],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_account_service_request_security.xml",
        "data/crm_account_service_request_data.xml",
        "data/ir_cron_data.xml",
        "wizard/crm_account_service_request_closure_views.xml",
        "views/crm_account_service_request_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_account_service_request_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_account_service_request/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
