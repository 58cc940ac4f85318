"""19.0.4.0.0: the conversion of points into an eWallet is an addon of its own.

The program's *Convert Points To* and *eWallet Value per Point* (and the
rate's constraint), the redemption's eWallet credit (its kind, card and
amount), the portal form and its route moved to ``crm_loyalty_ewallet``,
which depends on crm_loyalty and installs with it (``auto_install``).
crm_loyalty keeps the redemption's *kind* (with its value *Reward*): the new
addon only adds its value *eWallet credit*. A database of the earlier
release keeps every record and XML id: they move to the new addon, which
installs in the same ``-u crm_loyalty`` (crm_customer_care/split.py says
how).
"""

from openupgradelib import openupgrade

from odoo.addons.crm_customer_care.split import move_to_new_addons

# the addons split out of crm_loyalty in this version, one per line
NEW_ADDONS = [
    "crm_loyalty_ewallet",
]

# what crm_loyalty still defines among the fields the new addon extends: the
# kind field and its first value stay crm_loyalty's
KEPT = ["field_crm_loyalty_redemption__kind", "selection__crm_loyalty_redemption__kind__reward"]


def migrate(cr, version):
    move_to_new_addons(cr, "crm_loyalty", NEW_ADDONS)
    openupgrade.logged_query(
        cr,
        "UPDATE ir_model_data SET module = 'crm_loyalty'"
        " WHERE module = 'crm_loyalty_ewallet' AND name = ANY(%s)",
        [KEPT],
    )
