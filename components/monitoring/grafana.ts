/**
 * Grafana provisioning: the Prometheus data source, a dashboard provider, and two generated
 * dashboards (containers from cAdvisor, hosts from node-exporter). Grafana reads these files at
 * start (provisioning format apiVersion 1), so the UI is ready without clicking.
 */
import * as YAML from "yaml";
import { SERVICES } from "./prometheus";

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
                type: "timeseries",
                title: p.title,
                datasource,
                // Two panels per row, each half the 24-column grid.
                gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
                fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
                options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } },
                targets: [{ refId: "A", datasource, expr: p.expr, legendFormat: p.legend }],
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

/** Every provisioning file, by path in the Grafana container. */
export function grafanaFiles(): Record<string, string> {
    return {
        [`${PROVISIONING_DIR}/datasources/prometheus.yml`]: grafanaDatasources(),
        [`${PROVISIONING_DIR}/dashboards/dockyard.yml`]: grafanaDashboardProvider(),
        [`${DASHBOARDS_DIR}/containers.json`]: containersDashboard(),
        [`${DASHBOARDS_DIR}/hosts.json`]: hostsDashboard(),
    };
}
