"""Moving an addon's records to the addons split out of it, in one upgrade.

Called from the pre-migration of the addon that is split (crm_customer_care,
crm_callplan, crm_loyalty): ``-u`` of that addon alone brings the new
addons in. Before the old addon's new code loads, for each new addon:

- the XML ids of the models it now defines, their fields, constraints and
  records (``openupgrade.update_module_moved_models``), of the fields it
  adds to other models (``update_module_moved_fields``) and of their
  selection values, move to it;
- the XML ids its data and demo files declare (records, menus, templates,
  access rules), still held by the old addon, are renamed to it
  (``openupgrade.rename_xmlids``), so the install updates the same records
  instead of creating new ones and the end-of-upgrade cleanup deletes
  nothing;
- it is marked *to install*: Odoo installs it in the same run, after the
  old addon.

What a new addon holds is read from its own files (the models and fields
its Python declares, the ids its data files declare), so a later split
needs one line in a migration, not a list of records.
"""

import ast
import csv
import logging
from pathlib import Path

from lxml import etree
from openupgradelib import openupgrade

from odoo.modules.module import get_manifest
from odoo.modules.module import get_module_path

_logger = logging.getLogger(__name__)

XML_TAGS = ("record", "menuitem", "template", "report", "act_window")
# the SQL objects a model declares (models.Index...), named <table>_<name>
SQL_OBJECTS = ("Constraint", "Index", "UniqueIndex")


def _string(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _class_models(body):
    """(model, is_new, field names, SQL object names) of one class body."""
    name = inherit = None
    fields, objects = [], []
    for stmt in body:
        if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
            continue
        target = stmt.targets[0]
        if not isinstance(target, ast.Name):
            continue
        if target.id == "_name":
            name = _string(stmt.value)
        elif target.id == "_inherit":
            value = stmt.value
            if isinstance(value, ast.List | ast.Tuple) and len(value.elts) == 1:
                value = value.elts[0]
            inherit = _string(value)
        elif (
            isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute)
            and isinstance(stmt.value.func.value, ast.Name)
            and stmt.value.func.value.id == "fields"
        ):
            fields.append(target.id)
        elif (
            isinstance(stmt.value, ast.Call)
            and isinstance(stmt.value.func, ast.Attribute)
            and isinstance(stmt.value.func.value, ast.Name)
            and stmt.value.func.value.id == "models"
            and stmt.value.func.attr in SQL_OBJECTS
        ):
            objects.append(target.id[1:])
    if name:
        return name, True, fields, objects
    if inherit:
        return inherit, False, fields, objects
    return None


def python_definitions(path):
    """The models an addon's Python defines ({name}), the fields it adds to
    models of other addons ({model: [field]}) and the SQL objects (indexes,
    constraints) it adds to them ({model: [name]})."""
    new_models, added, objects = set(), {}, {}
    for source in Path(path).rglob("*.py"):
        if "tests" in source.relative_to(path).parts or "migrations" in source.parts:
            continue
        for node in ast.walk(ast.parse(source.read_text())):
            if not isinstance(node, ast.ClassDef):
                continue
            found = _class_models(node.body)
            if not found:
                continue
            model, is_new, fields, sql_objects = found
            if is_new:
                new_models.add(model)
                continue
            if fields:
                added.setdefault(model, []).extend(fields)
            if sql_objects:
                objects.setdefault(model, []).extend(sql_objects)
    return new_models, added, objects


def declared_ids(module):
    """The XML ids (without module) that an addon's data and demo files
    declare for itself."""
    path = Path(get_module_path(module))
    manifest = get_manifest(module)
    ids = set()
    for rel in [*manifest.get("data", []), *manifest.get("demo", [])]:
        file = path / rel
        if file.suffix == ".xml":
            for node in etree.parse(str(file)).iter(*XML_TAGS):
                if node.get("id"):
                    ids.add(node.get("id"))
        elif file.suffix == ".csv":
            with file.open(newline="") as handle:
                ids.update(row["id"] for row in csv.DictReader(handle) if row.get("id"))
    own = set()
    for xmlid in ids:
        prefix, _dot, name = xmlid.rpartition(".")
        if prefix in ("", module):
            own.add(name)
    return own


