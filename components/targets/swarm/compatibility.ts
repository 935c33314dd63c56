/**
 * What of an application Swarm cannot run. Two kinds, decided case by case:
 *
 * - errors (SpecError, thrown before any resource exists) for settings Swarm would refuse or
 *   whose loss would change how the application is wired: `network_mode`, an external secret or
 *   config (the provider needs its id, which it cannot look up), `max_replicas_per_node` on a
 *   global service, a global service with replicas;
 * - warnings (returned; the target logs them with `pulumi.log.warn`) for settings Swarm or the
 *   provider ignores while the application still runs, the way `docker stack deploy` prints
 *   "Ignoring unsupported options" (`devices`, `pid`, `ipc`, `mac_address`, `cgroup_parent`,
 *   `runtime`…).
 *
 * Two Compose keys `docker stack deploy` drops are kept instead: `platform` becomes a placement
 * platform (tasks run only on nodes of that OS and architecture) and `container_name` a network
 * alias (the name other services may use as a host name keeps resolving).
 *
 * `depends_on` is neither: the target turns it into Pulumi `dependsOn`, so a service is created
 * after the services it depends on have converged (with a healthcheck, a task only counts as
 * running once healthy). Swarm itself never orders starts or restarts; only
 * `service_completed_successfully` is warned about, since a one-shot service that Swarm restarts
 * never "completes".
 */
import { SpecError } from "../../spec/errors";
import { AppSpec, ServiceSpec } from "../../spec/types";
import { tmpfsMode } from "./mounts";
import { failureRatio } from "./update";

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

/** A setting the Swarm target ignores. */
export interface SwarmWarning {
    /** Path of the setting, e.g. `services.web.ulimits`. */
    readonly path: string;
    readonly message: string;
}

/**
 * Checks `app` against what Swarm services can do.
 * @returns the settings that will be ignored, in description order.
 * @throws SpecError for the first setting Swarm cannot honour.
 */
export function checkSwarmSupport(app: AppSpec): SwarmWarning[] {
    const warnings: SwarmWarning[] = [];
    for (const [name, s] of Object.entries(app.services)) {
        checkService(app, s, `services.${name}`, warnings);
    }
    for (const [key, n] of Object.entries(app.networks)) {
        if (!n.external && n.driver === "bridge") {
            warnings.push({ path: `networks.${key}.driver`, message: 'the "bridge" driver is local to one engine; the network is created with "overlay", its Swarm equivalent' });
        }
    }
    return warnings;
}

