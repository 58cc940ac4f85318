"""What the web client filters a window action on when it opens: its
``search_default_*`` filters, grouped as the search view groups them
(``web/static/src/search/search_arch_parser.js``): the filters of one group
are joined with OR, the groups with AND. A separator, a ``<group>``, a field
or a switch between filters and group-bys starts a new group."""

from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

from odoo.fields import Domain
from odoo.tools.safe_eval import datetime
from odoo.tools.safe_eval import safe_eval


def filter_groups(env, model, view_id=False):
    """``[[filter node, ...], ...]``: the filter groups of the search view."""
    arch = env[model].get_views([(view_id, "search")])["views"]["search"]["arch"]
    groups, current, tag = [], [], None

    def push(new_tag=None):
        nonlocal current, tag
        if current:
            groups.append(current)
        current, tag = [], new_tag

    def visit(node):
        nonlocal tag
        if node.tag == "group":
            push()
            for child in node:
                visit(child)
            push()
        elif node.tag in ("separator", "field"):
            push()
        elif node.tag == "filter":
            kind = "groupBy" if "group_by" in (node.get("context") or "") else "filter"
            if kind != tag:
                push(kind)
            current.append(node)
        else:
            for child in node:
                visit(child)

    visit(etree.fromstring(arch))
    push()
    return groups


def default_names(context):
    return {
        key[len("search_default_") :]
        for key, value in context.items()
        if key.startswith("search_default_") and value
    }


def default_domain(env, action):
    """The domain the action's default filters apply, as the web client
    combines them (the action's own domain aside)."""
    context = safe_eval(action.context or "{}", {"uid": env.uid})
    defaults = default_names(context)
    today = date.today()
    scope = {
        "uid": env.uid,
        "context_today": lambda: today,
        "relativedelta": relativedelta,
        "datetime": datetime,
    }
    result = Domain.TRUE
    for group in filter_groups(env, action.res_model, action.search_view_id.id):
        chosen = [node for node in group if node.get("name") in defaults and node.get("domain")]
        if chosen:
            result &= Domain.OR(Domain(safe_eval(node.get("domain"), scope)) for node in chosen)
    return result
