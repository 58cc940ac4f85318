{
    "name": "Customer Care: Customer Reviews",
    "summary": "Management reviews of a segment, an account or the whole book over frozen "
    "figures, with approval, recommended actions, periodic account reviews and the "
    "manager dashboard",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm_customer_care",
        "crm_customer_health",
        "crm_sales_record",
        "queue_job",
        "report_xlsx",
    ],
    "data": [
        "security/crm_customer_review_security.xml",
        "security/ir.model.access.csv",
        "data/crm_customer_review_data.xml",
        "data/queue_job_data.xml",
        "views/crm_customer_review_views.xml",
        "report/crm_customer_review_templates.xml",
    ],
    "demo": [
        "demo/crm_customer_review_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_customer_review/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
