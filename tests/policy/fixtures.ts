/**
 * Resource inputs as the three targets produce them (the shapes `dockyard render --json` prints),
 * each compliant with every container rule, so a test changes one field and sees one rule fail.
 */
import { daemonJson, DaemonConfig } from "../../components/daemon";
import { judgeRule, Props } from "../../policy/judge";
import { RULES_BY_ID } from "../../policy/rules";

export const CONTAINER = "docker:index/container:Container";
export const SERVICE = "docker:index/service:Service";
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const COMMAND = "command:remote:Command";

/** A Docker host container that breaks no rule. */
export function dockerContainer(extra: Props = {}): Props {
    return {
        name: "shop-web-1",
        image: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        labels: [{ label: "dev.dockyard.app", value: "shop" }],
        user: "1000:1000",
        memory: 268435456,
        cpus: "0.5",
        readOnly: true,
        healthcheck: { tests: ["CMD", "wget", "-qO-", "http://127.0.0.1:8080/health"], interval: "10s" },
        restart: "on-failure",
        maxRetryCount: 5,
        ulimits: [{ name: "nproc", soft: 256, hard: 256 }],
        ports: [{ internal: 8080, external: 8080, protocol: "tcp" }],
        mounts: [{ type: "volume", source: "shop_data", target: "/data", readOnly: false }],
        ...extra,
    };
}

/** A Swarm service that breaks no rule it can be judged on (5.29 aside: see the test). */
export function swarmService(spec: Props = {}, task: Props = {}, service: Props = {}): Props {
    return {
        name: "shop_web",
        labels: [{ label: "com.docker.stack.namespace", value: "shop" }],
        taskSpec: {
            containerSpec: {
                image: "ghcr.io/acme/web:1.4",
                user: "app",
                readOnly: true,
                healthcheck: { tests: ["CMD", "true"] },
                labels: [{ label: "com.docker.stack.namespace", value: "shop" }],
                mounts: [{ type: "volume", source: "shop_data", target: "/data", readOnly: false }],
                ...spec,
            },
            resources: { limits: { memoryBytes: 268435456, nanoCpus: 500000000 } },
            restartPolicy: { condition: "on-failure", maxAttempts: 3 },
            ...task,
        },
        endpointSpec: { ports: [{ protocol: "tcp", publishMode: "ingress", publishedPort: 8080, targetPort: 8080 }] },
        ...service,
    };
}

/** A Kubernetes Deployment whose one container breaks no rule. */
export function deployment(container: Props = {}, pod: Props = {}, template: Props = {}): Props {
    return {
        metadata: { name: "web", namespace: "shop", labels: { "app.kubernetes.io/name": "web" } },
        spec: {
            selector: { matchLabels: { "app.kubernetes.io/name": "web" } },
            template: {
                metadata: { labels: { "app.kubernetes.io/name": "web" } },
                spec: {
                    securityContext: { runAsNonRoot: true, runAsUser: 1000 },
                    containers: [{
                        name: "web",
                        image: "ghcr.io/acme/web:1.4",
                        ports: [{ containerPort: 80, name: "http" }],
                        resources: { limits: { cpu: "500m", memory: "268435456" }, requests: { cpu: "250m", memory: "134217728" } },
                        securityContext: { readOnlyRootFilesystem: true },
                        readinessProbe: { httpGet: { path: "/health", port: 80 } },
                        ...container,
                    }],
                    ...pod,
                },
                ...template,
            },
        },
    };
}

/** A daemon.json rendered by components/daemon, as the command applying it gets it on stdin. */
export const SECURE_DAEMON: DaemonConfig = {
    icc: false,
    liveRestore: true,
    usernsRemap: "default",
    noNewPrivileges: true,
    logDriver: "syslog",
    logOpts: { "syslog-address": "tcp://logs.example.com:514" },
    userlandProxy: false,
    defaultUlimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 },
    hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
    tls: { cert: "/etc/docker/tls/server.pem", key: "/etc/docker/tls/server-key.pem", ca: "/etc/docker/tls/ca.pem" },
};

export function daemonCommand(config: DaemonConfig = SECURE_DAEMON): Props {
    return { connection: { host: "node-1" }, create: "install-daemon-json", stdin: daemonJson(config).text };
}

/** The violations of rule `id` on a resource (after its opt-outs). */
export function violations(id: string, type: string, props: Props): readonly string[] {
    const rule = RULES_BY_ID.get(id);
    if (!rule) throw new Error(`no rule ${id}`);
    return judgeRule(rule, type, props).violations;
}
