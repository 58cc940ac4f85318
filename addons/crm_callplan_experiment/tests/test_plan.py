from collections import Counter

from odoo.tests import tagged

from .common import ExperimentCommon


@tagged("post_install", "-at_install", "ccare_experiment")
class TestPlanFollowsArms(ExperimentCommon):
    def _calls(self, partners):
        return self.env["crm.call"].search([("partner_id", "in", partners.ids)])

    def test_plan_follows_each_arm(self):
        """Over four weeks the control (every two weeks) gets 2 calls per
        customer, the weekly arm 4, each under its arm's policy; a customer
        of the segment outside the experiment keeps the segment's policy."""
        control_partners = self._partners(2, name="Control")
        weekly_partners = self._partners(2, name="Weekly")
        outsider = self._partners(1, name="Outsider")
        experiment = self._experiment()
        control, weekly = self._arms(experiment)
        self._assign(experiment, {control: control_partners, weekly: weekly_partners})
        self._run(weeks=4)
        calls = self._calls(control_partners | weekly_partners | outsider)
        per_partner = Counter((call.partner_id, call.policy_id) for call in calls)
        for partner in control_partners | outsider:
            self.assertEqual(per_partner[partner, self.policy_smb], 2)
        for partner in weekly_partners:
            self.assertEqual(per_partner[partner, self.policy_weekly], 4)
        self.assertEqual(len(calls), 14)

    def test_finished_experiment_no_longer_applies(self):
        partners = self._partners(2)
        experiment = self._experiment()
        control, weekly = self._arms(experiment)
        self._assign(experiment, {control: partners[0], weekly: partners[1]})
        experiment.action_cancel()
        self._run(weeks=4)
        self.assertEqual(set(self._calls(partners).policy_id), {self.policy_smb})
        self.assertEqual(len(self._calls(partners)), 4)

    def test_consent_and_do_not_contact_in_every_arm(self):
        """In both arms, a do-not-call customer and one who refused sales
        calls get no call and a skipped line; the others are called."""
        arms_partners = {}
        for label in ("control", "weekly"):
            arms_partners[label] = (
                self._partners(1, name=f"{label} ok"),
                self._partners(1, name=f"{label} no calls", dnc_phone=True),
                self._partners(1, name=f"{label} refused"),
            )
            arms_partners[label][2]._ccare_record_consent("sales_calls", "phone", "refused")
        experiment = self._experiment()
        control, weekly = self._arms(experiment)
        self._assign(
            experiment,
            {
                control: self.env["res.partner"].union(*arms_partners["control"]),
                weekly: self.env["res.partner"].union(*arms_partners["weekly"]),
            },
        )
        run = self._run(weeks=4)
        reasons = {line.partner_id: line for line in run.line_ids if line.line_type == "skipped"}
        for label, policy in (("control", self.policy_smb), ("weekly", self.policy_weekly)):
            ok, no_calls, refused = arms_partners[label]
            self.assertTrue(self._calls(ok))
            self.assertFalse(self._calls(no_calls | refused))
            self.assertIn("do not contact", reasons[no_calls].reason)
            self.assertEqual(reasons[refused].reason, "consent refused")
            # the skip is reported under the arm's policy
            self.assertEqual(reasons[refused].policy_id, policy)
