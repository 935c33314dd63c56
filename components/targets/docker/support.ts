/**
 * What the Docker-host target does with every field of the model (see `../support`).
 *
 * One engine runs every container, through the Docker provider, so nearly every container
 * setting maps. Refused: what one host cannot do with a valid description (several replicas
 * publishing one host port, an external secret or config, a secret or config file no delivery
 * can reach, see `planFiles`). Ignored, with a warning: what the provider cannot set (a pids limit,
 * SELinux relabelling), what only an orchestrator has (placement, update and rollback settings,
 * service labels, a CPU reservation), and what Compose leaves to the engine anyway. Warned about
 * as well: values the provider reads back in another form, so that later changes are not
 * applied to existing containers (`containerResourceOptions`).
 */
import { getOwn } from "../../spec/records";
import { AppSpec, DependencySpec, FileSourceSpec } from "../../spec/types";
import { Finding } from "../plan";
import {
    fields, FileSourceSupport, ignored, inherent, joinsNamespaceOf, MAPPED, mapped, checked, NetworkSupport, ServiceSupport, SupportContext, SupportTable,
    supportFindings, usesOf, VolumeSupport,
} from "../support";
import { BUILD_FIELDS } from "../images";
import { isContainerId, mayStayExited, planFiles, restartPolicy } from "./convert";

/** A `container:<name>` mode the engine will report by id (see `containerResourceOptions`). */
function byIdLater(mode: string | undefined, c: SupportContext): Finding[] {
    if (!mode?.startsWith("container:") || isContainerId(mode.slice("container:".length))) return [];
    return [c.warning(`the engine reports "${mode}" by the container's id; later changes to it are not applied to existing containers`)];
}

const ORCHESTRATOR_ONLY = "a Docker host runs every container itself; placement is for orchestrators";

const FILE_REFERENCE = { source: MAPPED, target: MAPPED, uid: MAPPED, gid: MAPPED, mode: MAPPED } as const;

function completedDependency(d: DependencySpec, c: SupportContext<DependencySpec>): Finding[] {
    if (d.condition !== "completed") return [];
    const s = c.service!;
    const dep = getOwn(c.app.services, d.service);
    if (dep && mayStayExited(restartPolicy(dep.restart, dep.deploy.restartPolicy))) {
        return [c.warning(`created after "${d.service}" has exited; the provider does not check its exit code`, c.ownerPath)];
    }
    return [c.warning(`"${d.service}" restarts when it exits, so it never completes; ${s.name} is created after it is created`, c.ownerPath)];
}

