/**
 * Issue 13, workloads on Kubernetes: which services run once (Jobs), schedules (CronJobs),
 * placement, the checks the API server would make, and the `x-kubernetes` equivalents of kompose's labels.
 */
import * as assert from "assert";
import { AppInput, ServiceInput } from "../../../components/spec/input";
import { runsOnce, serves } from "../../../components/spec/lifecycle";
import { defineApp } from "../../../components/spec/normalize";
import { AppSpec } from "../../../components/spec/types";
import {
    convertApp, convertContext, cronProblem, KubernetesTarget, toContainer, toCronJob, toDeployment, toHpa, toJob, toPodSpec, toVolumes, workloadKind,
} from "../../../components/targets/kubernetes";
import { kubernetesFindings } from "../../../components/targets/kubernetes/support";
import { toRestartPolicy } from "../../../components/targets/swarm/restart";
import { assertSpecError } from "../../harness";

function app(services: Record<string, ServiceInput>, rest: Partial<AppInput> = {}): AppSpec {
    return defineApp({ name: "demo", services, ...rest }, { projectDir: "/project" });
}
const ctxOf = (spec: AppSpec) => convertContext(spec, {});
const kinds = (spec: AppSpec) => Object.fromEntries(Object.values(spec.services).map((s) => [s.name, workloadKind(ctxOf(spec), s)]));
const warnings = (spec: AppSpec) => kubernetesFindings(spec).filter((f) => f.level === "warning").map((f) => `${f.path}: ${f.message}`);

/** A SpecError at exactly `path` with exactly `value`, whose reason says `says`. */
function specError(fn: () => unknown, path: string, value: unknown, says: string): void {
    const e = assertSpecError(fn, says);
    assert.strictEqual(e.path, path);
    assert.deepStrictEqual(e.value, value);
}
type Obj = Record<string, unknown>;
const pod = (spec: AppSpec, name: string) => toPodSpec(ctxOf(spec), spec.services[name]) as unknown as Obj;

