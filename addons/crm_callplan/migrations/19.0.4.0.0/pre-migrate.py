"""19.0.4.0.0: call plans without customer reviews and buying habits.

crm_callplan used them for two records only: the Call Plans buttons of the
Manager Dashboard (a view inheriting ``crm_customer_review``'s form) moved
to ``crm_callplan_review``, the rule that hides RFM classes from outsourced
agents (a model of ``crm_customer_buying_habits``) to
``crm_callplan_buying_habits``; each is installed with both of its addons.
A database of the earlier release has both addons installed: the view and
the rule keep their records and move their XML ids to the bridges, which
install in the same ``-u crm_callplan`` (crm_customer_care/split.py says
how).
"""

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_callplan in this version, one per line
NEW_ADDONS = [
    "crm_callplan_review",
    "crm_callplan_buying_habits",
]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_callplan", NEW_ADDONS)
