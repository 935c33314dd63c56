import * as assert from "assert";
import { AppInput, ServiceInput } from "../../../components/spec/input";
import { defineApp } from "../../../components/spec/normalize";
import { AppSpec } from "../../../components/spec/types";
import {
    convertContext, KubernetesTargetArgs, kubeName, convertApp, podLabels, selectorLabels, serviceObjectLabels, splitLabels,
    toClusterService, toConfigMap, toContainer, toDaemonSet, toDeployment, toHpa, toJob, toMillicores, toNamespace,
    toNetworkPolicy, toPersistentVolumeClaim, toPodSpec, toProbes, toPublicService, toResources, toRollingUpdate, toSecret,
    toSecurityContext, toServices, toStatefulSet, toVolumes, workloadKind,
    podServiceAccount, rbacName, toClusterRole, toClusterRoleBinding, toServiceAccount,
} from "../../../components/targets/kubernetes";
import { kubernetesFindings } from "../../../components/targets/kubernetes/support";
import { assertSpecError } from "../../harness";
import { richApp, richAppWith } from "./fixture";

function app(services: Record<string, ServiceInput>, rest: Partial<AppInput> = {}): AppSpec {
    return defineApp({ name: "demo", services, ...rest }, { projectDir: "/project" });
}
/** The warnings of `spec` on Kubernetes, as `path: message`. */
function unsupportedSettings(spec: AppSpec): string[] {
    return kubernetesFindings(spec).filter((f) => f.level === "warning").map((f) => `${f.path}: ${f.message}`);
}
function ctxOf(spec: AppSpec, args: KubernetesTargetArgs = {}) {
    return convertContext(spec, args);
}

const DEMO = { "app.kubernetes.io/part-of": "demo", "app.kubernetes.io/managed-by": "dockyard", "dev.dockyard.app": "demo", "dev.dockyard.managed-by": "dockyard" };
function svcLabels(service: string, image: string) {
    return {
        "dev.dockyard.app": "demo",
        "dev.dockyard.managed-by": "dockyard",
        "dev.dockyard.service": service,
        "app.kubernetes.io/name": image,
        "app.kubernetes.io/instance": `demo-${service}`,
        "app.kubernetes.io/managed-by": "dockyard",
        "app.kubernetes.io/part-of": "demo",
        "app.kubernetes.io/component": service,
    };
}

describe("kubernetes names and labels", () => {
    it("converts Compose names to DNS names and rejects collisions", () => {
        assert.strictEqual(kubeName("My_DB.primary"), "my-db-primary");
        assertSpecError(() => ctxOf(app({ my_db: { image: "a" }, "my-db": { image: "b" } })), 'services.my_db and services.my-db both become the Kubernetes service name "my-db"');
        assertSpecError(() => ctxOf(app({ "1web": { image: "a" } })), "services.1web", "starting with a letter", '"1web"');
    });

    it("labels: recommended set, dockyard keys, selector from stable labels only, networks on pods", () => {
        const spec = app({ web: { image: "docker.io/library/nginx:1.27@sha256:abc", labels: { team: "a", rule: "Host(`x`)" }, networks: ["front"] } }, { networks: { front: {} } });
        const ctx = ctxOf(spec);
        const s = spec.services.web;
        assert.deepStrictEqual(selectorLabels(ctx, s), { "app.kubernetes.io/part-of": "demo", "app.kubernetes.io/component": "web" });
        assert.deepStrictEqual(serviceObjectLabels(ctx, s), svcLabels("web", "nginx"));
        assert.deepStrictEqual(podLabels(ctx, s), { team: "a", ...svcLabels("web", "nginx"), "dev.dockyard.network/front": "true" });
        assert.deepStrictEqual(splitLabels({ ok: "v", rule: "Host(`x`)" }), { labels: { ok: "v" }, annotations: { rule: "Host(`x`)" } });
    });

    it("a namespace named after the app", () => {
        assert.deepStrictEqual(toNamespace(ctxOf(app({ web: { image: "a" } }))), { apiVersion: "v1", kind: "Namespace", metadata: { name: "demo", labels: DEMO } });
    });
});

describe("kubernetes probes and resources", () => {
    it("CMD → exec argv, durations rounded up to whole seconds", () => {
        const h = app({ w: { image: "a", healthcheck: { test: ["CMD", "pg_isready", "-U", "x"], interval: "2500ms", timeout: "200ms", retries: 4, startPeriod: "1s" } } }).services.w.healthcheck;
        const probe = { exec: { command: ["pg_isready", "-U", "x"] }, periodSeconds: 3, timeoutSeconds: 1, failureThreshold: 4, initialDelaySeconds: 1 };
        assert.deepStrictEqual(toProbes(h), { livenessProbe: probe, readinessProbe: probe });
    });

    it("CMD-SHELL → /bin/sh -c, Docker's defaults when unset, retries 0 as the default", () => {
        const h = app({ w: { image: "a", healthcheck: { test: ["CMD-SHELL", "curl -f localhost || exit 1"], retries: 0 } } }).services.w.healthcheck;
        const probe = { exec: { command: ["/bin/sh", "-c", "curl -f localhost || exit 1"] }, periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 };
        assert.deepStrictEqual(toProbes(h), { livenessProbe: probe, readinessProbe: probe });
    });

    it("no probes for a disabled or image-inherited healthcheck", () => {
        assert.strictEqual(toProbes(app({ w: { image: "a", healthcheck: { disable: true } } }).services.w.healthcheck), undefined);
        assert.strictEqual(toProbes(app({ w: { image: "a", healthcheck: { interval: "5s" } } }).services.w.healthcheck), undefined);
    });

    it("reservations → requests, limits → limits; CPUs in millicores, memory in bytes", () => {
        assert.strictEqual(toMillicores(0.5), "500m");
        assert.strictEqual(toMillicores(0.0001), "1m");
        assert.strictEqual(toMillicores(2), "2000m");
        const r = app({ w: { image: "a", deploy: { resources: { limits: { cpus: "1.5", memory: "1g" }, reservations: { memory: "512m" } } } } }).services.w.resources;
        assert.deepStrictEqual(toResources(r), { requests: { memory: "536870912" }, limits: { cpu: "1500m", memory: "1073741824" } });
        assert.strictEqual(toResources(app({ w: { image: "a" } }).services.w.resources), undefined);
    });
});

