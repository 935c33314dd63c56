/**
 * Generates prometheus.yml. Scrape jobs are the same on every runtime; only how a job finds its
 * targets differs, and the target says how (`Target.discovery()`): service names on a Docker
 * host's shared network, `tasks.<service>` DNS on Swarm (one A record per task, so every node's
 * cAdvisor is scraped, not one behind the VIP), and pod discovery on Kubernetes.
 */
import * as YAML from "yaml";
import { SpecError } from "../spec/errors";
import type { ClusterRoleRule } from "../targets/kubernetes/options";
import type { Discovery, EngineDiscovery, ServiceDiscovery } from "../targets/target";
import type { MonitoringConfig } from "./settings";

/** Service names and ports of the monitoring application. */
export const SERVICES = {
    prometheus: { name: "prometheus", port: 9090 },
    alertmanager: { name: "alertmanager", port: 9093 },
    grafana: { name: "grafana", port: 3000 },
    cadvisor: { name: "cadvisor", port: 8080 },
    nodeExporter: { name: "node-exporter", port: 9100 },
} as const;

/**
 * Rules of the ClusterRole Prometheus' service account needs on Kubernetes, given to the target
 * as `x-kubernetes.clusterRoleRules` (see app.ts). Every job uses `role: pod` discovery, which
 * lists and watches pods and nothing else, so that is all it may read.
 */
export const PROMETHEUS_K8S_RBAC_RULES: readonly ClusterRoleRule[] = [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] },
];

/** Path of prometheus.yml in the container. */
export const PROMETHEUS_CONFIG_PATH = "/etc/prometheus/prometheus.yml";
/** Rule file, relative to prometheus.yml (Prometheus resolves rule_files against the config's directory). */
export const RULES_FILE = "rules/alerts.yml";

/** What a job scrapes, independent of the runtime. */
interface Endpoint {
    /** Application the service belongs to; any when undefined (Kubernetes only). */
    readonly app?: string;
    readonly service: string;
    readonly port: number;
}

type Json = Record<string, unknown>;

/** Prometheus meta label of a Kubernetes pod label (non-alphanumerics become `_`). */
function podLabel(label: string): string {
    return `__meta_kubernetes_pod_label_${label.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

function escapeRegex(text: string): string {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The part of a scrape (or alertmanager) config that finds `e`'s instances, the way the target says services are found. */
export function discovery(d: ServiceDiscovery, e: Endpoint, namespaces?: string[]): Json {
    switch (d.kind) {
        case "address":
            return { static_configs: [{ targets: [`${e.service}:${e.port}`] }] };
        case "dns":
            return { dns_sd_configs: [{ names: [d.name(e.service)], type: "A", port: e.port }] };
        case "kubernetes-pods":
            return {
                kubernetes_sd_configs: [{ role: "pod", ...(namespaces ? { namespaces: { names: namespaces } } : {}) }],
                relabel_configs: [
                    {
                        source_labels: [podLabel(d.appLabel), podLabel(d.serviceLabel)],
                        regex: `${e.app === undefined ? ".+" : escapeRegex(d.appValue(e.app))};${escapeRegex(d.serviceValue(e.service))}`,
                        action: "keep",
                    },
                    // Role pod yields one target per declared container port; keep the metrics one.
                    { source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: String(e.port), action: "keep" },
                    { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Running", action: "keep" },
                    { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
                    { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
                    { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
                ],
            };
    }
}

/** Job name of the Docker engines' metrics. */
export const ENGINE_JOB = "docker-engine";

/** A Swarm node address that is the manager's own loopback: unreachable as such from a container. */
const LOOPBACK_NODE = "127\\.[0-9.]+|::1";

/**
 * The scrape job of the Docker engines' metrics endpoints, one target per engine: the explicit
 * targets when given; else the one engine of a Docker host at the host gateway, or every node of
 * a Swarm from the Swarm API. Discovery, not a list of the cluster's nodes, because a node that
 * joins later is scraped without redeploying Prometheus, and one that leaves stops being scraped.
 */
export function engineJob(d: EngineDiscovery, engine: NonNullable<MonitoringConfig["engineMetrics"]>): Json {
    const { port, targets } = engine;
    const job = { job_name: ENGINE_JOB };
    if (targets !== undefined) return { ...job, static_configs: [{ targets }] };
    switch (d.kind) {
        case "host-gateway":
            // Resolved through `<hostName>:host-gateway` (see app.ts).
            return { ...job, static_configs: [{ targets: [`${d.hostName}:${port}`] }] };
        case "swarm-nodes":
            // Prometheus runs on a manager and asks its engine for the nodes.
            return {
                ...job,
                dockerswarm_sd_configs: [{ host: d.socket, role: "nodes" }],
                relabel_configs: [
                    // A node's engine listens on the node's address (its metrics-addr).
                    { source_labels: ["__meta_dockerswarm_node_address"], target_label: "__address__", replacement: `$1:${port}` },
                    // A node advertised on loopback is this manager itself: the host gateway, as on a Docker host.
                    { source_labels: ["__meta_dockerswarm_node_address"], regex: LOOPBACK_NODE, target_label: "__address__", replacement: `${d.hostName}:${port}` },
                    { source_labels: ["__meta_dockerswarm_node_hostname"], target_label: "node" },
                ],
            };
        case "none":
            throw new SpecError(`${d.reason}; list the engines' endpoints in engineMetrics.targets, or leave engineMetrics out`, "monitoring.engineMetrics", engine);
    }
}

