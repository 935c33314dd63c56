/**
 * Grafana provisioning: the Prometheus data source, a dashboard provider, and the generated
 * dashboards (containers from cAdvisor, hosts from node-exporter, and with engine metrics on, the
 * Docker engines from dockerd's own endpoint). Grafana reads these files at
 * start (provisioning format apiVersion 1), so the UI is ready without clicking.
 */
import * as YAML from "yaml";
import { ENGINE_JOB, SERVICES } from "./prometheus";

/** UID of the provisioned data source; dashboards refer to it, so it must not change. */
export const DATASOURCE_UID = "dockyard-prometheus";
/** Where the dashboard provider looks for dashboard JSON in the Grafana container. */
export const DASHBOARDS_DIR = "/etc/dockyard/dashboards";
export const PROVISIONING_DIR = "/etc/grafana/provisioning";

/** datasources/prometheus.yml: Prometheus as the one default data source of org 1. */
export function grafanaDatasources(): string {
    return YAML.stringify({
        apiVersion: 1,
        datasources: [
            {
                name: "Prometheus",
                type: "prometheus",
                uid: DATASOURCE_UID,
                access: "proxy",
                orgId: 1,
                url: `http://${SERVICES.prometheus.name}:${SERVICES.prometheus.port}`,
                isDefault: true,
                // Provisioned: edits in the UI would be lost at the next start anyway.
                editable: false,
            },
        ],
    });
}

/** dashboards/dockyard.yml: load the generated dashboards from {@link DASHBOARDS_DIR}. */
export function grafanaDashboardProvider(): string {
    return YAML.stringify({
        apiVersion: 1,
        providers: [
            {
                name: "dockyard",
                orgId: 1,
                folder: "dockyard",
                type: "file",
                disableDeletion: true,
                allowUiUpdates: false,
                options: { path: DASHBOARDS_DIR },
            },
        ],
    });
}

interface PanelDef {
    readonly title: string;
    readonly expr: string;
    readonly legend: string;
    readonly unit: string;
    /** A time series (default), or a table of the current values with their labels. */
    readonly type?: "timeseries" | "table";
}

/** The panel's query: a range for a time series, an instant table of series for a table. */
function panelTarget(p: PanelDef, datasource: object): Record<string, unknown> {
    const base = { refId: "A", datasource, expr: p.expr, legendFormat: p.legend };
    return p.type === "table" ? { ...base, instant: true, range: false, format: "table" } : base;
}

function dashboard(uid: string, title: string, tags: string[], panels: PanelDef[]): string {
    const datasource = { type: "prometheus", uid: DATASOURCE_UID };
    return JSON.stringify(
        {
            uid,
            title,
            tags,
            editable: false,
            schemaVersion: 39,
            version: 1,
            refresh: "30s",
            time: { from: "now-1h", to: "now" },
            timezone: "browser",
            templating: { list: [] },
            panels: panels.map((p, i) => ({
                id: i + 1,
                type: p.type ?? "timeseries",
                title: p.title,
                datasource,
                // Two panels per row, each half the 24-column grid.
                gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
                fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
                options: p.type === "table"
                    ? { showHeader: true }
                    : { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } },
                targets: [panelTarget(p, datasource)],
            })),
        },
        null,
        2,
    );
}

/** Containers dashboard (cAdvisor metrics). */
export function containersDashboard(): string {
    const c = 'name!=""';
    return dashboard("dockyard-containers", "Containers", ["dockyard", "cadvisor"], [
        { title: "CPU by container", expr: `sum by (name) (rate(container_cpu_usage_seconds_total{${c}}[1m]))`, legend: "{{name}}", unit: "percentunit" },
        { title: "Memory by container", expr: `sum by (name) (container_memory_working_set_bytes{${c}})`, legend: "{{name}}", unit: "bytes" },
        { title: "Network received", expr: `sum by (name) (rate(container_network_receive_bytes_total{${c}}[1m]))`, legend: "{{name}}", unit: "Bps" },
        { title: "Network sent", expr: `sum by (name) (rate(container_network_transmit_bytes_total{${c}}[1m]))`, legend: "{{name}}", unit: "Bps" },
        { title: "Restarts (start time changes, 1h)", expr: `changes(container_start_time_seconds{${c}}[1h])`, legend: "{{name}}", unit: "short" },
        { title: "OOM kills (1h)", expr: `increase(container_oom_events_total{${c}}[1h])`, legend: "{{name}}", unit: "short" },
    ]);
}