describe("kubernetes workload kinds", () => {
    const services: Record<string, ServiceInput> = {
        server: { image: "a" },
        crashy: { image: "a", restart: "on-failure" },
        crashyServer: { image: "a", restart: "on-failure", ports: ["8080"] },
        once: { image: "a", deploy: { restartPolicy: { condition: "none" } } },
        migrate: { image: "a" },
        api: { image: "a", dependsOn: { migrate: { condition: "service_completed_successfully" } } },
        agent: { image: "a", deploy: { mode: "global" } },
        db: { image: "a", volumes: ["data:/data"] },
        forced: { image: "a", "x-kubernetes": { workload: "StatefulSet" } },
    };
    const spec = app(services, { volumes: { data: {} } });

    it("global → DaemonSet, run-once → Job (explicit on-failure too, unless it serves), stableStorage → StatefulSet", () => {
        const kinds = (args: KubernetesTargetArgs) => Object.fromEntries(Object.values(spec.services).map((s) => [s.name, workloadKind(ctxOf(spec, args), s)]));
        assert.deepStrictEqual(kinds({}), {
            server: "Deployment", crashy: "Job", crashyServer: "Deployment", once: "Job", migrate: "Job", api: "Deployment", agent: "DaemonSet", db: "Deployment", forced: "StatefulSet",
        });
        assert.strictEqual(kinds({ stableStorage: true }).db, "StatefulSet");
    });

    it("update config → rolling update by order and parallelism", () => {
        assert.deepStrictEqual(toRollingUpdate({}), { maxUnavailable: 1, maxSurge: 0 });
        assert.deepStrictEqual(toRollingUpdate({ parallelism: 2, order: "stop-first" }), { maxUnavailable: 2, maxSurge: 0 });
        assert.deepStrictEqual(toRollingUpdate({ parallelism: 3, order: "start-first" }), { maxUnavailable: 0, maxSurge: 3 });
        assert.deepStrictEqual(toRollingUpdate({ parallelism: 0 }), { maxUnavailable: "100%", maxSurge: 0 });
    });

    it("a Deployment: the service's replicas, selector, Recreate when it holds a claim", () => {
        const two = app({ ...services, db: { ...services.db, replicas: 2 } }, { volumes: { data: {} } });
        const d = toDeployment(ctxOf(two), two.services.db);
        assert.deepStrictEqual(d, {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "db", namespace: "demo", labels: svcLabels("db", "a") },
            spec: {
                replicas: 2,
                selector: { matchLabels: { "app.kubernetes.io/part-of": "demo", "app.kubernetes.io/component": "db" } },
                strategy: { type: "Recreate" },
                template: {
                    metadata: { labels: { ...svcLabels("db", "a"), "dev.dockyard.network/default": "true" } },
                    spec: {
                        containers: [{ name: "db", image: "a", volumeMounts: [{ name: "volume-data", mountPath: "/data" }] }],
                        volumes: [{ name: "volume-data", persistentVolumeClaim: { claimName: "data" } }],
                        automountServiceAccountToken: false,
                    },
                },
            },
        });
    });

    it("a Job: OnFailure with on-failure:N retries, Never without restarts", () => {
        const jobs = app({ m: { image: "a", restart: "on-failure:3", deploy: { restartPolicy: { condition: "on-failure" } } }, n: { image: "a", deploy: { restartPolicy: { condition: "none" } }, replicas: 2 } });
        const ctx = ctxOf(jobs);
        const m = toJob(ctx, jobs.services.m);
        assert.deepStrictEqual(m.spec, {
            backoffLimit: 3,
            template: { metadata: { labels: { ...svcLabels("m", "a"), "dev.dockyard.network/default": "true" } }, spec: { containers: [{ name: "m", image: "a" }], automountServiceAccountToken: false, restartPolicy: "OnFailure" } },
        });
        const n = toJob(ctx, jobs.services.n) as { spec: { backoffLimit: number; completions: number; parallelism: number; template: { spec: { restartPolicy: string } } } };
        assert.deepStrictEqual([n.spec.backoffLimit, n.spec.completions, n.spec.parallelism, n.spec.template.spec.restartPolicy], [0, 2, 2, "Never"]);
    });

    it("a DaemonSet with a rolling update", () => {
        const d = toDaemonSet(ctxOf(richApp()), richApp().services.node_exporter);
        assert.deepStrictEqual((d.spec as { updateStrategy: unknown }).updateStrategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "100%", maxSurge: 0 } });
        assert.strictEqual((d.metadata as { name: string }).name, "node-exporter");
        const pod = (d.spec as unknown as { template: { spec: Record<string, unknown> } }).template.spec;
        assert.deepStrictEqual([pod.hostPID, pod.nodeSelector, pod.runtimeClassName], [true, { "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64" }, "runsc"]);
    });

    it("a StatefulSet: claim templates instead of shared claims, headless governing Service", () => {
        const sized = app(services, { volumes: { data: { "x-kubernetes": { size: "5Gi" } } } });
        const ctx = ctxOf(sized, { stableStorage: true, storageClass: "ssd" });
        const st = toStatefulSet(ctx, sized.services.db);
        const stSpec = st.spec as { serviceName: string; volumeClaimTemplates: unknown; template: { spec: { volumes?: unknown } } };
        assert.strictEqual(stSpec.serviceName, "db");
        assert.strictEqual(stSpec.template.spec.volumes, undefined);
        assert.deepStrictEqual(stSpec.volumeClaimTemplates, [
            { metadata: { name: "volume-data", labels: DEMO }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "ssd", resources: { requests: { storage: "5Gi" } } } },
        ]);
        assert.deepStrictEqual(toServices(ctx, sized.services.db, "StatefulSet"), [
            { apiVersion: "v1", kind: "Service", metadata: { name: "db", namespace: "demo", labels: svcLabels("db", "a") }, spec: { type: "ClusterIP", clusterIP: "None", selector: selectorLabels(ctx, sized.services.db) } },
        ]);
        assert.deepStrictEqual(convertApp(spec, { stableStorage: true }).claims, []);
    });

    it("a StatefulSet's volume cannot be shared with another service", () => {
        const shared = app({ a: { image: "a", volumes: ["data:/d"] }, b: { image: "b", volumes: ["data:/d"] } }, { volumes: { data: {} } });
        assertSpecError(() => convertApp(shared, { stableStorage: true }), "services.a.volumes", 'volume "data" cannot also be mounted by service "b"');
    });
});

