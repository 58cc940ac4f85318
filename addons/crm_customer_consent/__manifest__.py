{
    "name": "Customer Consent",
    "summary": "Consent per purpose and channel, do-not-contact enforcement, Odoo's "
    "blacklists kept in step, a suppression list for erased people, /my/privacy and "
    "unsubscribe links",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "phone_validation", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/crm_customer_consent_security.xml",
        "views/crm_customer_consent_views.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_customer_consent_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_customer_consent/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
