"""Benchmark the Customer Care import against Odoo's own base_import.

Generates a CSV of ``--rows`` customers (20,000 by default), creates
``--existing`` partners (20,000) that a third of the rows match by email and
another third by phone, then times, on the same file and from the same
starting point:

- ``crm.customer.import``: parsing, validation, set-based matching on email,
  E.164 phone and tax ID, creating the new partners, updating the matched
  ones and storing the report;
- ``base_import.import.execute_import`` (``dryrun=False``): Odoo's import of
  the same columns into ``res.partner``, without any matching (every row
  becomes a new partner).

Everything runs in one transaction that is rolled back at the end: the
database is left as it was.

Usage, from the project root, against an installed database::

    .venv/bin/python tests/bench/bench_customer_import.py --db ccare_demo
"""

import argparse
import logging
import time

HEADER = ["Name", "Email", "Phone", "Country", "Tax ID", "City"]


def make_rows(count):
    """Rows of the file: 1/3 match an existing partner by email, 1/3 by
    phone, the rest are new; one row in 50 has a bad email."""
    rows = []
    for i in range(count):
        phone = f"+32 470 {i // 10000:02d} {i // 100 % 100:02d} {i % 100:02d}"
        if i % 3 == 0:
            row = [f"Bench Person {i}", f"bench{i}@example.com", "", "BE", "", "Ghent"]
        elif i % 3 == 1:
            row = [f"Bench Person {i}", "", phone, "BE", "", "Antwerp"]
        else:
            row = [
                f"New Person {i}",
                f"new{i}@example.org",
                phone.replace("470", "471"),
                "FR",
                "",
                "Lille",
            ]
        if i % 50 == 7:
            row[1] = f"broken{i}@"
        rows.append(row)
    return rows


def to_csv(rows):
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return output.getvalue().encode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database with crm_customer_care installed")
    parser.add_argument("--rows", type=int, default=20000, help="rows in the file")
    parser.add_argument("--existing", type=int, default=20000, help="partners to match against")
    parser.add_argument("--config", default="odoo.conf")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415
    from odoo import api  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    config.parse_config(["-c", args.config, "-d", args.db, "--log-level=warn"])
    logging.getLogger("odoo").setLevel(logging.WARNING)
    registry = Registry(args.db)
    content = to_csv(make_rows(args.rows))
    print(f"file: {args.rows} rows, {len(content) / 1e6:.1f} MB")

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        belgium = env.ref("base.be")
        started = time.perf_counter()
        Partner = env["res.partner"].with_context(mail_create_nolog=True)
        for start in range(0, args.existing, 2000):
            Partner.create(
                [
                    {
                        "name": f"Bench Person {i}",
                        "email": f"bench{i}@example.com",
                        "phone": f"+32 470 {i // 10000:02d} {i // 100 % 100:02d} {i % 100:02d}",
                        "country_id": belgium.id,
                    }
                    for i in range(start, min(start + 2000, args.existing))
                ]
            )
        env.flush_all()
        print(f"setup: {args.existing} existing partners in {time.perf_counter() - started:.1f}s")
        source = env["utm.source"].create({"name": "Benchmark"})

        # ours: parse, match, write, report
        savepoint = cr.savepoint()
        partners_before = env["res.partner"].search_count([])
        started = time.perf_counter()
        Import = env["crm.customer.import"]
        report = Import.create({"source_id": source.id, "file_name": "bench.csv"})
        headers, rows = Import._read_import_file(content, "bench.csv")
        mapping = {0: "name", 1: "email", 2: "phone", 3: "country", 4: "vat", 5: "city"}
        report._run(headers, rows, mapping, dry_run=False)
        env.flush_all()
        ours = time.perf_counter() - started
        created = env["res.partner"].search_count([]) - partners_before
        print(
            f"crm.customer.import: {ours:.1f}s  state={report.state} "
            f"created={report.created_count} matched={report.matched_count} "
            f"duplicates={report.duplicate_count} rejected={report.rejected_count} "
            f"(partners +{created})"
        )
        savepoint.close(rollback=True)
        env.invalidate_all()

        # Odoo's base_import, same file, no matching
        savepoint = cr.savepoint()
        partners_before = env["res.partner"].search_count([])
        started = time.perf_counter()
        importer = env["base_import.import"].create(
            {
                "res_model": "res.partner",
                "file": content,
                "file_name": "bench.csv",
                "file_type": "text/csv",
            }
        )
        result = importer.execute_import(
            ["name", "email", "phone", "country_id", "vat", "city"],
            HEADER,
            {
                "quoting": '"',
                "separator": ",",
                "encoding": "utf-8",
                "has_headers": True,
                "date_format": "",
                "datetime_format": "",
                "float_thousand_separator": ",",
                "float_decimal_separator": ".",
            },
            dryrun=False,
        )
        env.flush_all()
        theirs = time.perf_counter() - started
        errors = [m for m in result.get("messages", []) if m.get("type") == "error"]
        created = env["res.partner"].search_count([]) - partners_before
        print(
            f"base_import.execute_import: {theirs:.1f}s  ids={len(result.get('ids') or [])} "
            f"errors={len(errors)} (partners +{created})"
        )
        savepoint.close(rollback=True)

        print(f"ratio crm.customer.import / base_import: {ours / theirs:.2f}")
        cr.rollback()


if __name__ == "__main__":
    main()
