"""19.0.2.0.0: one addon per concern.

The features that were part of Customer Care are addons of their own now.
A database of the earlier release keeps every record and XML id: they move
to the new addons, which install in the same ``-u crm_customer_care``
(crm_customer_care/split.py says how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_customer_care, one per line
NEW_ADDONS = [
    "crm_customer_buying_habits",
    "crm_customer_consent",
    "crm_customer_data_quality",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_customer_care", NEW_ADDONS)
