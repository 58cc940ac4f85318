import { registry } from "@web/core/registry";

// A care user clears a data-quality issue from the issue queue: the profile
// was looked at and is right as it is.
registry.category("web_tour.tours").add("crm_customer_data_quality_tour", {
    url: "/odoo/action-crm_customer_data_quality.crm_data_quality_issue_action?view_type=kanban",
    steps: () => [
        {
            trigger: ".o_kanban_record:contains('Tour DQ Ltd'):contains('E-mail missing')",
            content: "The issue is in the open queue, with its problem",
        },
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
