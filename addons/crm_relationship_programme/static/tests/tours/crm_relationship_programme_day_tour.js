import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

function number(text) {
    const found = (text || "").replace(/[,\s\u00a0]/g, "").match(/-?\d+(\.\d+)?/);
    if (!found) {
        throw new Error(`no figure in "${text}"`);
    }
    return parseFloat(found[0]);
}

// a programme without a holdout shows "not measurable" instead of its ROI
// (issue 26): the figure, or that text
function roiOf(text) {
    return /not measurable/.test(text) ? "not measurable" : number(text);
}

function fieldNumber(selector) {
    const element = document.querySelector(selector);
    if (!element) {
        throw new Error(`${selector} is not shown`);
    }
    return number(element.textContent);
}

// care.manager: reads how the Key Account Appreciation programme pays, on
// its card and on its form: the same members and ROI on both.
registry.category("web_tour.tours").add("care_manager_day_programme_effectiveness", {
    url: "/odoo",
    steps: () => {
        const card = {};
        const card_selector =
            ".o_kanban_record:contains('Key Account Appreciation')";
        return [
            stepUtils.showAppsMenuItem(),
            {
                trigger: ".o_app[data-menu-xmlid='crm_customer_care.crm_customer_care_menu_root']",
                content: "Open the Customer Care app",
                run: "click",
            },
            {
                trigger: ".o_menu_sections [data-menu-xmlid='crm_loyalty.crm_loyalty_menu_root']",
                content: "Open the Loyalty menu",
                run: "click",
            },
            {
                trigger: ".dropdown-item[data-menu-xmlid='crm_relationship_programme.crm_relationship_programme_menu']",
                content: "Open the relationship programmes",
                run: "click",
            },
            {
                trigger: `.o_kanban_group:contains('Running') ${card_selector}`,
                content: "Key Account Appreciation runs",
                run() {
                    const text = this.anchor.textContent;
                    card.members = number(text.match(/([\d,]+)\s*members/)[1]);
                    const roi = text.match(/ROI\s*(-?[\d,.]+|not measurable)/);
                    if (!roi) {
                        throw new Error("the running programme shows no ROI");
                    }
                    card.roi = roiOf(roi[1]);
                    if (!card.members) {
                        throw new Error("the running programme shows no member");
                    }
                },
            },
            {
                trigger: `.o_kanban_group:contains('Draft') .o_kanban_record:contains('Consumer Spring Campaign')`,
                content: "the consumer campaign is being drafted",
            },
            {
                trigger: `${card_selector}`,
                content: "Open the programme",
                run: "click",
            },
            {
                trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Running')",
                content: "It runs",
            },
            {
                trigger: ".o_form_view .o_statusbar_buttons:has(button[name=action_enrol]):has(button[name=action_close]):has(button[name=action_print_effectiveness]):not(:has(button[name=action_start]))",
                content: "Enrol Newcomers, Close and Print Effectiveness are offered",
            },
            {
                trigger: "button.o_crm_loyalty_effectiveness .o_stat_value",
                content: "The members and the ROI are the card's",
                run() {
                    const members = fieldNumber("button.oe_stat_button:has(.fa-users) .o_stat_value");
                    const roi = roiOf(
                        document.querySelector("button.o_crm_loyalty_effectiveness .o_stat_value")
                            .textContent
                    );
                    if (members !== card.members || roi !== card.roi) {
                        throw new Error(
                            `card: ${card.members} members, ROI ${card.roi}; ` +
                                `form: ${members} members, ROI ${roi}`
                        );
                    }
                },
            },
            {
                trigger: ".o_notebook .nav-link.active:contains('Effectiveness')",
                content: "The effectiveness tab is open",
            },
            {
                trigger: ".o_field_widget[name=revenue_significance]",
                content: "Members against the holdout, with the interval",
                run() {
                    const members = fieldNumber(".o_notebook .o_field_widget[name=member_count]");
                    const roi = document.querySelector(".o_notebook .o_crm_roi_not_measurable")
                        ? "not measurable"
                        : fieldNumber(".o_notebook .o_field_widget[name=roi]");
                    if (members !== card.members || roi !== card.roi) {
                        throw new Error(
                            `tab: ${members} members, ROI ${roi}; card: ${card.members}, ${card.roi}`
                        );
                    }
                },
            },
            {
                trigger: ".o_menu_sections [data-menu-xmlid='crm_loyalty.crm_loyalty_menu_root']",
                content: "Open the Loyalty menu again",
                run: "click",
            },
            {
                trigger: ".dropdown-item[data-menu-xmlid='crm_relationship_programme.crm_relationship_effectiveness_menu']",
                content: "Open Programme Effectiveness",
                run: "click",
            },
            {
                trigger: ".o_pivot:contains('Key Account Appreciation')",
                content: "The programme is in the effectiveness analysis",
            },
        ];
    },
});
