"""Hong Kong identity data as the PCPD's Code of Practice on the Identity
Card Number and other Personal Identifiers asks:

- an HKID is collected only with a recorded purpose the Code allows
  (para. 2.3), and is checked on entry (format and check digit), so a typing
  error never becomes a second identity;
- it is shown masked (``A123XXX(X)``) to everyone without the Sensitive
  Data group, in every view and export (para. 3: no display where it is not
  needed), while its reads stay logged (``res_partner_sensitive.py``).
"""

import re

from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import ValidationError

from .res_partner_sensitive import SENSITIVE_GROUP

HKID_FORMAT = re.compile(r"^([A-Z]{1,2})([0-9]{6})\(?([0-9A])\)?$")


def hkid_normalise(value):
    """``"a 123456 (3)"`` -> ``"A123456(3)"``; anything else unchanged
    (it is refused by the check)."""
    compact = re.sub(r"\s", "", value or "").upper()
    match = HKID_FORMAT.match(compact)
    return f"{match[1]}{match[2]}({match[3]})" if match else value


def hkid_check_digit(letters, digits):
    """The check digit of an HKID: letters count 10 (A) to 35 (Z), a
    one-letter prefix is preceded by a space worth 36; weights 9 down to 2
    over the eight characters; the digit is 11 - (sum mod 11), 10 written A
    and 11 written 0. ``A123456`` -> ``"3"``."""
    values = [36] if len(letters) == 1 else []
    values += [ord(letter) - ord("A") + 10 for letter in letters]
    values += [int(digit) for digit in digits]
    total = sum(value * weight for value, weight in zip(values, range(9, 1, -1), strict=True))
    check = 11 - total % 11
    return {10: "A", 11: "0"}.get(check, str(check))


def hkid_is_valid(value):
    match = HKID_FORMAT.match(value or "")
    return bool(match) and hkid_check_digit(match[1], match[2]) == match[3]


def hkid_mask(value):
    """What people without the Sensitive Data group see: the prefix and the
    first three digits, as the PCPD's examples show (``A123XXX(X)``)."""
    match = HKID_FORMAT.match(value or "")
    if match:
        return f"{match[1]}{match[2][:3]}XXX(X)"
    return f"{value[:2]}{'X' * max(len(value) - 2, 0)}" if value else False


class ResPartner(models.Model):
    _inherit = "res.partner"

    ccare_id_type = fields.Selection(
        [("hkid", "Hong Kong Identity Card"), ("passport", "Passport"), ("other", "Other")],
        string="ID Type",
        groups=SENSITIVE_GROUP,
        copy=False,  # Duplicate reads copied fields as the user (and copies no identity)
        help="A Hong Kong Identity Card number is checked on entry (format and check digit). "
        "An ID number entered without a type is taken for an HKID.",
    )
    ccare_id_purpose = fields.Selection(
        [
            ("law", "Required by law (e.g. anti-money-laundering)"),
            ("identify", "To identify the customer where a mistake would cause real damage"),
            ("contract", "A contract or account that the customer holds"),
        ],
        string="ID Collected For",
        groups=SENSITIVE_GROUP,
        copy=False,
        help="Why the ID number was collected: the PCPD's Code of Practice allows it "
        "only for such a purpose, recorded when it is collected.",
    )
    ccare_id_number_masked = fields.Char(
        "ID Number (masked)",
        compute="_compute_ccare_id_number_masked",
        compute_sudo=True,
        help="The ID number as people without the Sensitive Data group see it: the prefix "
        "and the first three digits.",
    )

    @api.depends("ccare_id_number")
    def _compute_ccare_id_number_masked(self):
        for partner in self:
            partner.ccare_id_number_masked = hkid_mask(partner.ccare_id_number)

    # No default type: a default of a field restricted to a group would be
    # written, and refused, for every user who creates a contact.
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("ccare_id_number"):
                vals["ccare_id_number"] = hkid_normalise(vals["ccare_id_number"])
                vals.setdefault("ccare_id_type", "hkid")
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("ccare_id_number"):
            vals = dict(vals, ccare_id_number=hkid_normalise(vals["ccare_id_number"]))
            if "ccare_id_type" not in vals and not any(self.sudo().mapped("ccare_id_type")):
                vals["ccare_id_type"] = "hkid"
        return super().write(vals)

    @api.constrains("ccare_id_number", "ccare_id_type", "ccare_id_purpose")
    def _check_ccare_id_number(self):
        for partner in self.sudo().filtered("ccare_id_number"):
            if not partner.ccare_id_purpose:
                raise ValidationError(
                    self.env._(
                        "Record why the ID number of %(name)s is collected (ID Collected For): "
                        "the Code of Practice on the Identity Card Number allows it only for "
                        "a recorded purpose.",
                        name=partner.display_name,
                    )
                )
            if partner.ccare_id_type == "hkid" and not hkid_is_valid(partner.ccare_id_number):
                raise ValidationError(
                    self.env._(
                        "%(number)s is not a valid Hong Kong Identity Card number: one or two "
                        "letters, six digits and a check digit in brackets, e.g. A123456(3). "
                        "Check the number on the card.",
                        number=partner.ccare_id_number,
                    )
                )