/** Hosts dashboard (node-exporter metrics). */
export function hostsDashboard(): string {
    const fs = 'fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs|autofs"';
    return dashboard("dockyard-hosts", "Hosts", ["dockyard", "node-exporter"], [
        { title: "CPU use", expr: '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[1m])))', legend: "{{instance}}", unit: "percent" },
        { title: "Memory use", expr: "100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes)", legend: "{{instance}}", unit: "percent" },
        { title: "Disk use", expr: `100 * (1 - node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}})`, legend: "{{instance}} {{mountpoint}}", unit: "percent" },
        { title: "Load (1m)", expr: "node_load1", legend: "{{instance}}", unit: "short" },
        { title: "Network received", expr: 'rate(node_network_receive_bytes_total{device!="lo"}[1m])', legend: "{{instance}} {{device}}", unit: "Bps" },
        { title: "Network sent", expr: 'rate(node_network_transmit_bytes_total{device!="lo"}[1m])', legend: "{{instance}} {{device}}", unit: "Bps" },
    ]);
}

/** File name of the engine dashboard in {@link DASHBOARDS_DIR}. */
export const ENGINE_DASHBOARD_FILE = "docker-engine.json";

/**
 * Docker engine dashboard: what dockerd (20.10 and later) exports on its `metrics-addr` —
 * containers by state, the engine's version, the latency of container actions, events, health
 * checks, builds, Swarm managers' view of the nodes, and dockerd's own process. (Network action
 * latencies are declared by dockerd but not exported by 20.10, even after network actions; the
 * e2e test checks every metric used here against a real dockerd's endpoint.)
 * Every series is selected by the engine job, so go_ and process_ metrics are dockerd's.
 */
export function engineDashboard(): string {
    const j = `job="${ENGINE_JOB}"`;
    return dashboard("dockyard-docker-engine", "Docker engine", ["dockyard", "docker-engine"], [
        { title: "Containers by state", expr: `sum by (instance, state) (engine_daemon_container_states_containers{${j}})`, legend: "{{instance}} {{state}}", unit: "short" },
        {
            title: "Engines", type: "table",
            expr: `engine_daemon_engine_info{${j}}`, legend: "{{instance}} {{version}}", unit: "short",
        },
        {
            title: "Container actions, 95th percentile",
            expr: `histogram_quantile(0.95, sum by (le, action) (rate(engine_daemon_container_actions_seconds_bucket{${j}}[5m])))`,
            legend: "{{action}}", unit: "s",
        },
        { title: "Engine events", expr: `sum by (instance) (rate(engine_daemon_events_total{${j}}[5m]))`, legend: "{{instance}}", unit: "ops" },
        { title: "Health checks run", expr: `sum by (instance) (rate(engine_daemon_health_checks_total{${j}}[5m]))`, legend: "{{instance}}", unit: "ops" },
        { title: "Health checks the engine could not run (1h)", expr: `sum by (instance) (increase(engine_daemon_health_checks_failed_total{${j}}[1h]))`, legend: "{{instance}}", unit: "short" },
        { title: "Builds triggered (1h)", expr: `sum by (instance) (increase(builder_builds_triggered_total{${j}}[1h]))`, legend: "{{instance}}", unit: "short" },
        { title: "Builds failed by reason (1h)", expr: `sum by (instance, reason) (increase(builder_builds_failed_total{${j}}[1h]))`, legend: "{{instance}} {{reason}}", unit: "short" },
        { title: "Swarm nodes by state (managers)", expr: `max by (state) (swarm_manager_nodes{${j}})`, legend: "{{state}}", unit: "short" },
        { title: "dockerd CPU", expr: `rate(process_cpu_seconds_total{${j}}[1m])`, legend: "{{instance}}", unit: "percentunit" },
        { title: "dockerd memory (resident)", expr: `process_resident_memory_bytes{${j}}`, legend: "{{instance}}", unit: "bytes" },
        { title: "dockerd goroutines", expr: `go_goroutines{${j}}`, legend: "{{instance}}", unit: "short" },
        { title: "dockerd open file descriptors", expr: `process_open_fds{${j}}`, legend: "{{instance}}", unit: "short" },
        { title: "Memory of the engine's host", expr: `engine_daemon_engine_memory_bytes{${j}}`, legend: "{{instance}}", unit: "bytes" },
    ]);
}

/** What {@link grafanaFiles} provisions besides the data source and the two default dashboards. */
export interface GrafanaFileOptions {
    /** The Docker engine dashboard (engine metrics on). @default false */
    readonly engine?: boolean;
}

/** Every provisioning file, by path in the Grafana container. */
export function grafanaFiles(o: GrafanaFileOptions = {}): Record<string, string> {
    return {
        [`${PROVISIONING_DIR}/datasources/prometheus.yml`]: grafanaDatasources(),
        [`${PROVISIONING_DIR}/dashboards/dockyard.yml`]: grafanaDashboardProvider(),
        [`${DASHBOARDS_DIR}/containers.json`]: containersDashboard(),
        [`${DASHBOARDS_DIR}/hosts.json`]: hostsDashboard(),
        ...(o.engine ? { [`${DASHBOARDS_DIR}/${ENGINE_DASHBOARD_FILE}`]: engineDashboard() } : {}),
    };
}
