"""19.0.1.1.0: crons and tunable records became noupdate.

Their ir.model.data rows, created updatable by 19.0.1.0.0, are marked
noupdate too, so that Odoo treats them as the data files now declare them
(an upgrade keeps what admins changed). The stage-history backfill moved
from a data file to the post_init_hook: nothing to run here.
"""

from openupgradelib import openupgrade

NOUPDATE_XMLIDS = [
    "ir_cron_recompute_contact_dates",
    "ir_cron_assign_segments",
    "ir_cron_rescore_leads",
    "ir_cron_recompute_health",
    "ir_cron_anonymise_closed_accounts",
    "ir_cron_data_quality_checks",
    "ir_cron_schedule_account_reviews",
    "mail_activity_type_account_review",
    "helpdesk_ticket_channel_walk_in",
    "helpdesk_ticket_channel_portal",
    "helpdesk_ticket_stage_answered",
]


@openupgrade.migrate()
def migrate(env, version):
    openupgrade.set_xml_ids_noupdate_value(env, "crm_customer_care", NOUPDATE_XMLIDS, True)