describe("kubernetes Services", () => {
    it("ClusterIP with every listening port at its container port; public NodePort at the published ports", () => {
        const spec = richApp();
        const ctx = ctxOf(spec);
        const web = spec.services.web;
        const sel = { "app.kubernetes.io/part-of": "shop", "app.kubernetes.io/component": "web" };
        assert.deepStrictEqual((toClusterService(ctx, web) as { spec: unknown }).spec, {
            type: "ClusterIP",
            selector: sel,
            ports: [
                { name: "tcp-80", port: 80, targetPort: 80, protocol: "TCP" },
                { name: "https", port: 443, targetPort: 443, protocol: "TCP" },
                { name: "udp-53", port: 53, targetPort: 53, protocol: "UDP" },
                { name: "tcp-9000", port: 9000, targetPort: 9000, protocol: "TCP" },
            ],
        });
        const pub = toPublicService(ctx, web) as { metadata: { name: string; annotations: unknown }; spec: unknown };
        assert.strictEqual(pub.metadata.name, "web-public");
        assert.deepStrictEqual(pub.metadata.annotations, { "example.com/lb": "internal" });
        assert.deepStrictEqual(pub.spec, {
            type: "NodePort",
            selector: sel,
            ports: [
                { name: "tcp-8080", port: 8080, targetPort: 80, protocol: "TCP" },
                { name: "https", port: 30443, targetPort: 443, protocol: "TCP", nodePort: 30443 },
                { name: "udp-5353", port: 5353, targetPort: 53, protocol: "UDP" },
            ],
        });
    });

    it("LoadBalancer by default, ClusterIP by extension, headless for dnsrr and without ports", () => {
        const spec = app({ a: { image: "a", ports: ["80"] }, b: { image: "b", ports: ["81:80"], "x-kubernetes": { serviceType: "ClusterIP" } }, c: { image: "c", expose: [5432], deploy: { endpointMode: "dnsrr" } }, d: { image: "d" } });
        const ctx = ctxOf(spec);
        assert.deepStrictEqual((toPublicService(ctx, spec.services.a) as { spec: unknown }).spec, {
            type: "LoadBalancer", selector: selectorLabels(ctx, spec.services.a), ports: [{ name: "tcp-80", port: 80, targetPort: 80, protocol: "TCP" }],
        });
        assert.strictEqual(toPublicService(ctx, spec.services.b), undefined);
        assert.strictEqual((toClusterService(ctx, spec.services.c) as { spec: { clusterIP: string } }).spec.clusterIP, "None");
        // No ports: still reachable by name, headless (no cluster IP, no ports), and nothing published.
        assert.deepStrictEqual(toServices(ctx, spec.services.d), [{
            apiVersion: "v1", kind: "Service", metadata: { name: "d", namespace: "demo", labels: svcLabels("d", "d") },
            spec: { type: "ClusterIP", clusterIP: "None", selector: selectorLabels(ctx, spec.services.d) },
        }]);
    });

    it("port names must fit Kubernetes (15 characters, lower case)", () => {
        const spec = app({ a: { image: "a", ports: [{ target: 80, published: 8080, protocol: "tcp", name: "Http_Frontend_Port" }] } });
        assertSpecError(() => toClusterService(ctxOf(spec), spec.services.a), "services.a.ports[0].name", '"Http_Frontend_Port"');
    });
});

