"""Rules that managers write (segment rules, qualification criteria) are
evaluated by the server as superuser, on every record. A rule could then
test a field its author may not read (a customer's ID number) and its
result (the segment, the score) would tell them the value. So a rule may
only test fields its author can read: checked when the rule is saved, as
the user who saves it."""

from odoo.exceptions import UserError
from odoo.fields import Domain

ANY_OPERATORS = {"any", "not any", "any!", "not any!"}


def check_rule_readable(model, domain, rule_name):
    """Raise a UserError if ``domain`` on ``model`` tests a field (at any
    step of a path, or inside ``any``) that the current user cannot read."""
    # constraints run as superuser: check as the user who saves the rule
    model = model.with_user(model.env.uid)
    for condition in Domain(domain).iter_conditions():
        _check_path(model, condition.field_expr, condition.operator, condition.value, rule_name)


def _check_path(model, field_expr, operator, value, rule_name):
    current = model
    for name in field_expr.split("."):
        field = current._fields.get(name)
        if field is None:
            return  # an unknown field is reported by Domain.validate()
        if not current._has_field_access(field, "read"):
            raise UserError(
                model.env._(
                    "Rule “%(rule)s” tests “%(field)s”, which you are not allowed to read: "
                    "a rule may only use the fields its author can see.",
                    rule=rule_name,
                    field=field._description_string(model.env),
                )
            )
        if field.relational:
            current = model.env[field.comodel_name]
    if operator in ANY_OPERATORS and isinstance(value, (Domain, list, tuple)):
        for condition in Domain(value).iter_conditions():
            _check_path(
                current, condition.field_expr, condition.operator, condition.value, rule_name
            )
