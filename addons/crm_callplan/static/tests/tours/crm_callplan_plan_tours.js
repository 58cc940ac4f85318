import { registry } from "@web/core/registry";

// A call plan manager generates a two-week plan and sees the planned calls.
registry.category("web_tour.tours").add("crm_callplan_manager_plan_tour", {
    url: "/odoo/action-crm_callplan.crm_call_plan_run_action",
    steps: () => [
        {
            trigger: ".o_control_panel .o_list_button_add, .o_control_panel .o-kanban-button-new",
            content: "Start a new plan run",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=horizon_weeks] input",
            content: "Plan the next two weeks",
            run: "edit 2",
        },
        {
            trigger: "button[name=action_generate]",
            content: "Generate the plan",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
            content: "The plan is generated",
        },
        {
            trigger: "button[name=action_open_calls]:contains('Planned Calls')",
            content: "Open the planned calls",
            run: "click",
        },
        {
            trigger: ".o_pivot",
            content: "Calls per caller and day",
        },
    ],
});

// An outsourced agent sees only their call, fills the checklist and completes it.
registry.category("web_tour.tours").add("crm_callplan_agent_tour", {
    url: "/odoo/action-crm_callplan.crm_call_action",
    steps: () => [
        {
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains('Hidden Account')))",
            content: "Calls of others are not listed",
        },
        {
            trigger: ".o_list_renderer .o_data_row:contains('Tour Account') .o_data_cell[name=name]",
            content: "The agent's call is listed",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=phone]:contains('+1 555 0100')",
            content: "The agent sees who to call",
        },
        {
            trigger: ".o_field_widget[name=answer_ids] .o_data_row:first .o_data_cell[name=value_yes_no]",
            content: "Answer the required question",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=answer_ids] .o_data_row:first .o_data_cell[name=value_yes_no] .o_select_menu_toggler",
            content: "Open the answers",
            run: "click",
        },
        {
            trigger: ".o_select_menu_item:contains('Yes')",
            content: "Yes",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=answer_ids] .o_select_menu_toggler:value(Yes)",
            content: "The answer is set",
        },
        {
            trigger: ".o_field_widget[name=outcome] input[data-value=reached]",
            content: "The customer was reached",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name=outcome] input[data-value=reached]:checked",
            content: "The outcome is set",
        },
        {
            trigger: ".o_form_view button[name=action_done]",
            content: "Complete the call",
            run: "click",
        },
        {
            trigger: ".o_statusbar_status .o_arrow_button_current:contains('Done')",
            content: "The call is done",
        },
    ],
});
