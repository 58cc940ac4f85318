{
    "name": "Customer Care - Email Marketing",
    "summary": "Target lists feed mailing lists; every mass mailing and unsubscribe "
    "goes through the customer's consent",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm_customer_care",
        "crm_customer_buying_habits",
        "crm_customer_consent",
        "mass_mailing",
    ],
    "data": [
        "views/crm_customer_target_list_views.xml",
        "views/mailing_list_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
