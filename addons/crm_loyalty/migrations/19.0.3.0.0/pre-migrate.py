"""19.0.3.0.0: tiers, anomaly flags and claw-back are addons of their own.

Tiers (their review, history, multipliers and tier-only rewards) moved to
``crm_loyalty_tier``; the anomaly flags and their review to
``crm_loyalty_anomaly``; the points credit notes take back, and the points
owed, to ``crm_loyalty_clawback``. They depend on crm_loyalty and install
with it (``auto_install``). A database of the earlier release keeps every record
and XML id: they move to the new addons, which install in the same
``-u crm_loyalty`` (crm_customer_care/split.py says how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_loyalty, one per line
NEW_ADDONS = [
    "crm_loyalty_tier",
    "crm_loyalty_anomaly",
    "crm_loyalty_clawback",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_loyalty", NEW_ADDONS)