const services: ServiceSupport = {
    name: MAPPED,
    image: MAPPED,
    build: fields(BUILD_FIELDS),
    pullPolicy: MAPPED,
    entrypoint: MAPPED,
    command: MAPPED,
    environment: MAPPED,
    ports: fields(
        {
            target: MAPPED,
            published: MAPPED,
            hostIp: MAPPED,
            protocol: MAPPED,
            mode: inherent("one Docker host publishes every port on itself: ingress and host mode are the same there"),
            name: ignored("a Docker host has no port names; the name is not used"),
            publishedEnd: ignored((end, c) => `the Docker provider publishes one host port per mapping: ${c.owner.published} is published, not a free one of ${c.owner.published}-${end}`),
            appProtocol: ignored("a Docker host has no application protocols for ports; the app_protocol is not used"),
        },
        {
            check: (ports, c) => {
                const s = c.owner;
                const fixed = ports.filter((p) => p.published !== undefined);
                if (s.replicas <= 1 || fixed.length === 0) return [];
                return [c.error(`${s.replicas} replicas cannot all publish host port ${fixed[0].published} on one Docker host; publish a range, drop the host port, or use one replica`, fixed[0].published)];
            },
        },
    ),
    expose: inherent("containers on a shared network reach each other on any port"),
    mounts: fields({
        volume: { type: MAPPED, source: MAPPED, target: MAPPED, readOnly: MAPPED, noCopy: MAPPED, subpath: MAPPED },
        bind: {
            type: MAPPED,
            source: MAPPED,
            target: MAPPED,
            readOnly: MAPPED,
            createHostPath: MAPPED,
            propagation: MAPPED,
            selinux: ignored((v) => `the SELinux relabel option :${v} is not applied by the Docker provider`),
            projectDir: inherent("the engine binds a file of the project like any host path (the project is on the Docker host)"),
        },
        tmpfs: { type: MAPPED, target: MAPPED, sizeBytes: MAPPED, mode: MAPPED, options: MAPPED },
    }),
    networks: fields(
        {
            network: MAPPED,
            aliases: MAPPED,
            ipv4Address: MAPPED,
            ipv6Address: MAPPED,
            macAddress: MAPPED,
            driverOpts: ignored("the Docker provider takes no driver options for a container's network attachment; they are not applied"),
        },
        { key: (n) => n.network },
    ),
    networkMode: mapped((v, c) => byIdLater(v, c)),
    dependsOn: fields(
        {
            service: MAPPED,
            condition: mapped((_v, c) => completedDependency(c.owner, c)),
            required: MAPPED,
            // A `service:` namespace is joined by the donor's container id: a new donor replaces the container.
            restart: ignored("a container is not restarted when the service it depends on is updated", (v, c) => v && !joinsNamespaceOf(c.service!, c.owner.service)),
        },
        { key: (d) => d.service },
    ),
    healthcheck: fields({ disable: MAPPED, test: MAPPED, intervalMs: MAPPED, timeoutMs: MAPPED, retries: MAPPED, startPeriodMs: MAPPED, startIntervalMs: MAPPED }),
    restart: fields({ policy: MAPPED, maxRetries: MAPPED, implicit: inherent("Compose's default, no restart, is the engine's default too") }),
    mode: MAPPED,
    replicas: MAPPED,
    resources: fields({
        limits: fields({ cpus: MAPPED, memoryBytes: MAPPED, pids: ignored("the Docker provider cannot set a pids limit; it is not applied") }),
        reservations: fields({ cpus: ignored("a Docker host has no CPU reservation; use cpu_shares for a relative weight"), memoryBytes: MAPPED }),
        cpuShares: MAPPED,
        cpuset: MAPPED,
        memorySwapBytes: MAPPED,
        shmSizeBytes: MAPPED,
    }),
    deploy: fields({
        endpointMode: ignored("a Docker host has no virtual IP per service: the service name resolves to each container's address, as with dnsrr", (v) => v === "vip"),
        placement: fields({ constraints: ignored(ORCHESTRATOR_ONLY), preferences: ignored(ORCHESTRATOR_ONLY), maxReplicasPerNode: ignored(ORCHESTRATOR_ONLY) }),
        restartPolicy: fields({
            condition: MAPPED,
            delayMs: ignored("the engine restarts a container with its own back-off; a restart delay is not applied"),
            maxAttempts: MAPPED,
            windowMs: ignored("the engine restarts a container with its own back-off; a restart window is not applied"),
        }),
        updateConfig: ignored("a Docker host replaces a changed container; update_config is for orchestrators"),
        rollbackConfig: ignored("a Docker host does not roll back; rollback_config is for orchestrators"),
        labels: ignored("a Docker host has no service object to label; labels go on the containers"),
    }),
    user: MAPPED,
    groupAdd: MAPPED,
    workingDir: MAPPED,
    hostname: MAPPED,
    domainname: MAPPED,
    dns: MAPPED,
    dnsSearch: MAPPED,
    dnsOptions: MAPPED,
    extraHosts: fields(
        { host: MAPPED, ip: MAPPED },
        {
            check: (hosts, c) => (hosts.some((h) => h.ip.includes(":"))
                ? [c.warning("the Docker provider reads IPv6 entries back cut at the first ':'; later changes to extra_hosts are not applied to existing containers (ignoreChanges: hosts)")]
                : []),
        },
    ),
    labels: MAPPED,
    logging: fields({ driver: MAPPED, options: MAPPED }),
    readOnly: MAPPED,
    capAdd: MAPPED,
    capDrop: MAPPED,
    securityOpt: MAPPED,
    noNewPrivileges: MAPPED,
    privileged: MAPPED,
    init: MAPPED,
    stopSignal: MAPPED,
    stopGracePeriodMs: MAPPED,
    ulimits: MAPPED,
    sysctls: MAPPED,
    tty: MAPPED,
    stdinOpen: MAPPED,
    // How secrets and configs reach the containers is planned for both at once (planFiles).
    secrets: fields(FILE_REFERENCE, {
        check: (_v, c) => {
            planFiles(c.app, c.owner);
            return [];
        },
    }),
    configs: fields(FILE_REFERENCE),
    containerName: MAPPED,
    devices: fields({ hostPath: MAPPED, containerPath: MAPPED, permissions: MAPPED }),
    platform: MAPPED,
    pid: mapped((v, c) => byIdLater(v, c)),
    ipc: mapped((v, c) => {
        const donor = v?.startsWith("service:") ? getOwn(c.app.services, v.slice("service:".length)) : undefined;
        return [
            ...byIdLater(v, c),
            ...(donor && donor.ipc !== "shareable" && donor.ipc !== "host"
                ? [c.warning(`"${donor.name}" does not set ipc: shareable; an engine whose default IPC mode is private refuses to share it`)]
                : []),
        ];
    }),
    runtime: MAPPED,
    macAddress: mapped((_v, c) => (c.owner.macAddress !== undefined && c.owner.networkMode !== undefined
        ? [c.warning(`the Docker provider sets MAC addresses per network only; with network_mode "${c.owner.networkMode}" it is not applied`)]
        : [])),
    cgroupParent: MAPPED,
    extensions: inherent("x-* fields are for the targets that read them (x-kubernetes); a Docker host reads none"),
};

