"""19.0.1.1.0: the default RFM class "At Risk" is "Need Attention".

"At Risk" is the customer's lifecycle stage (Customer Care), one definition
shown on every screen; the RFM class of the same name (recency in the
bottom two fifths, frequent buyers) called customers "At Risk" whose stage
was "Active". The class data is ``noupdate``: renamed here, unless the
company renamed it already.
"""

from odoo import SUPERUSER_ID
from odoo import api

OLD = "At Risk"
NAME = "Need Attention"
DESCRIPTION = (
    "Used to buy often, less lately than most customers. "
    "Whether the customer is at risk is its lifecycle stage."
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {"lang": "en_US"})
    rfm_class = env.ref("crm_customer_buying_habits.rfm_class_at_risk", raise_if_not_found=False)
    if rfm_class and rfm_class.name == OLD:
        rfm_class.write({"name": NAME, "description": DESCRIPTION})
