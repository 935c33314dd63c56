/**
 * Generates prometheus.yml. Scrape jobs are the same on every runtime; only how a job finds its
 * targets differs: service names on a Docker host's shared network, `tasks.<service>` DNS on Swarm
 * (one A record per task, so every node's cAdvisor is scraped, not one behind the VIP), and pod
 * discovery on Kubernetes.
 */
import * as YAML from "yaml";
import { SpecError } from "../spec/errors";
import { LABEL_COMPONENT, LABEL_PART_OF } from "../targets/kubernetes/labels";
import { kubeName, toLabelValue } from "../targets/kubernetes/names";
import type { ClusterRoleRule } from "../targets/kubernetes/options";
import type { TargetKind } from "../targets/target";
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

/** The part of a scrape (or alertmanager) config that finds `e`'s instances on `kind`. */
export function discovery(kind: TargetKind, e: Endpoint, namespaces?: string[]): Json {
    switch (kind) {
        case "docker":
            return { static_configs: [{ targets: [`${e.service}:${e.port}`] }] };
        case "swarm":
            return { dns_sd_configs: [{ names: [`tasks.${e.service}`], type: "A", port: e.port }] };
        case "kubernetes":
            return {
                kubernetes_sd_configs: [{ role: "pod", ...(namespaces ? { namespaces: { names: namespaces } } : {}) }],
                relabel_configs: [
                    {
                        // The selector labels the Kubernetes target puts on every pod: app and service.
                        source_labels: [podLabel(LABEL_PART_OF), podLabel(LABEL_COMPONENT)],
                        regex: `${e.app === undefined ? ".+" : escapeRegex(toLabelValue(e.app))};${escapeRegex(kubeName(e.service))}`,
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

/** The scrape job of the Docker engine's metrics endpoint, one target per engine. */
function engineJob(kind: TargetKind, port: number): Json {
    switch (kind) {
        case "docker":
            // Resolved through `host.docker.internal:host-gateway` (see app.ts).
            return { job_name: "docker-engine", static_configs: [{ targets: [`host.docker.internal:${port}`] }] };
        case "swarm":
            // Every node's engine: node addresses come from the Swarm API (Prometheus runs on a manager).
            return {
                job_name: "docker-engine",
                dockerswarm_sd_configs: [{ host: "unix:///var/run/docker.sock", role: "nodes" }],
                relabel_configs: [
                    { source_labels: ["__meta_dockerswarm_node_address"], target_label: "__address__", replacement: `$1:${port}` },
                    { source_labels: ["__meta_dockerswarm_node_hostname"], target_label: "node" },
                ],
            };
        case "kubernetes":
            throw new SpecError("Kubernetes nodes have no Docker engine metrics endpoint to scrape; leave engineMetricsPort out", "monitoring.engineMetricsPort", port);
    }
}

/** prometheus.yml for the monitoring application on `kind`. */
export function prometheusConfig(cfg: MonitoringConfig, kind: TargetKind): string {
    const ns = cfg.kubernetesNamespaces;
    const own = (service: { name: string; port: number }): Endpoint => ({ app: cfg.name, service: service.name, port: service.port });
    const jobs: Json[] = [
        // Prometheus scrapes itself on loopback: no discovery needed on any runtime.
        { job_name: "prometheus", static_configs: [{ targets: [`localhost:${SERVICES.prometheus.port}`] }] },
        { job_name: "alertmanager", ...discovery(kind, own(SERVICES.alertmanager), ns) },
        { job_name: "cadvisor", ...discovery(kind, own(SERVICES.cadvisor), ns) },
        { job_name: "node-exporter", ...discovery(kind, own(SERVICES.nodeExporter), ns) },
        ...(cfg.engineMetricsPort !== undefined ? [engineJob(kind, cfg.engineMetricsPort)] : []),
        ...cfg.scrapeTargets.map((t) => ({
            job_name: t.job,
            ...(t.path !== "/metrics" ? { metrics_path: t.path } : {}),
            ...discovery(kind, { service: t.service, port: t.port, ...(t.app !== undefined ? { app: t.app } : {}) }, ns),
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
        alerting: { alertmanagers: [discovery(kind, own(SERVICES.alertmanager), ns)] },
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
