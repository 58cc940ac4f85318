from datetime import date
from datetime import datetime

from odoo.addons.crm_callplan.tests.common import CallPlanCommon
from odoo.addons.mail.tests.common import mail_new_test_user

# the period every test samples: March 2025
MARCH = (date(2025, 3, 1), date(2025, 3, 31))


class QualityCommon(CallPlanCommon):
    """CallPlanCommon's callers (Carl and Cleo, staff; Agnes, agent of
    CallForce, whose supervisor is Arno) plus a second agency, Dialwell,
    with its agent Bea; a QA reviewer; two conduct items of our own (the
    data's are archived), so a scorecard has the template's three questions
    and two conduct items: five items."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {"ccare_qa_sample_percent": 10.0, "ccare_qa_bar": 70.0, "ccare_qa_min_sample": 3}
        )
        cls.reviewer = mail_new_test_user(
            cls.env,
            login="qa_reviewer",
            name="Rita Reviewer",
            groups="crm_callplan_quality.group_crm_callplan_qa_reviewer",
        )
        cls.agent_b = mail_new_test_user(
            cls.env,
            login="qa_agent_b",
            name="Bea Dialwell",
            groups="crm_callplan.group_crm_callplan_agent",
        )
        cls.agency_b = cls.env["crm.call.agency"].create({"name": "Dialwell"})
        cls.caller_bea = cls.env["crm.call.caller"].create(
            {
                "user_id": cls.agent_b.id,
                "agency_id": cls.agency_b.id,
                "resource_calendar_id": cls.calendar.id,
                "tz": "UTC",
            }
        )
        Item = cls.env["crm.call.qa.conduct.item"]
        Item.search([]).active = False
        cls.items = Item.create(
            [{"name": "Greeting", "sequence": 1}, {"name": "Closing", "sequence": 2}]
        )
        cls.partner = cls._partners(1)

    @classmethod
    def _done_calls(cls, caller, count, day=3, **values):
        """``count`` calls of ``caller`` completed in March 2025 (from the
        ``day``-th, one a day at 10:00 UTC), as their transitions left them."""
        Call = cls.env["crm.call"]
        with Call._ccare_transition():
            return Call.create(
                [
                    {
                        "partner_id": cls.partner.id,
                        "user_id": caller.user_id.id,
                        "caller_id": caller.id,
                        "checklist_template_id": cls.template.id,
                        "planned_date": datetime(2025, 3, day + i % 25, 9, 0),
                        "date_done": datetime(2025, 3, day + i % 25, 10, 0),
                        "state": "done",
                        "outcome": "reached",
                        **values,
                    }
                    for i in range(count)
                ]
            )

    @classmethod
    def _sample(cls, percent=10.0, seed=7, period=MARCH):
        return cls.env["crm.call.qa.sample"].create(
            {"date_from": period[0], "date_to": period[1], "percent": percent, "seed": seed}
        )

    @classmethod
    def _cards(cls, sample, calls):
        """Draft scorecards of ``calls``, as the draw makes them."""
        return cls.env["crm.call.qa.scorecard"]._ccare_qa_create(sample, calls)

    @classmethod
    def _score(cls, card, scores, user=None):
        """Score the items of ``card`` in order and close it (as ``user``,
        the reviewer by default)."""
        card = card.with_user(user or cls.reviewer)
        for line, score in zip(card.line_ids, scores, strict=True):
            line.score = str(score)
        card.action_done()
        return card

    @classmethod
    def _scored(cls, sample, caller, totals):
        """One done scorecard per total in ``totals`` (each item scored
        total / 10) for new March calls of ``caller``."""
        calls = cls._done_calls(caller, len(totals))
        cards = cls._cards(sample, calls)
        for card, total in zip(cards, totals, strict=True):
            cls._score(card, [total // 10] * 5)
        return cards
