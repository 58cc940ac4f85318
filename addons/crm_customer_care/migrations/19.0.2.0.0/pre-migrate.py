"""19.0.2.0.0: one addon per concern.

The features that were part of Customer Care are addons of their own now.
A database of the earlier release keeps every record and XML id: they move
to the new addons, which install in the same ``-u crm_customer_care``
(crm_customer_care/split.py says how).
"""

from openupgradelib import openupgrade

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_customer_care, one per line
NEW_ADDONS = [
    "crm_account_service_request",
    "crm_customer_buying_habits",
    "crm_customer_consent",
    "crm_customer_data_quality",
    "crm_customer_import",
    "crm_customer_inquiry",
    "crm_customer_privacy",
    "crm_customer_referral",
    "crm_customer_review",
    "crm_lead_qualification",
    "crm_sales_record",
]


def migrate(cr, version):
    _seed_target_lists(cr)
    move_to_new_addons(cr, "crm_customer_care", NEW_ADDONS)


def _seed_target_lists(cr):
    """19.0.1.2.0 gave each target list a holdout seed of its own; on a
    database older than that, the lists' addon (crm_customer_buying_habits)
    installs after the core's migrations, and the ORM would give every list
    the same default: each gets its own now."""
    if openupgrade.table_exists(cr, "crm_customer_target_list") and not openupgrade.column_exists(
        cr, "crm_customer_target_list", "holdout_seed"
    ):
        openupgrade.logged_query(
            cr,
            """
            ALTER TABLE crm_customer_target_list ADD COLUMN holdout_seed integer;
            UPDATE crm_customer_target_list
               SET holdout_seed = 1 + floor(random() * 2147483646)::int;
            """,
        )
