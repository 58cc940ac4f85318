{
    "name": "Sales Record",
    "summary": "The permanent record of every lead's stage changes, and the "
    "sales-cycle, win/loss and sales-activity analyses built on it",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care"],
    "data": [
        "security/crm_sales_record_security.xml",
        "security/ir.model.access.csv",
        "views/crm_lead_stage_history_views.xml",
        "report/crm_sales_cycle_report_views.xml",
        "report/crm_sales_record_report_xlsx.xml",
        "views/menus.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