describe("kubernetes workloads: which services run once", () => {
    const spec = app({
        once: { image: "a", restart: "no" },
        retry: { image: "a", restart: "on-failure:3" },
        retryForever: { image: "a", restart: "on-failure" },
        published: { image: "a", restart: "on-failure", ports: ["8080:80"] },
        listening: { image: "a", restart: "no", ports: ["80"] },
        exposed: { image: "a", restart: "no", expose: [5432] },
        started: { image: "a", restart: "no" },
        healthy: { image: "a", restart: "no" },
        awaited: { image: "a", ports: ["9000:9000"] },
        client: {
            image: "a",
            dependsOn: { started: { condition: "service_started" }, healthy: { condition: "service_healthy" }, awaited: { condition: "service_completed_successfully" } },
        },
        short: { image: "a", dependsOn: ["plain"] },
        plain: { image: "a", restart: "no" },
        implicit: { image: "a" },
        always: { image: "a", restart: "always" },
        deployAny: { image: "a", restart: "no", deploy: { restartPolicy: { condition: "any" } } },
        deployOnFailure: { image: "a", restart: "no", deploy: { restartPolicy: { condition: "on-failure" } } },
        deployNone: { image: "a", ports: ["8081:80"], deploy: { restartPolicy: { condition: "none" } } },
    });

    it("an explicit restart no/on-failure is a Job, unless the service serves; Compose's default and deploy.restart_policy any/on-failure are not", () => {
        assert.deepStrictEqual(kinds(spec), {
            once: "Job", retry: "Job", retryForever: "Job",
            published: "Deployment", listening: "Deployment", exposed: "Deployment", started: "Deployment", healthy: "Deployment",
            awaited: "Job", client: "Deployment", short: "Deployment", plain: "Deployment", implicit: "Deployment", always: "Deployment",
            deployAny: "Deployment", deployOnFailure: "Deployment", deployNone: "Job",
        });
        assert.deepStrictEqual(["published", "exposed", "plain", "once"].map((n) => serves(spec, spec.services[n])), [true, true, true, false]);
    });

    it("the server that keeps restart no is told its restart policy is ignored, and why", () => {
        const w = warnings(spec);
        assert.ok(w.some((x) => x.startsWith('services.published.restart.policy: "on-failure" is ignored: the service listens on ports or others wait for it to start')), w.join("\n"));
        assert.ok(!w.some((x) => x.startsWith("services.once.restart")), "a Job honours restart no");
    });

    it("Jobs: restart no → Never without retries; on-failure:N → OnFailure with N retries; 0 (unlimited) and none given → 6", () => {
        const job = (name: string) => {
            const j = toJob(ctxOf(spec), spec.services[name]).spec as { backoffLimit: number; template: { spec: { restartPolicy: string } } };
            return [j.template.spec.restartPolicy, j.backoffLimit];
        };
        assert.deepStrictEqual([job("once"), job("retry"), job("retryForever")], [["Never", 0], ["OnFailure", 3], ["OnFailure", 6]]);
        const zero = app({ j: { image: "a", deploy: { restartPolicy: { condition: "on-failure", maxAttempts: 0 } }, "x-kubernetes": { workload: "Job" } } });
        assert.strictEqual((toJob(ctxOf(zero), zero.services.j).spec as { backoffLimit: number }).backoffLimit, 6);
        const max = app({ j: { image: "a", restart: "on-failure:9", deploy: { restartPolicy: { condition: "on-failure", maxAttempts: 2 } }, "x-kubernetes": { workload: "Job" } } });
        assert.strictEqual((toJob(ctxOf(max), max.services.j).spec as { backoffLimit: number }).backoffLimit, 2, "deploy.restart_policy.max_attempts wins");
    });

    it("the shared rule leaves Swarm as it was: an explicit policy is translated, the default only for awaited services", () => {
        const rp = (name: string) => toRestartPolicy(spec, spec.services[name], `services.${name}`)?.condition;
        assert.deepStrictEqual([rp("once"), rp("retry"), rp("published"), rp("implicit"), rp("awaited")], ["none", "on-failure", "on-failure", undefined, "none"]);
        assert.deepStrictEqual(["once", "published", "implicit", "awaited", "deployNone"].map((n) => runsOnce(spec, spec.services[n])), [true, false, false, true, true]);
    });
});

