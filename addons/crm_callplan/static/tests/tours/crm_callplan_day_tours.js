import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

// A customer-care team's day, one role at a time, on the demo data.

function pagerTotal() {
    const limit = document.querySelector(".o_pager_limit");
    return limit ? parseInt(limit.textContent, 10) : document.querySelectorAll(".o_data_row").length;
}

function followUpDay() {
    // the day the caller types for the follow-up: two weeks from today
    const day = new Date();
    day.setDate(day.getDate() + 14);
    const pad = (n) => String(n).padStart(2, "0");
    return `${pad(day.getMonth() + 1)}/${pad(day.getDate())}/${day.getFullYear()}`;
}

// caller: opens My Calls Today, completes the Azure Interior call with its
// checklist and plans the follow-up; the call leaves the list.
registry.category("web_tour.tours").add("caller_day_calls_today", {
    url: "/odoo",
    steps: () => {
        let before = 0;
        return [
            stepUtils.showAppsMenuItem(),
            {
                trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
                content: "Open the Customer Care app",
                run: "click",
            },
            {
                trigger: ".o_menu_sections [data-menu-xmlid='crm_callplan.crm_callplan_menu_root']",
                content: "Open the Call Plans menu",
                run: "click",
            },
            {
                trigger: ".dropdown-item[data-menu-xmlid='crm_callplan.crm_call_menu_today']",
                content: "Open My Calls Today",
                run: "click",
            },
            {
                trigger: ".o_searchview .o_facet_value:contains('My Calls')",
                content: "Only the caller's own calls",
            },
            {
                trigger: ".o_searchview .o_facet_value:contains('Today')",
                content: "due by today",
            },
            {
                trigger: ".o_list_renderer .o_data_row:contains('Phone: Azure Interior')",
                content: "Today's Azure Interior call is listed",
                run() {
                    before = pagerTotal();
                    if (!before) {
                        throw new Error("My Calls Today shows no call");
                    }
                    const others = [...document.querySelectorAll(".o_data_row")].filter(
                        (row) => !row.textContent.includes("Cal Caller")
                    );
                    if (others.length) {
                        throw new Error("My Calls Today lists another caller's call");
                    }
                },
            },
            {
                trigger: ".o_list_renderer .o_data_row:contains('Phone: Azure Interior') .o_data_cell[name=name]",
                content: "Open it",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Planned')",
                content: "The call is planned",
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons:has(button[name=action_done]):has(button[name=action_missed]):not(:has(button[name=action_schedule_next_call]))",
                content: "Complete and Missed are offered, Next Call not yet",
            },
            {
                trigger: ".o_field_widget[name=answer_ids] .o_data_row",
                content: "The checklist has its three questions",
                run() {
                    const rows = document.querySelectorAll(
                        ".o_field_widget[name=answer_ids] .o_data_row"
                    );
                    if (rows.length !== 3) {
                        throw new Error(`expected 3 checklist questions, got ${rows.length}`);
                    }
                },
            },
            {
                trigger: ".o_field_widget[name=answer_ids] .o_data_row:contains('satisfied') .o_data_cell[name=value_yes_no]",
                content: "Answer: satisfied with our service?",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=answer_ids] .o_data_row:contains('satisfied') .o_data_cell[name=value_yes_no] .o_select_menu_toggler",
                content: "Open the answers",
                run: "click",
            },
            {
                trigger: ".o_select_menu_item:contains('Yes')",
                content: "Yes",
                run: "click",
            },
            {
                // the choice is in the row before the next cell is opened
                // (else, on a slow machine, the next click discards it)
                trigger: ".o_field_widget[name=answer_ids] .o_data_row:contains('satisfied') .o_data_cell[name=value_yes_no] input.o_select_menu_toggler:value('Yes')",
                content: "Yes is chosen",
            },
            {
                trigger: ".o_field_widget[name=answer_ids] .o_data_row:contains('Upcoming need') .o_data_cell[name=value_choice]",
                content: "Answer: upcoming need",
                run: "click",
            },
            {
                trigger: ".o_field_widget[name=answer_ids] .o_data_row:contains('Upcoming need') .o_data_cell[name=value_choice] input",
                content: "More of the same",
                run: "edit more of the same",
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
                trigger: ".o_field_widget[name=next_call_date] input",
                content: "Plan the follow-up in two weeks",
                run: `edit ${followUpDay()}`,
            },
            {
                trigger: ".o_form_view button[name=action_done]",
                content: "Complete the call",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Done')",
                content: "The call is done",
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons:has(button[name=action_schedule_next_call]):not(:has(button[name=action_done]))",
                content: "Next Call is offered, Complete no more",
            },
            {
                trigger: ".o_field_widget[name=is_on_time]",
                content: "Whether it was on time is shown",
            },
            {
                trigger: ".o_breadcrumb a:contains('My Calls Today')",
                content: "Back to today's calls",
                run: "click",
            },
            {
                trigger: ".o_list_renderer:not(:has(.o_data_row:contains('Phone: Azure Interior')))",
                content: "The completed call has left the list",
                run() {
                    const after = pagerTotal();
                    if (after !== before - 1) {
                        throw new Error(`expected ${before - 1} calls left today, got ${after}`);
                    }
                },
            },
        ];
    },
});

// agent (outsourced): sees only their own calls, in their own app, without
// the caller's internals.
registry.category("web_tour.tours").add("agent_day_own_calls", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            trigger: ".o_app[data-menu-xmlid='crm_callplan.crm_call_agent_menu_root']",
            content: "Open the Agent Calls app (and no Customer Care app)",
            async run(helpers) {
                const care = "crm_customer_care.crm_customer_care_menu_root";
                if (document.querySelector(`.o_app[data-menu-xmlid='${care}']`)) {
                    throw new Error("an outsourced agent is offered the Customer Care app");
                }
                await helpers.click();
            },
        },
        {
            trigger: ".o_list_renderer .o_data_row:contains('Phone: Deco Addict')",
            content: "The agent's missed Deco Addict call is listed",
        },
        {
            trigger: ".o_list_renderer:not(:has(.o_data_row:contains('Azure Interior')))",
            content: "Cal Caller's Azure Interior calls are not",
            run() {
                const rows = [...document.querySelectorAll(".o_data_row")];
                const others = rows.filter((row) => !row.textContent.includes("Anna Agent"));
                if (others.length) {
                    throw new Error(`${others.length} call(s) of other callers are listed`);
                }
            },
        },
        {
            trigger: ".o_list_renderer .o_data_row:contains('Phone: Deco Addict') .o_data_cell[name=name]",
            content: "Open it",
            run: "click",
        },
        {
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Missed')",
            content: "The call was missed",
        },
        {
            trigger: ".o_form_view .o_statusbar_buttons:has(button[name=action_done]):has(button[name=action_reset]):not(:has(button[name=action_cancel]))",
            content: "The agent may complete it or plan it again, not cancel it",
        },
        {
            trigger: ".o_form_view:has(.o_field_widget[name=partner_name]):not(:has(.o_field_widget[name=partner_id]))",
            content: "The customer's name, not the customer record",
        },
        {
            trigger: ".o_form_view .o_notebook:has(.nav-link:contains('Checklist')):not(:has(.nav-link:contains('Findings')))",
            content: "The checklist, not the caller's internal findings",
        },
    ],
});
