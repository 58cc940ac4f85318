"""19.0.1.2.0: target lists got a holdout seed.

The ORM filled the new column of the lists that existed with one default
value for all of them, so they would hold out the same draw: each list gets
a seed of its own (no campaign could have used one before this version).
The statutory-request and review-action fields are new and empty.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    # since 19.0.2.0.0 target lists are crm_customer_buying_habits', which
    # installs after this runs: the 19.0.2.0.0 pre-migration seeds them
    if not openupgrade.column_exists(env.cr, "crm_customer_target_list", "holdout_seed"):
        return
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE crm_customer_target_list
           SET holdout_seed = 1 + floor(random() * 2147483646)::int
        """,
    )