describe("kubernetes pod", () => {
    const spec = richApp();
    const ctx = ctxOf(spec);
    const web = spec.services.web;

    it("container: entrypoint → command, command → args, env, probes, security, mounts, tty/stdin", () => {
        const c = toContainer(ctx, web) as unknown as Record<string, unknown>;
        assert.deepStrictEqual(c.command, ["/docker-entrypoint.sh"]);
        assert.deepStrictEqual(c.args, ["nginx", "-g", "daemon off;"]);
        assert.strictEqual(c.workingDir, "/srv");
        assert.deepStrictEqual(c.env, [{ name: "MODE", value: "prod" }, { name: "EMPTY", value: "" }]);
        assert.deepStrictEqual(c.securityContext, {
            runAsUser: 1000, runAsGroup: 2000, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] },
        });
        assert.deepStrictEqual([c.tty, c.stdin], [true, true]);
    });

    it("volumes: claim, anonymous and tmpfs emptyDir, secrets and configs as files via subPath, /dev/shm", () => {
        assert.deepStrictEqual(toVolumes(ctx, web), {
            volumes: [
                { name: "volume-assets", persistentVolumeClaim: { claimName: "assets" } },
                { name: "anonymous-1", emptyDir: {} },
                { name: "tmpfs-2", emptyDir: { medium: "Memory", sizeLimit: "67108864" } },
                { name: "secret-db-password", secret: { secretName: "db-password", defaultMode: 0o444 } },
                { name: "secret-api-key", secret: { secretName: "api-key", defaultMode: 0o400 } },
                { name: "config-nginx-conf", configMap: { name: "nginx-conf", defaultMode: 0o444 } },
                { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "67108864" } },
            ],
            volumeMounts: [
                { name: "volume-assets", mountPath: "/srv/assets", readOnly: true },
                { name: "anonymous-1", mountPath: "/cache" },
                { name: "tmpfs-2", mountPath: "/run" },
                { name: "secret-db-password", mountPath: "/run/secrets/db_password", subPath: "db_password", readOnly: true },
                { name: "secret-api-key", mountPath: "/etc/api/key", subPath: "api_key", readOnly: true },
                { name: "config-nginx-conf", mountPath: "/etc/nginx/nginx.conf", subPath: "nginx_conf", readOnly: true },
                { name: "dshm", mountPath: "/dev/shm" },
            ],
        });
    });

    it("bind mounts: a SpecError naming service, path and host path, or hostPath when allowed", () => {
        const b = app({ web: { image: "a", volumes: ["/srv/html:/usr/share/nginx/html:ro", { type: "bind", source: "/var/lib/x", target: "/x", bind: { propagation: "rslave" } }] } });
        assertSpecError(() => toVolumes(ctxOf(b), b.services.web), 'service "web"', "services.web.volumes[0]", "/srv/html", "/usr/share/nginx/html", "allowHostPath: true");
        assert.deepStrictEqual(toVolumes(ctxOf(b, { allowHostPath: true }), b.services.web), {
            volumes: [{ name: "host-0", hostPath: { path: "/srv/html" } }, { name: "host-1", hostPath: { path: "/var/lib/x" } }],
            volumeMounts: [
                { name: "host-0", mountPath: "/usr/share/nginx/html", readOnly: true },
                { name: "host-1", mountPath: "/x", mountPropagation: "HostToContainer" },
            ],
        });
        // A relative path is the deployer's (/project/html), never a node's: no hostPath, even when allowed (see storage.test.ts).
        const rel = app({ web: { image: "a", volumes: ["./html:/usr/share/nginx/html:ro"] } });
        assertSpecError(() => ctxOf(rel, { allowHostPath: true }), "services.web.volumes[0]", "/project/html", "does not exist");
    });

    it("bind mounts: x-kubernetes.allowHostPath allows them for one service only, and wins over the target", () => {
        const b = app({
            agent: { image: "a", volumes: ["/proc:/host/proc:ro"], "x-kubernetes": { allowHostPath: true } },
            web: { image: "a", volumes: ["/srv:/srv"] },
            strict: { image: "a", volumes: ["/srv:/srv"], "x-kubernetes": { allowHostPath: false } },
        });
        assert.deepStrictEqual(toVolumes(ctxOf(b), b.services.agent), {
            volumes: [{ name: "host-0", hostPath: { path: "/proc" } }],
            volumeMounts: [{ name: "host-0", mountPath: "/host/proc", readOnly: true }],
        });
        assertSpecError(() => toVolumes(ctxOf(b), b.services.web), "services.web.volumes[0]", "/srv", "allowHostPath: true", "x-kubernetes");
        assertSpecError(() => toVolumes(ctxOf(b, { allowHostPath: true }), b.services.strict), "services.strict.volumes[0]", "/srv");
        assertSpecError(() => convertApp(b, {}), "services.web.volumes[0]");
        const bad = app({ a: { image: "a", "x-kubernetes": { allowHostPath: "yes" } } });
        assertSpecError(() => ctxOf(bad), "services.a.x-kubernetes.allowHostPath", '"yes"');
    });

    it("pod spec: sysctls, grace period, hostname, host aliases, DNS added to the cluster's", () => {
        const p = toPodSpec(ctx, web) as unknown as Record<string, unknown>;
        assert.deepStrictEqual(p.securityContext, { sysctls: [{ name: "net.core.somaxconn", value: "1024" }] });
        assert.strictEqual(p.terminationGracePeriodSeconds, 90);
        assert.strictEqual(p.hostname, "web");
        assert.deepStrictEqual(p.hostAliases, [{ ip: "10.0.0.5", hostnames: ["db.local", "cache.local"] }]);
        assert.deepStrictEqual(p.dnsConfig, { nameservers: ["1.1.1.1"], searches: ["example.com"], options: [{ name: "ndots", value: "2" }, { name: "rotate" }] });
        assert.strictEqual(p.dnsPolicy, undefined);
    });

    it("host network, node selectors from placement; shared network namespaces and host-gateway are errors", () => {
        const s = app({
            h: { image: "a", networkMode: "host", deploy: { placement: { constraints: ["node.labels.disk==ssd", "node.platform.arch==x86_64", "node.role==manager"] } } },
            side: { image: "a", networkMode: "service:h" },
            gw: { image: "a", extraHosts: ["host.docker.internal:host-gateway"] },
        });
        const p = toPodSpec(ctxOf(s), s.services.h) as unknown as Record<string, unknown>;
        assert.deepStrictEqual([p.hostNetwork, p.dnsPolicy, p.nodeSelector], [true, "ClusterFirstWithHostNet", { disk: "ssd", "kubernetes.io/arch": "amd64" }]);
        assertSpecError(() => toPodSpec(ctxOf(s), s.services.side), "services.side.networkMode", '"service:h"');
        assertSpecError(() => toPodSpec(ctxOf(s), s.services.gw), "services.gw.extraHosts[0]", "host-gateway");
    });

    it("pid/ipc host, platform and runtime: hostPID, hostIPC, nodeSelector, runtimeClassName", () => {
        const s = app({
            agent: { image: "a", pid: "host", ipc: "host", platform: "linux/arm64/v8", runtime: "nvidia", deploy: { placement: { constraints: ["node.labels.gpu==yes"] } } },
            plain: { image: "a", pid: "service:agent", ipc: "shareable", runtime: "runc", platform: "windows" },
            wasm: { image: "a", platform: "wasi/wasm", runtime: "io.containerd.wasmedge.v1" },
            clash: { image: "a", platform: "linux/amd64", deploy: { placement: { constraints: ["node.platform.arch==aarch64"] } } },
            badRuntime: { image: "a", runtime: "my_runtime!" },
        });
        const pick = (name: string) => {
            const p = toPodSpec(ctxOf(s), s.services[name]) as unknown as Record<string, unknown>;
            return [p.hostPID, p.hostIPC, p.nodeSelector, p.runtimeClassName];
        };
        assert.deepStrictEqual(pick("agent"), [true, true, { gpu: "yes", "kubernetes.io/os": "linux", "kubernetes.io/arch": "arm64" }, "nvidia"]);
        assert.deepStrictEqual(pick("plain"), [undefined, undefined, { "kubernetes.io/os": "windows" }, undefined], "runc is the default; service: pid is only warned about");
        assert.deepStrictEqual(pick("wasm"), [undefined, undefined, undefined, "io.containerd.wasmedge.v1"], "wasm nodes are chosen by the runtime class");
        assertSpecError(() => toPodSpec(ctxOf(s), s.services.clash), "services.clash.platform", "contradicts the placement constraints", '"linux/amd64"');
        assertSpecError(() => toPodSpec(ctxOf(s), s.services.badRuntime), "services.badRuntime.runtime", '"my_runtime!"');
    });

    it("devices: seen at their own path by a privileged pod, a hostPath mount when renamed, an error when unprivileged", () => {
        const s = app({
            cadvisor: { image: "a", privileged: true, devices: ["/dev/kmsg"] },
            modem: { image: "a", privileged: true, devices: ["/dev/ttyUSB0:/dev/modem:r", "/dev/sdb:/dev/disk"], "x-kubernetes": { allowHostPath: true } },
            renamed: { image: "a", privileged: true, devices: ["/dev/ttyUSB0:/dev/modem"] },
            plain: { image: "a", devices: ["/dev/kmsg"] },
        });
        assert.deepStrictEqual(toVolumes(ctxOf(s), s.services.cadvisor), { volumes: [], volumeMounts: [] });
        assert.deepStrictEqual(toVolumes(ctxOf(s), s.services.modem), {
            volumes: [{ name: "device-0", hostPath: { path: "/dev/ttyUSB0" } }, { name: "device-1", hostPath: { path: "/dev/sdb" } }],
            volumeMounts: [{ name: "device-0", mountPath: "/dev/modem", readOnly: true }, { name: "device-1", mountPath: "/dev/disk" }],
        });
        assertSpecError(() => toVolumes(ctxOf(s), s.services.renamed), "services.renamed.devices[0]", "allowHostPath: true", '"/dev/ttyUSB0:/dev/modem:rwm"');
        assertSpecError(() => toVolumes(ctxOf(s), s.services.plain), "services.plain.devices[0]", "only when privileged", "set privileged: true", '"/dev/kmsg:/dev/kmsg:rwm"');
    });

    it("security: names are not uids, privileged, and the combinations the API refuses", () => {
        const s = app({
            named: { image: "a", user: "postgres" },
            root: { image: "a", user: "root", privileged: true },
            bad: { image: "a", privileged: true, securityOpt: ["no-new-privileges"] },
            sysadmin: { image: "a", capAdd: ["SYS_ADMIN"], securityOpt: ["no-new-privileges:true"] },
        });
        assert.strictEqual(toSecurityContext(s.services.named), undefined);
        assert.deepStrictEqual(toSecurityContext(s.services.root), { runAsUser: 0, privileged: true });
        assertSpecError(() => toSecurityContext(s.services.bad), "services.bad.securityOpt", "no-new-privileges");
        assertSpecError(() => toSecurityContext(s.services.sysadmin), "services.sysadmin.capAdd", "SYS_ADMIN");
    });
});

