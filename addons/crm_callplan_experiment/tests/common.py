from odoo.addons.crm_callplan.tests.common import CallPlanCommon


class ExperimentCommon(CallPlanCommon):
    """CallPlanCommon's SMB segment (its policy: a call every two weeks)
    and an archived weekly variant for the experiments' second arm."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy_weekly = cls.env["crm.call.policy"].create(
            {
                "name": "SMB: phone every week (experiment)",
                "segment_id": cls.segment_smb.id,
                "channel": "phone",
                "interval_number": 1,
                "interval_type": "weeks",
                "duration": 30,
                "tolerance_days": 4,
                "active": False,
            }
        )

    @classmethod
    def _experiment(cls, name="Weekly SMB calls?", seed=42, **values):
        return cls.env["crm.call.experiment"].create(
            {
                "name": name,
                "segment_id": cls.segment_smb.id,
                "seed": seed,
                "arm_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Fortnightly (control)",
                            "sequence": 1,
                            "policy_id": cls.policy_smb.id,
                            "share": 50,
                            "is_control": True,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Weekly",
                            "sequence": 2,
                            "policy_id": cls.policy_weekly.id,
                            "share": 50,
                        },
                    ),
                ],
                **values,
            }
        )

    @staticmethod
    def _arms(experiment):
        control = experiment.arm_ids.filtered("is_control")
        return control, experiment.arm_ids - control

    def _assign(self, experiment, by_arm):
        """Members placed by hand (a fixture), then the experiment running."""
        Member = self.env["crm.call.experiment.member"].sudo()
        with Member._ccare_append_only_unlocked():
            Member.create(
                [
                    {
                        "experiment_id": experiment.id,
                        "arm_id": arm.id,
                        "partner_id": partner.id,
                        "stratum": "fixture",
                    }
                    for arm, partners in by_arm.items()
                    for partner in partners
                ]
            )
        with experiment._ccare_transition():
            experiment.state = "running"

    def _set_health(self, partners, score):
        self.env.cr.execute(
            "UPDATE res_partner SET health_score = %s WHERE id = ANY(%s)", (score, partners.ids)
        )
        partners.invalidate_recordset(["health_score"])
