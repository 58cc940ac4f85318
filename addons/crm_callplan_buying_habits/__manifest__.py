{
    "name": "Call Plans - Buying Habits",
    "summary": "Outsourced agents of Call Plans see no RFM class of the customers' buying habits",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_callplan", "crm_customer_buying_habits"],
    "data": [
        "security/crm_callplan_buying_habits_security.xml",
    ],
    "auto_install": True,
    "installable": True,
}
