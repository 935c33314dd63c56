/**
 * The CIS policy pack (policy/) under the real CLI: `pulumi preview --policy-pack policy`, the
 * pack served by the project's language host (RunPlugin) from its compiled code. A mandatory
 * violation stops the preview and names the rule; an opt-out with a reason lets it through, one
 * without is itself refused; the pack's configuration sets the levels; the project's stacks pass
 * (dev on the Docker engine and staging as Swarm services with the rules' default levels, prod
 * on the test cluster with policy/prod.json, the level it runs with). Previews only: nothing is created, and each stack's
 * throw-away copy is removed afterwards.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { exists, run, Stack } from "./engine";
import { testCluster } from "./kube";
import { REPO_ROOT } from "../harness";

const PACK = path.join(REPO_ROOT, "policy");
const PROD_CONFIG = path.join(PACK, "prod.json");
const PREVIEW_MS = 10 * 60_000;

/** One privileged container, opted out of 5.5 with the reason in the `probe:skip` config value, if set. */
const PROBE = `
import * as pulumi from "@pulumi/pulumi";
import * as docker from "@pulumi/docker";
const skip = new pulumi.Config("probe").get("skip");
new docker.Container("probe", {
    name: "policy-e2e-probe",
    image: "busybox:1.36",
    privileged: true,
    memory: 67108864,
    labels: skip === undefined ? [] : [{ label: "dev.dockyard.cis.skip.5.5", value: skip }],
});
`;

