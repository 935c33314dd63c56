/**
 * Builds one environment from its validated configuration: the runtime the stack chose, and the
 * applications on it. `index.ts` is only `buildEnvironment(readStackConfig(...), secrets)`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { App, checkedPlan } from "../components/app";
import { DockerHost } from "../components/docker-host";
import { passwordOr } from "../components/passwords";
import { EngineMetricsDaemon, Monitoring, MonitoringSettings, engineMetricsDaemon, monitoringApp } from "../components/monitoring";
import { Portainer, PortainerSettings, portainerApp } from "../components/portainer";
import { SwarmCluster } from "../components/swarm-cluster";
import { DockerTarget } from "../components/targets/docker";
import { KubernetesTarget } from "../components/targets/kubernetes";
import { SwarmTarget } from "../components/targets/swarm";
import { RegistryArgs } from "../components/targets/registry";
import { Runtime } from "../components/runtime";
import { PROJECT, SecretKeyName, StackConfig } from "./config";
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
 * The stack's engine metrics (`engineMetrics`): the `metrics-addr` its engine needs (a fragment of
 * the engine's DaemonConfig) and Monitoring's `engineMetrics`; undefined when off. On a Docker
 * host the endpoint goes on docker0's gateway, on the single-node Swarm on the swarm address (the
 * gateway too while that is loopback, as it is by default): see components/monitoring/engine.ts.
 * `readStackConfig` has refused it on Kubernetes and without monitoring already.
 */
export function stackEngineMetrics(c: StackConfig): EngineMetricsDaemon | undefined {
    if (!c.engineMetrics) return undefined;
    return engineMetricsDaemon({
        runtime: c.runtime,
        ...(c.runtime === "swarm" ? { nodeAddress: c.swarmAddress } : {}),
        where: `stacks/Pulumi.${c.stack}.yaml: ${PROJECT}:engineMetrics`,
    });
}

/**
 * The runtime of the stack. One target serves all the applications: what belongs to one
 * application (on Kubernetes a volume's size, an autoscaler) is in that application's spec.
 */
function runtimeOf(c: StackConfig, secrets: StackSecrets, engine: EngineMetricsDaemon | undefined): Runtime {
    // With engine metrics on, the engine's daemon.json gets its metrics-addr: written on the engine's
    // host and applied by dockerd's systemd unit (components/daemon), then read back.
    const daemon = engine ? { daemon: { config: engine.daemon } } : {};
    const registry: RegistryArgs | undefined = opt(c.registry)
        ? { address: c.registry, ...(opt(c.registryUsername) ? { username: c.registryUsername, password: secrets.registryPassword } : {}) }
        : undefined;
    const withRegistry = registry ? { registry } : {};
    switch (c.runtime) {
        case "docker":
            return {
                planning: new DockerTarget({ host: c.publicHost, ...withRegistry }),
                create: () => {
                    return new DockerHost("host", { host: c.dockerHost, publicHost: c.publicHost, ...daemon, ...withRegistry }).target;
                },
            };
        case "swarm":
            return {
                planning: new SwarmTarget({ host: c.publicHost, ...withRegistry }),
                create: () => {
                    return SwarmCluster.singleNode("swarm", { address: c.swarmAddress, host: c.publicHost, ...daemon, ...withRegistry }).target;
                },
            };
        case "kubernetes": {
            const args = {
                ...withRegistry,
                serviceType: c.k8sServiceType,
                nodeAddress: c.publicHost,
                ...(opt(c.storageClass) ? { storageClass: c.storageClass } : {}),
                allowHostPath: c.allowHostPath,
            };
            return {
                planning: new KubernetesTarget(args),
                create: () => {
                    const provider = secrets.kubeconfig || c.kubeContext
                        ? new k8s.Provider("cluster", {
                              ...(secrets.kubeconfig ? { kubeconfig: secrets.kubeconfig } : {}),
                              ...(c.kubeContext ? { context: c.kubeContext } : {}),
                          })
                        : undefined;
                    return new KubernetesTarget({ ...args, ...(provider ? { provider } : {}) });
                },
            };
        }
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
    const engine = stackEngineMetrics(c);
    const monitoring: MonitoringSettings | undefined = c.monitoring
        ? {
              retention: c.retention,
              ...(engine ? { engineMetrics: engine.monitoring } : {}),
              ...(opt(c.retentionSize) ? { retentionSize: c.retentionSize } : {}),
              ...(opt(c.prometheusVolumeSize) ? { prometheusVolumeSize: c.prometheusVolumeSize } : {}),
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
    // Every application is planned on the stack's runtime (pure) before the first piece of
    // infrastructure exists, the swarm and the host included: a bad setting stops the program
    // with nothing half-created.
    const runtime = runtimeOf(c, secrets, engine);
    const discovery = runtime.planning.discovery();
    checkedPlan(runtime.planning, wordpressSpec, "wordpress");
    if (monitoring) checkedPlan(runtime.planning, monitoringApp(monitoring, discovery), "monitoring");
    if (portainer) checkedPlan(runtime.planning, portainerApp(portainer, discovery), "portainer");

    const target = runtime.create();
    const wordpress = new App("wordpress", { target, spec: wordpressSpec });
    const outputs: EnvironmentOutputs = {
        runtime: c.runtime,
        wordpressUrl: pulumi.interpolate`http://${c.publicHost}:${c.wordpressPort}`,
        endpoints: wordpress.endpoints,
    };
    if (monitoring) {
        const m = new Monitoring("monitoring", { target, ...monitoring });
        Object.assign(outputs, { grafanaUrl: m.grafanaUrl, prometheusUrl: m.prometheusUrl });
    }
    if (portainer) {
        const p = new Portainer("portainer", { target, ...portainer });
        Object.assign(outputs, { portainerUrl: p.url });
    }
    return outputs;
}
