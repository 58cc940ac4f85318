"""19.0.1.1.0: the crons became noupdate; so do their ir.model.data rows,
created updatable by 19.0.1.0.0 (an upgrade keeps what admins changed)."""

from openupgradelib import openupgrade


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.set_xml_ids_noupdate_value(
        env, "crm_callplan", ["ir_cron_generate_plan", "ir_cron_mark_missed"], True
    )
