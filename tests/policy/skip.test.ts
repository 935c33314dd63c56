import * as assert from "assert";
import { judgeRule, optOutsOf } from "../../policy/judge";
import { RULES_BY_ID } from "../../policy/rules";
import { parseOptOuts, SKIP_PREFIX } from "../../policy/skip";
import { COMMAND, CONTAINER, DEPLOYMENT, SERVICE, daemonCommand, deployment, dockerContainer, swarmService } from "./fixtures";

const privileged = (labels: { label: string; value: unknown }[]) => dockerContainer({ privileged: true, labels });

describe("policy/skip: opting a resource out of a rule", () => {
    it("a label with a reason opts out of that rule only", () => {
        const props = privileged([{ label: "dev.dockyard.cis.skip.5.5", value: "cAdvisor reads /dev/kmsg" }]);
        assert.strictEqual(judgeRule(RULES_BY_ID.get("5.5")!, CONTAINER, props).skipped, "cAdvisor reads /dev/kmsg");
        const other = judgeRule(RULES_BY_ID.get("5.13")!, CONTAINER, { ...props, readOnly: false });
        assert.strictEqual(other.violations.length, 1);
        assert.deepStrictEqual(optOutsOf(CONTAINER, props).problems, []);
    });

    it("a label without a reason is a problem naming the label and the rule, and the rule stays in force", () => {
        for (const value of ["", "   ", undefined]) {
            const props = privileged([{ label: "dev.dockyard.cis.skip.5.5", value }]);
            assert.deepStrictEqual(optOutsOf(CONTAINER, props).problems, [
                `label dev.dockyard.cis.skip.5.5 opts out of CIS 5.5 (Ensure that privileged containers are not used) without a reason: its value must say why (got ${JSON.stringify(value)})`,
            ]);
            assert.strictEqual(judgeRule(RULES_BY_ID.get("5.5")!, CONTAINER, props).violations.length, 1);
        }
    });

    it("a label naming no rule is a problem listing the rules there are", () => {
        const props = privileged([{ label: "dev.dockyard.cis.skip.5.99", value: "because" }, { label: "dev.dockyard.cis.skip.privileged", value: "because" }]);
        const problems = optOutsOf(CONTAINER, props).problems;
        assert.strictEqual(problems.length, 2);
        assert.match(problems[0], /^label dev\.dockyard\.cis\.skip\.5\.99="because" names no rule of this pack: "5\.99" is not one of 2\.2, 2\.5, .*, 5\.32$/);
        assert.match(problems[1], /skip\.privileged="because" names no rule/);
    });

    it("other labels are never read (their values may be unknown during a preview)", () => {
        const labels = new Proxy([{ label: "dev.dockyard.files" }, { label: "dev.dockyard.app", value: "shop" }], {});
        Object.defineProperty(labels[0], "value", { get: () => { throw new Error("unknown value read"); } });
        assert.deepStrictEqual(optOutsOf(CONTAINER, dockerContainer({ labels })).problems, []);
    });

    it("Swarm: on the service or its containers; Kubernetes: labels or annotations of the workload or its pod template", () => {
        const reason = "the reason";
        const svc = swarmService({ labels: [{ label: "dev.dockyard.cis.skip.4.1", value: reason }], user: undefined });
        assert.strictEqual(judgeRule(RULES_BY_ID.get("4.1")!, SERVICE, svc).skipped, reason);
        const svc2 = swarmService({ user: undefined }, {}, { labels: [{ label: "dev.dockyard.cis.skip.4.1", value: reason }] });
        assert.strictEqual(judgeRule(RULES_BY_ID.get("4.1")!, SERVICE, svc2).skipped, reason);
        const wl = deployment({}, { hostPID: true });
        (wl.metadata as { annotations?: Record<string, string> }).annotations = { "dev.dockyard.cis.skip.5.16": reason };
        assert.strictEqual(judgeRule(RULES_BY_ID.get("5.16")!, DEPLOYMENT, wl).skipped, reason);
        const wl2 = deployment({}, { hostPID: true }, { metadata: { labels: { "dev.dockyard.cis.skip.5.16": "pid-debugging" } } });
        assert.strictEqual(judgeRule(RULES_BY_ID.get("5.16")!, DEPLOYMENT, wl2).skipped, "pid-debugging");
    });

    it("a daemon opts out in daemon.json's labels, and a bad one is named as a daemon.json label", () => {
        const props = daemonCommand({ liveRestore: false, labels: { "dev.dockyard.cis.skip.2.15": "", "dev.dockyard.cis.skip.2.99": "x" } });
        assert.deepStrictEqual(optOutsOf(COMMAND, props).problems.map((p) => p.slice(0, 52)), [
            "daemon.json label dev.dockyard.cis.skip.2.15 opts ou",
            'daemon.json label dev.dockyard.cis.skip.2.99="x" nam',
        ]);
    });

    it("parseOptOuts keeps only the prefix and sorts the problems", () => {
        const { reasons, problems } = parseOptOuts(new Map<string, unknown>([[`${SKIP_PREFIX}5.6`, " reads /proc "], [`${SKIP_PREFIX}1.1`, "x"], ["dev.dockyard.app", "shop"]]));
        assert.deepStrictEqual([...reasons], [["5.6", "reads /proc"]]);
        assert.strictEqual(problems.length, 1);
    });
});
