/**
 * The pack's policies: one per rule of `rules.ts`, plus `cis-opt-out-labels`, which refuses an
 * opt-out without a reason or naming no rule. Kept apart from `index.ts`, which serves them, so the
 * tests can call them without starting a server.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { judgeRule, optOutsOf } from "./judge";
import { OPT_OUT_POLICY_NAME, RULES } from "./rules";
import { SKIP_PREFIX } from "./skip";

export const PACK_NAME = "dockyard-cis-docker";

function rulePolicy(rule: (typeof RULES)[number]): ResourceValidationPolicy {
    return {
        name: rule.name,
        description: `CIS Docker Benchmark ${rule.id}: ${rule.title}. Opt out: label ${SKIP_PREFIX}${rule.id}=<reason>.`,
        enforcementLevel: rule.level,
        validateResource: (args, reportViolation) => {
            const verdict = judgeRule(rule, args.type, args.props);
            if (verdict.notJudged !== undefined) args.notApplicable(verdict.notJudged);
            for (const message of verdict.violations) reportViolation(`CIS ${rule.id}: ${message}`);
        },
    };
}

const optOutPolicy: ResourceValidationPolicy = {
    name: OPT_OUT_POLICY_NAME,
    description: `An opt-out label (${SKIP_PREFIX}<id>) must name a rule of this pack and give a reason.`,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const problem of optOutsOf(args.type, args.props).problems) reportViolation(problem);
    },
};

export const policies: ResourceValidationPolicy[] = [...RULES.map(rulePolicy), optOutPolicy];
