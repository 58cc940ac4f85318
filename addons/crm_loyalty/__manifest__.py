{
    "name": "Customer Loyalty and Relationship Programmes",
    "summary": "Relationship programmes with holdout groups, loyalty tiers, "
    "expiring points, feedback and NPS, programme effectiveness",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "loyalty", "sale_loyalty", "survey"],
    "data": [
        "security/crm_loyalty_security.xml",
        "security/ir.model.access.csv",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_loyalty/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
