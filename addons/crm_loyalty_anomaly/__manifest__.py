{
    "name": "Customer Loyalty - Anomalies",
    "summary": "Fraud and abuse flags over the loyalty points journal, reviewed by managers",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_loyalty"],
    "data": [
        "security/crm_loyalty_anomaly_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/crm_loyalty_anomaly_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/crm_loyalty_anomaly_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "crm_loyalty_anomaly/static/tests/tours/*.js",
        ],
    },
    # part of what users know as Loyalty: installing crm_loyalty brings it
    "auto_install": True,
    "installable": True,
}