/** prometheus.yml for the monitoring application on a target that finds services and engines as `d` says. */
export function prometheusConfig(cfg: MonitoringConfig, d: Discovery): string {
    const ns = cfg.kubernetesNamespaces;
    const own = (service: { name: string; port: number }): Endpoint => ({ app: cfg.name, service: service.name, port: service.port });
    const jobs: Json[] = [
        // Prometheus scrapes itself on loopback: no discovery needed on any runtime.
        { job_name: "prometheus", static_configs: [{ targets: [`localhost:${SERVICES.prometheus.port}`] }] },
        { job_name: "alertmanager", ...discovery(d.services, own(SERVICES.alertmanager), ns) },
        { job_name: "cadvisor", ...discovery(d.services, own(SERVICES.cadvisor), ns) },
        { job_name: "node-exporter", ...discovery(d.services, own(SERVICES.nodeExporter), ns) },
        ...(cfg.engineMetrics !== undefined ? [engineJob(d.engines, cfg.engineMetrics)] : []),
        ...cfg.scrapeTargets.map((t) => ({
            job_name: t.job,
            ...(t.path !== "/metrics" ? { metrics_path: t.path } : {}),
            ...discovery(d.services, { service: t.service, port: t.port, ...(t.app !== undefined ? { app: t.app } : {}) }, ns),
        })),
    ];
    const doc = {
        global: {
            scrape_interval: cfg.scrapeInterval,
            scrape_timeout: cfg.scrapeTimeout,
            evaluation_interval: cfg.evaluationInterval,
            external_labels: { monitor: cfg.name },
        },
        rule_files: [RULES_FILE],
        alerting: { alertmanagers: [discovery(d.services, own(SERVICES.alertmanager), ns)] },
        scrape_configs: jobs,
    };
    return YAML.stringify(doc, { lineWidth: 0 });
}

/** Command-line flags of the Prometheus server: config, storage on the data volume, retention. */
export function prometheusFlags(cfg: MonitoringConfig): string[] {
    return [
        `--config.file=${PROMETHEUS_CONFIG_PATH}`,
        "--storage.tsdb.path=/prometheus",
        `--storage.tsdb.retention.time=${cfg.retention}`,
        ...(cfg.retentionSize !== undefined ? [`--storage.tsdb.retention.size=${cfg.retentionSize}`] : []),
    ];
}
