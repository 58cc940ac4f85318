import { registry } from "@web/core/registry";

// A member opens /my/loyalty, sees their points, and requests a reward.
registry.category("web_tour.tours").add("crm_loyalty_portal_tour", {
    url: "/my/loyalty",
    steps: () => [
        {
            trigger: ".o_crm_loyalty_balance:contains('120')",
            content: "The member sees their points",
        },
        {
            trigger: ".o_crm_loyalty_expiring",
            content: "and when points expire",
        },
        {
            trigger: ".o_crm_loyalty_reward:contains('Portal coffee voucher') .o_crm_loyalty_redeem",
            content: "Request the voucher",
            run: "click",
            expectUnloadPage: true,
        },
        {
            trigger: ".o_crm_loyalty_requested",
            content: "The request is recorded",
        },
        {
            trigger: ".o_crm_loyalty_balance:contains('80')",
            content: "and the points are taken",
        },
    ],
});
