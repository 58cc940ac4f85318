from odoo.addons.crm_customer_care.tests.rpc import RpcCase
from odoo.tests import tagged

from .common import QualityCommon


@tagged("post_install", "-at_install", "ccare_call_quality", "ccare_security")
class TestQualityRpc(RpcCase, QualityCommon):
    """Over the wire: an agent of one agency never reads another agency's
    scores (scorecards, their items, the report); a supervisor reads their
    agency's; a caller reads their own done cards and writes no score."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sample = cls._sample()
        cls.cards_a = cls._scored(cls.sample, cls.caller_agnes, [50, 60, 70])
        cls.cards_b = cls._scored(cls.sample, cls.caller_bea, [90, 80])
        cls.cards_carl = cls._scored(cls.sample, cls.caller_carl, [80, 90])
        cls.draft_carl = cls._cards(cls.sample, cls._done_calls(cls.caller_carl, 1))
        cls.results = cls.sample.result_ids
        cls.unsampled_b = cls._done_calls(cls.caller_bea, 1)

    def _ids(self, login, model, domain=()):
        return {
            row["id"]
            for row in self.call_kw(login, model, "search_read", [list(domain)], {"fields": ["id"]})
        }

    def test_agent_of_agency_b_sees_only_her_own(self):
        model = "crm.call.qa.scorecard"
        self.assertEqual(self._ids("qa_agent_b", model), set(self.cards_b.ids))
        self.assertRefused("qa_agent_b", model, "read", [self.cards_a.ids, ["total"]])
        self.assertRefused(
            "qa_agent_b",
            "crm.call.qa.scorecard.line",
            "read",
            [self.cards_a.line_ids.ids, ["score"]],
        )
        self.assertEqual(
            self._ids("qa_agent_b", "crm.call.qa.scorecard.line"), set(self.cards_b.line_ids.ids)
        )
        # the report: her own line only, never CallForce's nor all agencies'
        own = self.results.filtered(lambda r: r.kind == "caller" and r.user_id == self.agent_b)
        self.assertEqual(self._ids("qa_agent_b", "crm.call.qa.result"), set(own.ids))
        others = self.results - own
        self.assertRefused("qa_agent_b", "crm.call.qa.result", "read", [others.ids, ["mean"]])
        groups = self.call_kw(
            "qa_agent_b", "crm.call.qa.result", "formatted_read_group", [[], [], ["mean:avg"]]
        )
        self.assertAlmostEqual(groups[0]["mean:avg"], 85.0)  # her own 90 and 80
        # nor the samples
        self.assertRefused("qa_agent_b", "crm.call.qa.sample", "search_read", [[]])
        # XML-RPC says the same
        self.assertEqual(
            self.xmlrpc("qa_agent_b", model, "search_count", [[("id", "in", self.cards_a.ids)]]),
            0,
        )
        self.assertXmlRpcRefused("qa_agent_b", model, "read", [self.cards_a.ids, ["total"]])

    def test_supervisor_sees_the_agency_only(self):
        # Arno supervises CallForce (Agnes): her cards and lines, not Dialwell's
        self.assertEqual(self._ids("cp_agent2", "crm.call.qa.scorecard"), set(self.cards_a.ids))
        lines = self.results.filtered(
            lambda r: r.agency_id == self.agency and r.kind in ("caller", "agency")
        )
        self.assertEqual(self._ids("cp_agent2", "crm.call.qa.result"), set(lines.ids))
        self.assertRefused(
            "cp_agent2", "crm.call.qa.scorecard", "read", [self.cards_b.ids, ["total"]]
        )
        # Agnes: her own cards
        self.assertEqual(self._ids("cp_agent", "crm.call.qa.scorecard"), set(self.cards_a.ids))

    def test_caller_reads_own_done_cards_and_writes_no_score(self):
        model = "crm.call.qa.scorecard"
        self.assertEqual(self._ids("cp_caller", model), set(self.cards_carl.ids))
        self.assertRefused("cp_caller", model, "read", [self.draft_carl.ids, ["total"]])
        self.assertRefused("cp_caller", model, "read", [self.cards_a.ids, ["total"]])
        line = self.cards_carl.line_ids[:1]
        self.assertRefused(
            "cp_caller", "crm.call.qa.scorecard.line", "write", [line.ids, {"score": "10"}]
        )
        self.assertRefused(
            "cp_caller", model, "write", [self.cards_carl[:1].ids, {"comment": "Great call"}]
        )
        self.assertRefused("cp_caller", model, "action_done", [self.draft_carl.ids])
        self.assertRefused(
            "cp_caller",
            "crm.call.qa.scorecard.line",
            "write",
            [self.draft_carl.line_ids[:1].ids, {"score": "10"}],
        )
        self.assertEqual(line.score, "8")

    def test_reviewer_reads_the_sampled_calls_only(self):
        rows = self.call_kw("qa_reviewer", "crm.call", "read", [self.cards_b.call_id.ids, ["name"]])
        self.assertEqual(len(rows), 2)
        self.assertRefused("qa_reviewer", "crm.call", "read", [self.unsampled_b.ids, ["name"]])
        self.assertRefused(
            "qa_reviewer", "crm.call", "write", [self.cards_b.call_id[:1].ids, {"summary": "x"}]
        )

    def test_reviewer_scores_then_the_card_is_locked(self):
        lines = self.draft_carl.line_ids
        self.call_kw(
            "qa_reviewer", "crm.call.qa.scorecard.line", "write", [lines.ids, {"score": "7"}]
        )
        self.call_kw("qa_reviewer", "crm.call.qa.scorecard", "action_done", [self.draft_carl.ids])
        self.draft_carl.invalidate_recordset()
        self.assertEqual((self.draft_carl.state, self.draft_carl.total), ("done", 70.0))
        self.assertRefused(
            "qa_reviewer", "crm.call.qa.scorecard.line", "write", [lines.ids, {"score": "10"}]
        )
        self.assertRefused(
            "qa_reviewer",
            "crm.call.qa.scorecard",
            "write",
            [self.draft_carl.ids, {"state": "draft"}],
            context={"install_mode": 1},
        )
        # scores are no numbers a client may set out of range
        self.assertRefused(
            "callplan_manager",
            "crm.call.qa.scorecard",
            "write",
            [self.draft_carl.ids, {"total": 100}],
        )
