"""A database of the last release upgrades to the working tree.

The release is the commit named in setup/release_sha: a ``git worktree`` of
it installs the three addons with demo data into a fresh database, then
``-u`` with the working tree's addons upgrades them. No row of our tables
may be lost, the log must be clean, and the upgraded database must pass a
smoke test: every menu's action opens (its views load, its model is
searched as the administrator) and every cron runs once.

Our tables are discovered, not listed: the tables of the models (and the
many2many tables of the fields) that our modules define, so the test keeps
working when models and fields are added.
"""

import ast
import json
import subprocess

import psycopg2
import pytest
from conftest import ADDON_NAMES
from conftest import INSTALL_TIMEOUT
from conftest import ROOT
from conftest import copy_db
from conftest import drop_db
from conftest import install_quietly
from conftest import log_problems
from conftest import run_odoo

# the release's three addons; since the split, the working tree has more
# (every addon of addons/ but the late bridges), which the upgrade installs
MODULES = "crm_customer_care,crm_callplan,crm_loyalty"
LATE_BRIDGES = {"crm_customer_care_mass_mailing"}
# XML ids of the release that later releases removed on purpose (their
# migrations say why): nothing of the split may join this list
REMOVED_ON_PURPOSE = {
    # 19.0.1.1.0/19.0.1.3.0: a call's satisfaction became a 1-5 integer, a
    # checklist score a choice (crm_callplan/migrations)
    "crm_callplan.constraint_crm_call_checklist_answer_score_range",
    *(f"crm_callplan.selection__crm_call__satisfaction__{n}" for n in range(1, 6)),
    # the Manager Dashboard's HTML tables became spreadsheet dashboard charts
    "crm_customer_care.field_crm_customer_review_dashboard__health_distribution_html",
    "crm_customer_care.field_crm_customer_review_dashboard__pipeline_by_grade_html",
    "crm_customer_care.field_crm_customer_review_dashboard__segment_revenue_html",
    # the Manager Dashboard became a launcher without figures of its own:
    # they live on the spreadsheet dashboards and the analyses (issue 26)
    *(
        f"{module}.field_crm_customer_review_dashboard__{name}"
        for module, names in (
            (
                "crm_customer_care",
                "currency_id open_pipeline open_opportunities customer_count average_health"
                " overdue_inquiries has_inquiries data_quality has_data_quality",
            ),
            ("crm_callplan", "calls_next_week calls_overdue plan_compliance"),
            (
                "crm_loyalty",
                "running_programmes programme_members programme_revenue_uplift programme_roi"
                " points_expiring",
            ),
        )
        for name in names.split()
    ),
    # a margin percentage without a cost of goods read 100 % (issue 26)
    "crm_loyalty.field_crm_relationship_programme__margin_percent",
}
# Tables whose demo rows the upgrade computes again: crm_customer_review's
# demo recomputes its review (a <function>) when the upgrade installs that
# addon, from the figures of the addons loaded by then (which depends on the
# manifests' dependencies: the data-quality line comes only after
# crm_customer_data_quality). They must keep rows, not their number.
RECOMPUTED_DEMO = {"crm_customer_review_line"}
WORKING_TREE = ",".join(
    sorted(
        path.parent.name
        for path in (ROOT / "addons").glob("*/__manifest__.py")
        if path.parent.name not in LATE_BRIDGES
    )
)


def _split_out():
    """The addons the release's addons were split into: the NEW_ADDONS
    lists of their migrations (an addon new since the release, not split
    out of one, is installed by choice, not by the upgrade)."""
    names = set(MODULES.split(","))
    for script in (ROOT / "addons").glob("*/migrations/*/pre-migrate.py"):
        for node in ast.walk(ast.parse(script.read_text())):
            if isinstance(node, ast.Assign) and any(
                getattr(target, "id", None) == "NEW_ADDONS" for target in node.targets
            ):
                names |= set(ast.literal_eval(node.value))
    return sorted(names)


SPLIT_OUT = _split_out()
RELEASE_SHA = (ROOT / "setup" / "release_sha").read_text().split()[0]

