from collections import defaultdict

from odoo import api
from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _loyalty_held_out(self, programs, partners):
        """The holdout of a running programme of the program earns nothing: a
        reward would make it a treated group."""
        held_out = super()._loyalty_held_out(programs, partners)
        held = (
            self.env["crm.relationship.participant"]
            .sudo()
            .search(
                [
                    ("group", "=", "holdout"),
                    ("programme_id.state", "=", "running"),
                    ("programme_id.loyalty_program_id", "in", programs.ids),
                    ("partner_id", "in", partners.ids),
                ]
            )
        )
        return held_out | {(h.programme_id.loyalty_program_id.id, h.partner_id.id) for h in held}

    def _ccare_subject_access_sections(self):
        env = self.env(su=True)
        return [
            *super()._ccare_subject_access_sections(),
            (
                "programmes",
                self.env._("Relationship programmes"),
                env["crm.relationship.participant"].search(
                    [("partner_id", "in", self.ids)], order="id"
                ),
                ["programme_id", "group", "state", "date_enrolled"],
            ),
        ]

    def _ccare_cost_to_serve(self, date_from, date_to):
        """Add relationship programme costs: each programme's actual cost
        lines dated in the period, shared equally among its members."""
        costs = super()._ccare_cost_to_serve(date_from, date_to)
        if not self.ids:
            return costs
        lines = (
            self.env["crm.relationship.cost.line"]
            .sudo()
            ._read_group(
                [("date", ">=", date_from), ("date", "<=", date_to), ("amount_actual", ">", 0)],
                ["programme_id"],
                ["amount_actual:sum"],
            )
        )
        if not lines:
            return costs
        Participant = self.env["crm.relationship.participant"].sudo()
        programme_ids = [programme.id for programme, _amount in lines]
        sizes = dict(
            Participant._read_group(
                [("programme_id", "in", programme_ids), ("group", "=", "member")],
                ["programme_id"],
                ["__count"],
            )
        )
        share = {
            programme.id: amount / sizes[programme]
            for programme, amount in lines
            if sizes.get(programme)
        }
        mine = Participant.search_fetch(
            [
                ("programme_id", "in", list(share)),
                ("group", "=", "member"),
                ("partner_id.commercial_partner_id", "in", self.ids),
            ],
            ["programme_id", "partner_id"],
        )
        extra = defaultdict(float)
        for participation in mine:
            extra[participation.partner_id.commercial_partner_id.id] += share[
                participation.programme_id.id
            ]
        for partner_id, amount in extra.items():
            costs[partner_id] = costs.get(partner_id, 0.0) + amount
        return costs

    def _ccare_anonymise_hook(self):
        """Survey answers (feedback and NPS of the programmes) lose the
        person: free-text answers, e-mail, nickname and chatter are erased;
        scale answers (NPS) stay."""
        erased = super()._ccare_anonymise_hook()
        people = self.sudo().with_context(active_test=False, tracking_disable=True)
        inputs = people.env["survey.user_input"].search([("partner_id", "in", people.ids)])
        inputs.write({"email": False, "nickname": False})
        inputs.user_input_line_ids.write({"value_char_box": False, "value_text_box": False})
        self._ccare_erase_messages("survey.user_input", inputs.ids)
        return [*erased, "survey answers"]
