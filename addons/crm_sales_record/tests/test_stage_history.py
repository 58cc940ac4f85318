from odoo.addons.crm_customer_care.tests.common import CustomerCareCommon
from odoo.exceptions import AccessError
from odoo.exceptions import UserError
from odoo.tests import tagged


class StageHistoryCommon(CustomerCareCommon):
    """A team of our own with four stages, so that nothing depends on demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team = cls.env["crm.team"].create({"name": "Stage Record Team"})
        Stage = cls.env["crm.stage"]
        cls.stage_new = Stage.create({"name": "SR New", "sequence": 901, "team_ids": cls.team.ids})
        cls.stage_qualified = Stage.create(
            {"name": "SR Qualified", "sequence": 902, "team_ids": cls.team.ids}
        )
        cls.stage_proposal = Stage.create(
            {"name": "SR Proposal", "sequence": 903, "team_ids": cls.team.ids}
        )
        cls.stage_won = Stage.create(
            {"name": "SR Won", "sequence": 904, "is_won": True, "team_ids": cls.team.ids}
        )
        cls.History = cls.env["crm.lead.stage.history"]

    @classmethod
    def _leads(cls, count, stage=None, **values):
        return cls.env["crm.lead"].create(
            [
                {
                    "name": f"Record lead {i}",
                    "type": "opportunity",
                    "team_id": cls.team.id,
                    "stage_id": (stage or cls.stage_new).id,
                    "expected_revenue": 1000 * (i + 1),
                    **values,
                }
                for i in range(count)
            ]
        )


@tagged("post_install", "-at_install", "ccare_sales_record")
class TestStageHistory(StageHistoryCommon):
    def test_create_records_entry(self):
        leads = self._leads(3)
        lines = self.History.search([("lead_id", "in", leads.ids)])
        self.assertEqual(len(lines), 3)
        self.assertFalse(lines.stage_from_id)
        self.assertEqual(lines.stage_to_id, self.stage_new)
        self.assertEqual(sorted(lines.mapped("expected_revenue")), [1000, 2000, 3000])

    def test_batch_write_records_every_lead(self):
        leads = self._leads(5)
        self.env.cr.flush()  # end of the transaction: the record is written
        leads[:2].write({"stage_id": self.stage_qualified.id})
        self.env.cr.flush()
        leads.with_user(self.care_manager).write({"stage_id": self.stage_proposal.id})
        moves = self.History.search(
            [("lead_id", "in", leads.ids), ("stage_to_id", "=", self.stage_proposal.id)]
        )
        self.assertEqual(len(moves), 5, "one line per lead of the batch")
        from_stages = {line.lead_id.id: line.stage_from_id for line in moves}
        self.assertEqual(from_stages[leads[0].id], self.stage_qualified)
        self.assertEqual(from_stages[leads[4].id], self.stage_new)
        self.assertEqual(moves.user_id, self.care_manager)
        self.assertEqual(moves.team_id, self.team)
        self.assertEqual(
            {line.lead_id.id: line.expected_revenue for line in moves}[leads[2].id], 3000
        )

    def test_expected_revenue_at_that_moment(self):
        lead = self._leads(1)
        self.env.cr.flush()
        lead.write({"stage_id": self.stage_qualified.id, "expected_revenue": 7777})
        self.env.cr.flush()
        lead.write({"expected_revenue": 1})
        line = self.History.search(
            [("lead_id", "=", lead.id), ("stage_to_id", "=", self.stage_qualified.id)]
        )
        self.assertEqual(line.expected_revenue, 7777)

    def test_same_stage_not_recorded(self):
        leads = self._leads(4)
        leads.write({"stage_id": self.stage_new.id})
        leads.write({"name": "Renamed"})
        self.assertEqual(self.History.search_count([("lead_id", "in", leads.ids)]), 4)

    def test_won_recorded(self):
        lead = self._leads(1)
        self.env.cr.flush()
        lead.action_set_won()
        line = self.History.search([("lead_id", "=", lead.id)], order="id desc", limit=1)
        self.assertTrue(line.is_won)
        self.assertTrue(line.stage_to_id.is_won)
        self.assertEqual(line.stage_from_id, self.stage_new)

    def test_one_transaction_records_its_net_move(self):
        """Like Odoo's mail tracking, the record is written once per
        transaction: moved New -> Qualified -> Proposal in one transaction,
        a lead gets one line New -> Proposal; anyone reading the record in
        the transaction sees it already."""
        lead = self._leads(1)
        self.env.cr.flush()
        lead.stage_id = self.stage_qualified
        lead.stage_id = self.stage_proposal
        line = self.History.search([("lead_id", "=", lead.id)], order="id desc", limit=1)
        self.assertEqual(
            (line.stage_from_id, line.stage_to_id), (self.stage_new, self.stage_proposal)
        )
        self.assertEqual(lead.stage_history_ids, line | lead.stage_history_ids[-1:])
        self.assertEqual(len(lead.stage_history_ids), 2)

    def test_query_count_constant(self):
        """Creating and moving 10 or 100 leads costs the same queries for the
        record, transaction end included: one INSERT for all of them."""

        # Odoo's own mail tracking writes one message per lead: left out
        Lead = self.env["crm.lead"].with_context(tracking_disable=True)

        def create_and_move(count):
            self.env.cr.flush()
            before = self.cr.sql_log_count
            leads = Lead.create(
                [
                    {
                        "name": f"Counted {i}",
                        "type": "opportunity",
                        "team_id": self.team.id,
                        "stage_id": self.stage_new.id,
                    }
                    for i in range(count)
                ]
            )
            self.env.cr.flush()
            leads.write({"stage_id": self.stage_qualified.id})
            self.env.cr.flush()
            return self.cr.sql_log_count - before, leads

        create_and_move(3)  # warm the caches
        queries_small, _small = create_and_move(10)
        queries_big, big = create_and_move(100)
        self.assertEqual(queries_small, queries_big)
        self.assertEqual(
            self.History.search_count(
                [("lead_id", "in", big.ids), ("stage_to_id", "=", self.stage_qualified.id)]
            ),
            100,
        )

    def test_read_only_for_everyone(self):
        self._leads(1)
        line = self.History.search([], limit=1)
        for user in (self.care_user, self.care_manager):
            with self.assertRaises(AccessError):
                line.with_user(user).write({"expected_revenue": 0})
            with self.assertRaises(AccessError):
                line.with_user(user).unlink()
            with self.assertRaises(AccessError):
                self.History.with_user(user).create({"date": "2024-01-01"})
        # even the superuser cannot rewrite the record
        with self.assertRaises(UserError):
            line.sudo().write({"expected_revenue": 0})
        with self.assertRaises(UserError):
            line.sudo().unlink()
        with self.assertRaises(UserError):
            self.History.sudo().create({"date": "2024-01-01"})
        self.assertTrue(line.with_user(self.care_user).read(["stage_to_id"]))
