"""The demo company is in Hong Kong: run in ``odoo-bin shell`` on a database
just made with ``odoo-bin db init --with-demo --country hk`` and
``-i account,l10n_hk`` (setup/run does, and tests/test_demo_year.py).

``db init --country hk`` gives the main company its country, HKD and the
users' time zone; Odoo's accounting demo then gives it the generic chart in
USD. Hong Kong's chart replaces it here (its demo entries with it: nothing
else has posted yet), and the company's price lists sell in HKD, so every
amount, the addons' demo and the demo year, reads HK$ (Odoo's HKD has the
symbol "$", as its US dollar: it says HK$ here, as Hong Kong writes it).
"""

company = env.ref("base.main_company")  # noqa: F821 (odoo-bin shell)
env["account.chart.template"].try_loading("hk", company, install_demo=True)  # noqa: F821
hkd = env.ref("base.HKD")  # noqa: F821
hkd.symbol = "HK$"
# l10n_hk's demo company "HK Company" got its default price list when it was
# created, in USD, before Hong Kong gave it HKD: it sells in HKD too (a
# price list's currency is the currency of its orders). Re-running changes
# nothing.
hk_company = env.ref("base.demo_company_hk", raise_if_not_found=False)  # noqa: F821
companies = company | (hk_company or company.browse())
env["product.pricelist"].with_context(active_test=False).search(  # noqa: F821
    [("company_id", "in", [False, *companies.ids]), ("currency_id", "!=", hkd.id)]
).write({"currency_id": hkd.id})
# The server's own user works on Hong Kong time too: the working calendars
# and the callers' resources the addons' demo creates next take its zone,
# so the demo's calls are at Hong Kong hours (make_demo_year.py moves what
# an older database has).
env.ref("base.user_root").tz = "Asia/Hong_Kong"  # noqa: F821
if "resource.calendar" in env:  # noqa: F821
    env["resource.calendar"].search([]).write({"tz": "Asia/Hong_Kong"})  # noqa: F821
env.cr.commit()  # noqa: F821
print("hong kong:", company.name, company.chart_template, company.currency_id.name)
for each in companies:
    pricelist = env["product.pricelist"].search(  # noqa: F821
        [("company_id", "=", each.id)], limit=1
    )
    print("price list:", each.name, pricelist.currency_id.name or "-")
