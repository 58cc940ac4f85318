import { registry } from "@web/core/registry";

// A loyalty manager creates a programme with a holdout group, starts it,
// then runs the tier evaluation of its loyalty program.
registry.category("web_tour.tours").add("crm_loyalty_manager_tour", {
    url: "/odoo/action-crm_relationship_programme.crm_relationship_programme_action",
    steps: () => [
        {
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new, .o_control_panel_main_buttons .o_list_button_add",
            content: "Create a programme",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=name] input",
            content: "Name it",
            run: "edit Tour Spring Club",
        },
        {
            trigger: ".o_field_widget[name=segment_ids] input",
            content: "Target a segment",
            run: "edit Tour Segment",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Segment')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=loyalty_program_id] input",
            content: "Link the loyalty program",
            run: "edit Tour Club Card",
        },
        {
            trigger: ".o-autocomplete--dropdown-item:contains('Tour Club Card')",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=holdout_percent] input",
            content: "Hold out a fifth of the customers to measure the effect",
            run: "edit 20",
        },
        {
            trigger: "button[name=action_start]",
            content: "Start the programme and enrol the customers",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status:has(button.o_arrow_button_current:contains('Running'))",
            content: "The programme runs, its members enrolled and its holdout drawn",
            run: () => {
                window.location.href =
                    "/odoo/action-loyalty.loyalty_program_discount_loyalty_action";
            },
            expectUnloadPage: true,
        },
        {
            trigger: ".o_data_row:contains('Tour Club Card') td.o_data_cell",
            content: "Open the loyalty program",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Tiers')",
            content: "Go to its tiers",
            run: "click",
        },
        {
            trigger: "button.o_crm_evaluate_tiers",
            content: "Evaluate the tiers now",
            run: "click",
        },
        {
            trigger: ".o_notification:contains('Tier review queued')",
            content: "The tier review is queued",
        },
    ],
});
