{
    "name": "Customer Care - Relationship Programmes and Points in the Books",
    "summary": "Programme revenue and ROI net of the points' deferred share of each sale",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm_relationship_programme",
        "crm_loyalty_account",
    ],
    "data": [],
    "uninstall_hook": "uninstall_hook",
    "auto_install": True,
    "installable": True,
}
