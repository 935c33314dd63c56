/**
 * The project's own stacks under the pack, rendered offline (the same inputs `pulumi preview`
 * gives the policies): no mandatory violation at the level each stack runs the pack with (dev and
 * staging: the rules' defaults; prod: policy/prod.json), every opt-out well formed, and each
 * opt-out needed (without it, the rule would stop the preview).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { renderStack } from "../../cli/dockyard";
import { RenderedResource } from "../../components/render";
import { effectiveLevels } from "../../policy/config";
import { judgeAll, optOutsOf } from "../../policy/judge";
import { RULES_BY_ID } from "../../policy/rules";
import { REPO_ROOT } from "../harness";

const CONFIG: Record<string, string | undefined> = { dev: undefined, staging: undefined, prod: "prod.json" };

/** The opt-outs the stacks carry: resource name → rule ids. */
const EXPECTED_SKIPS: Record<string, Record<string, string[]>> = {
    dev: { "monitoring-cadvisor-1": ["5.32", "5.5", "5.6"], "monitoring-node-exporter-1": ["5.32", "5.6"], "portainer-portainer-1": ["5.32"] },
    // Swarm services cannot be privileged: cAdvisor runs without (its OOM events are lost there).
    staging: { "monitoring-cadvisor": ["5.32", "5.6"], "monitoring-node-exporter": ["5.32", "5.6"] },
    prod: { "monitoring-cadvisor": ["5.32", "5.5", "5.6"], "monitoring-node-exporter": ["5.32", "5.6"] },
};

describe("policy/stacks: dev, staging and prod pass the pack", () => {
    for (const stack of Object.keys(CONFIG)) {
        describe(stack, () => {
            let resources: RenderedResource[];
            before(async function () {
                this.timeout(300_000);
                resources = await renderStack(stack, REPO_ROOT);
            });

            it(`no mandatory violation at ${CONFIG[stack] ?? "the rules' default levels"}, and no bad opt-out`, () => {
                const file = CONFIG[stack];
                const levels = effectiveLevels(file ? JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", file), "utf8")) : {});
                const blocking: string[] = [];
                let judged = 0;
                for (const r of resources) {
                    blocking.push(...optOutsOf(r.type, r.inputs as Record<string, unknown>).problems.map((p) => `${r.name}: ${p}`));
                    for (const [id, v] of judgeAll(r.type, r.inputs as Record<string, unknown>)) {
                        judged++;
                        if (levels.get(RULES_BY_ID.get(id)!.name) === "mandatory") blocking.push(...v.violations.map((m) => `${r.name}: CIS ${id}: ${m}`));
                    }
                }
                assert.ok(judged > 50, `only ${judged} verdicts: the stack's containers were not found`);
                assert.deepStrictEqual(blocking, []);
            });

            it("each opt-out is needed: without it the rule is violated", () => {
                const skips: Record<string, string[]> = {};
                for (const r of resources) {
                    for (const [id, v] of judgeAll(r.type, r.inputs as Record<string, unknown>)) {
                        if (v.skipped !== undefined) (skips[r.name] ??= []).push(id);
                    }
                }
                for (const ids of Object.values(skips)) ids.sort();
                assert.deepStrictEqual(skips, EXPECTED_SKIPS[stack]);
            });
        });
    }
});
