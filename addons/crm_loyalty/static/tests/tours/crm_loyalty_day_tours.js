import { registry } from "@web/core/registry";

function points(selector) {
    const element = document.querySelector(selector);
    const found = element && element.textContent.replace(/[,\s\u00a0]/g, "").match(/-?\d+(\.\d+)?/);
    if (!found) {
        throw new Error(`no points shown in ${selector}`);
    }
    return parseFloat(found[0]);
}

// portal member: Ivy sees her 300 points (60 expiring
// soon) and redeems 200 for a free service day; 100 are left, and the
// reward she can no longer afford is disabled.
registry.category("web_tour.tours").add("member_day_redeem_points", {
    url: "/my",
    steps: () => [
        {
            trigger: "a[href='/my/loyalty']",
            content: "Open the loyalty page",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_crm_loyalty_card .o_crm_loyalty_balance",
            content: "Her points, and those expiring soon",
            run() {
                const balance = points(".o_crm_loyalty_card .o_crm_loyalty_balance");
                const expiring = points(".o_crm_loyalty_card .o_crm_loyalty_expiring_total");
                if (balance !== 300 || expiring !== 60) {
                    throw new Error(`expected 300 points, 60 expiring; got ${balance}, ${expiring}`);
                }
            },
        },
        {
            trigger: ".o_crm_loyalty_reward:contains('A free service day') .o_crm_loyalty_redeem:enabled",
            content: "Request the free service day",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_crm_loyalty_requested",
            content: "The request is recorded",
        },
        {
            trigger: ".o_crm_loyalty_redemption:contains('A free service day')",
            content: "and listed with her requests",
        },
        {
            trigger: ".o_crm_loyalty_card .o_crm_loyalty_balance",
            content: "The points are taken",
            run() {
                const balance = points(".o_crm_loyalty_card .o_crm_loyalty_balance");
                if (balance !== 100) {
                    throw new Error(`expected 100 points left, got ${balance}`);
                }
            },
        },
        {
            trigger: ".o_crm_loyalty_reward:contains('A free service day') .o_crm_loyalty_redeem:disabled",
            content: "She cannot afford another service day",
        },
        {
            trigger: ".o_crm_loyalty_reward:contains('50 off your next order') .o_crm_loyalty_redeem:enabled",
            content: "but still 50 off her next order",
        },
    ],
});
