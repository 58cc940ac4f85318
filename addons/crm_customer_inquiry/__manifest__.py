{
    "name": "Customer Care Inquiries",
    "summary": "Customer inquiries on OCA helpdesk tickets, with SLAs in working hours, "
    "escalation, analysis, portal and an open-inquiries health factor",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm_customer_care",
        "crm_customer_health",
        "crm_sales_record",
        "helpdesk_mgmt",
        "helpdesk_mgmt_sla",
        "helpdesk_mgmt_crm",
    ],
    "data": [
        "security/crm_customer_inquiry_security.xml",
        "security/ir.model.access.csv",
        "data/crm_customer_inquiry_data.xml",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "data/spreadsheet_dashboard_data.xml",
        "views/helpdesk_ticket_views.xml",
        "views/portal_inquiry_templates.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_customer_inquiry_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_customer_inquiry/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
