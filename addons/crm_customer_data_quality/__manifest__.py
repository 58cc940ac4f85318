{
    "name": "Customer Data Quality",
    "summary": "Data-quality checks on customer profiles (required fields, invalid "
    "email or phone, probable duplicates, stale profiles, custom rules), an issue "
    "queue per account manager and a 0-100 data-quality score",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "phone_validation", "queue_job", "spreadsheet_dashboard"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_data_quality_security.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/crm_data_quality_views.xml",
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_data_quality_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_customer_data_quality/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
