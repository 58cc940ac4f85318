import logging

import psycopg2

from odoo.addons.crm_callplan.models.crm_call import CrmCall
from odoo.addons.crm_callplan.models.crm_call import plan_key_definition
from odoo.tools import sql

_logger = logging.getLogger(__name__)


def uninstall_hook(env):
    """While this addon is installed, the recurring plan's key
    (``crm.call``'s ``_plan_unique``) leaves the campaigns' calls out by
    their ``target_list_id``; dropping that column would drop the index.
    Put crm_callplan's own definition back first."""
    definition = plan_key_definition(CrmCall._callplan_recurring_where)
    try:
        with env.cr.savepoint():
            sql.drop_index(env.cr, "crm_call_plan_unique", "crm_call")
            sql.add_index(
                env.cr,
                "crm_call_plan_unique",
                "crm_call",
                definition,
                unique=True,
                comment=f"UNIQUE INDEX {definition}",
            )
    except psycopg2.IntegrityError:  # a campaign's call shares a due date with the plan's
        _logger.warning("The recurring plan's key could not be restored: %s", definition)
