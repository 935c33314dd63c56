/**
 * What of an application Swarm can run: the Swarm target's decision for every field of the model
 * (see `../support`). Two kinds of findings, decided case by case:
 *
 * - errors (nothing is created) for settings Swarm would refuse or whose loss would change how
 *   the application is wired: `network_mode`, an external secret or config (the provider needs
 *   its id, which it cannot look up), `max_replicas_per_node` on a global service, a global
 *   service with replicas;
 * - warnings (the target logs them and goes on) for settings Swarm or the provider ignores while
 *   the application still runs, the way `docker stack deploy` prints "Ignoring unsupported
 *   options" (`devices`, `pid`, `ipc`, `mac_address`, `cgroup_parent`, `runtime`…).
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
import { AppSpec, FileSourceSpec, UpdateConfigSpec } from "../../spec/types";
import { Finding } from "../plan";
import {
    checked, fields, FileSourceSupport, ignored, inherent, isSystemPath, joinsNamespaceOf, MAPPED, mapped, NetworkSupport, refused, ServiceSupport, SupportContext, SupportTable,
    supportFindings, Table, usesOf, VolumeSupport,
} from "../support";
import { BUILD_FIELDS } from "../images";
import { tmpfsMode } from "./mounts";
import { failureRatio } from "./update";

const octal = (mode: number) => mode.toString(8).padStart(4, "0");

const FILE_REFERENCE = { source: MAPPED, target: MAPPED, uid: MAPPED, gid: MAPPED, mode: MAPPED } as const;

const MAC_ADDRESS = "Swarm assigns MAC addresses itself; mac_address is ignored";
const FIXED_ADDRESS = "Swarm assigns service addresses itself; ipv4_address/ipv6_address are ignored";
const SECURITY_OPT = "security_opt is not supported on Swarm services and is ignored";
const TTY = "tty and stdin_open are not supported by the provider's Swarm service and are ignored";
/** Resources the provider's Swarm service has no field for, told together (see `group`). */
const NO_RESOURCE = "not supported on Swarm services and ignored";

function updateConfig() {
    const table: Table<UpdateConfigSpec> = {
        parallelism: MAPPED,
        delayMs: MAPPED,
        failureAction: MAPPED,
        monitorMs: MAPPED,
        maxFailureRatio: mapped((ratio, c) => (ratio !== undefined && Number(failureRatio(ratio)) !== ratio
            ? [c.warning(`the provider keeps one decimal of a failure ratio: ${ratio} is applied as ${failureRatio(ratio)}`)]
            : [])),
        order: MAPPED,
    };
    return fields<UpdateConfigSpec | undefined, unknown>(table);
}

