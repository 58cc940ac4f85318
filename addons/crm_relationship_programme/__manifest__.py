{
    "name": "Customer Care - Relationship Programmes",
    "summary": "Relationship programmes with holdout groups, feedback and NPS surveys, "
    "programme events, effectiveness (uplift, ROI, significance)",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": [
        "crm_loyalty",
        "crm_customer_buying_habits",
        "calendar",
        "survey",
    ],
    "data": [
        "security/crm_relationship_programme_security.xml",
        "security/ir.model.access.csv",
        "views/crm_relationship_programme_views.xml",
        "views/crm_relationship_programme_target_list_views.xml",
        "views/survey_survey_views.xml",
        "views/crm_customer_review_dashboard_views.xml",
        "views/portal_templates.xml",
        "report/crm_relationship_programme_reports.xml",
        "views/menus.xml",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "demo": ["demo/crm_relationship_programme_demo.xml"],
    "assets": {
        "web.assets_tests": [
            "crm_relationship_programme/static/tests/tours/*.js",
        ],
    },
    "installable": True,
}