describe("kubernetes API access (x-kubernetes.clusterRoleRules)", () => {
    const PODS = [{ apiGroups: [""], resources: ["pods", "endpoints"], verbs: ["get", "list", "watch"] }];
    const spec = app({ prom: { image: "prom/prometheus:v3", "x-kubernetes": { clusterRoleRules: PODS } }, web: { image: "nginx" } });
    const ctx = ctxOf(spec);
    const prom = spec.services.prom;

    it("a ServiceAccount in the namespace, named <namespace>-<service>", () => {
        assert.deepStrictEqual(toServiceAccount(ctx, prom), {
            apiVersion: "v1",
            kind: "ServiceAccount",
            metadata: { name: "demo-prom", namespace: "demo", labels: svcLabels("prom", "prometheus") },
        });
    });

    it("a cluster-scoped ClusterRole with the rules, and a binding to the ServiceAccount", () => {
        assert.deepStrictEqual(toClusterRole(ctx, prom), {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRole",
            metadata: { name: "demo-prom", labels: svcLabels("prom", "prometheus") },
            rules: [{ apiGroups: [""], resources: ["pods", "endpoints"], verbs: ["get", "list", "watch"] }],
        });
        assert.deepStrictEqual(toClusterRoleBinding(ctx, prom), {
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind: "ClusterRoleBinding",
            metadata: { name: "demo-prom", labels: svcLabels("prom", "prometheus") },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "demo-prom" },
            subjects: [{ kind: "ServiceAccount", name: "demo-prom", namespace: "demo" }],
        });
    });

    it("non-resource URLs and resource names; empty lists left out", () => {
        const s = app({ a: { image: "a", "x-kubernetes": { clusterRoleRules: [
            { nonResourceURLs: ["/metrics"], verbs: ["get"], apiGroups: [] },
            { apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"], verbs: ["patch"] },
        ] } } });
        assert.deepStrictEqual(toClusterRole(ctxOf(s), s.services.a)?.rules, [
            { nonResourceURLs: ["/metrics"], verbs: ["get"] },
            { apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["web"], verbs: ["patch"] },
        ]);
    });

    it("the pod runs as its ServiceAccount; pods of other services get no API token", () => {
        assert.deepStrictEqual(podServiceAccount(ctx, prom), { serviceAccountName: "demo-prom" });
        const p = toPodSpec(ctx, prom) as unknown as Record<string, unknown>;
        assert.deepStrictEqual([p.serviceAccountName, p.automountServiceAccountToken], ["demo-prom", undefined]);
        assert.deepStrictEqual(podServiceAccount(ctx, spec.services.web), { automountServiceAccountToken: false });
        assert.strictEqual(toServiceAccount(ctx, spec.services.web), undefined);
        assert.strictEqual(toClusterRole(ctx, spec.services.web), undefined);
        assert.strictEqual(toClusterRoleBinding(ctx, spec.services.web), undefined);
    });

    it("names follow a given namespace, so two apps' ClusterRoles do not collide", () => {
        const other = app({ my_prom: { image: "p", "x-kubernetes": { clusterRoleRules: PODS } } });
        const c = ctxOf(other, { namespace: "observability" });
        assert.strictEqual(rbacName(c, other.services.my_prom), "observability-my-prom");
        assert.deepStrictEqual(toClusterRoleBinding(c, other.services.my_prom)?.subjects, [{ kind: "ServiceAccount", name: "observability-my-prom", namespace: "observability" }]);
    });

    it("plan: RBAC objects only for the services with rules", () => {
        const p = convertApp(spec, {});
        assert.deepStrictEqual(p.workloads.map((w) => [w.service.name, w.rbac?.clusterRole.metadata]), [
            ["prom", { name: "demo-prom", labels: svcLabels("prom", "prometheus") }],
            ["web", undefined],
        ]);
    });

    it("bad rules are a SpecError with the rule's path, before anything is converted", () => {
        const bad = (rules: unknown) => app({ p: { image: "a", "x-kubernetes": { clusterRoleRules: rules } } });
        const where = "services.p.x-kubernetes.clusterRoleRules";
        assertSpecError(() => ctxOf(bad([{ apiGroups: [""], resources: ["pods"] }])), `${where}[0].verbs`, "at least one verb");
        assertSpecError(() => ctxOf(bad([{ apiGroups: [""], resources: ["pods"], verbs: [] }])), `${where}[0].verbs`, "[]");
        assertSpecError(() => ctxOf(bad([PODS[0], { resources: ["pods"], verbs: ["get"] }])), `${where}[1].apiGroups`, "API group");
        assertSpecError(() => ctxOf(bad([{ apiGroups: [""], verbs: ["get"] }])), `${where}[0].resources`, "at least one resource");
        assertSpecError(() => ctxOf(bad([{ apiGroups: [""], resources: ["pods"], nonResourceURLs: ["/metrics"], verbs: ["get"] }])), `${where}[0].nonResourceURLs`, "both", '["/metrics"]');
        assertSpecError(() => ctxOf(bad([{ apiGroups: [""], resources: ["pods"], verbs: "get" }])), `${where}[0].verbs`, '"get"');
        assertSpecError(() => ctxOf(bad([{ apiGroups: [""], resources: [""], verbs: ["get"] }])), `${where}[0].resources`, "non-empty");
        assertSpecError(() => ctxOf(bad([{ apiGroup: [""], resources: ["pods"], verbs: ["get"] }])), `${where}[0].apiGroup`, "unknown key");
        assertSpecError(() => ctxOf(bad([])), where, "at least one rule");
        assertSpecError(() => ctxOf(bad({ verbs: ["get"] })), where, "list");
        assertSpecError(() => ctxOf(bad(["get pods"])), `${where}[0]`, '"get pods"');
    });
});

