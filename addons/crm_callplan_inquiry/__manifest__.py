{
    "name": "Call Plans - Inquiries",
    "summary": "The portal's call back: the customer asks to be called back, which opens "
    "an inquiry and plans the call that answers it",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_callplan", "crm_customer_inquiry"],
    "data": [
        "views/crm_call_views.xml",
        "views/portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "crm_callplan_inquiry/static/tests/tours/*.js",
        ],
    },
    "auto_install": True,
    "installable": True,
}
