"""19.0.1.3.0: a checklist score becomes a choice of 0 to 10, empty when
not answered (it was a number with -1 for "not answered", which the form
showed as a score of -1).

Converted in place before the ORM updates the schema (the ORM would cast
-1 to the text "-1", not a valid choice); the old range check goes with the
integer column (Odoo forgets its record at the end of the upgrade).
"""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    cr = env.cr
    cr.execute(
        """
        SELECT data_type FROM information_schema.columns
         WHERE table_name = 'crm_call_checklist_answer' AND column_name = 'value_score'
        """
    )
    row = cr.fetchone()
    if not row or row[0] != "integer":
        return
    openupgrade.logged_query(
        cr,
        """
        ALTER TABLE crm_call_checklist_answer
        DROP CONSTRAINT IF EXISTS crm_call_checklist_answer_score_range,
        ALTER COLUMN value_score DROP DEFAULT,
        ALTER COLUMN value_score TYPE varchar
        USING CASE WHEN value_score BETWEEN 0 AND 10 THEN value_score::varchar END
        """,
    )