const services: ServiceSupport = {
    name: MAPPED,
    image: MAPPED,
    // Built and pushed with the target's registry; without one the target warns that it is not built (unbuiltWarning).
    build: fields(BUILD_FIELDS),
    pullPolicy: mapped((policy, c) => (policy === "never"
        ? [c.warning(`Swarm nodes pull an image they lack whatever the policy: "never" is approximated, ${c.owner.image} is used as named and nothing asks the registry for its digest`)]
        : [])),
    entrypoint: MAPPED,
    command: MAPPED,
    environment: MAPPED,
    ports: fields(
        {
            target: MAPPED,
            published: MAPPED,
            hostIp: ignored((ip, c) => `Swarm cannot bind a published port to one host address; ${c.owner.published ?? c.owner.target} is published on all addresses (${ip} is ignored)`),
            protocol: MAPPED,
            mode: MAPPED,
            name: MAPPED,
            publishedEnd: ignored((end, c) => `a Swarm service publishes one port per mapping: ${c.owner.published} is published, not a free one of ${c.owner.published}-${end}`),
            appProtocol: ignored("Swarm has no application protocols for ports; the app_protocol is not used"),
        },
        {
            check: (ports, c) => {
                const s = c.owner;
                const hostPorts = ports.filter((p) => p.mode === "host" && p.published !== undefined);
                if (hostPorts.length === 0 || s.mode !== "replicated" || s.replicas <= 1 || s.deploy.placement.maxReplicasPerNode === 1) return [];
                return [c.warning(`host-mode port ${hostPorts[0].published} can be bound by one task per node: ${s.replicas} replicas need ${s.replicas} nodes, or tasks stay pending (set max_replicas_per_node: 1 to make this explicit)`)];
            },
        },
    ),
    expose: inherent("services on a shared overlay network reach each other on any port"),
    mounts: fields({
        volume: {
            type: MAPPED,
            source: MAPPED,
            target: MAPPED,
            readOnly: MAPPED,
            noCopy: MAPPED,
            subpath: ignored("volume subpath is not supported by the provider and is ignored: the whole volume is mounted"),
        },
        bind: {
            type: MAPPED,
            source: MAPPED,
            target: MAPPED,
            readOnly: MAPPED,
            createHostPath: ignored("Swarm does not create a missing host path: it must exist on every node that may run the task", (create, c) => create && !isSystemPath(c.owner.source)),
            propagation: MAPPED,
            selinux: ignored("SELinux relabelling (:z/:Z) is not supported on Swarm mounts and is ignored"),
            projectDir: inherent("the task binds a file of the project like any host path; it must exist on the node"),
        },
        tmpfs: {
            type: MAPPED,
            target: MAPPED,
            sizeBytes: MAPPED,
            mode: mapped((mode, c) => {
                const kept = mode === undefined ? undefined : tmpfsMode(mode);
                if (mode === undefined || kept === undefined || kept === mode) return [];
                return [c.warning(`${c.owner.target}: the provider keeps only the permission bits of a tmpfs mode: ${octal(mode)} is applied as ${octal(kept)} (the sticky, setuid and setgid bits are dropped)`)];
            }),
            options: ignored((options, c) => `${c.owner.target}: tmpfs options other than size and mode are not supported on Swarm mounts and are ignored: ${options!.join(",")}`),
        },
    }),
    networks: fields(
        {
            network: MAPPED,
            aliases: MAPPED,
            ipv4Address: ignored(FIXED_ADDRESS),
            ipv6Address: ignored(FIXED_ADDRESS),
            macAddress: ignored(MAC_ADDRESS),
            driverOpts: ignored("driver options of a service's network attachment are not passed to the Swarm service yet; they are not applied"),
        },
        { key: (n) => n.network },
    ),
    networkMode: refused("Swarm services cannot use network_mode: attach the service to networks instead"),
    dependsOn: fields(
        {
            service: MAPPED,
            condition: mapped((condition, c) => (condition === "completed"
                ? [c.warning("the provider cannot wait for a Swarm task to complete: the dependency runs once (its task is never restarted), but this service is created as soon as the dependency is created, not when it has completed", c.ownerPath)]
                : [])),
            required: MAPPED,
            // A namespace shared with another service is itself ignored (pid, ipc) or refused (network_mode).
            restart: ignored("Swarm does not restart a service when one it depends on is updated", (v, c) => v && !joinsNamespaceOf(c.service!, c.owner.service)),
        },
        { key: (d) => d.service },
    ),
    healthcheck: fields({
        disable: MAPPED,
        test: MAPPED,
        intervalMs: MAPPED,
        timeoutMs: MAPPED,
        retries: MAPPED,
        startPeriodMs: MAPPED,
        startIntervalMs: ignored("start_interval is not supported by the provider and is ignored"),
    }),
    restart: fields({ policy: MAPPED, maxRetries: MAPPED, implicit: MAPPED }),
    mode: MAPPED,
    replicas: mapped((replicas, c) => (c.owner.mode === "global" && replicas !== 1
        ? [c.error("replicas cannot be set for a global service (it runs one task per node)", replicas)]
        : [])),
    resources: fields(
        {
            limits: fields({ cpus: MAPPED, memoryBytes: MAPPED, pids: ignored(NO_RESOURCE) }),
            reservations: fields({ cpus: MAPPED, memoryBytes: MAPPED }),
            cpuShares: ignored(NO_RESOURCE),
            cpuset: ignored(NO_RESOURCE),
            memorySwapBytes: ignored(NO_RESOURCE),
            shmSizeBytes: ignored(NO_RESOURCE),
        },
        { group: (names) => `${NO_RESOURCE}: ${names.join(", ")}` },
    ),
    deploy: fields({
        endpointMode: MAPPED,
        placement: fields({
            constraints: MAPPED,
            preferences: fields({ spread: MAPPED }),
            maxReplicasPerNode: mapped((max, c) => (max !== undefined && c.service!.mode === "global"
                ? [c.error("max_replicas_per_node applies to replicated services only (a global service runs one task per node)", max)]
                : [])),
        }),
        restartPolicy: fields({ condition: MAPPED, delayMs: MAPPED, maxAttempts: MAPPED, windowMs: MAPPED }),
        updateConfig: updateConfig(),
        rollbackConfig: updateConfig(),
        labels: MAPPED,
    }),
    user: MAPPED,
    groupAdd: MAPPED,
    workingDir: MAPPED,
    hostname: MAPPED,
    domainname: ignored("domainname is not supported on Swarm services and is ignored"),
    dns: MAPPED,
    dnsSearch: MAPPED,
    dnsOptions: MAPPED,
    extraHosts: fields({ host: MAPPED, ip: MAPPED }),
    labels: MAPPED,
    logging: fields({
        driver: MAPPED,
        options: mapped((options, c) => (c.owner.driver === undefined && Object.keys(options).length > 0
            ? [c.warning("logging options without a driver are ignored on Swarm: name the driver")]
            : [])),
    }),
    readOnly: MAPPED,
    capAdd: MAPPED,
    capDrop: MAPPED,
    securityOpt: ignored(SECURITY_OPT),
    noNewPrivileges: ignored(SECURITY_OPT),
    // docker stack deploy ignores privileged too; services such as cAdvisor run on Swarm without it.
    privileged: ignored("Swarm services cannot run privileged: the service runs unprivileged (grant what it needs with cap_add)"),
    init: MAPPED,
    stopSignal: MAPPED,
    stopGracePeriodMs: MAPPED,
    ulimits: ignored("ulimits are not supported by the provider's Swarm service and are ignored"),
    sysctls: MAPPED,
    tty: ignored(TTY),
    stdinOpen: ignored(TTY),
    secrets: fields(FILE_REFERENCE),
    configs: fields(FILE_REFERENCE),
    containerName: MAPPED,
    devices: ignored((devices) => `Swarm services cannot map host devices; ${devices.map((d) => d.hostPath).join(", ")} ${devices.length === 1 ? "is" : "are"} not available in the container`),
    platform: mapped((platform, c) => (platform !== undefined && !["linux", "windows"].includes(platform.split("/")[0])
        ? [c.warning(`no Swarm node reports the OS of platform "${platform}", so its tasks stay pending`)]
        : [])),
    pid: ignored((pid) => `Swarm services cannot share a PID namespace; pid "${pid}" is ignored`),
    ipc: ignored((ipc) => `Swarm services cannot choose an IPC namespace; ipc "${ipc}" is ignored`),
    runtime: ignored((runtime) => `Swarm services run with the engine's default runtime; runtime "${runtime}" is ignored`),
    macAddress: ignored(MAC_ADDRESS),
    cgroupParent: ignored("cgroup_parent is not supported on Swarm services and is ignored"),
    extensions: inherent("x-* fields are for the targets that read them (x-kubernetes); Swarm reads none"),
};

