"""19.0.2.0.0: relationship programmes are an addon of their own.

Programmes, their holdout groups, feedback surveys, events and
effectiveness moved to ``crm_relationship_programme``. A database of the
earlier release keeps every record and XML id: they move to the new addon,
which installs in the same ``-u crm_loyalty`` (crm_customer_care/split.py
says how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_loyalty, one per line
NEW_ADDONS = [
    "crm_relationship_programme",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_loyalty", NEW_ADDONS)
