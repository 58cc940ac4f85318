"""19.0.4.0.0: relationship health and lifecycle are an addon of their own.

The health score, its breakdown, the last purchase, the lifecycle stage and
its override (res.partner columns, kept as they are), the health history,
the thresholds and weights of res.company and the settings, the daily
recompute, the health history's access and rule, menu and views moved to
``crm_customer_health``; the segment analysis gains its lifecycle and
health columns from there (``_ccare_partner_columns``). A database of the
earlier release keeps every record and XML id: they move to the new addon,
which installs in the same ``-u crm_customer_care`` (crm_customer_care/split.py
says how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_customer_care, one per line
NEW_ADDONS = [
    "crm_customer_health",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_customer_care", NEW_ADDONS)
