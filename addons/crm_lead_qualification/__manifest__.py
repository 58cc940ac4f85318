{
    "name": "Customer Care: Lead Qualification",
    "summary": "Qualify leads by management's rules: weighted criteria, grades and why",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "queue_job",
        "spreadsheet_dashboard",
        "crm_customer_care",
    ],
    "data": [
        "security/crm_lead_qualification_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/crm_lead_qualification_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_lead_qualification_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_lead_qualification/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