describe("kubernetes workloads: schedules", () => {
    const spec = app({
        backup: { image: "a", restart: "on-failure:2", "x-kubernetes": { schedule: "30 2 * * MON-FRI", concurrencyPolicy: "Forbid", timeZone: "Europe/Paris" } },
        hourly: { image: "a", "x-kubernetes": { schedule: "@hourly", workload: "CronJob" } },
    });

    it("x-kubernetes.schedule → a batch/v1 CronJob whose jobs are the service's Job", () => {
        assert.deepStrictEqual(kinds(spec), { backup: "CronJob", hourly: "CronJob" });
        const c = toCronJob(ctxOf(spec), spec.services.backup) as unknown as { metadata: { name: string; labels: object }; spec: Obj & { jobTemplate: { metadata: { labels: object }; spec: Obj } } };
        assert.deepStrictEqual([c.metadata.name, c.spec.schedule, c.spec.concurrencyPolicy, c.spec.timeZone], ["backup", "30 2 * * MON-FRI", "Forbid", "Europe/Paris"]);
        assert.deepStrictEqual(c.spec.jobTemplate.metadata.labels, c.metadata.labels);
        assert.deepStrictEqual(c.spec.jobTemplate.spec, toJob(ctxOf(spec), spec.services.backup).spec);
        const hourly = toCronJob(ctxOf(spec), spec.services.hourly).spec as unknown as Obj;
        assert.deepStrictEqual([hourly.schedule, hourly.concurrencyPolicy, hourly.timeZone], ["@hourly", undefined, undefined]);
    });

    it("is planned with the CronJob type token, which the target can create", () => {
        const plan = new KubernetesTarget().plan(spec, { name: "demo" });
        assert.deepStrictEqual(plan.findings.filter((f) => f.level === "error"), []);
        const r = plan.resources.find((x) => x.key === "workload/backup")!;
        assert.strictEqual(r.type, "kubernetes:batch/v1:CronJob");
        assert.ok(new KubernetesTarget().factories[r.type]);
    });

    it("cron syntax is checked as the CronJob controller reads it", () => {
        for (const ok of ["* * * * *", "*/5 0-6,22 1 JAN-mar sun", "0 0 ? * 1-5", "@daily", "@midnight", " 15 4 * * * "]) assert.strictEqual(cronProblem(ok), undefined, ok);
        assert.match(cronProblem("* * * *")!, /five fields .* not 4/);
        assert.match(cronProblem("60 * * * *")!, /minute: "60" is outside 0-59/);
        assert.match(cronProblem("0 0 0 * *")!, /day of month/);
        assert.match(cronProblem("0 0 * 13 *")!, /month/);
        assert.match(cronProblem("0 0 * * 7")!, /day of week/);
        assert.match(cronProblem("*/0 * * * *")!, /step/);
        assert.match(cronProblem("? * * * *")!, /minute/);
        assert.match(cronProblem("@every 5m")!, /unknown macro/);
        assert.match(cronProblem("TZ=UTC 0 * * * *")!, /timeZone/);
    });

    it("bad settings are SpecErrors at their x-kubernetes path, before anything is converted", () => {
        const ext = (e: object, more: Partial<ServiceInput> = {}) => ctxOf(app({ j: { image: "a", ...more, "x-kubernetes": e } }));
        const at = "services.j.x-kubernetes";
        specError(() => ext({ schedule: "61 * * * *" }), `${at}.schedule`, "61 * * * *", "not a cron schedule");
        specError(() => ext({ schedule: 5 }), `${at}.schedule`, 5, "must be a string");
        specError(() => ext({ schedule: "@daily", concurrencyPolicy: "Never" }), `${at}.concurrencyPolicy`, "Never", "Allow, Forbid, Replace");
        specError(() => ext({ schedule: "@daily", timeZone: "Europe/../Paris" }), `${at}.timeZone`, "Europe/../Paris", "IANA");
        specError(() => ext({ schedule: "@daily", workload: "Deployment" }), `${at}.workload`, "Deployment", "runs as a CronJob");
        specError(() => ext({ workload: "CronJob" }), `${at}.workload`, "CronJob", "needs a schedule");
        specError(() => ext({ concurrencyPolicy: "Forbid" }), `${at}.concurrencyPolicy`, "Forbid", "set schedule too");
        specError(() => ext({ schedule: "@daily" }, { deploy: { mode: "global" } }), `${at}.schedule`, "@daily", "global");
        const scaled = app({ j: { image: "a", deploy: { resources: { reservations: { cpus: 1 } } }, "x-kubernetes": { schedule: "@daily", autoscaling: { maxReplicas: 3 } } } });
        specError(() => convertApp(scaled, {}), `${at}.autoscaling`, "CronJob", "cannot be autoscaled");
    });

    it("a scheduled service others wait for to complete: a warning, since it does not run at deploy time", () => {
        const waited = app({ seed: { image: "a", "x-kubernetes": { schedule: "@daily" } }, web: { image: "b", dependsOn: { seed: { condition: "service_completed_successfully" } } } });
        assert.ok(warnings(waited).some((w) => w.startsWith("services.seed.x-kubernetes.schedule: the service runs on its schedule (a CronJob), not at deploy time")));
    });
});

