"""19.0.2.0.0: call campaigns and call effectiveness are addons of their own.

Campaigns (a plan run over a target list, its holdout and results, the
campaign's calls, the next-best product hits) moved to
``crm_callplan_campaign``; the call effectiveness analysis to
``crm_callplan_effectiveness``. A database of the earlier release keeps
every record and XML id: they move to the new addons, which install in the
same ``-u crm_callplan`` (crm_customer_care/split.py says how).
"""

from openupgradelib import openupgrade

from odoo.addons.crm_customer_care.split import move_to_new_addons

# crm_callplan's own definition of the recurring plan's key (crm_call.py)
PLAN_KEY = (
    "UNIQUE INDEX (partner_id, due_date) WHERE policy_id IS NOT NULL AND state != 'cancelled'"
)

# the addons split out of crm_callplan, one per line
NEW_ADDONS = [
    "crm_callplan_campaign",
    "crm_callplan_effectiveness",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_callplan", NEW_ADDONS)
    # The recurring plan's key leaves the campaigns' calls out only once
    # crm_callplan_campaign loads: crm_callplan alone would rebuild it
    # without that condition (and could fail on the campaigns' calls) before
    # the campaign addon rebuilds it as it was. Mark the index as holding
    # crm_callplan's definition, so that it is left as it is until then.
    cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'crm_call_plan_unique'")
    if cr.fetchone():
        openupgrade.logged_query(cr, "COMMENT ON INDEX crm_call_plan_unique IS %s", [PLAN_KEY])
