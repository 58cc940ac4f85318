{
    "name": "Customer Care - Buying Habits",
    "summary": "RFM classes, category affinity, products bought together, next-best "
    "products and target lists from the customers' invoices",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care", "account"],
    "data": [
        "security/crm_customer_buying_habits_security.xml",
        "security/ir.model.access.csv",
        "data/crm_customer_buying_habits_data.xml",
        "data/queue_job_data.xml",
        "views/crm_customer_buying_habits_views.xml",
    ],
    "demo": [
        "demo/crm_customer_buying_habits_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
