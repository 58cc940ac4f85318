{
    "name": "Customer Profitability",
    "summary": "Each customer's profit and loss over a chosen period: revenue, cost of goods, "
    "cost to serve and margin, for managers, every read logged as sensitive data",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "crm_customer_sensitive_data"],
    "data": [
        "views/res_partner_views.xml",
    ],
    "installable": True,
}
