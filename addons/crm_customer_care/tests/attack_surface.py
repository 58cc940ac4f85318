"""The surface the generated attack suites walk, and the one table of what
they leave out.

The suites (``test_attack_*.py``) enumerate what to attack from the registry
and the routing map, not from a list someone keeps: a model, field, method or
route added next month is attacked without anyone writing a test for it. What
a suite deliberately leaves out is listed in ``EXEMPTIONS`` below, one row per
item with the reason; each suite fails when it meets something that is
neither attacked nor exempted, and when an exemption names something that no
longer exists (a stale row hides nothing).
"""

import os

from lxml import etree

from odoo.modules.module import get_manifest
from odoo.modules.module import get_module_path

# The addon that holds this file: every addon of ours lives beside it.
_HOME = "crm_customer_care"


def our_modules(env):
    """Names of the installed addons of this project: those that live in the
    same addons directory as ``crm_customer_care`` (so an addon split off
    later is attacked too)."""
    home = os.path.dirname(get_module_path(_HOME))
    installed = env["ir.module.module"].sudo().search([("state", "=", "installed")])
    return {
        module.name
        for module in installed
        if (get_module_path(module.name, display_warning=False) or "").startswith(home + os.sep)
    }


def our_models(env, abstract=False, transient=True):
    """Models first defined by our addons, sorted by name."""
    modules = our_modules(env)
    models = []
    for name in sorted(env.registry):
        model = env[name]
        if model._original_module not in modules:
            continue
        if model._abstract and not abstract:
            continue
        if model._transient and not transient:
            continue
        models.append(model)
    return models


def our_fields(env):
    """``(model, field)`` for every field our addons add, on our models and on
    Odoo's (``field._module`` is the addon that declared it)."""
    modules = our_modules(env)
    for name in sorted(env.registry):
        model = env[name]
        if model._abstract:
            continue
        for field in model._fields.values():
            if field._module in modules:
                yield model, field


def check_exemptions(case, kind, seen):
    """Fail when an exemption of ``kind`` names nothing the suite saw: a stale
    row would hide whatever takes its name next. A row belongs to the addon
    it names (its value's first item): it is checked where that addon is
    installed, and an addon that is not ours (a typo, a renamed addon) fails
    here too."""
    installed, home = our_modules(case.env), os.path.dirname(get_module_path(_HOME))
    stale, unknown = [], []
    for key, (addon, _reason) in sorted(EXEMPTIONS[kind].items()):
        path = get_module_path(addon, display_warning=False) or ""
        if not path.startswith(home + os.sep):
            unknown.append(f"{key} ({addon})")
        elif addon in installed and key not in seen:
            stale.append(key)
    case.assertFalse(unknown, f"EXEMPTIONS[{kind!r}] names addons that are not ours: {unknown}")
    case.assertFalse(stale, f"EXEMPTIONS[{kind!r}] names what no longer exists: {stale}")


def unreadable_partner_fields(user):
    """The searchable fields of contacts ``user`` may not read and an
    administrator may, from the registry: the ID number and birth date when
    crm_customer_sensitive_data is installed, the profitability figures,
    Odoo's accounting figures; never a field of an addon that is not there."""
    Partner = user.env["res.partner"]
    admin, refused = Partner.with_user(user.env.ref("base.user_admin")), Partner.with_user(user)
    return {
        name: field
        for name, field in Partner._fields.items()
        if field.groups
        and (field.store or field.search)
        and field.type not in ("binary", "json", "properties", "properties_definition")
        and admin._has_field_access(field, "read")
        and not refused._has_field_access(field, "read")
    }


def probe(field, path=""):
    """A test of ``field`` on ``path``: prefix by prefix on text."""
    if field.type in ("char", "text"):
        return (path + field.name, "=like", "X%")
    return (path + field.name, "!=", False)


def declared_records(env, model):
    """``{"module.name": <record> node}``: each ``<record model="model">``
    our installed addons' data files declare (not their changes to Odoo's
    records; of ours, the first declaration), read from their sources: what
    a scan of the database must find, whichever addons are installed (a scan
    checked against what it did not produce can still fail)."""
    found, ours = {}, our_modules(env)
    for module in sorted(ours):
        path = get_module_path(module)
        for name in get_manifest(module)["data"]:
            if not name.endswith(".xml"):
                continue
            for node in etree.parse(f"{path}/{name}").iter("record"):
                prefix, _dot, xmlid = node.get("id").rpartition(".")
                if node.get("model") == model and (prefix or module) in ours:
                    found.setdefault(f"{prefix or module}.{xmlid}", node)
    return found


# One table: key = what is left out, value = (the addon that brings it, why).
# Each suite reads its own section; a row is checked where its addon is
# installed (check_exemptions); keep every reason to one line.
EXEMPTIONS = {
    # "model.field": why (test_attack_numbers.py)
    "numeric": {},
    # "/route/path": why (test_attack_routes.py)
    "routes": {},
    # "model.field": why (test_attack_domains.py)
    "domains": {},
    # "model": why (crm_customer_care_mass_mailing/tests/test_attack_mailing.py)
    "mailing_models": {},
    # "model.method": why (test_attack_methods.py)
    "public_methods": {
        "helpdesk.ticket.message_new": (
            "crm_customer_inquiry",
            "the mail gateway's entry (api.model, no record): creates as the caller",
        ),
        "report.crm_customer_care.analysis_xlsx.generate_xlsx_report": (
            "crm_customer_care",
            "report_xlsx's renderer (a workbook, no record): the report route reads as the user",
        ),
        "report.crm_customer_care.customer_review_xlsx.generate_xlsx_report": (
            "crm_customer_review",
            "report_xlsx's renderer (a workbook, no record): the report route reads as the user",
        ),
    },
    # "model.field": why the caller gives this workflow field when the record
    # is made (its create is not attacked; its write is) (test_attack_guarded.py)
    "guarded_fields": {
        "crm.loyalty.redemption.card_id": (
            "crm_loyalty",
            "the member's request: the card it spends from",
        ),
        "crm.loyalty.redemption.points": (
            "crm_loyalty",
            "the request's points (a reward's own), debited at once",
        ),
        "crm.loyalty.redemption.reward_id": ("crm_loyalty", "the reward the member requests"),
        "crm.loyalty.redemption.request_key": (
            "crm_loyalty",
            "the portal form's key: a request sent twice is one",
        ),
    },
    # "model.field": why (test_attack_foreign_fields.py: our fields on Odoo's models)
    "foreign_fields": {},
}
