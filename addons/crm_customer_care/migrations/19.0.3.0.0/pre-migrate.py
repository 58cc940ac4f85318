"""19.0.3.0.0: sensitive data and customer profitability are addons of
their own.

The Sensitive Data group, the date of birth and ID number (HKID checked and
masked), their access log and the export guard moved to
``crm_customer_sensitive_data``; the customer's P&L to
``crm_customer_profitability`` (the cost to serve stays an extension point
of the core). A database of the earlier release keeps every record and XML
id: they move to the new addons, which install in the same
``-u crm_customer_care`` (crm_customer_care/split.py says how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_customer_care, one per line
NEW_ADDONS = [
    "crm_customer_sensitive_data",
    "crm_customer_profitability",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_customer_care", NEW_ADDONS)