describe("kubernetes storage, secrets, configs, policies, autoscaling", () => {
    const spec = richApp();

    it("a claim per named volume: default size, the volume's x-kubernetes.size, storage class, volume labels", () => {
        const sized = richAppWith({ volumes: { pgdata: { "x-kubernetes": { size: "50Gi" } } } });
        const ctx = ctxOf(sized, { storageClass: "fast", defaultVolumeSize: "2Gi" });
        assert.deepStrictEqual(toPersistentVolumeClaim(ctx, sized.volumes.pgdata), {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: { name: "pgdata", namespace: "shop", labels: { backup: "daily", ...shopLabels() } },
            spec: { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "50Gi" } } },
        });
        assert.deepStrictEqual((toPersistentVolumeClaim(ctx, sized.volumes.assets).spec as { resources: unknown }).resources, { requests: { storage: "2Gi" } });
        // One target, two apps: each claim takes its own app's size.
        assert.deepStrictEqual((toPersistentVolumeClaim(ctxOf(spec, { defaultVolumeSize: "2Gi" }), spec.volumes.pgdata).spec as { resources: unknown }).resources, { requests: { storage: "2Gi" } });
    });

    it("a volume's x-kubernetes is checked before anything is converted", () => {
        const withVolume = (ext: unknown, rest: object = {}) => richAppWith({ volumes: { pgdata: { "x-kubernetes": ext, ...rest } } });
        assertSpecError(() => ctxOf(withVolume({ size: "50 GB" })), "volumes.pgdata.x-kubernetes.size", '"50 GB"', "Kubernetes quantity");
        assertSpecError(() => ctxOf(withVolume({ size: 50 })), "volumes.pgdata.x-kubernetes.size", "50");
        assertSpecError(() => ctxOf(withVolume({ sizes: "1Gi" })), "volumes.pgdata.x-kubernetes.sizes", "unknown key: use size");
        assertSpecError(() => ctxOf(withVolume("1Gi")), "volumes.pgdata.x-kubernetes", "must be a map with size");
        assertSpecError(() => ctxOf(withVolume({ size: "1Gi" }, { external: true })), "volumes.pgdata.x-kubernetes.size", "external volume");
        assert.doesNotThrow(() => ctxOf(withVolume(null)));
    });

    it("a Secret with stringData and a ConfigMap, one entry each", () => {
        const ctx = ctxOf(spec);
        assert.deepStrictEqual(toSecret(ctx, spec.secrets.db_password, "s3cret"), {
            apiVersion: "v1", kind: "Secret", metadata: { name: "db-password", namespace: "shop", labels: shopLabels() }, type: "Opaque", stringData: { db_password: "s3cret" },
        });
        assert.deepStrictEqual(toConfigMap(ctx, spec.configs.nginx_conf, "events {}"), {
            apiVersion: "v1", kind: "ConfigMap", metadata: { name: "nginx-conf", namespace: "shop", labels: shopLabels() }, data: { nginx_conf: "events {}" },
        });
    });

    it("an internal network → a policy confining pods that are only on internal networks, plus DNS", () => {
        const ctx = ctxOf(spec);
        const member = { matchLabels: { "dev.dockyard.network/back": "true" } };
        assert.deepStrictEqual(toNetworkPolicy(ctx, spec.networks.back), {
            apiVersion: "networking.k8s.io/v1",
            kind: "NetworkPolicy",
            metadata: { name: "network-back", namespace: "shop", labels: shopLabels() },
            spec: {
                podSelector: { ...member, matchExpressions: [{ key: "dev.dockyard.network/front", operator: "DoesNotExist" }, { key: "dev.dockyard.network/default", operator: "DoesNotExist" }] },
                policyTypes: ["Ingress", "Egress"],
                ingress: [{ from: [{ podSelector: member }] }],
                egress: [
                    { to: [{ podSelector: member }] },
                    { to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }] },
                ],
            },
        });
        assert.strictEqual(toNetworkPolicy(ctx, spec.networks.front), undefined);
    });

    it("x-kubernetes.autoscaling → an HPA on CPU, the workload without replicas; needs a CPU request", () => {
        const scaled = richAppWith({ services: { web: { "x-kubernetes": { autoscaling: { maxReplicas: 9, cpuUtilization: 60 } } } } });
        const ctx = ctxOf(scaled);
        assert.deepStrictEqual(toHpa(ctx, scaled.services.web, "Deployment")?.spec, {
            scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
            minReplicas: 3,
            maxReplicas: 9,
            metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 60 } } }],
        });
        assert.strictEqual((toDeployment(ctx, scaled.services.web).spec as { replicas?: number }).replicas, undefined);
        // The other services keep their replica count and get no autoscaler.
        assert.strictEqual(toHpa(ctx, scaled.services.api, "Deployment"), undefined);
        assert.strictEqual((toDeployment(ctx, scaled.services.api).spec as { replicas?: number }).replicas, 1);
        // minReplicas given, utilization by default.
        const two = richAppWith({ services: { web: { "x-kubernetes": { autoscaling: { minReplicas: 2, maxReplicas: 4 } } } } });
        const spec2 = toHpa(ctxOf(two), two.services.web, "Deployment")?.spec as { minReplicas: number; maxReplicas: number; metrics: { resource: { target: unknown } }[] };
        assert.deepStrictEqual([spec2.minReplicas, spec2.maxReplicas, spec2.metrics[0].resource.target], [2, 4, { type: "Utilization", averageUtilization: 80 }]);
        // The x-kubernetes keys the service had stay: the merge is the fixture's, the target reads them all.
        assert.strictEqual((toPublicService(ctx, scaled.services.web) as { spec: { type: string } }).spec.type, "NodePort");
    });

    it("x-kubernetes.autoscaling is checked before anything is converted, with its path", () => {
        const scale = (service: string, autoscaling: unknown, more: Partial<ServiceInput> = {}) => richAppWith({ services: { [service]: { ...more, "x-kubernetes": { autoscaling } } } });
        const where = "services.web.x-kubernetes.autoscaling";
        assertSpecError(() => ctxOf(scale("api", { maxReplicas: 3 })), "services.api.x-kubernetes.autoscaling", "needs a CPU request");
        assertSpecError(() => ctxOf(scale("web", { maxReplicas: 2 })), `${where}.maxReplicas`, "at least minReplicas (3)");
        assertSpecError(() => ctxOf(scale("web", {})), `${where}.maxReplicas`, "whole number");
        assertSpecError(() => ctxOf(scale("web", { maxReplicas: 4, minReplicas: 0 })), `${where}.minReplicas`, "1 or more");
        assertSpecError(() => ctxOf(scale("web", { maxReplicas: 4, cpuUtilization: 0.5 })), `${where}.cpuUtilization`, "whole percentage");
        assertSpecError(() => ctxOf(scale("web", { max: 4 })), `${where}.max`, "unknown key: use minReplicas, maxReplicas, cpuUtilization");
        assertSpecError(() => ctxOf(scale("web", 4)), where, "must be a map");
        assertSpecError(() => ctxOf(scale("node_exporter", { maxReplicas: 2 })), "services.node_exporter.x-kubernetes.autoscaling", "global service");
        // A kind chosen by x-kubernetes.workload (or a run-once service) cannot be autoscaled either; convertApp() says so before anything exists.
        const cpu = { deploy: { resources: { reservations: { cpus: 0.1 } } } };
        const agent = app({ agent: { image: "a", ...cpu, "x-kubernetes": { workload: "DaemonSet", autoscaling: { maxReplicas: 2 } } } });
        assertSpecError(() => convertApp(agent, {}), "services.agent.x-kubernetes.autoscaling", "runs as a DaemonSet, which cannot be autoscaled");
    });

    it("target options: checked, defaults applied even over an explicit undefined, and no per-app settings", () => {
        const o = ctxOf(spec, { serviceType: undefined, nodeAddress: undefined, defaultVolumeSize: undefined, allowHostPath: undefined, stableStorage: undefined }).options;
        assert.deepStrictEqual(
            [o.serviceType, o.nodeAddress, o.defaultVolumeSize, o.allowHostPath, o.stableStorage],
            ["LoadBalancer", "localhost", "1Gi", false, false],
        );
        assert.deepStrictEqual((toPersistentVolumeClaim(ctxOf(spec, { defaultVolumeSize: undefined }), spec.volumes.pgdata).spec as { resources: unknown }).resources, { requests: { storage: "1Gi" } });
        // The old per-app options name where their setting went now (a JavaScript caller gets no compiler error).
        assertSpecError(() => ctxOf(spec, { volumeSizes: { pgdata: "2Gi" } } as never), "kubernetes.volumeSizes", "no longer a target option", "volumes.<key>.x-kubernetes.size");
        assertSpecError(() => ctxOf(spec, { replicas: { web: 2 } } as never), "kubernetes.replicas", "services.<name>.replicas");
        assertSpecError(() => ctxOf(spec, { autoscaling: { web: { maxReplicas: 2 } } } as never), "kubernetes.autoscaling", "services.<name>.x-kubernetes.autoscaling");
        assert.doesNotThrow(() => ctxOf(spec, { autoscaling: undefined } as never));
        assertSpecError(() => ctxOf(spec, { serviceType: "ClusterIP" as never }), "kubernetes.serviceType", '"ClusterIP"');
        assertSpecError(() => ctxOf(spec, { defaultVolumeSize: "1 GB" }), "kubernetes.defaultVolumeSize", '"1 GB"');
        assertSpecError(() => ctxOf(spec, { allowHostPath: "yes" as never }), "kubernetes.allowHostPath", '"yes"');
        const bad = app({ a: { image: "a", "x-kubernetes": { serviceType: "Ingress" } } });
        assertSpecError(() => ctxOf(bad), "services.a.x-kubernetes.serviceType", '"Ingress"');
    });

    it("ignored settings are reported with their path", () => {
        const s = app({
            my_app: { image: "a", build: ".", init: true, stopSignal: "SIGINT", user: "node", ulimits: { nofile: 1024 }, replicas: 2, volumes: ["d:/d"], labels: { rule: "Host(`x`)" } },
        }, { volumes: { d: {} } });
        assert.deepStrictEqual(unsupportedSettings(s), [
            `services.my_app: reachable in the cluster as "my-app", not "my_app" (Kubernetes names allow no '_', '.' or upper case)`,
            "services.my_app.mounts: several pods share one ReadWriteOnce claim, so they must all run on one node; use stableStorage (a claim per pod) or a ReadWriteMany storage class",
            'services.my_app.user: "node" is not numeric; Kubernetes needs a uid, so the image\'s default user applies',
            "services.my_app.labels: rule: not valid Kubernetes label values, put on the pods as annotations",
            "services.my_app.init: no Kubernetes equivalent; use an image with an init process (tini) if the process does not reap children",
            "services.my_app.stopSignal: not set (SIGINT); the image's STOPSIGNAL applies (Kubernetes before 1.33 has no per-container stop signal)",
            "services.my_app.ulimits: no Kubernetes equivalent; ulimits come from the container runtime's defaults",
        ]);
    });

    it("reports container_name, pid/ipc sharing, cgroup_parent, mac_address and unselectable platforms", () => {
        const s = app({
            db: { image: "a", containerName: "mysql_db", pid: "host", ipc: "private" },
            side: {
                image: "a", pid: "service:db", ipc: "container:x", cgroupParent: "apps.slice", macAddress: "02:00:00:00:00:01",
                networks: { back: { macAddress: "02:00:00:00:00:01" } }, platform: "linux/arm/v7",
            },
            wasm: { image: "a", platform: "wasi/wasm" },
        }, { networks: { back: {} } });
        assert.deepStrictEqual(unsupportedSettings(s), [
            'services.db.containerName: ignored; pods are named after the service, so other services reach it as "db", not "mysql_db"',
            "services.side.networks.back.macAddress: ignored; pod interfaces come from the cluster's network plugin",
            "services.side.platform: variant v7 is ignored; nodes are selected by OS and architecture only",
            'services.side.pid: "service:db" is ignored; a pod shares a PID namespace only with containers of the same pod',
            'services.side.ipc: "container:x" is ignored; a pod shares an IPC namespace only with containers of the same pod',
            "services.side.macAddress: ignored; pod interfaces come from the cluster's network plugin",
            "services.side.cgroupParent: ignored; the kubelet places pods in its own cgroups",
            'services.wasm.platform: no node label selects "wasi/wasm"; pods may be scheduled on any node',
        ]);
    });
});

function shopLabels() {
    return { "dev.dockyard.app": "shop", "dev.dockyard.managed-by": "dockyard", "app.kubernetes.io/part-of": "shop", "app.kubernetes.io/managed-by": "dockyard" };
}
