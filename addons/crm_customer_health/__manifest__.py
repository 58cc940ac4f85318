{
    "name": "Customer Care: Relationship Health",
    "summary": "Relationship health (0-100, with its reasons) and lifecycle stage of every "
    "customer, their history, thresholds and weights per company",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_customer_care"],
    "data": [
        "security/crm_customer_health_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/res_partner_views.xml",
        "views/crm_customer_health_history_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "report/crm_segment_analysis_report_views.xml",
    ],
    "demo": [
        "demo/crm_customer_health_demo.xml",
    ],
    "installable": True,
}
