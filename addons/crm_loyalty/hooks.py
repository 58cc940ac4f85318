from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def uninstall_hook(env):
    """The loyalty programs this addon created (the demo's Customer Club) are
    removed with it; Odoo's loyalty keeps their cards with ondelete=restrict,
    so the cards (and their redemptions) go first."""
    program_ids = (
        env["ir.model.data"]
        .sudo()
        .search([("module", "=", "crm_loyalty"), ("model", "=", "loyalty.program")])
        .mapped("res_id")
    )
    cards = (
        env["loyalty.card"]
        .sudo()
        .with_context(active_test=False)
        .search([("program_id", "in", program_ids)])
    )
    # as an uninstall does: the rules that keep a delivered redemption
    # (ondelete at_uninstall=False) do not hold while the addon goes
    uninstalling = {MODULE_UNINSTALL_FLAG: True}
    env["crm.loyalty.redemption"].sudo().with_context(**uninstalling).search(
        [("card_id", "in", cards.ids)]
    ).unlink()
    cards.with_context(**uninstalling).unlink()
