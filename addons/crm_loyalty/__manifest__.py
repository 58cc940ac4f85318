{
    "name": "Customer Loyalty and Relationship Programmes",
    "summary": "Relationship programmes with holdout groups, loyalty tiers, "
    "expiring points, feedback and NPS, programme effectiveness",
    "version": "19.0.1.2.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "crm_customer_referral", "loyalty", "sale_loyalty", "survey"],
    "data": [
        "security/crm_loyalty_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/crm_relationship_programme_views.xml",
        "views/crm_relationship_programme_target_list_views.xml",
        "views/loyalty_views.xml",
        "views/crm_customer_review_dashboard_views.xml",
        "views/portal_templates.xml",
        "report/crm_loyalty_reports.xml",
        "views/crm_loyalty_anomaly_views.xml",
        "views/menus.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "demo": ["demo/crm_loyalty_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "crm_loyalty/static/tests/tours/*.js",
        ],
    },
    "uninstall_hook": "uninstall_hook",
    "installable": True,
}
