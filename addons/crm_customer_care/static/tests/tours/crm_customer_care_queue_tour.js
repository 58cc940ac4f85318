import { registry } from "@web/core/registry";

// A care user clears a data-quality issue from the issue queue.
registry.category("web_tour.tours").add("crm_customer_care_queue_tour", {
    url: "/odoo/action-crm_customer_care.crm_data_quality_issue_action?view_type=kanban",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Tour DQ Ltd') button[name=action_mark_reviewed]",
            content: "Mark the profile reviewed",
            run: "click",
        },
        {
            trigger: ".o_kanban_renderer:not(:has(.o_kanban_record:contains('Tour DQ Ltd')))",
            content: "The issue leaves the open queue",
        },
    ],
});
