{
    "name": "Customer Care",
    "summary": "Customer profiles, segments, lead qualification, inquiries, "
    "data quality, privacy and consent, account service requests",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm",
        "contacts",
        "mail",
        "portal",
        "account",
        "phone_validation",
        "privacy_lookup",
        "utm",
        "queue_job",
    ],
    "data": [
        "security/crm_customer_care_security.xml",
        "security/ir.model.access.csv",
        "views/crm_customer_segment_views.xml",
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_customer_care_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_customer_care/static/tests/tours/*.js",
        ],
    },
    "application": True,
    "installable": True,
}