def move_to_new_addons(cr, old_module, new_modules):
    """Move to each of ``new_modules`` what it now holds of ``old_module``
    and mark it to install (see the module docstring)."""
    cr.execute(
        "SELECT 1 FROM ir_module_module WHERE name = %s AND state <> 'uninstalled'", [old_module]
    )
    if not cr.fetchone():
        return
    for new in new_modules:
        path = get_module_path(new, display_warning=False)
        if not path:
            _logger.warning(
                "%s: the addon %s split out of it is not on the addons path", old_module, new
            )
            continue
        new_models, added, objects = python_definitions(path)
        for model in sorted(new_models):
            openupgrade.update_module_moved_models(cr, model, old_module, new)
            # its constraints' XML ids too (openupgradelib moves the
            # ir_model_constraint rows only): the end-of-upgrade cleanup
            # would otherwise drop the constraints from the table
            openupgrade.logged_query(
                cr,
                """
                UPDATE ir_model_data d SET module = %(new)s
                  FROM ir_model_constraint c
                  JOIN ir_model m ON m.id = c.model
                 WHERE d.model = 'ir.model.constraint' AND d.res_id = c.id
                   AND d.module = %(old)s AND m.model = %(model)s
                """,
                {"new": new, "old": old_module, "model": model},
            )
        for model, names in sorted(added.items()):
            openupgrade.update_module_moved_fields(cr, model, sorted(set(names)), old_module, new)
            openupgrade.logged_query(
                cr,
                """
                UPDATE ir_model_data d SET module = %(new)s
                  FROM ir_model_fields_selection s
                  JOIN ir_model_fields f ON f.id = s.field_id
                 WHERE d.model = 'ir.model.fields.selection' AND d.res_id = s.id
                   AND d.module = %(old)s AND f.model = %(model)s AND f.name IN %(names)s
                """,
                {"new": new, "old": old_module, "model": model, "names": tuple(names)},
            )
        _move_sql_objects(cr, objects, old_module, new)
        # a cron's server action has the XML id <cron>_ir_actions_server
        names = declared_ids(new)
        names |= {f"{name}_ir_actions_server" for name in names}
        cr.execute(
            "SELECT name FROM ir_model_data WHERE module = %s AND name = ANY(%s)",
            [old_module, sorted(names)],
        )
        openupgrade.rename_xmlids(
            cr, [(f"{old_module}.{name}", f"{new}.{name}") for (name,) in cr.fetchall()]
        )
        openupgrade.logged_query(
            cr,
            "UPDATE ir_module_module SET state = 'to install'"
            " WHERE name = %s AND state = 'uninstalled'",
            [new],
        )
    _empty_inherited_views(cr, old_module)


def _move_sql_objects(cr, objects, old_module, new):
    """The indexes and constraints ``new`` declares on models of other
    addons: their ir.model.constraint rows and XML ids move to it (else the
    cleanup drops them as the old addon's and the new one makes them anew)."""
    for model, names in sorted(objects.items()):
        full = [f"{model.replace('.', '_')}_{name}" for name in names]
        openupgrade.logged_query(
            cr,
            """
            UPDATE ir_model_constraint c SET module = new.id
              FROM ir_module_module old, ir_module_module new
             WHERE old.name = %(old)s AND new.name = %(new)s
               AND c.module = old.id AND c.name IN %(full)s
            """,
            {"old": old_module, "new": new, "full": tuple(full)},
        )
        openupgrade.logged_query(
            cr,
            """
            UPDATE ir_model_data SET module = %(new)s
             WHERE module = %(old)s AND model = 'ir.model.constraint' AND name IN %(ids)s
            """,
            {"old": old_module, "new": new, "ids": tuple(f"constraint_{n}" for n in full)},
        )


def _empty_inherited_views(cr, old_module):
    """The old addon's own inherited views get an empty arch until its files
    reload them. While the old addon's new files load, a parent view is
    validated with the children still in the database: their old archs may
    show a field that a new addon defines now (its Python is not loaded
    yet) or point into a group that moved. The reload writes each arch back
    (the .po files its translations); the views the new addons took are not
    the old addon's any more and load with them."""
    openupgrade.logged_query(
        cr,
        """
        UPDATE ir_ui_view v SET arch_db = jsonb_build_object('en_US', '<data/>')
          FROM ir_model_data d
         WHERE d.model = 'ir.ui.view' AND d.res_id = v.id AND d.module = %s
           AND NOT d.noupdate AND v.inherit_id IS NOT NULL
        """,
        [old_module],
    )
