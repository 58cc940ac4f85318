"""Route parameters: read in one place, refused with a clear answer.

Every route of our controllers (and every Odoo route we override) declares
how it reads its parameters, under ``@http.route``::

    @http.route("/my/loyalty/<int:card_id>/ewallet", type="http", ...)
    @route_params(card_id=Id("loyalty.card"), points=Number(positive=True))
    def portal_my_loyalty_ewallet(self, card_id, points=None, **kw):

A value that does not parse answers 400 Bad Request (an id no record can
have: 404 Not Found), with a message naming the parameter, before the
endpoint runs: "nan", "inf", "abc", -1 or 10^12 never reach ``float()``,
``int()`` or PostgreSQL. A parameter left out (or empty) keeps the
endpoint's default. The declaration stays on the endpoint
(``ccare_params``), where ``tests/test_attack_routes.py`` reads it.
"""

import functools
import math

from werkzeug.exceptions import BadRequest
from werkzeug.exceptions import NotFound

from odoo import fields
from odoo.http import request

from ..models.base_finite_numbers import INT4_MAX
from ..models.base_finite_numbers import MAX_MAGNITUDE


class Param:
    """Free text, cut to ``max_length`` characters."""

    kind = "text"
    required = False

    def __init__(self, max_length=256, required=False):
        self.max_length, self.required = max_length, required

    def parse(self, name, value):
        return str(value)[: self.max_length]

    @staticmethod
    def refuse(name, value, why, exception=BadRequest):
        raise exception(
            request.env._(
                "The parameter “%(name)s” is invalid (%(value)s): %(why)s",
                name=name,
                value=str(value)[:40],
                why=why,
            )
        )


Text = Param


class Id(Param):
    """A record id (of ``model``): digits, from 1 to PostgreSQL's int4."""

    kind = "id"

    def __init__(self, model=None, required=False):
        self.model, self.required = model, required

    def parse(self, name, value):
        text = str(value).strip()
        if not text.isdigit():
            self.refuse(name, value, request.env._("not a record id"))
        number = int(text)
        if not 0 < number <= INT4_MAX:
            self.refuse(name, value, request.env._("no such record"), NotFound)
        return number


class Ids(Id):
    """A list of record ids (of ``model``), as JSON-RPC sends it."""

    kind = "ids"

    def parse(self, name, value):
        if not isinstance(value, list):
            self.refuse(name, value, request.env._("not a list of record ids"))
        return [super(Ids, self).parse(name, item) for item in value]


class Number(Param):
    """A finite number, within [``minimum``, ``maximum``] (above 0 when
    ``positive``)."""

    kind = "number"

    def __init__(
        self, minimum=-MAX_MAGNITUDE, maximum=MAX_MAGNITUDE, positive=False, required=False
    ):
        self.minimum, self.maximum, self.positive = minimum, maximum, positive
        self.required = required

    def parse(self, name, value):
        try:
            number = float(str(value).strip())
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            self.refuse(name, value, request.env._("not a number"))
        if not self.minimum <= number <= self.maximum or (self.positive and number <= 0):
            self.refuse(name, value, request.env._("out of range"))
        return number


class Choice(Param):
    """One of ``values`` (the ones the page offers)."""

    kind = "choice"

    def __init__(self, values, required=False):
        self.values, self.required = tuple(values), required

    def parse(self, name, value):
        if value not in self.values:
            self.refuse(name, value, request.env._("not one of the choices offered"))
        return value


class Date(Param):
    """A date, YYYY-MM-DD."""

    kind = "date"

    def __init__(self, required=False):
        self.required = required

    def parse(self, name, value):
        try:
            return fields.Date.to_date(str(value).strip())
        except ValueError:
            self.refuse(name, value, request.env._("not a date (YYYY-MM-DD)"))


class Names(Param):
    """A list of short names (a JSON-RPC list of strings)."""

    kind = "names"

    def __init__(self, required=False):
        self.required = required

    def parse(self, name, value):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.refuse(name, value, request.env._("not a list of names"))
        return value


def parse_params(spec, values):
    """``values`` with each parameter of ``spec`` parsed (a missing or empty
    one left out, so that the endpoint's default holds)."""
    parsed = dict(values)
    for name, param in spec.items():
        value = parsed.pop(name, None)
        if value is None or value == "":
            if param.required:
                param.refuse(name, "", request.env._("it is required"))
            if value == "" and param.kind == "text":
                parsed[name] = value
            continue
        parsed[name] = param.parse(name, value)
    return parsed


def route_params(**spec):
    """Decorate an endpoint (under ``@http.route``): parse its parameters
    with ``spec`` (name -> ``Param``) before it runs."""

    def decorator(endpoint):
        @functools.wraps(endpoint)
        def wrapper(self, *args, **kwargs):
            return endpoint(self, *args, **parse_params(spec, kwargs))

        wrapper.ccare_params = spec
        return wrapper

    return decorator
