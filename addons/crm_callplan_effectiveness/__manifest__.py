{
    "name": "Call Effectiveness",
    "summary": "Per segment over a period: how regularly the accounts were called "
    "against their health, satisfaction and revenue, with correlations and p-values",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_callplan", "crm_customer_health"],
    "data": [
        "security/crm_callplan_effectiveness_security.xml",
        "security/ir.model.access.csv",
        "views/crm_call_effectiveness_views.xml",
        "report/crm_call_effectiveness_report.xml",
        "views/menus.xml",
    ],
    "installable": True,
}
