from odoo import fields
from odoo import models


class ResPartner(models.Model):
    """Contacts carry an optional Chinese name beside the English one, and
    the customer search matches either."""

    _inherit = "res.partner"

    ccare_name_zh = fields.Char(
        "Chinese Name",
        index="trigram",
        help="The contact's name in Chinese, beside the English one: the customer search and "
        "duplicate detection match either.",
    )

    _rec_names_search = [
        "complete_name",
        "email",
        "ref",
        "vat",
        "company_registry",
        "ccare_name_zh",
    ]
