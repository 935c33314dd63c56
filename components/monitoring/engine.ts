/**
 * Engine metrics end to end, the engine's side: the `metrics-addr` each Docker engine of a stack
 * needs so that Prometheus, running in a container of that stack, reaches it, and the matching
 * `engineMetrics` setting of `Monitoring`. Pure: the caller puts `daemon` into the engine's
 * `DaemonConfig` (DockerHost / every SwarmCluster node) and `monitoring` into the Monitoring args.
 *
 * Where the endpoint listens:
 * - A Docker host: on the default bridge's gateway address (docker0, `172.17.0.1` unless the
 *   daemon's `bip` moves it). Prometheus runs in a bridge container, where 127.0.0.1 is the
 *   container itself, so an endpoint on loopback cannot be scraped; `host.docker.internal`,
 *   mapped to `host-gateway` (the same docker0 address), can, from any network of the host. The
 *   address is not on any outside interface, so the endpoint stays on the host (containers on it
 *   can read it, which is what is asked). An engine without a default bridge (`--bridge none`) has
 *   no host gateway: there this does not work.
 * - A Swarm node: on the node's own address, the one the Swarm reports and Prometheus'
 *   `dockerswarm_sd_configs` returns, because Prometheus runs on one manager and scrapes every
 *   node over the network; that address is not loopback, so the endpoint is reachable by whoever
 *   reaches the node (restrict port 9323 to the managers with the hosts' firewall). A node
 *   advertised on loopback (the single-node swarm of the staging stack) is the manager itself:
 *   its endpoint goes on the bridge gateway as on a Docker host, and Prometheus' job rewrites that
 *   node to the host gateway.
 * - Kubernetes: no Docker engine to configure; refused.
 */
import type { DaemonConfig } from "../daemon/config";
import { SpecError } from "../spec/errors";
import type { TargetKind } from "../targets/target";
import { ENGINE_METRICS_PORT, EngineMetricsSettings } from "./settings";

/** docker0's address when the daemon sets no `bip`. */
export const DEFAULT_BRIDGE_GATEWAY = "172.17.0.1";

export interface EngineMetricsDaemonArgs {
    /** The stack's runtime. */
    readonly runtime: TargetKind;
    /** Runtime swarm: the node's address in the Swarm (its advertise address). Loopback or absent: a single node on this host. */
    readonly nodeAddress?: string;
    /** The engine's own daemon configuration: its `bip` moves the bridge gateway, and a `metricsAddr` it already has must be the one computed. */
    readonly daemon?: DaemonConfig;
    /** Port of the endpoint. @default 9323 */
    readonly port?: number;
    /** The setting messages name. @default "engineMetrics" */
    readonly where?: string;
}

export interface EngineMetricsDaemon {
    /** The fragment of the engine's `DaemonConfig`: `{ metricsAddr }`. */
    readonly daemon: { readonly metricsAddr: string };
    /** `Monitoring`'s `engineMetrics` setting that scrapes it. */
    readonly monitoring: EngineMetricsSettings;
}

function isLoopback(address: string): boolean {
    return /^127\./.test(address) || address === "::1" || address === "localhost";
}

/** The gateway address of the default bridge: `bip`'s host address, else docker0's default. */
export function bridgeGateway(daemon?: DaemonConfig): string {
    return daemon?.bip !== undefined ? daemon.bip.split("/")[0] : DEFAULT_BRIDGE_GATEWAY;
}

/**
 * The `metrics-addr` of one engine of a stack and the `engineMetrics` setting that scrapes it
 * (see the module's comment for where the endpoint listens and why).
 * @throws SpecError for runtime kubernetes, or a daemon configuration whose metricsAddr differs.
 */
export function engineMetricsDaemon(args: EngineMetricsDaemonArgs): EngineMetricsDaemon {
    const where = args.where ?? "engineMetrics";
    const port = args.port ?? ENGINE_METRICS_PORT;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new SpecError("a port must be a whole number from 1 to 65535", `${where}.port`, port);
    let host: string;
    switch (args.runtime) {
        case "kubernetes":
            throw new SpecError(
                "Kubernetes runs no Docker engine for dockyard to configure (the nodes' container runtime belongs to the cluster); " +
                    "turn engine metrics off, or scrape Docker hosts outside the cluster with Monitoring's engineMetrics.targets",
                where, args.runtime,
            );
        case "docker":
            host = bridgeGateway(args.daemon);
            break;
        case "swarm": {
            const node = args.nodeAddress;
            host = node === undefined || node === "" || isLoopback(node) ? bridgeGateway(args.daemon) : node.includes(":") ? `[${node}]` : node;
            break;
        }
    }
    const metricsAddr = `${host}:${port}`;
    const given = args.daemon?.metricsAddr;
    if (given !== undefined && given !== metricsAddr) {
        throw new SpecError(
            `the daemon configuration already sets metricsAddr ${given}, but Prometheus reaches this engine's metrics at ${metricsAddr}; ` +
                "leave daemon.metricsAddr out and let engine metrics set it, or turn engine metrics off",
            `${where}`, given,
        );
    }
    return { daemon: { metricsAddr }, monitoring: { port } };
}
