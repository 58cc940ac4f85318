from datetime import timedelta

# health change of the demo's finished experiment per arm, cycled over its
# members: the monthly arm gains about 8 points on the control
DEMO_CHANGES = {"control": (-1, 0, 1), "treatment": (7, 8, 9)}
DEMO_BASELINE = 55


def post_init_hook(env):
    """With the demo data: start both demo experiments, give the finished
    one's members a health history over its period (the effect) and finish
    it, so its results and proposal show."""
    finished = env.ref("crm_callplan_experiment.experiment_growth_monthly", False)
    running = env.ref("crm_callplan_experiment.experiment_smb_fortnightly", False)
    if not finished or not running:
        return
    finished.action_start()
    History = env["crm.customer.health.history"]
    taken = {
        (row.partner_id.id, row.date)
        for row in History.search(
            [
                ("partner_id", "in", finished.member_ids.partner_id.ids),
                ("date", "in", [finished.date_start - timedelta(days=1), finished.date_end]),
            ]
        )
    }
    vals_list = []
    seen = {"control": 0, "treatment": 0}
    for member in finished.member_ids:
        key = "control" if member.arm_id.is_control else "treatment"
        change = DEMO_CHANGES[key][seen[key] % 3]
        seen[key] += 1
        for day, score in (
            (finished.date_start - timedelta(days=1), DEMO_BASELINE),
            (finished.date_end, DEMO_BASELINE + change),
        ):
            if (member.partner_id.id, day) not in taken:
                vals_list.append(
                    {
                        "partner_id": member.partner_id.id,
                        "company_id": finished.company_id.id,
                        "date": day,
                        "score": score,
                        "lifecycle_stage": "active",
                    }
                )
    with History._ccare_append_only_unlocked():
        History.create(vals_list)
    finished.action_done()
    running.action_start()