describe("kubernetes workloads: placement", () => {
    const spec = app({
        ne: { image: "a", deploy: { placement: { constraints: ["node.labels.disk != hdd", "node.hostname!=old-1", "node.labels.zone==eu-1", "node.platform.os != windows"] } } },
        manager: { image: "a", deploy: { placement: { constraints: ["node.role == manager"] } } },
        worker: { image: "a", deploy: { placement: { constraints: ["node.role==worker"] } } },
        notManager: { image: "a", deploy: { placement: { constraints: ["node.role != manager"] } } },
        spread: { image: "a", deploy: { placement: { preferences: [{ spread: "node.labels.zone" }, { spread: "node.labels.rack" }, { spread: "engine.labels.x" }] } } },
        alone: { image: "a", replicas: 3, deploy: { placement: { maxReplicasPerNode: 1 } } },
        two: { image: "a", replicas: 4, deploy: { placement: { maxReplicasPerNode: 2 } } },
        other: { image: "a", deploy: { placement: { constraints: ["node.id == abc", "engine.labels.os==linux"] } } },
    });
    const sel = { matchLabels: { "app.kubernetes.io/part-of": "demo", "app.kubernetes.io/component": "alone" } };

    it("== stays a nodeSelector; != becomes node affinity NotIn", () => {
        const p = pod(spec, "ne");
        assert.deepStrictEqual(p.nodeSelector, { zone: "eu-1" });
        assert.deepStrictEqual(p.affinity, {
            nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                    nodeSelectorTerms: [{
                        matchExpressions: [
                            { key: "disk", operator: "NotIn", values: ["hdd"] },
                            { key: "kubernetes.io/hostname", operator: "NotIn", values: ["old-1"] },
                            { key: "kubernetes.io/os", operator: "NotIn", values: ["windows"] },
                        ],
                    }],
                },
            },
        });
        assert.strictEqual(p.tolerations, undefined);
    });

    it("node.role: manager → the control-plane label exists (and its taint is tolerated), worker → it does not", () => {
        const expr = (name: string) => (pod(spec, name).affinity as { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: unknown[] }[] } } })
            .nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions;
        const cp = "node-role.kubernetes.io/control-plane";
        assert.deepStrictEqual([expr("manager"), expr("worker"), expr("notManager")], [[{ key: cp, operator: "Exists" }], [{ key: cp, operator: "DoesNotExist" }], [{ key: cp, operator: "DoesNotExist" }]]);
        assert.deepStrictEqual(pod(spec, "manager").tolerations, [{ key: cp, operator: "Exists", effect: "NoSchedule" }]);
        assert.deepStrictEqual([pod(spec, "worker").tolerations, pod(spec, "manager").nodeSelector], [undefined, undefined]);
    });

    it("spread preferences → topology spread (maxSkew 1, ScheduleAnyway); max_replicas_per_node 1 → anti-affinity per node and stop-first updates", () => {
        const matchLabels = (n: string) => ({ matchLabels: { "app.kubernetes.io/part-of": "demo", "app.kubernetes.io/component": n } });
        assert.deepStrictEqual(pod(spec, "spread").topologySpreadConstraints, [
            { maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: matchLabels("spread") },
            { maxSkew: 1, topologyKey: "rack", whenUnsatisfiable: "ScheduleAnyway", labelSelector: matchLabels("spread") },
        ]);
        assert.deepStrictEqual(pod(spec, "alone").affinity, { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: sel, topologyKey: "kubernetes.io/hostname" }] } });
        assert.deepStrictEqual((toDeployment(ctxOf(spec), spec.services.alone).spec as unknown as Obj).strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
        assert.deepStrictEqual([pod(spec, "two").affinity, (toDeployment(ctxOf(spec), spec.services.two).spec as unknown as Obj).strategy], [undefined, undefined]);
    });

    it("what has no equivalent is reported: node.id, engine labels, engine-label spreads, more than one replica per node", () => {
        const w = warnings(spec);
        for (const expected of [
            "services.other.deploy.placement.constraints: ignored: node.id == abc, engine.labels.os==linux",
            "services.spread.deploy.placement.preferences: spread over engine.labels.x is ignored",
            "services.two.deploy.placement.maxReplicasPerNode: ignored: Kubernetes can keep pods apart (at most 1 per node), not cap them at 2 per node",
        ]) assert.ok(w.some((x) => x.startsWith(expected)), `${expected}\n${w.join("\n")}`);
        assert.ok(!w.some((x) => /services\.(ne|manager|worker|alone)\./.test(x)), w.join("\n"));
    });

    it("a node label Kubernetes cannot hold, or a platform a != excludes, is an error", () => {
        const bad = app({ b: { image: "a", deploy: { placement: { constraints: ["node.labels.zone==eu:1"] } } } });
        specError(() => pod(bad, "b"), "services.b.deploy.placement.constraints[0]", "node.labels.zone==eu:1", "cannot be a Kubernetes node label");
        const clash = app({ c: { image: "a", platform: "linux/arm64", deploy: { placement: { constraints: ["node.platform.arch != aarch64"] } } } });
        specError(() => pod(clash, "c"), "services.c.platform", "linux/arm64", "contradicts the placement constraints");
    });
});