/** `pulumi preview` with the pack (and a configuration file); the output both streams together. */
function preview(stack: Stack, config?: string): { status: number; out: string } {
    const r = stack.pulumi(["preview", "--policy-pack", PACK, ...(config ? ["--policy-pack-config", config] : [])], { allowFail: true, timeoutMs: PREVIEW_MS });
    return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("CIS policy pack: pulumi preview --policy-pack", function () {
    describe("a privileged container", function () {
        let stack: Stack | undefined;
        let tmp: string;
        before(function () {
            stack = new Stack({ stack: "policy-probe", configFrom: "dev", program: PROBE, timeoutMs: PREVIEW_MS });
            tmp = fs.mkdtempSync(path.join(stack.dir, "pack-config-"));
        });
        after(function () {
            stack?.close();
        });

        it("stops the preview: CIS 5.5 is mandatory, named with the container", function () {
            const { status, out } = preview(stack!);
            assert.notStrictEqual(status, 0, out);
            assert.match(out, /\[mandatory\]\s+cis-5\.5-privileged\s+\(docker:index:Container: probe\)/);
            assert.match(out, /CIS 5\.5: container policy-e2e-probe: runs privileged/);
            // Advisory findings are listed too, and do not stop anything by themselves.
            assert.match(out, /\[advisory\]\s+cis-5\.13-read-only-rootfs/);
        });

        it("passes with an opt-out that gives a reason", function () {
            stack!.setConfig("probe:skip", "the probe needs the host's devices");
            const { status, out } = preview(stack!);
            assert.strictEqual(status, 0, out);
            assert.doesNotMatch(out, /cis-5\.5-privileged/);
            assert.match(out, /\[advisory\]\s+cis-5\.13-read-only-rootfs/);
        });

        it("refuses an opt-out without a reason, naming the label", function () {
            stack!.setConfig("probe:skip", " ");
            const { status, out } = preview(stack!);
            assert.notStrictEqual(status, 0, out);
            assert.match(out, /\[mandatory\]\s+cis-opt-out-labels/);
            assert.match(out, /label dev\.dockyard\.cis\.skip\.5\.5 opts out of CIS 5\.5 \(Ensure that privileged containers are not used\) without a reason/);
            assert.match(out, /\[mandatory\]\s+cis-5\.5-privileged/);
        });

        it("the pack's configuration sets the level: 5.5 advisory lets it through, all mandatory stops it on 5.13 too", function () {
            stack!.pulumi(["config", "rm", "probe:skip"], { timeoutMs: 60_000 });
            const advisory = path.join(tmp, "advisory.json");
            fs.writeFileSync(advisory, JSON.stringify({ "cis-5.5-privileged": "advisory" }));
            const a = preview(stack!, advisory);
            assert.strictEqual(a.status, 0, a.out);
            assert.match(a.out, /\[advisory\]\s+cis-5\.5-privileged/);
            const strict = path.join(tmp, "strict.json");
            fs.writeFileSync(strict, JSON.stringify({ all: "mandatory" }));
            const s = preview(stack!, strict);
            assert.notStrictEqual(s.status, 0, s.out);
            assert.match(s.out, /\[mandatory\]\s+cis-5\.13-read-only-rootfs/);
        });

        it("a configuration with an invalid level is refused, naming the policy and the value", function () {
            const bad = path.join(tmp, "bad.json");
            fs.writeFileSync(bad, JSON.stringify({ "cis-5.5-privileged": "strict" }));
            const { status, out } = preview(stack!, bad);
            assert.notStrictEqual(status, 0, out);
            assert.match(out, /cis-5\.5-privileged/);
            assert.match(out, /"strict" is not a valid enforcement level/);
        });
    });

    it("npm run up (scripts/up.sh) runs the pack, with policy/<stack>.json as its configuration, and creates nothing when it stops", function () {
        // A copy of what up.sh needs, with the probe as the program and a stack of its own whose
        // pack configuration makes 5.13 mandatory too.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-e2e-policy-up-"));
        try {
            for (const f of ["Pulumi.yaml", "package.json", "tsconfig.json", "components", "stacks", "scripts", "policy"]) {
                fs.cpSync(path.join(REPO_ROOT, f), path.join(dir, f), { recursive: true });
            }
            // scripts/engine.sh keys its toolchain on tools/engine: the same files find the same toolchain.
            fs.cpSync(path.join(REPO_ROOT, "tools", "engine"), path.join(dir, "tools", "engine"), { recursive: true, filter: (src) => !src.includes(`${path.sep}.upstream`) });
            fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"));
            fs.symlinkSync(path.join(REPO_ROOT, "bin"), path.join(dir, "bin"));
            fs.writeFileSync(path.join(dir, "index.ts"), PROBE);
            fs.writeFileSync(path.join(dir, "stacks", "Pulumi.policy-up.yaml"), "config:\n  dockyard:runtime: docker\n");
            fs.writeFileSync(path.join(dir, "policy", "policy-up.json"), JSON.stringify({ "cis-5.13-read-only-rootfs": "mandatory" }));
            fs.mkdirSync(path.join(dir, "state"));
            const r = run("scripts/up.sh", ["policy-up", "--yes", "--non-interactive"], {
                cwd: dir,
                allowFail: true,
                timeoutMs: PREVIEW_MS,
                env: { ...process.env, PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`, PULUMI_CONFIG_PASSPHRASE: "dockyard-e2e", PULUMI_NODEJS_TRANSPILE_ONLY: "true", NO_COLOR: "1" },
            });
            const out = `${r.stdout}\n${r.stderr}`;
            assert.notStrictEqual(r.status, 0, out);
            assert.match(out, /\[mandatory\]\s+cis-5\.5-privileged/);
            assert.match(out, /\[mandatory\]\s+cis-5\.13-read-only-rootfs/);
            assert.ok(!exists("container", "policy-e2e-probe"), "the probe container was created");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    describe("the project's stacks pass", function () {
        it("dev, on the Docker engine, at the rules' default levels (the agents' and Portainer's opt-outs hold)", function () {
            const stack = new Stack({ stack: "dev", timeoutMs: PREVIEW_MS });
            try {
                const { status, out } = preview(stack);
                assert.strictEqual(status, 0, out);
                assert.match(out, /dockyard-cis-docker@v0\.1\.0/);
                assert.doesNotMatch(out, /\[mandatory\]/);
                assert.doesNotMatch(out, /can't run policy/);
                assert.match(out, /\[advisory\]\s+cis-5\.13-read-only-rootfs\s+\(docker:index:Container: wordpress-wordpress-1\)/);
            } finally {
                stack.close();
            }
        });

        it("staging, Swarm services, at the rules' default levels; no rule is left unjudged for lack of a value", function () {
            const stack = new Stack({ stack: "staging", timeoutMs: PREVIEW_MS });
            try {
                const { status, out } = preview(stack);
                assert.strictEqual(status, 0, out);
                assert.doesNotMatch(out, /\[mandatory\]/);
                assert.doesNotMatch(out, /can't run policy/);
                assert.match(out, /\[advisory\]\s+cis-5\.29-pids-limit\s+\(docker:index:Service: wordpress-wordpress\)/);
            } finally {
                stack.close();
            }
        });

        it("prod, on the test cluster, with policy/prod.json: every rule mandatory but the gaps it lists", function () {
            const cluster = testCluster();
            const stack = new Stack({ stack: "prod", timeoutMs: PREVIEW_MS });
            try {
                stack.setConfig("kubeconfig", fs.readFileSync(cluster.kubeconfig, "utf8"), true);
                stack.setConfig("kubeContext", cluster.context);
                stack.setConfig("k8sServiceType", "NodePort");
                const { status, out } = preview(stack, PROD_CONFIG);
                assert.strictEqual(status, 0, out);
                assert.doesNotMatch(out, /\[mandatory\]/);
                assert.doesNotMatch(out, /can't run policy/);
                assert.match(out, /\[advisory\]\s+cis-5\.13-read-only-rootfs\s+\(kubernetes:apps\/v1:Deployment: wordpress-wordpress\)/);
                // Without the gaps' exceptions, prod does not pass: the configuration is what lets it.
                const strict = path.join(stack.dir, "all-mandatory.json");
                fs.writeFileSync(strict, JSON.stringify({ all: "mandatory" }));
                const s = preview(stack, strict);
                assert.notStrictEqual(s.status, 0, s.out);
                assert.match(s.out, /\[mandatory\]\s+cis-4\.1-non-root-user/);
                assert.doesNotMatch(s.out, /\[mandatory\]\s+cis-5\.(5|6|32)-/);
            } finally {
                stack.close();
            }
        });
    });
});
