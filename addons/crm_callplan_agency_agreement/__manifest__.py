{
    "name": "Call Agency Data-Processing Agreements",
    "summary": "Outsourcing agencies under a data-processing agreement: purposes, "
    "channels and customer fields allowed, access that ends with the agreement "
    "or days after the call",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "author": "Customer Care, Call Plans and Loyalty for Odoo",
    "website": "https://github.com/crm-customer-care/crm-customer-care",
    "license": "LGPL-3",
    "depends": ["crm_callplan"],
    "data": [
        "security/crm_callplan_agency_agreement_security.xml",
        "security/ir.model.access.csv",
        "views/crm_call_agency_agreement_views.xml",
        "views/crm_call_agency_views.xml",
        "views/crm_call_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/crm_callplan_agency_agreement_demo.xml",
    ],
    "installable": True,
}
