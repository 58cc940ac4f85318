"""Installation of the addon: the buying-habits demo story.

Demo, on the demo companies of the current company:

- Key Accounts (Acme Corporation, Azure Interior) spend over 90% on Safety
  Equipment (helmets, gloves, goggles) where the others buy office
  supplies: the affinity pivot (segment share per category) shows it, and
  a customer that buys a few helmets among office buyers has an index above
  1 in its segment;
- every customer that buys Safety Goggles buys Work Gloves (the two Key
  Accounts only): the rule Goggles -> Gloves has confidence 1.0 and lift
  9/2 = 4.5; Helmet -> Gloves (2 of the 4 helmet buyers) has lift 2.25 and
  makes Work Gloves the next-best product of Gemini Furniture and LightsUp,
  the helmet buyers who have no gloves yet.

The products get no XML id: invoices keep them, and an uninstall would try
to delete them (crm_callplan's demo finds Work Gloves by its demo
category). Minimum support 20% (a setting): on nine customers, a pair one
customer bought is no rule.
"""

from odoo import fields

HELMET_BUYERS = {"Gemini Furniture", "LightsUp"}


def post_init_hook(env):
    """With demo data, the demo story (once: a database upgraded from the
    release, whose Customer Care demo told it already, installs this addon
    again and finds its products)."""
    module = env["ir.module.module"].search([("name", "=", "crm_customer_buying_habits")])
    if module.demo and not _demo_done(env):
        _demo_buying_habits(env)


def _demo_done(env):
    return bool(
        env["product.product"]
        .with_context(active_test=False)
        .search_count(
            [("name", "=", "Safety Helmet"), ("categ_id.name", "=", "Safety Equipment")], limit=1
        )
    )


def _demo_products(env):
    Category = env["product.category"]
    safety = Category.create({"name": "Safety Equipment"})
    office = Category.create({"name": "Office Supplies"})
    return env["product.product"].create(
        [
            {"name": "Safety Helmet", "categ_id": safety.id, "list_price": 40.0},
            {"name": "Work Gloves", "categ_id": safety.id, "list_price": 12.0},
            {"name": "Safety Goggles", "categ_id": safety.id, "list_price": 18.0},
            {"name": "Copy Paper", "categ_id": office.id, "list_price": 25.0},
            {"name": "Ballpoint Pens", "categ_id": office.id, "list_price": 8.0},
        ]
    )


def _demo_customers(env):
    companies = env["res.company"].sudo().search([]).partner_id
    return env["res.partner"].search(
        [
            ("parent_id", "=", False),
            ("is_company", "=", True),
            ("id", "not in", companies.ids),
            ("name", "not ilike", "Jolly Joinery"),
        ],
        limit=9,
        order="id",
    )


def _demo_invoices(env, customers, products):
    """Key Accounts buy safety equipment, the others office supplies (two of
    them a helmet too); one to three invoices each, over the last months."""
    helmet, gloves, goggles, paper, pens = products
    tag = env.ref("crm_customer_care.partner_tag_key_account", raise_if_not_found=False)
    today = fields.Date.context_today(env["res.partner"])
    moves = []
    for position, customer in enumerate(customers):
        if tag and tag in customer.category_id:
            basket = [(helmet, 10), (gloves, 20), (goggles, 5), (paper, 2)]
        else:
            basket = [(paper, 10), (pens, 5)]
            if customer.name in HELMET_BUYERS:
                basket.append((helmet, 1))
        for times in range(1 + position % 3):
            moves.append(
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": fields.Date.subtract(today, days=20 + 45 * times + position),
                    "invoice_line_ids": [
                        (0, 0, {"product_id": p.id, "quantity": q, "tax_ids": []})
                        for p, q in basket
                    ],
                }
            )
    env["account.move"].create(moves).action_post()


def _demo_buying_habits(env):
    """The story of the module docstring, then every customer's habits."""
    if not env["account.journal"].search(
        [("type", "=", "sale"), ("company_id", "=", env.company.id)], limit=1
    ):
        return
    # a small customer base: rules need 20% of a scope's customers (the
    # default 2% would make a rule of every pair one customer bought)
    env["ir.config_parameter"].sudo().set_param("crm_customer_care.rule_min_support", "0.2")
    products = _demo_products(env)
    _demo_invoices(env, _demo_customers(env), products)
    env["res.partner"]._ccare_compute_all_buying_habits()
