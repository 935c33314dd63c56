/**
 * `Monitoring`: Prometheus, Alertmanager, Grafana, cAdvisor and node-exporter, built as an
 * application (see ./app) and deployed by whatever target it is given.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkedPlan, tellFinding } from "../app";
import { planWithPassword } from "../passwords";
import { deployPlan, Target } from "../targets/target";
import { monitoringApp } from "./app";
import { SERVICES } from "./prometheus";
import type { MonitoringSettings } from "./settings";

export * from "./settings";
export { monitoringApp, BACK, FRONT } from "./app";
export { prometheusConfig, prometheusFlags, discovery, engineJob, ENGINE_JOB, SERVICES, RULES_FILE, PROMETHEUS_CONFIG_PATH, PROMETHEUS_K8S_RBAC_RULES } from "./prometheus";
export { alertRules, RuleOptions } from "./rules";
export { engineMetricsDaemon, bridgeGateway, DEFAULT_BRIDGE_GATEWAY, EngineMetricsDaemon, EngineMetricsDaemonArgs } from "./engine";
export { alertmanagerConfig, webhookSecretKey, webhookSecretPath, NULL_RECEIVER } from "./alertmanager";
export { grafanaDatasources, grafanaDashboardProvider, containersDashboard, hostsDashboard, engineDashboard, grafanaFiles, GrafanaFileOptions, DATASOURCE_UID, ENGINE_DASHBOARD_FILE } from "./grafana";

/** Arguments of {@link Monitoring}: the settings of the stack plus where it runs. */
export interface MonitoringArgs extends MonitoringSettings {
    /** Where the stack runs: a Docker host's, a Swarm's or a Kubernetes target. */
    readonly target: Target;
    /** Extra labels put on every resource. @default {} */
    readonly labels?: Record<string, string>;
}

/** An endpoint as a URL: targets report `host:port`, browsers want a scheme. */
function asUrl(endpoint: string | undefined): string | undefined {
    if (endpoint === undefined) return undefined;
    return /^[a-z]+:\/\//.test(endpoint) ? endpoint : `http://${endpoint}`;
}

export class Monitoring extends pulumi.ComponentResource {
    /** Grafana's published URL. */
    public readonly grafanaUrl: pulumi.Output<string | undefined>;
    /** Prometheus' published URL; undefined unless `prometheusPort` is set. */
    public readonly prometheusUrl: pulumi.Output<string | undefined>;
    /** Grafana's admin password (the given one, or the generated one when none was given). */
    public readonly grafanaAdminPassword: pulumi.Output<string>;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        const { target, labels, ...settings } = args;
        // Planned before anything exists, the component and the generated password included. Without
        // a password Grafana would start with admin/admin; one is generated once the plan holds.
        const password = planWithPassword(settings.grafana?.adminPassword);
        const spec = monitoringApp({ ...settings, grafana: { ...settings.grafana, adminPassword: password.value } }, target.discovery());
        const plan = checkedPlan(target, spec, name, labels ?? {});
        super("dockyard:monitoring:Monitoring", name, {}, opts);
        const adminPassword = password.create(`${name}-grafana-admin`, { parent: this });
        const deployed = deployPlan(target, plan, this, tellFinding(spec));
        this.grafanaUrl = deployed.endpoints.apply((e) => asUrl(e[SERVICES.grafana.name]?.[0]));
        this.prometheusUrl = deployed.endpoints.apply((e) => asUrl(e[SERVICES.prometheus.name]?.[0]));
        this.grafanaAdminPassword = adminPassword;
        this.registerOutputs({ grafanaUrl: this.grafanaUrl, prometheusUrl: this.prometheusUrl, grafanaAdminPassword: this.grafanaAdminPassword });
    }
}