const networks: NetworkSupport = {
    key: MAPPED,
    name: MAPPED,
    driver: MAPPED,
    driverOpts: MAPPED,
    internal: MAPPED,
    attachable: MAPPED,
    enableIpv6: MAPPED,
    ipam: fields({
        driver: MAPPED,
        config: fields({ subnet: MAPPED, gateway: MAPPED, ipRange: MAPPED, auxAddresses: MAPPED }),
        options: ignored("IPAM driver options are not passed to the network yet; the IPAM driver runs with its defaults"),
    }),
    labels: MAPPED,
    external: MAPPED,
};

const volumes: VolumeSupport = {
    key: MAPPED,
    name: MAPPED,
    driver: MAPPED,
    driverOpts: MAPPED,
    labels: MAPPED,
    external: MAPPED,
    extensions: inherent("x-* fields are for the targets that read them (x-kubernetes); a Docker host reads none"),
};

function fileSources(kind: "secret" | "config"): FileSourceSupport {
    return {
        key: MAPPED,
        name: inherent(`a Docker host keeps no ${kind} objects: the content is written into the containers, so it needs no name`),
        content: MAPPED,
        file: MAPPED,
        environment: MAPPED,
        external: checked(`refused where a service uses it: an external ${kind} exists only on Swarm or Kubernetes`, (external: boolean, c: SupportContext<FileSourceSpec>) =>
            (external
                ? usesOf(c.app, `${kind}s`, c.owner.key).map((u) => c.error(`external ${kind} "${c.owner.key}" exists only on Swarm or Kubernetes; a Docker host needs file, content or environment`, c.owner.key, u.path))
                : [])),
        labels: ignored(`a Docker host keeps no ${kind} objects to label: the content is written into the containers`),
    };
}

/** The Docker-host target's decision for every field of the model. */
export const DOCKER_SUPPORT: SupportTable = { services, networks, volumes, secrets: fileSources("secret"), configs: fileSources("config") };

/** What the Docker-host target refuses (errors) and ignores or approximates (warnings) of `app`. */
export function dockerFindings(app: AppSpec): Finding[] {
    return supportFindings(app, DOCKER_SUPPORT);
}