const networks: NetworkSupport = {
    key: MAPPED,
    name: MAPPED,
    driver: mapped((driver, c) => (!c.owner.external && driver === "bridge"
        ? [c.warning('the "bridge" driver is local to one engine; the network is created with "overlay", its Swarm equivalent')]
        : [])),
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
    extensions: inherent("x-* fields are for the targets that read them (x-kubernetes); Swarm reads none"),
};

function fileSources(kind: "secrets" | "configs"): FileSourceSupport {
    return {
        key: MAPPED,
        name: MAPPED,
        content: MAPPED,
        file: MAPPED,
        environment: MAPPED,
        external: checked(`refused where a service uses it: the provider references ${kind} by id, which it cannot look up`, (external: boolean, c: SupportContext<FileSourceSpec>) =>
            (external
                ? usesOf(c.app, kind, c.owner.key).map((u) => c.error(
                    `external ${kind} are not supported on Swarm yet: the provider references them by id, which it cannot look up; define the content in the application instead`,
                    c.owner.key, u.path))
                : [])),
        labels: MAPPED,
    };
}

/** The Swarm target's decision for every field of the model. */
export const SWARM_SUPPORT: SupportTable = { services, networks, volumes, secrets: fileSources("secrets"), configs: fileSources("configs") };

/** What the Swarm target refuses (errors) and ignores or approximates (warnings) of `app`. */
export function swarmFindings(app: AppSpec): Finding[] {
    return supportFindings(app, SWARM_SUPPORT);
}
