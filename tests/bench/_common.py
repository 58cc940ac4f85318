"""Shared by the benchmarks: open an Odoo environment on an installed
database, inside a transaction that is rolled back at the end, and time
things.

    .venv/bin/python tests/bench/<bench>.py --db <database with the addons>
"""

import argparse
import contextlib
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def parse_args(description, **defaults):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", required=True, help="database with the addons installed")
    for name, default in defaults.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=type(default), default=default)
    return parser.parse_args()


@contextlib.contextmanager
def odoo_env(db):
    """An environment as superuser; everything is rolled back afterwards."""
    import odoo  # noqa: PLC0415 (the benchmarks run inside the project's venv)
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", str(ROOT / "odoo.conf"), "-d", db, "--log-level", "warn"])
    registry = Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        try:
            yield env
        finally:
            cr.rollback()


@contextlib.contextmanager
def timer(results, name):
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start


def report(title, rows):
    print(f"\n{title}")
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")


def rows_written(cr):
    """Rows this transaction has inserted, updated or deleted so far, over
    every table (PostgreSQL's own per-transaction counters): the difference
    around a step is what it wrote, whichever way it wrote it."""
    cr.execute(
        "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint"
        " FROM pg_stat_xact_user_tables"
    )
    return cr.fetchone()[0]
