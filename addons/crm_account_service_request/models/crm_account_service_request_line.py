from odoo import api
from odoo import fields
from odoo import models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError

# The customer fields a service request may change, and nothing else: the
# rest of a profile is computed or belongs to other processes.
CHANGEABLE_PARTNER_FIELDS = (
    "name",
    "street",
    "street2",
    "zip",
    "city",
    "state_id",
    "country_id",
    "email",
    "phone",
    "website",
    "function",
    "vat",
    "company_registry",
    "lang",
    "credit_limit",
    "property_payment_term_id",
    "property_product_pricelist",
    "comment",
)


class CrmAccountServiceRequestLine(models.Model):
    """One requested change: a customer field and its new value, checked
    against the field's type when the request is submitted."""

    _name = "crm.account.service.request.line"
    _description = "Account Service Request Change"

    request_id = fields.Many2one(
        "crm.account.service.request", required=True, ondelete="cascade", index=True
    )
    field_id = fields.Many2one(
        "ir.model.fields",
        "Field",
        required=True,
        ondelete="cascade",
        domain=[("model", "=", "res.partner"), ("name", "in", CHANGEABLE_PARTNER_FIELDS)],
    )
    company_id = fields.Many2one(related="request_id.company_id", store=True, index=True)
    new_value = fields.Char(required=True)
    old_value = fields.Char("Previous Value", readonly=True)

    # ------------------------------------------------------------ protection
    def _ccare_check_request_open(self, requests, vals=None):
        """Changes are part of what is approved: they may change only while
        their request is a draft; the previous value is the request's own
        record of what it replaced, written when it is carried out."""
        Request = self.env["crm.account.service.request"]
        if Request._ccare_in_transition():
            return
        if vals is not None and "old_value" in vals:
            Request._ccare_refuse({"state"})
        if any(request.state != "draft" for request in requests.sudo()):
            raise UserError(
                self.env._(
                    "The changes of a submitted account request cannot be altered: "
                    "reset it to draft or open a new request."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        requests = self.env["crm.account.service.request"].browse(
            {vals.get("request_id") for vals in vals_list if vals.get("request_id")}
        )
        self._ccare_check_request_open(requests, {k for vals in vals_list for k in vals})
        return super().create(vals_list)

    def write(self, vals):
        requests = self.request_id
        if "request_id" in vals:
            requests |= requests.browse(vals["request_id"])
        self._ccare_check_request_open(requests, vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        self._ccare_check_request_open(self.request_id)

    @api.constrains("field_id")
    def _check_field_allowed(self):
        for line in self.sudo():
            if (
                line.field_id.model != "res.partner"
                or line.field_id.name not in CHANGEABLE_PARTNER_FIELDS
            ):
                raise ValidationError(
                    self.env._(
                        "“%(field)s” cannot be changed by an account request.",
                        field=line.field_id.field_description,
                    )
                )

    def _check_new_value(self):
        self._partner_values()

    def _partner_values(self):
        """{field name: value to write} for all lines; a ValidationError
        names the field and the problem when a value does not fit."""
        Partner = self.env["res.partner"]
        values = {}
        for line in self.sudo():
            field = Partner._fields[line.field_id.name]
            raw = (line.new_value or "").strip()
            try:
                values[field.name] = line._convert(field, raw)
            except (ValueError, TypeError) as error:
                raise ValidationError(
                    self.env._(
                        "“%(field)s”: %(problem)s",
                        field=line.field_id.field_description,
                        problem=error,
                    )
                ) from error
        return values

    def _convert(self, field, raw):
        if field.type in ("char", "text", "html"):
            return raw or False
        if field.type == "boolean":
            if raw.lower() not in ("yes", "no", "true", "false", "1", "0"):
                raise ValueError(self.env._("“%s” is not yes or no", raw))
            return raw.lower() in ("yes", "true", "1")
        if field.type == "integer":
            return int(raw)
        if field.type in ("float", "monetary"):
            return float(raw.replace(",", "."))
        if field.type == "date":
            return fields.Date.to_date(raw)
        if field.type == "selection":
            options = dict(field._description_selection(self.env))
            for key, label in options.items():
                if raw in (key, label):
                    return key
            raise ValueError(
                self.env._(
                    "“%(value)s” is not one of %(options)s",
                    value=raw,
                    options=", ".join(options.values()),
                )
            )
        if field.type == "many2one":
            Comodel = self.env[field.comodel_name].sudo()
            domain = [("name", "=ilike", raw)]
            if "code" in Comodel._fields:
                domain = ["|", ("code", "=ilike", raw), *domain]
            match = Comodel.search(domain, limit=2)
            if len(match) != 1:
                raise ValueError(
                    self.env._(
                        "no single %(model)s named “%(value)s”",
                        model=Comodel._description,
                        value=raw,
                    )
                )
            return match.id
        raise ValueError(self.env._("this kind of field cannot be changed by a request"))

    def _display_value(self, value):
        if hasattr(value, "display_name"):
            return value.display_name or ""
        return "" if value is False else str(value)