# Prints {table: rows} of our modules' tables, as JSON.
COUNT_ROWS = """
import json
from odoo.tools import SQL
ours = set("{MODULES}".split(","))
tables = set()
for name in env.registry:
    Model = env[name]
    if Model._abstract or Model._transient:
        continue
    if Model._original_module in ours and Model._auto:
        tables.add(Model._table)
    for field in Model._fields.values():
        if field.type == "many2many" and field.store and field._module in ours:
            tables.add(field.relation)
counts = {}
for table in sorted(tables):
    env.cr.execute(SQL("SELECT count(*) FROM %s", SQL.identifier(table)))
    counts[table] = env.cr.fetchone()[0]
print("COUNTS " + json.dumps(counts))
"""

# Prints our XML ids as JSON: [[module, name, model, res_id], ...].
XMLIDS = """
import json
env.cr.execute(
    "SELECT module, name, model, res_id FROM ir_model_data WHERE module = ANY(%s)",
    ["{MODULES}".split(",")],
)
print("XMLIDS " + json.dumps(env.cr.fetchall()))
"""

# Opens every menu's window action as the administrator (views loaded, the
# model searched with the action's domain and context), runs every cron of
# our modules once; prints the failures as JSON.
SMOKE = """
import json, traceback
from dateutil.relativedelta import relativedelta
from odoo.tools.safe_eval import datetime, safe_eval, time
ours = set("{MODULES}".split(","))
admin = env.ref("base.user_admin")
aenv = env(user=admin, context={"lang": "en_US", "tz": admin.tz})
failures, opened, ran = [], 0, 0
def evaluation(env):
    return {
        "uid": env.uid, "user": env.user, "time": time, "datetime": datetime,
        "relativedelta": relativedelta, "context_today": datetime.date.today,
        "allowed_company_ids": env.companies.ids, "active_id": False, "active_ids": [],
        "current_company_id": env.company.id,
    }
data = env["ir.model.data"].search([("module", "in", sorted(ours)), ("model", "=", "ir.ui.menu")])
for menu in env["ir.ui.menu"].browse(data.mapped("res_id")).exists():
    action = menu.action
    if not action or action._name != "ir.actions.act_window":
        continue
    try:
        with env.cr.savepoint():
            ctx = safe_eval(action.context or "{}", evaluation(aenv))
            Model = aenv[action.res_model].with_context(**ctx)
            views = [(v.view_id.id, v.view_mode) for v in action.view_ids]
            modes = {mode for _id, mode in views}
            for mode in action.view_mode.split(","):
                if mode not in modes:
                    own = action.view_id.type == mode and action.view_id.id
                    views.append((own or False, mode))
            Model.get_views(views + [(action.search_view_id.id, "search")])
            domain = safe_eval(action.domain or "[]", evaluation(aenv))
            Model.search_fetch(domain, ["display_name"], limit=80)
            opened += 1
    except Exception:
        failures.append((menu.complete_name, traceback.format_exc()[-1500:]))
data = env["ir.model.data"].search([("module", "in", sorted(ours)), ("model", "=", "ir.cron")])
for cron in env["ir.cron"].browse(data.mapped("res_id")).exists():
    try:
        cron.method_direct_trigger()
        ran += 1
    except Exception:
        failures.append((cron.name, traceback.format_exc()[-1500:]))
    env.cr.commit()
print("SMOKE " + json.dumps({"opened": opened, "ran": ran, "failures": failures}))
"""


def _query(db, sql, params=()):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(sql, params)
        return cr.fetchall()


def _git(*args):
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)


def _marked(output, marker):
    lines = [line for line in output.splitlines() if line.startswith(marker + " ")]
    assert lines, output[-3000:]
    return json.loads(lines[-1][len(marker) + 1 :])


@pytest.fixture
def release_addons(tmp_path):
    """The release's addons, from a git worktree of RELEASE_SHA."""
    if _git("cat-file", "-e", f"{RELEASE_SHA}^{{commit}}").returncode:
        pytest.fail(
            f"the release {RELEASE_SHA} (setup/release_sha) is not in this clone's history:"
            " fetch it (a shallow clone lacks it: git fetch --unshallow)"
        )
    tree = tmp_path / "release"
    added = _git("worktree", "add", "--detach", str(tree), RELEASE_SHA)
    assert added.returncode == 0, added.stderr
    try:
        yield tree / "addons"
    finally:
        _git("worktree", "remove", "--force", str(tree))
        _git("worktree", "prune")


