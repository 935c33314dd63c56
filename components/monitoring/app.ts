/**
 * The monitoring stack as an application: Prometheus, Alertmanager, Grafana, and cAdvisor and
 * node-exporter on every node, with their generated files as configs and credentials as secrets.
 * Any target deploys it; the only runtime-specific parts are how Prometheus discovers targets
 * (prometheus.ts), what it needs to reach the Docker engine's metrics, and on Kubernetes the
 * `x-kubernetes` extensions: API access for Prometheus' pod discovery, and hostPath for the two
 * node agents alone (so the target need not allow hostPath to every app).
 *
 * Networks follow the classic split: everything on an internal `back` network; `front` only for
 * what is published (Grafana, optionally Prometheus) or must reach outside (Alertmanager's
 * webhooks, Prometheus scraping the engines on the hosts).
 */
import * as pulumi from "@pulumi/pulumi";
import { ServiceInput, AppInput, FileSourceInput, NetworkInput } from "../spec/input";
import { defineApp } from "../spec/normalize";
import type { AppSpec } from "../spec/types";
import { networkName } from "../spec/names";
import { EXTENSION as K8S, type ServiceExtension as K8sExtension } from "../targets/kubernetes/options";
import type { Discovery } from "../targets/target";
import { alertmanagerConfig, webhookSecretKey, webhookSecretPath } from "./alertmanager";
import { DASHBOARDS_DIR, ENGINE_DASHBOARD_FILE, PROVISIONING_DIR, containersDashboard, engineDashboard, grafanaDashboardProvider, grafanaDatasources, hostsDashboard } from "./grafana";
import { PROMETHEUS_CONFIG_PATH, PROMETHEUS_K8S_RBAC_RULES, RULES_FILE, SERVICES, prometheusConfig, prometheusFlags } from "./prometheus";
import { alertRules } from "./rules";
import { MonitoringConfig, MonitoringSettings, resolveSettings } from "./settings";

export const BACK = "back";
export const FRONT = "front";
const GRAFANA_PASSWORD = "grafana-admin-password";
const RESTART = "unless-stopped";

/**
 * The monitoring application for a target that finds services and engines as `d` says (the
 * target's `discovery()`). Pure: no resources are created. @throws SpecError on bad settings
 */
