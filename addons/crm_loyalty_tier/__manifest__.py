{
    "name": "Customer Loyalty - Tiers",
    "summary": "Loyalty tiers over a rolling window: review with grace period, multipliers, "
    "tier-only rewards, tier history, progress on the card and the portal",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_loyalty"],
    "data": [
        "security/crm_loyalty_tier_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/loyalty_views.xml",
        "views/portal_templates.xml",
        "report/crm_loyalty_reports.xml",
        "views/menus.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "demo": ["demo/crm_loyalty_tier_demo.xml"],
    # part of what users know as Loyalty: installing crm_loyalty brings it
    "auto_install": True,
    "installable": True,
}
