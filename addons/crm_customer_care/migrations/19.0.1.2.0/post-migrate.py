"""19.0.1.2.0: target lists got a holdout seed.

The ORM filled the new column of the lists that existed with one default
value for all of them, so they would hold out the same draw: each list gets
a seed of its own (no campaign could have used one before this version).
The statutory-request and review-action fields are new and empty.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.logged_query(
        env.cr,
        """
        UPDATE crm_customer_target_list
           SET holdout_seed = 1 + floor(random() * 2147483646)::int
        """,
    )
