{
    "name": "Customer Loyalty - Claw-back on Credit Notes",
    "summary": "Credit notes take back the loyalty points of what they refund; spent points "
    "are owed and paid off by the next ones",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_loyalty", "account"],
    "data": [
        "views/loyalty_views.xml",
    ],
    # part of what users know as Loyalty: installing crm_loyalty brings it
    "auto_install": True,
    "installable": True,
}