describe("kubernetes workloads: what the API server would refuse", () => {
    it("Bidirectional mount propagation (rshared, shared) only in a privileged container", () => {
        const spec = app({
            agent: { image: "a", volumes: ["/var/lib/docker:/var/lib/docker:rshared"], "x-kubernetes": { allowHostPath: true } },
            shared: { image: "a", volumes: [{ type: "bind", source: "/mnt", target: "/mnt", bind: { propagation: "shared" } }], "x-kubernetes": { allowHostPath: true } },
            privileged: { image: "a", privileged: true, volumes: ["/var/lib/docker:/var/lib/docker:rshared"], "x-kubernetes": { allowHostPath: true } },
            slave: { image: "a", volumes: ["/mnt:/mnt:rslave"], "x-kubernetes": { allowHostPath: true } },
        });
        specError(() => toVolumes(ctxOf(spec), spec.services.agent), "services.agent.volumes[0]", "rshared", "only in privileged containers");
        specError(() => toVolumes(ctxOf(spec), spec.services.shared), "services.shared.volumes[0]", "shared", "only in privileged containers");
        assert.strictEqual(toVolumes(ctxOf(spec), spec.services.privileged).volumeMounts[0].mountPropagation, "Bidirectional");
        assert.strictEqual(toVolumes(ctxOf(spec), spec.services.slave).volumeMounts[0].mountPropagation, "HostToContainer");
    });

    it("an environment variable without a name is an error", () => {
        const spec = app({ w: { image: "a", environment: ["=x", "A=1"] } });
        specError(() => toContainer(ctxOf(spec), spec.services.w), "services.w.environment", "=x", "needs a name");
    });

    it("mode: global with another workload kind is reported, not dropped silently", () => {
        const spec = app({
            g: { image: "a", deploy: { mode: "global" }, "x-kubernetes": { workload: "Deployment" } },
            d: { image: "a", deploy: { mode: "global" }, "x-kubernetes": { workload: "DaemonSet" } },
        });
        assert.deepStrictEqual(kinds(spec), { g: "Deployment", d: "DaemonSet" });
        const w = warnings(spec);
        assert.ok(w.includes("services.g.mode: x-kubernetes.workload Deployment wins: the service runs as a Deployment, not one pod per node"), w.join("\n"));
        assert.ok(!w.some((x) => x.startsWith("services.d.mode")));
    });

    it("sysctls outside the kubelet's safe set are reported", () => {
        const spec = app({
            safe: { image: "a", sysctls: { "net.ipv4.ip_local_port_range": "1024 65000", "net.ipv4.tcp_keepalive_time": 600, "net/ipv4/tcp_syncookies": 1 } },
            unsafe: { image: "a", sysctls: { "net.core.somaxconn": 1024, "net.ipv4.tcp_keepalive_intvl": 10, "vm.max_map_count": 262144 } },
        });
        const w = warnings(spec);
        assert.ok(w.some((x) => x.startsWith("services.unsafe.sysctls: net.core.somaxconn, vm.max_map_count: not a safe sysctl")), w.join("\n"));
        assert.ok(!w.some((x) => x.startsWith("services.safe.sysctls")));
    });
});

