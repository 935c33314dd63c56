import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { effectiveLevels, packConfigProblems, POLICY_LEVELS } from "../../policy/config";
import { policies } from "../../policy/policies";
import { OPT_OUT_POLICY_NAME, RULES } from "../../policy/rules";
import { REPO_ROOT } from "../harness";
import { CONTAINER, DEPLOYMENT, dockerContainer, deployment } from "./fixtures";

/** What the policy SDK hands a policy, enough for ours. */
function args(type: string, props: Record<string, unknown>): ResourceValidationArgs {
    return {
        type, props, urn: `urn:pulumi:t::p::${type}::r`, name: "r", opts: {} as ResourceValidationArgs["opts"],
        isType: () => false, asType: () => undefined, getConfig: () => ({}) as never,
        notApplicable: (reason?: string) => { throw new NotApplicable(reason ?? ""); },
    } as unknown as ResourceValidationArgs;
}
class NotApplicable extends Error {}

function run(name: string, type: string, props: Record<string, unknown>): string[] {
    const policy = policies.find((p) => p.name === name);
    assert.ok(policy, name);
    const reported: string[] = [];
    (policy.validateResource as (a: ResourceValidationArgs, r: (m: string) => void) => void)(args(type, props), (m) => reported.push(m));
    return reported;
}

describe("policy/pack: the policies served to the engine", () => {
    it("one policy per rule plus the opt-out check, with names the engine accepts and the rule's id in them", () => {
        assert.strictEqual(policies.length, RULES.length + 1);
        assert.strictEqual(new Set(policies.map((p) => p.name)).size, policies.length);
        for (const p of policies) assert.match(p.name, /^[a-zA-Z0-9-_.]{1,100}$/);
        for (const r of RULES) {
            assert.ok(r.name.startsWith(`cis-${r.id}-`), r.name);
            const p = policies.find((x) => x.name === r.name)!;
            assert.strictEqual(p.enforcementLevel, r.level);
            assert.ok(p.description.startsWith(`CIS Docker Benchmark ${r.id}: ${r.title}.`), p.description);
        }
        assert.strictEqual(policies.find((p) => p.name === OPT_OUT_POLICY_NAME)?.enforcementLevel, "mandatory");
    });

    it("a violation is reported with the benchmark id, the container and the reason", () => {
        assert.deepStrictEqual(run("cis-5.5-privileged", CONTAINER, dockerContainer({ privileged: true })), ["CIS 5.5: container shop-web-1: runs privileged: every device and capability of the host"]);
        assert.deepStrictEqual(run("cis-5.5-privileged", CONTAINER, dockerContainer()), []);
    });

    it("a rule a target cannot be judged on is reported as not applicable", () => {
        assert.throws(() => run("cis-5.15-restart-limit", DEPLOYMENT, deployment()), (e: unknown) => e instanceof NotApplicable && /back off/.test(e.message));
    });

    it("the opt-out policy reports a label without a reason", () => {
        const props = dockerContainer({ labels: [{ label: "dev.dockyard.cis.skip.5.13", value: "" }] });
        assert.deepStrictEqual(run(OPT_OUT_POLICY_NAME, CONTAINER, props).map((m) => m.slice(0, 40)), ["label dev.dockyard.cis.skip.5.13 opts ou"]);
    });

    it("the pack is described by policy/PulumiPolicy.yaml and runs compiled, through policy/package.json", () => {
        const dir = path.join(REPO_ROOT, "policy");
        assert.match(fs.readFileSync(path.join(dir, "PulumiPolicy.yaml"), "utf8"), /^runtime: nodejs$/m);
        const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
        assert.ok(pkg.version, "the policy SDK reads the pack's version from package.json");
        assert.ok(fs.existsSync(path.resolve(dir, pkg.main)), `${pkg.main} is built by tsc`);
    });
});

describe("policy/config: enforcement levels", () => {
    it("without configuration each rule has its own level", () => {
        const levels = effectiveLevels();
        for (const r of RULES) assert.strictEqual(levels.get(r.name), r.level);
    });

    it("all, then a policy's own entry (string or object), as the Pulumi CLI reconciles them", () => {
        const levels = effectiveLevels({ all: "mandatory", "cis-5.13-read-only-rootfs": "advisory", "cis-5.5-privileged": { enforcementLevel: "disabled" } });
        assert.strictEqual(levels.get("cis-5.13-read-only-rootfs"), "advisory");
        assert.strictEqual(levels.get("cis-5.5-privileged"), "disabled");
        assert.strictEqual(levels.get("cis-2.2-icc"), "mandatory");
    });

    it("mistakes are named with the file, the key and the value", () => {
        assert.deepStrictEqual(packConfigProblems({ all: "strict", "cis-5.5-priv": "advisory", "cis-5.13-read-only-rootfs": { enforcementLevel: 3 } }, "prod.json"), [
            'prod.json: "all": "strict" is not an enforcement level; use one of advisory, mandatory, remediate, disabled',
            'prod.json: "cis-5.5-priv" names no policy of this pack (did you mean cis-5.5-privileged?); the Pulumi CLI would ignore it',
            'prod.json: "cis-5.13-read-only-rootfs": 3 is not an enforcement level; use one of advisory, mandatory, remediate, disabled',
        ]);
        assert.deepStrictEqual(packConfigProblems(["all"], "x.json"), ['x.json: must be a JSON object of policy names (or "all") to enforcement levels (got ["all"])']);
    });

    it("the project's configuration files are valid, and prod makes every rule mandatory but the gaps listed", () => {
        const files = fs.readdirSync(path.join(REPO_ROOT, "policy")).filter((f) => f.endsWith(".json") && f !== "package.json");
        assert.deepStrictEqual(files, ["prod.json"]);
        const prod = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "policy", "prod.json"), "utf8"));
        assert.deepStrictEqual(packConfigProblems(prod, "policy/prod.json"), []);
        const advisory = [...effectiveLevels(prod)].filter(([, l]) => l !== "mandatory").map(([n]) => n);
        assert.deepStrictEqual(advisory, ["cis-4.1-non-root-user", "cis-5.11-memory-limit", "cis-5.12-cpu-limit", "cis-5.13-read-only-rootfs", "cis-5.27-healthcheck"]);
        assert.strictEqual(POLICY_LEVELS.size, policies.length);
    });
});
