{
    "name": "Customer Referrals",
    "summary": "Who referred whom: the referral network of contacts and leads, "
    "its conversions and the Referrals analysis",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care"],
    "data": [
        "security/crm_customer_referral_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_referral_views.xml",
        "views/crm_lead_referral_views.xml",
        "report/crm_customer_referral_report_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_customer_referral_demo.xml",
    ],
    "installable": True,
}
