"""19.0.3.0.0: the portal's call back is a bridge of its own.

A call back asked for on ``/my/calls`` opens an inquiry (OCA helpdesk,
``crm_customer_inquiry``) and plans the call that answers it: that form,
its route, the call's *Inquiry* field and the report to the inquiry moved
to ``crm_callplan_inquiry`` (installed with both addons), so that call
plans run without helpdesk. A database of the earlier release keeps every
call's inquiry and XML id: they move to the bridge, which installs in the
same ``-u crm_callplan`` (crm_customer_care/split.py says how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_callplan in this version, one per line
NEW_ADDONS = [
    "crm_callplan_inquiry",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_callplan", NEW_ADDONS)