describe("kubernetes workloads: x-kubernetes equivalents of kompose labels", () => {
    const at = "services.web.x-kubernetes";
    const web = (ext: object, more: Partial<ServiceInput> = {}) => app({ web: { image: "a", ports: [{ target: 8080, published: 80, name: "http" }], ...more, "x-kubernetes": ext } });

    it("probes: HTTP and TCP, each replacing the healthcheck's, by number or by port name", () => {
        const spec = web(
            {
                probes: {
                    readiness: { httpGet: { path: "/ready", port: "http", scheme: "HTTP" }, periodSeconds: 5, failureThreshold: 2, successThreshold: 2 },
                },
            },
            { healthcheck: { test: ["CMD", "true"], interval: "10s" } },
        );
        const c = toContainer(ctxOf(spec), spec.services.web);
        assert.deepStrictEqual(c.readinessProbe, { httpGet: { path: "/ready", port: "http", scheme: "HTTP" }, periodSeconds: 5, successThreshold: 2, failureThreshold: 2 });
        assert.deepStrictEqual((c.livenessProbe as Obj).exec, { command: ["true"] }, "the healthcheck's liveness stays");
        const tcp = web({ probes: { liveness: { tcpSocket: { port: 8080 }, initialDelaySeconds: 15, timeoutSeconds: 2 } } });
        const t = toContainer(ctxOf(tcp), tcp.services.web);
        assert.deepStrictEqual([t.livenessProbe, t.readinessProbe], [{ tcpSocket: { port: 8080 }, initialDelaySeconds: 15, timeoutSeconds: 2 }, undefined]);
    });

    it("probes are checked as the API server checks them, with their paths", () => {
        specError(() => ctxOf(web({ probes: { startup: {} } })), `${at}.probes.startup`, "startup", "unknown key");
        specError(() => ctxOf(web({ probes: { readiness: { periodSeconds: 3 } } })), `${at}.probes.readiness`, undefined, "exactly one of httpGet or tcpSocket");
        specError(() => ctxOf(web({ probes: { readiness: { httpGet: { port: 80 }, tcpSocket: { port: 80 } } } })), `${at}.probes.readiness`, ["httpGet", "tcpSocket"], "exactly one");
        specError(() => ctxOf(web({ probes: { readiness: { httpGet: { port: 70000 } } } })), `${at}.probes.readiness.httpGet.port`, 70000, "port number");
        specError(() => ctxOf(web({ probes: { readiness: { httpGet: { port: 80, path: "ready" } } } })), `${at}.probes.readiness.httpGet.path`, "ready", "start with /");
        specError(() => ctxOf(web({ probes: { readiness: { httpGet: { port: 80, host: "x" } } } })), `${at}.probes.readiness.httpGet.host`, "host", "unknown key");
        specError(() => ctxOf(web({ probes: { readiness: { tcpSocket: { port: 80 }, periodSeconds: 0 } } })), `${at}.probes.readiness.periodSeconds`, 0, "1 or more");
        specError(() => ctxOf(web({ probes: { liveness: { tcpSocket: { port: 80 }, successThreshold: 2 } } })), `${at}.probes.liveness.successThreshold`, 2, "must be 1");
        const unnamed = web({ probes: { readiness: { tcpSocket: { port: "grpc" } } } });
        specError(() => toContainer(ctxOf(unnamed), unnamed.services.web), `${at}.probes.readiness.tcpSocket.port`, "grpc", 'no port named "grpc" (its ports: http)');
    });

    it("imagePullPolicy, imagePullSecrets, fsGroup", () => {
        const spec = web({ imagePullPolicy: "Always", imagePullSecrets: ["regcred", "other.cred"], fsGroup: 2000 }, { sysctls: { "kernel.shm_rmid_forced": 1 } });
        assert.strictEqual(toContainer(ctxOf(spec), spec.services.web).imagePullPolicy, "Always");
        const p = pod(spec, "web");
        assert.deepStrictEqual(p.imagePullSecrets, [{ name: "regcred" }, { name: "other.cred" }]);
        assert.deepStrictEqual(p.securityContext, { sysctls: [{ name: "kernel.shm_rmid_forced", value: "1" }], fsGroup: 2000 });
        assert.deepStrictEqual(pod(web({ imagePullSecrets: "regcred" }), "web").imagePullSecrets, [{ name: "regcred" }], "one name, as kompose's label takes it");
        specError(() => ctxOf(web({ imagePullPolicy: "always" })), `${at}.imagePullPolicy`, "always", "Always, IfNotPresent, Never");
        specError(() => ctxOf(web({ imagePullSecrets: ["ok", "Bad_Name"] })), `${at}.imagePullSecrets[1]`, "Bad_Name", "object name");
        specError(() => ctxOf(web({ imagePullSecrets: [] })), `${at}.imagePullSecrets`, [], "a Secret name or a list");
        specError(() => ctxOf(web({ fsGroup: -1 })), `${at}.fsGroup`, -1, "group id");
        specError(() => ctxOf(web({ fsGroup: "1000" })), `${at}.fsGroup`, "1000", "group id");
    });

    it("serviceAccountName: an existing account, its own token setting; with clusterRoleRules an error", () => {
        const spec = web({ serviceAccountName: "deployer" });
        const p = pod(spec, "web");
        assert.deepStrictEqual([p.serviceAccountName, p.automountServiceAccountToken], ["deployer", undefined]);
        assert.strictEqual(convertApp(spec, {}).workloads[0].rbac, undefined, "no account is created");
        specError(() => ctxOf(web({ serviceAccountName: "Deployer" })), `${at}.serviceAccountName`, "Deployer", "object name");
        const both = web({ serviceAccountName: "deployer", clusterRoleRules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] });
        specError(() => ctxOf(both), `${at}.serviceAccountName`, "deployer", "cannot also run as an existing one");
    });

    it("autoscaling on memory, alone or with CPU; memory needs a memory reservation", () => {
        const reserved = { deploy: { resources: { reservations: { cpus: 0.5, memory: "256m" } } } };
        const metrics = (a: object) => {
            const spec = web({ autoscaling: a }, reserved);
            return (toHpa(ctxOf(spec), spec.services.web, "Deployment")!.spec as { metrics: { resource: { name: string; target: { averageUtilization: number } } }[] }).metrics
                .map((m) => [m.resource.name, m.resource.target.averageUtilization]);
        };
        assert.deepStrictEqual(metrics({ maxReplicas: 4 }), [["cpu", 80]]);
        assert.deepStrictEqual(metrics({ maxReplicas: 4, memoryUtilization: 70 }), [["memory", 70]]);
        assert.deepStrictEqual(metrics({ maxReplicas: 4, memoryUtilization: 70, cpuUtilization: 60 }), [["cpu", 60], ["memory", 70]]);
        // Memory alone needs no CPU request.
        assert.doesNotThrow(() => ctxOf(web({ autoscaling: { maxReplicas: 4, memoryUtilization: 70 } }, { deploy: { resources: { reservations: { memory: "256m" } } } })));
        specError(() => ctxOf(web({ autoscaling: { maxReplicas: 4, memoryUtilization: 70 } }, { deploy: { resources: { reservations: { cpus: 1 } } } })),
            `${at}.autoscaling.memoryUtilization`, 70, "needs a memory request");
        specError(() => ctxOf(web({ autoscaling: { maxReplicas: 4, memoryUtilization: 0 } }, reserved)), `${at}.autoscaling.memoryUtilization`, 0, "whole percentage");
        specError(() => ctxOf(web({ autoscaling: { maxReplicas: 4, memoryUtilization: 70, cpuUtilization: 50 } }, { deploy: { resources: { reservations: { memory: "1g" } } } })),
            `${at}.autoscaling`, undefined, "needs a CPU request");
    });

    it("unknown keys are still refused, naming the new ones", () => {
        specError(() => ctxOf(web({ imagePullPolcy: "Always" })), `${at}.imagePullPolcy`, "imagePullPolcy", "imagePullPolicy, imagePullSecrets, fsGroup, serviceAccountName");
    });
});