function checkService(app: AppSpec, s: ServiceSpec, where: string, warnings: SwarmWarning[]): void {
    const warn = (path: string, message: string) => warnings.push({ path: `${where}.${path}`, message });

    if (s.networkMode !== undefined) {
        throw new SpecError("Swarm services cannot use network_mode: attach the service to networks instead", `${where}.networkMode`, s.networkMode);
    }
    if (s.mode === "global" && s.replicas !== 1) {
        throw new SpecError("replicas cannot be set for a global service (it runs one task per node)", `${where}.deploy.replicas`, s.replicas);
    }
    if (s.mode === "global" && s.deploy.placement.maxReplicasPerNode !== undefined) {
        throw new SpecError("max_replicas_per_node applies to replicated services only (a global service runs one task per node)", `${where}.deploy.placement.maxReplicasPerNode`, s.deploy.placement.maxReplicasPerNode);
    }
    for (const [kind, refs] of [["secrets", s.secrets], ["configs", s.configs]] as const) {
        refs.forEach((r, i) => {
            const def = kind === "secrets" ? app.secrets[r.source] : app.configs[r.source];
            if (def?.external) {
                throw new SpecError(`external ${kind} are not supported on Swarm yet: the provider references them by id, which it cannot look up; define the content in the application instead`, `${where}.${kind}[${i}]`, r.source);
            }
        });
    }

    // docker stack deploy ignores privileged too; services such as cAdvisor run on Swarm without it.
    if (s.privileged) warn("privileged", "Swarm services cannot run privileged: the service runs unprivileged (grant what it needs with cap_add)");
    if (s.build) warn("build", `Swarm does not build images: ${s.image} must already be in a registry every node can pull from`);
    s.ports.forEach((p, i) => {
        if (p.hostIp !== undefined) warn(`ports[${i}]`, `Swarm cannot bind a published port to one host address; ${p.published ?? p.target} is published on all addresses (${p.hostIp} is ignored)`);
    });
    const hostPorts = s.ports.filter((p) => p.mode === "host" && p.published !== undefined);
    if (hostPorts.length > 0 && s.mode === "replicated" && s.replicas > 1 && s.deploy.placement.maxReplicasPerNode !== 1) {
        warn("ports", `host-mode port ${hostPorts[0].published} can be bound by one task per node: ${s.replicas} replicas need ${s.replicas} nodes, or tasks stay pending (set max_replicas_per_node: 1 to make this explicit)`);
    }
    s.networks.forEach((n) => {
        if (n.ipv4Address !== undefined || n.ipv6Address !== undefined) warn(`networks.${n.network}`, "Swarm assigns service addresses itself; ipv4_address/ipv6_address are ignored");
        if (n.macAddress !== undefined) warn(`networks.${n.network}.macAddress`, "Swarm assigns MAC addresses itself; mac_address is ignored");
    });
    // What docker/cli lists as unsupported for `docker stack deploy` (or the provider cannot set) and ignores.
    if (s.macAddress !== undefined) warn("macAddress", "Swarm assigns MAC addresses itself; mac_address is ignored");
    if (s.devices.length > 0) warn("devices", `Swarm services cannot map host devices; ${s.devices.map((d) => d.hostPath).join(", ")} ${s.devices.length === 1 ? "is" : "are"} not available in the container`);
    if (s.pid !== undefined) warn("pid", `Swarm services cannot share a PID namespace; pid "${s.pid}" is ignored`);
    if (s.ipc !== undefined) warn("ipc", `Swarm services cannot choose an IPC namespace; ipc "${s.ipc}" is ignored`);
    if (s.runtime !== undefined) warn("runtime", `Swarm services run with the engine's default runtime; runtime "${s.runtime}" is ignored`);
    if (s.cgroupParent !== undefined) warn("cgroupParent", "cgroup_parent is not supported on Swarm services and is ignored");
    if (s.platform !== undefined && !["linux", "windows"].includes(s.platform.split("/")[0])) {
        warn("platform", `no Swarm node reports the OS of platform "${s.platform}", so its tasks stay pending`);
    }
    const r = s.resources;
    const ignoredResources = [
        ["limits.pids", r.limits.pids],
        ["cpuShares", r.cpuShares],
        ["cpuset", r.cpuset],
        ["memorySwapBytes", r.memorySwapBytes],
        ["shmSizeBytes", r.shmSizeBytes],
    ].filter(([, v]) => v !== undefined).map(([k]) => k);
    if (ignoredResources.length > 0) warn("resources", `not supported on Swarm services and ignored: ${ignoredResources.join(", ")}`);
    if (Object.keys(s.ulimits).length > 0) warn("ulimits", "ulimits are not supported by the provider's Swarm service and are ignored");
    if (s.tty || s.stdinOpen) warn("tty", "tty and stdin_open are not supported by the provider's Swarm service and are ignored");
    if (s.securityOpt.length > 0 || s.noNewPrivileges) warn("securityOpt", "security_opt is not supported on Swarm services and is ignored");
    if (s.domainname !== undefined) warn("domainname", "domainname is not supported on Swarm services and is ignored");
    if (s.healthcheck?.startIntervalMs !== undefined) warn("healthcheck.startInterval", "start_interval is not supported by the provider and is ignored");
    if (s.logging && s.logging.driver === undefined && Object.keys(s.logging.options).length > 0) {
        warn("logging", "logging options without a driver are ignored on Swarm: name the driver");
    }
    s.mounts.forEach((m, i) => {
        if (m.type === "volume" && m.subpath !== undefined) warn(`volumes[${i}]`, "volume subpath is not supported by the provider and is ignored: the whole volume is mounted");
        if (m.type === "bind" && m.selinux !== undefined) warn(`volumes[${i}]`, "SELinux relabelling (:z/:Z) is not supported on Swarm mounts and is ignored");
        if (m.type === "tmpfs" && m.options !== undefined) {
            warn("tmpfs", `${m.target}: tmpfs options other than size and mode are not supported on Swarm mounts and are ignored: ${m.options.join(",")}`);
        }
        if (m.type === "tmpfs" && m.mode !== undefined && tmpfsMode(m.mode) !== undefined && tmpfsMode(m.mode) !== m.mode) {
            warn("tmpfs", `${m.target}: the provider keeps only the permission bits of a tmpfs mode: ${octal(m.mode)} is applied as ${octal(tmpfsMode(m.mode)!)} (the sticky, setuid and setgid bits are dropped)`);
        }
    });
    for (const [key, u] of [["updateConfig", s.deploy.updateConfig], ["rollbackConfig", s.deploy.rollbackConfig]] as const) {
        if (u?.maxFailureRatio !== undefined && Number(failureRatio(u.maxFailureRatio)) !== u.maxFailureRatio) {
            warn(`deploy.${key}.maxFailureRatio`, `the provider keeps one decimal of a failure ratio: ${u.maxFailureRatio} is applied as ${failureRatio(u.maxFailureRatio)}`);
        }
    }
    s.dependsOn.forEach((d) => {
        if (d.condition === "completed") {
            warn(`dependsOn.${d.service}`, "Swarm services run until stopped: service_completed_successfully cannot be awaited; the service is only created after it");
        }
    });
}
