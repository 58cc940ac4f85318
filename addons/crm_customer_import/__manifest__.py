{
    "name": "Customer Care - Customer Import",
    "summary": "Import customers or leads from CSV/XLSX with a dry run, matching on "
    "e-mail, phone and tax ID, duplicates flagged, and a stored report",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "base_import"],
    "data": [
        "security/crm_customer_import_security.xml",
        "security/ir.model.access.csv",
        "wizard/crm_customer_import_wizard_views.xml",
        "views/crm_customer_import_views.xml",
        "views/menus.xml",
    ],
    "demo": ["demo/crm_customer_import_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "crm_customer_import/static/tests/tours/*.js",
        ],
    },
    # read by crm_customer_import_demo.xml (file=), not loaded as data; OCA's
    # file-not-used check takes the files listed here as used
    "oca_data_manual": ["demo/crm_customer_import_demo.csv"],
    "installable": True,
}
