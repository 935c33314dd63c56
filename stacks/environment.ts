/**
 * Builds one environment from its validated configuration: the runtime the stack chose, and the
 * applications on it. `index.ts` is only `buildEnvironment(readStackConfig(...), secrets)`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { App } from "../components/app";
import { DockerHost } from "../components/docker-host";
import { passwordOr } from "../components/passwords";
import { Monitoring, MonitoringSettings, monitoringApp } from "../components/monitoring";
import { Portainer, PortainerSettings, portainerApp } from "../components/portainer";
import { SwarmCluster } from "../components/swarm-cluster";
import { DockerTarget } from "../components/targets/docker";
import { KubernetesTarget } from "../components/targets/kubernetes";
import { SwarmTarget } from "../components/targets/swarm";
import { Target } from "../components/targets/target";
import { SecretKeyName, StackConfig } from "./config";
import { wordpressApp } from "./wordpress";

/** Secrets of the stack, read with `config.getSecret` (undefined when not set). */
export type StackSecrets = { readonly [K in SecretKeyName]?: pulumi.Output<string> };

export interface EnvironmentOutputs {
    readonly runtime: string;
    readonly wordpressUrl: pulumi.Output<string>;
    readonly endpoints: pulumi.Output<Record<string, string[]>>;
    readonly grafanaUrl?: pulumi.Output<string | undefined>;
    readonly prometheusUrl?: pulumi.Output<string | undefined>;
    readonly portainerUrl?: pulumi.Output<string | undefined>;
}

/** "" means "not set" in stack config; components take undefined. */
const opt = (value: string): string | undefined => (value === "" ? undefined : value);

/**
 * The runtime of the stack, as one target per application. Every runtime has one target that
 * serves all the applications: what belongs to one application (on Kubernetes a volume's size,
 * an autoscaler) is in that application's spec.
 */
function makeTargets(c: StackConfig, secrets: StackSecrets): { wordpress: Target; tools: Target } {
    switch (c.runtime) {
        case "docker": {
            const target = new DockerHost("host", { host: c.dockerHost, publicHost: c.publicHost }).target;
            return { wordpress: target, tools: target };
        }
        case "swarm": {
            const target = SwarmCluster.singleNode("swarm", { address: c.swarmAddress, host: c.publicHost }).target;
            return { wordpress: target, tools: target };
        }
        case "kubernetes": {
            const provider = secrets.kubeconfig || c.kubeContext
                ? new k8s.Provider("cluster", {
                      ...(secrets.kubeconfig ? { kubeconfig: secrets.kubeconfig } : {}),
                      ...(c.kubeContext ? { context: c.kubeContext } : {}),
                  })
                : undefined;
            const common = {
                ...(provider ? { provider } : {}),
                serviceType: c.k8sServiceType,
                nodeAddress: c.publicHost,
                ...(opt(c.storageClass) ? { storageClass: c.storageClass } : {}),
                allowHostPath: c.allowHostPath,
            };
            const target = new KubernetesTarget(common);
            return { wordpress: target, tools: target };
        }
    }
}

/** A target of the stack's runtime without its provider, for planning before anything exists. */
function planningTarget(c: StackConfig): Target {
    switch (c.runtime) {
        case "docker":
            return new DockerTarget({ host: c.publicHost });
        case "swarm":
            return new SwarmTarget({ host: c.publicHost });
        case "kubernetes":
            return new KubernetesTarget({ nodeAddress: c.publicHost });
    }
}

export function buildEnvironment(c: StackConfig, secrets: StackSecrets): EnvironmentOutputs {
    // Generated passwords are values in state, not infrastructure; they may come first.
    const dbPassword = passwordOr(secrets.dbPassword, "db-password");
    const wordpressSpec = wordpressApp({
        port: c.wordpressPort,
        wordpressImage: c.wordpressImage,
        dbImage: c.dbImage,
        dbPassword,
        replicas: c.wordpressReplicas,
        wordpress: { cpus: opt(c.wordpressCpus), memory: opt(c.wordpressMemory), cpuReservation: opt(c.wordpressCpuReservation), memoryReservation: opt(c.wordpressMemoryReservation) },
        db: { cpus: opt(c.dbCpus), memory: opt(c.dbMemory), cpuReservation: opt(c.dbCpuReservation), memoryReservation: opt(c.dbMemoryReservation) },
        // Only the Kubernetes target reads these; elsewhere the spec stays without extensions.
        ...(c.runtime === "kubernetes"
            ? {
                  kubernetes: {
                      dbVolumeSize: c.dbVolumeSize,
                      ...(c.wordpressMaxReplicas > 0 ? { wordpressAutoscaling: { minReplicas: c.wordpressReplicas, maxReplicas: c.wordpressMaxReplicas } } : {}),
                  },
              }
            : {}),
    });
    const monitoring: MonitoringSettings | undefined = c.monitoring
        ? {
              retention: c.retention,
              ...(opt(c.retentionSize) ? { retentionSize: c.retentionSize } : {}),
              ...(c.prometheusPort > 0 ? { prometheusPort: c.prometheusPort } : {}),
              apps: [wordpressSpec],
              thresholds: { cpuPercent: c.alertCpuPercent, memoryPercent: c.alertMemoryPercent, diskPercent: c.alertDiskPercent },
              alerting: secrets.alertWebhookUrl ? { receivers: [{ name: "webhook", webhookUrl: secrets.alertWebhookUrl }] } : {},
              grafana: { port: c.grafanaPort, adminPassword: passwordOr(secrets.grafanaAdminPassword, "grafana-admin-password") },
          }
        : undefined;
    const portainer: PortainerSettings | undefined = c.portainer
        ? { port: c.portainerPort, adminPassword: passwordOr(secrets.portainerPassword, "portainer-admin-password") }
        : undefined;
    // Every application is described and checked (pure functions) before the first piece of
    // infrastructure exists, so a bad setting stops the program with nothing half-created.
    const discovery = planningTarget(c).discovery();
    if (monitoring) monitoringApp(monitoring, discovery);
    if (portainer) portainerApp(portainer, discovery);

    const targets = makeTargets(c, secrets);
    const wordpress = new App("wordpress", { target: targets.wordpress, spec: wordpressSpec });
    const outputs: EnvironmentOutputs = {
        runtime: c.runtime,
        wordpressUrl: pulumi.interpolate`http://${c.publicHost}:${c.wordpressPort}`,
        endpoints: wordpress.endpoints,
    };
    if (monitoring) {
        const m = new Monitoring("monitoring", { target: targets.tools, ...monitoring });
        Object.assign(outputs, { grafanaUrl: m.grafanaUrl, prometheusUrl: m.prometheusUrl });
    }
    if (portainer) {
        const p = new Portainer("portainer", { target: targets.tools, ...portainer });
        Object.assign(outputs, { portainerUrl: p.url });
    }
    return outputs;
}
