{
    "name": "Customer Sensitive Data",
    "summary": "Date of birth and ID numbers (HKID checked and masked) for the Sensitive Data "
    "group only, every read and export logged (PDPO, PCPD Code of Practice on the ID Card)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care"],
    "data": [
        "security/crm_customer_sensitive_data_security.xml",
        "security/ir.model.access.csv",
        "views/crm_customer_sensitive_access_views.xml",
        "views/res_partner_hkid_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_customer_sensitive_data_demo.xml",
    ],
    "installable": True,
}
