{
    "name": "Call Plans - Customer Reviews",
    "summary": "The Call Plans buttons of the Customer Care Manager Dashboard: the call "
    "plans' spreadsheet dashboard, plan compliance and overdue calls",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_callplan", "crm_customer_review"],
    "data": [
        "views/crm_customer_review_dashboard_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
