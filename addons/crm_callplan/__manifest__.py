{
    "name": "Call Plans",
    "summary": "Periodic sales-call policies per segment, generated call plans, "
    "call records with checklists, outsourced callers, allocations",
    "version": "19.0.4.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm_customer_care",
        "crm_customer_consent",
        "calendar",
        "resource",
    ],
    "data": [
        "security/crm_callplan_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/crm_call_checklist_template_views.xml",
        "views/crm_call_policy_views.xml",
        "views/crm_call_views.xml",
        "views/crm_call_caller_views.xml",
        "views/crm_call_agency_views.xml",
        "views/crm_call_plan_run_views.xml",
        "views/crm_call_allocation_views.xml",
        "views/res_partner_views.xml",
        "views/portal_templates.xml",
        "report/crm_call_compliance_report_views.xml",
        "views/menus.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "demo": [
        "demo/crm_callplan_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_callplan/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