export function monitoringApp(args: MonitoringSettings, d: Discovery): AppSpec {
    const cfg = resolveSettings(args);
    // Engines found through the target (not listed in engineMetrics.targets): see prometheus.ts' engineJob.
    const engineFound = cfg.engineMetrics !== undefined && cfg.engineMetrics.targets === undefined;
    const engineOnSwarm = engineFound && d.engines.kind === "swarm-nodes";
    const engineGateway = engineFound && d.engines.kind !== "none" ? d.engines.hostName : undefined;
    const appNets = d.joinsAppNetworks ? scrapedAppNetworks(cfg) : {};
    // `x-kubernetes` is read by the Kubernetes target alone; other targets ignore x- extensions.
    const onKubernetes = (ext: K8sExtension): Partial<ServiceInput> => ({ [K8S]: ext });
    // cAdvisor and node-exporter read the node itself: hostPath for them, not for every app on the target.
    const nodeAgent = onKubernetes({ allowHostPath: true });

    const configs: Record<string, FileSourceInput> = {
        "prometheus-config": { content: prometheusConfig(cfg, d) },
        "prometheus-rules": { content: alertRules(cfg.thresholds, { engine: cfg.engineMetrics !== undefined }) },
        "alertmanager-config": { content: alertmanagerConfig(cfg.alerting) },
        "grafana-datasources": { content: grafanaDatasources() },
        "grafana-dashboard-provider": { content: grafanaDashboardProvider() },
        "grafana-dashboard-containers": { content: containersDashboard() },
        "grafana-dashboard-hosts": { content: hostsDashboard() },
        ...(cfg.engineMetrics !== undefined ? { "grafana-dashboard-engine": { content: engineDashboard() } } : {}),
    };
    const secrets: Record<string, FileSourceInput> = {
        [GRAFANA_PASSWORD]: { content: pulumi.secret(cfg.grafana.adminPassword) },
        ...Object.fromEntries(cfg.alerting.receivers.map((r) => [webhookSecretKey(r.name), { content: pulumi.secret(r.webhookUrl) }])),
    };
    const networks: Record<string, NetworkInput> = {
        [BACK]: { internal: true },
        [FRONT]: {},
        ...appNets,
    };

    const prometheus: ServiceInput = {
        image: cfg.images.prometheus,
        command: prometheusFlags(cfg),
        volumes: [
            "prometheus-data:/prometheus",
            // dockerswarm_sd_configs asks the Swarm API for the nodes whose engines it scrapes.
            ...(engineOnSwarm ? ["/var/run/docker.sock:/var/run/docker.sock:ro"] : []),
        ],
        configs: [
            { source: "prometheus-config", target: PROMETHEUS_CONFIG_PATH },
            { source: "prometheus-rules", target: `/etc/prometheus/${RULES_FILE}` },
        ],
        expose: [SERVICES.prometheus.port],
        ports: cfg.prometheusPort !== undefined ? [`${cfg.prometheusPort}:${SERVICES.prometheus.port}`] : [],
        // The engines listen on the hosts, outside the internal back network.
        networks: [BACK, ...(cfg.prometheusPort !== undefined || cfg.engineMetrics !== undefined ? [FRONT] : []), ...Object.keys(appNets)],
        // The local engine listens on the host; Docker maps this name to the default bridge's gateway address.
        ...(engineGateway !== undefined ? { extraHosts: [`${engineGateway}:host-gateway`] } : {}),
        // The image runs as nobody, which cannot open the root-owned engine socket.
        ...(engineOnSwarm ? { user: "root", deploy: { placement: { constraints: ["node.role == manager"] } } } : {}),
        // kubernetes_sd_configs lists pods through the API, which answers 403 without a role.
        ...onKubernetes({ clusterRoleRules: PROMETHEUS_K8S_RBAC_RULES }),
        restart: RESTART,
    };
    const alertmanager: ServiceInput = {
        image: cfg.images.alertmanager,
        command: ["--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"],
        volumes: ["alertmanager-data:/alertmanager"],
        configs: [{ source: "alertmanager-config", target: "/etc/alertmanager/alertmanager.yml" }],
        secrets: cfg.alerting.receivers.map((r) => ({ source: webhookSecretKey(r.name), target: webhookSecretPath(r.name) })),
        expose: [SERVICES.alertmanager.port],
        // Webhooks go out: the internal back network has no route to them.
        networks: cfg.alerting.receivers.length ? [BACK, FRONT] : [BACK],
        restart: RESTART,
    };
    const grafana: ServiceInput = {
        image: cfg.images.grafana,
        environment: {
            GF_SECURITY_ADMIN_USER: cfg.grafana.adminUser,
            // Grafana's __FILE convention: the password is read from the secret file, never an env value.
            GF_SECURITY_ADMIN_PASSWORD__FILE: `/run/secrets/${GRAFANA_PASSWORD}`,
            GF_USERS_ALLOW_SIGN_UP: "false",
            GF_AUTH_ANONYMOUS_ENABLED: "false",
        },
        volumes: ["grafana-data:/var/lib/grafana"],
        configs: [
            { source: "grafana-datasources", target: `${PROVISIONING_DIR}/datasources/prometheus.yml` },
            { source: "grafana-dashboard-provider", target: `${PROVISIONING_DIR}/dashboards/dockyard.yml` },
            { source: "grafana-dashboard-containers", target: `${DASHBOARDS_DIR}/containers.json` },
            { source: "grafana-dashboard-hosts", target: `${DASHBOARDS_DIR}/hosts.json` },
            ...(cfg.engineMetrics !== undefined ? [{ source: "grafana-dashboard-engine", target: `${DASHBOARDS_DIR}/${ENGINE_DASHBOARD_FILE}` }] : []),
        ],
        secrets: [{ source: GRAFANA_PASSWORD, target: `/run/secrets/${GRAFANA_PASSWORD}` }],
        expose: [SERVICES.grafana.port],
        ports: [`${cfg.grafana.port}:${SERVICES.grafana.port}`],
        networks: [BACK, FRONT],
        dependsOn: [SERVICES.prometheus.name],
        restart: RESTART,
    };
    const cadvisor: ServiceInput = {
        image: cfg.images.cadvisor,
        // cAdvisor reads /dev/kmsg for OOM events, which needs privileges. Swarm has no privileged
        // services: there cAdvisor runs without, and container_oom_events_total stays absent.
        privileged: d.privileged,
        volumes: [
            "/:/rootfs:ro",
            "/var/run:/var/run:ro",
            "/sys:/sys:ro",
            "/var/lib/docker:/var/lib/docker:ro",
            "/dev/disk:/dev/disk:ro",
        ],
        // Opt-outs of the CIS policy pack (policy/): what cAdvisor needs the host for.
        labels: {
            "dev.dockyard.cis.skip.5.5": "cAdvisor reads /dev/kmsg for OOM events, which needs a privileged container",
            "dev.dockyard.cis.skip.5.6": "cAdvisor reads the host's / and /sys, read-only, to measure every container",
            "dev.dockyard.cis.skip.5.32": "cAdvisor reads container metadata from the engine through its socket in /var/run (read-only mount)",
        },
        expose: [SERVICES.cadvisor.port],
        networks: [BACK],
        deploy: { mode: "global" },
        ...nodeAgent,
        restart: RESTART,
    };
    const nodeExporter: ServiceInput = {
        image: cfg.images.nodeExporter,
        command: [
            "--path.procfs=/host/proc",
            "--path.sysfs=/host/sys",
            "--path.rootfs=/rootfs",
            "--collector.filesystem.mount-points-exclude=^/(sys|proc|dev|host|etc)($|/)",
        ],
        volumes: [
            "/proc:/host/proc:ro",
            "/sys:/host/sys:ro",
            // rslave: filesystems mounted on the host after start are seen too.
            { type: "bind", source: "/", target: "/rootfs", readOnly: true, bind: { propagation: "rslave" } },
        ],
        // Opt-outs of the CIS policy pack (policy/): what node-exporter needs the host for.
        labels: {
            "dev.dockyard.cis.skip.5.6": "node-exporter reads the host's /proc, /sys and /, read-only, to report the node's metrics",
            "dev.dockyard.cis.skip.5.32": "node-exporter's read-only view of the host's / holds the Docker socket; it never connects to it",
        },
        expose: [SERVICES.nodeExporter.port],
        networks: [BACK],
        deploy: { mode: "global" },
        ...nodeAgent,
        restart: RESTART,
    };

    const input: AppInput = {
        name: cfg.name,
        services: {
            [SERVICES.prometheus.name]: prometheus,
            [SERVICES.alertmanager.name]: alertmanager,
            [SERVICES.grafana.name]: grafana,
            [SERVICES.cadvisor.name]: cadvisor,
            [SERVICES.nodeExporter.name]: nodeExporter,
        },
        networks,
        volumes: {
            // Read by the Kubernetes target alone: the claim sized for the retention (settings.ts).
            "prometheus-data": cfg.prometheusVolumeSize !== undefined ? { [K8S]: { size: cfg.prometheusVolumeSize } } : {},
            "alertmanager-data": {},
            "grafana-data": {},
        },
        configs,
        secrets,
    };
    return defineApp(input, { projectDir: "/" });
}

/**
 * The networks of the scraped apps' services, as external networks Prometheus joins so that it
 * can reach `service:port` (Docker host) or `tasks.<service>` (Swarm), by the names every target
 * gives them (spec/names).
 */
function scrapedAppNetworks(cfg: MonitoringConfig): Record<string, NetworkInput> {
    const out: Record<string, NetworkInput> = {};
    const scraped = new Set(cfg.scrapeTargets.filter((t) => t.app !== undefined).map((t) => `${t.app}/${t.service}`));
    for (const app of cfg.apps) {
        for (const svc of Object.values(app.services)) {
            if (!scraped.has(`${app.name}/${svc.name}`)) continue;
            for (const n of svc.networks) {
                const net = app.networks[n.network];
                out[`app-${app.name}-${net.key}`] = { name: networkName(app, net.key), external: true };
            }
        }
    }
    return out;
}