def _forget_working_tree_addons(db):
    """The template was made with the working tree's addons on the path, so
    its module list knows them (uninstalled): a production database of the
    release never saw them. Forgotten here, or installing the release would
    auto-install the working tree's bridges that the release's path lacks."""
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(
            "DELETE FROM ir_model_data WHERE module = 'base' AND model = 'ir.module.module'"
            " AND name = ANY(%s)",
            ([f"module_{name}" for name in ADDON_NAMES],),
        )
        cr.execute(
            "DELETE FROM ir_module_module WHERE name = ANY(%s) AND state = 'uninstalled'",
            (ADDON_NAMES,),
        )


def test_release_upgrades_to_working_tree(odoo_bin, test_db, deps_template, release_addons):
    db = f"{test_db}_upgrade"
    # the third-party modules from the session's template (conftest): only
    # the release's own addons are installed here
    copy_db(deps_template, db)
    _forget_working_tree_addons(db)
    try:
        install_quietly(odoo_bin, db, MODULES, "--addons-path", str(release_addons))
        # rows and XML ids before, in one shell
        before_run = run_odoo(
            odoo_bin,
            "shell",
            "-d",
            db,
            "--addons-path",
            str(release_addons),
            "--no-http",
            stdin=(COUNT_ROWS + XMLIDS).replace("{MODULES}", MODULES),
        )
        before = _marked(before_run.stdout, "COUNTS")
        assert sum(before.values()) > 0, before
        xmlids_before = _marked(before_run.stdout, "XMLIDS")

        upgrade = run_odoo(
            odoo_bin,
            "server",
            "-d",
            db,
            "-u",
            MODULES,
            "--stop-after-init",
            "--no-http",
            "--workers",
            "0",
            "--max-cron-threads",
            "0",
            timeout=INSTALL_TIMEOUT,
        )
        assert upgrade.returncode == 0, upgrade.stderr[-3000:]
        assert not log_problems(upgrade.stderr), log_problems(upgrade.stderr)
        versions = dict(
            _query(
                db,
                "SELECT name, latest_version FROM ir_module_module"
                " WHERE name = ANY(%s) AND state = 'installed'",
                (SPLIT_OUT,),
            )
        )
        manifests = {
            name: ast.literal_eval((ROOT / "addons" / name / "__manifest__.py").read_text())[
                "version"
            ]
            for name in SPLIT_OUT
        }
        assert versions == manifests, "every addon split out is installed by the upgrade"

        # rows, XML ids and the smoke test after, in one shell (the smoke
        # test runs the crons: it comes last)
        after_run = run_odoo(
            odoo_bin,
            "shell",
            "-d",
            db,
            "--no-http",
            stdin=(COUNT_ROWS + XMLIDS + SMOKE).replace("{MODULES}", WORKING_TREE),
        )
        after = _marked(after_run.stdout, "COUNTS")
        lost = {
            t: (n, after.get(t))
            for t, n in before.items()
            if after.get(t, 0) < (min(n, 1) if t in RECOMPUTED_DEMO else n)
        }
        assert not lost, f"rows lost by the upgrade (before, after): {lost}"

        # every XML id of ours still names the same record, in whichever of
        # our addons holds it now, and none was made twice
        xmlids_after = _marked(after_run.stdout, "XMLIDS")
        now = {}
        for module, name, model, res_id in xmlids_after:
            now.setdefault((name, model), set()).add((module, res_id))
        moved = sum(
            1
            for module, name, model, _id in xmlids_before
            if (name, model) in now and module not in {m for m, _r in now[(name, model)]}
        )
        changed = {
            f"{module}.{name}": (model, res_id, sorted(now.get((name, model), ())))
            for module, name, model, res_id in xmlids_before
            if {r for _m, r in now.get((name, model), ())} != {res_id}
            and f"{module}.{name}" not in REMOVED_ON_PURPOSE
        }
        assert not changed, f"XML ids lost, moved to another record or doubled: {changed}"

        smoke_run = after_run
        smoke = _marked(smoke_run.stdout, "SMOKE")
        assert not smoke["failures"], "\n\n".join(f"{n}:\n{tb}" for n, tb in smoke["failures"])
        assert smoke["opened"] >= 20 and smoke["ran"] >= 10, smoke
        assert not log_problems(smoke_run.stderr), log_problems(smoke_run.stderr)
        print(
            f"upgrade: {len(before)} tables, {sum(before.values())} rows kept;"
            f" {len(xmlids_before)} XML ids kept, {moved} of them moved to a split addon; {smoke}"
        )
    finally:
        drop_db(db)
