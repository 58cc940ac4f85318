{
    "name": "Customer Loyalty: Points Liability in the Books",
    "summary": "Loyalty points as a contract liability (IFRS 15 / HKFRS 15): deferral, "
    "redemption, breakage, expiry and claw-back journal entries, and the roll-forward",
    "version": "19.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_loyalty", "account", "queue_job"],
    "data": [
        "security/crm_loyalty_account_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/queue_job_data.xml",
        "views/crm_loyalty_account_config_views.xml",
        "views/crm_loyalty_account_entry_views.xml",
        "report/crm_loyalty_account_report_views.xml",
        "report/crm_loyalty_account_report_templates.xml",
        "views/menus.xml",
    ],
    "auto_install": False,
    "installable": True,
}
