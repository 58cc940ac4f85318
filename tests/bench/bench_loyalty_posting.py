"""Idempotent posting of loyalty points: every credit and debit is a row of
``crm.loyalty.posting`` whose key the database keeps unique per card.

Two passes in one run:
- ``--postings`` order confirmations (default 100,000) posted as
  sale_loyalty's confirmation posts them (``crm.loyalty.posting._loyalty_post``,
  one key per order, card and cycle, in chunks), then the same confirmations
  again: the second pass must write 0 rows;
- ``--orders`` real sales orders (default 100) confirmed through the ORM,
  put back to draft by a write and confirmed again: the second pass must
  write 0 postings, 0 lots and 0 statement lines, and the balances stay.

    .venv/bin/python tests/bench/bench_loyalty_posting.py --db <db> [--postings 100000]
"""

from _common import odoo_env
from _common import parse_args
from _common import report
from _common import timer


def count(cr, table):
    cr.execute(f"SELECT count(*) FROM {table}")
    return cr.fetchone()[0]


def main():
    args = parse_args(__doc__, postings=100_000, members=20_000, orders=100, chunk=10_000)
    with odoo_env(args.db) as env:
        cr = env.cr
        program = env["loyalty.program"].create(
            {
                "name": "Bench Posting Club",
                "program_type": "loyalty",
                "trigger": "auto",
                "applies_on": "both",
                "rule_ids": [(0, 0, {"reward_point_mode": "order", "reward_point_amount": 100})],
            }
        )
        env.flush_all()
        names = [f"Bench poster {i}" for i in range(args.members)]
        cr.execute(
            "INSERT INTO res_partner (name, complete_name, active, autopost_bills, type)"
            " SELECT n, n, true, 'ask', 'contact' FROM unnest(%s::varchar[]) AS n RETURNING id",
            [names],
        )
        partner_ids = [row[0] for row in cr.fetchall()]
        cr.execute(
            "INSERT INTO loyalty_card (program_id, company_id, partner_id, code, points, active)"
            " SELECT %s, %s, p, 'bpost-' || p, 0, true FROM unnest(%s::int[]) AS p RETURNING id",
            [program.id, program.company_id.id, partner_ids],
        )
        card_ids = sorted(row[0] for row in cr.fetchall())
        Posting = env["crm.loyalty.posting"]
        rows = [
            {
                "card_id": card_ids[i % len(card_ids)],
                "event": "sale",
                "source": "sale",
                "issued": 100.0,
                "description": f"Order B{i}",
                "res_model": "sale.order",
                "res_id": 10_000_000 + i,
                "key": f"sale:sale.order,{10_000_000 + i}:0",
            }
            for i in range(args.postings)
        ]
        times, written = {}, {}
        for label in ("first", "second"):
            before = count(cr, "crm_loyalty_posting")
            accepted = 0
            with timer(times, label):
                for start in range(0, len(rows), args.chunk):
                    accepted += len(Posting._loyalty_post(rows[start : start + args.chunk]))
            written[label] = (count(cr, "crm_loyalty_posting") - before, accepted)

        # real orders through sale_loyalty, confirmed twice
        product = env["product.product"].create({"name": "Bench room", "list_price": 100})
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": partner_ids[i],
                    "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": 1})],
                }
                for i in range(args.orders)
            ]
        )
        for order in orders:
            order._update_programs_and_rewards()
        tables = ("crm_loyalty_posting", "crm_loyalty_points_lot", "loyalty_history")
        orm = {}
        for label in ("first", "second"):
            env.flush_all()
            before = {table: count(cr, table) for table in tables}
            with timer(times, f"orm_{label}"):
                if label == "second":
                    orders.write({"state": "draft"})
                orders.action_confirm()
                env.flush_all()
            orm[label] = {table: count(cr, table) - before[table] for table in tables}
        cr.execute(
            "SELECT coalesce(sum(points), 0) FROM loyalty_card WHERE partner_id = ANY(%s)",
            [partner_ids[: args.orders]],
        )
        balance = cr.fetchone()[0]

        report(
            f"Posting {args.postings:,} order confirmations on {len(card_ids):,} cards, twice",
            [
                ("first pass: rows written / accepted", "%s / %s" % written["first"]),
                ("second pass: rows written / accepted", "%s / %s (target 0)" % written["second"]),
                (f"first pass (chunks of {args.chunk:,})", f"{times['first']:.2f} s"),
                ("second pass", f"{times['second']:.2f} s"),
                (f"{args.orders} real orders confirmed, rows", str(orm["first"])),
                ("put back to draft and confirmed again, rows", f"{orm['second']} (target 0)"),
                ("their balances (100 points each)", f"{balance:g} (expected {100 * args.orders})"),
                (
                    "ORM confirmations, first / second",
                    f"{times['orm_first']:.2f} s / {times['orm_second']:.2f} s",
                ),
            ],
        )


if __name__ == "__main__":
    main()
