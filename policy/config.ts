/**
 * The pack's configuration (`pulumi preview --policy-pack policy --policy-pack-config FILE`), read
 * the way the Pulumi CLI reads it: `"all"` sets every policy's enforcement level, then a policy's
 * own entry (`"cis-5.5-privileged": "advisory"`, or `{"enforcementLevel": "advisory"}`) wins.
 *
 * The CLI rejects an invalid level but silently ignores a key that names no policy, so a typo
 * would leave a rule at its default level: {@link packConfigProblems} names such keys, and the
 * tests run it on the project's own files (policy/*.json). `node bin/policy/config.js FILE…` runs
 * it on others.
 */
import * as fs from "fs";
import { OPT_OUT_POLICY_NAME, RULES } from "./rules";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** Every policy of the pack, by name, with its default level. */
export const POLICY_LEVELS: ReadonlyMap<string, EnforcementLevel> = new Map<string, EnforcementLevel>([
    ...RULES.map((r): [string, EnforcementLevel] => [r.name, r.level]),
    [OPT_OUT_POLICY_NAME, "mandatory"],
]);

function levelOf(value: unknown): unknown {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)["enforcementLevel"] : value;
}

/** What is wrong with a configuration, one message per mistake, naming the file, the key and the value. */
export function packConfigProblems(config: unknown, file = "the policy pack configuration"): string[] {
    if (config === null || typeof config !== "object" || Array.isArray(config)) return [`${file}: must be a JSON object of policy names (or "all") to enforcement levels (got ${JSON.stringify(config)})`];
    const problems: string[] = [];
    for (const [key, value] of Object.entries(config)) {
        if (key !== "all" && !POLICY_LEVELS.has(key)) {
            const near = [...POLICY_LEVELS.keys()].filter((n) => n.startsWith(key.split("-").slice(0, 2).join("-") + "-"));
            problems.push(`${file}: ${JSON.stringify(key)} names no policy of this pack${near.length ? ` (did you mean ${near.join(" or ")}?)` : ""}; the Pulumi CLI would ignore it`);
            continue;
        }
        const level = levelOf(value);
        if (level !== undefined && !LEVELS.includes(level as EnforcementLevel)) {
            problems.push(`${file}: ${JSON.stringify(key)}: ${JSON.stringify(level)} is not an enforcement level; use one of ${LEVELS.join(", ")}`);
        }
    }
    return problems;
}

/** The enforcement level of each policy under a configuration, as the CLI reconciles it. */
export function effectiveLevels(config: Record<string, unknown> = {}): Map<string, EnforcementLevel> {
    const all = levelOf(config["all"]);
    const out = new Map<string, EnforcementLevel>();
    for (const [name, level] of POLICY_LEVELS) {
        const own = levelOf(config[name]);
        out.set(name, (LEVELS.includes(own as EnforcementLevel) ? own : LEVELS.includes(all as EnforcementLevel) ? all : level) as EnforcementLevel);
    }
    return out;
}

if (require.main === module) {
    let failed = false;
    for (const file of process.argv.slice(2)) {
        let problems: string[];
        try {
            problems = packConfigProblems(JSON.parse(fs.readFileSync(file, "utf8")), file);
        } catch (e) {
            problems = [`${file}: ${(e as Error).message}`];
        }
        for (const p of problems) console.error(p);
        failed ||= problems.length > 0;
    }
    process.exitCode = failed ? 1 : 0;
}
