{
    "name": "Customer Loyalty: Points to e-Wallet",
    "summary": "Members move any number of their loyalty points into their Odoo eWallet, "
    "at the program's rate, from the portal or by staff",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_loyalty"],
    "data": [
        "views/loyalty_views.xml",
        "views/portal_templates.xml",
    ],
    # part of what users know as Loyalty: installing crm_loyalty brings it
    "auto_install": True,
    "installable": True,
}
