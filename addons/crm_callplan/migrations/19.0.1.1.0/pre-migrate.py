"""19.0.1.1.0: call satisfaction becomes a number (1-5, 0 = not rated).

It was a selection stored as text ('1'..'5', or NULL). Converted in place
before the ORM updates the schema: otherwise the ORM, unable to cast a
varchar column to an integer, would move the old column aside and every
call would lose its score.
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    cr.execute(
        """
        SELECT data_type FROM information_schema.columns
         WHERE table_name = 'crm_call' AND column_name = 'satisfaction'
        """
    )
    row = cr.fetchone()
    if not row or row[0] == "integer":
        return
    # the old selection's values: the ORM would otherwise try to clean them
    # up at the end of the upgrade as if the field were still a selection
    openupgrade.logged_query(
        cr,
        """
        WITH gone AS (
            DELETE FROM ir_model_fields_selection
             WHERE field_id IN (SELECT id FROM ir_model_fields
                                 WHERE model = 'crm.call' AND name = 'satisfaction')
            RETURNING id
        )
        DELETE FROM ir_model_data
         WHERE model = 'ir.model.fields.selection' AND res_id IN (SELECT id FROM gone)
        """,
    )
    openupgrade.logged_query(
        cr,
        """
        ALTER TABLE crm_call
        ALTER COLUMN satisfaction TYPE int4
        USING CASE WHEN satisfaction ~ '^[1-5]$' THEN satisfaction::int4 ELSE 0 END
        """,
    )
    openupgrade.logged_query(cr, "UPDATE crm_call SET satisfaction = 0 WHERE satisfaction IS NULL")
