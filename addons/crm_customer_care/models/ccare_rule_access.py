"""User-written filters: one way to read them, one check of their author.

Managers write filters (segment rules, qualification criteria, target
lists, data-quality rules) that the server evaluates as superuser, on every
record. A filter could then test a field its author may not read (a
customer's ID number) and its result (the segment, the score, a count)
would tell them the value, prefix by prefix. So:

- ``parse_filter`` is the one way a stored filter is read: a Python literal
  (no names, no calls: ``safe_eval`` would run expressions), made a
  ``Domain`` and validated on its model; anything else is the author's
  error, reported as such;
- ``check_rule_readable`` is the one author check: a filter may only test
  fields (at every step of a path, inside ``any``) and models its author can
  read. It runs as the user who saves the filter or makes the server use it
  (``crm.customer.care.filter.mixin``); evaluating a filter as superuser is
  allowed only after it.
"""

import ast

from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError
from odoo.fields import Domain

ANY_OPERATORS = {"any", "not any", "any!", "not any!"}
# what a malformed literal or domain raises while it is read and validated
PARSE_ERRORS = (ValueError, SyntaxError, TypeError, KeyError, RecursionError, MemoryError)


def parse_filter(model, text, what):
    """The filter ``text`` as a validated ``Domain`` on ``model``; a
    ValidationError naming ``what`` (e.g. “Rule of segment X”) otherwise."""
    try:
        domain = Domain(ast.literal_eval((text or "").strip() or "[]"))
        # the structure only: who may read what is check_rule_readable's
        domain.validate(model.sudo())
    except (*PARSE_ERRORS, UserError) as error:
        if isinstance(error, AccessError):
            raise
        raise ValidationError(
            model.env._(
                "%(what)s is not a valid filter on %(model)s records: %(error)s",
                what=what,
                model=model._description,
                error=error,
            )
        ) from error
    return domain


def check_rule_readable(model, domain, rule_name):
    """Raise a UserError if ``domain`` on ``model`` tests a field (at any
    step of a path, or inside ``any``) or a model that the current user
    cannot read."""
    # constraints run as superuser: check as the user who saves the rule
    model = model.with_user(model.env.uid)
    if model.env.user._is_superuser():
        return  # the server itself (data files, OdooBot): no RPC user is it
    _check_model(model, rule_name)
    for condition in Domain(domain).iter_conditions():
        _check_path(model, condition.field_expr, condition.operator, condition.value, rule_name)


def _refuse(model, rule_name, what):
    raise UserError(
        model.env._(
            "Rule “%(rule)s” tests “%(field)s”, which you are not allowed to read: "
            "a rule may only use the fields its author can see.",
            rule=rule_name,
            field=what,
        )
    )


def _check_model(model, rule_name):
    if not model.browse().has_access("read"):
        _refuse(model, rule_name, model._description)


def _check_path(model, field_expr, operator, value, rule_name):
    current = model
    for name in field_expr.split("."):
        field = current._fields.get(name)
        if field is None:
            return  # an unknown field is reported by Domain.validate()
        if not current._has_field_access(field, "read"):
            _refuse(model, rule_name, field._description_string(model.env))
        if field.relational:
            current = model.env[field.comodel_name]
            _check_model(current, rule_name)
    if operator in ANY_OPERATORS and isinstance(value, (Domain, list, tuple)):
        for condition in Domain(value).iter_conditions():
            _check_path(
                current, condition.field_expr, condition.operator, condition.value, rule_name
            )
