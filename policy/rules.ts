/**
 * The CIS Docker Benchmark (v1.6.0 numbering, as docker/docker-bench-security checks it) as rules
 * over what a Pulumi program declares. Pure: a rule is a function from a normalized view (a
 * container of any target, or a daemon.json object) to violation messages; `index.ts` wraps them
 * in a CrossGuard policy pack.
 *
 * Only what a resource's inputs can show is judged. What an image or a node decides by itself (the
 * image's USER and HEALTHCHECK, a kubelet's PIDs limit) is invisible here: the rule says so in its
 * message, and a resource that is fine for such a reason opts out with a reason (see `skip.ts`).
 */
import type { ContainerView } from "./workload";

export type Level = "advisory" | "mandatory";
export type Section = "daemon" | "image" | "container";

export interface Rule {
    /** The benchmark's recommendation id: `5.5`. */
    readonly id: string;
    /** The policy's name in the pack: `cis-5.5-privileged`. */
    readonly name: string;
    /** The benchmark's title, as docker-bench-security prints it. */
    readonly title: string;
    readonly section: Section;
    /** The enforcement level when the pack's configuration does not set one. */
    readonly level: Level;
    /** What is judged, and what dockyard offers to comply (for the README table and the policy's description). */
    readonly judged: string;
}

/** A daemon rule: daemon.json object in, violation messages out. */
export interface DaemonRule extends Rule {
    readonly section: "daemon";
    check(json: DaemonJsonObject): string[];
}

/** A container rule: one container (Docker container, Swarm task, Kubernetes container) in, messages out. */
export interface ContainerRule extends Rule {
    readonly section: "image" | "container";
    check(c: ContainerView): string[];
}

/** A parsed daemon.json: dockerd's keys (`live-restore`, `icc`, …). */
export type DaemonJsonObject = Readonly<Record<string, unknown>>;

// ---------------------------------------------------------------------------------------------
// Section 2: the Docker daemon's configuration, judged from daemon.json.

/** Log drivers that keep logs on the host only (2.13 asks for centralized, remote logging). */
const LOCAL_LOG_DRIVERS = ["json-file", "local", "none"];

function hosts(json: DaemonJsonObject): string[] {
    const h = json["hosts"];
    return Array.isArray(h) ? h.filter((x): x is string => typeof x === "string") : typeof h === "string" ? [h] : [];
}

export const DAEMON_RULES: readonly DaemonRule[] = [
    {
        id: "2.2", name: "cis-2.2-icc", section: "daemon", level: "advisory",
        title: "Ensure network traffic is restricted between containers on the default bridge",
        judged: "daemon.json `icc` is false (`DaemonConfig.icc: false`)",
        check: (j) => (j["icc"] === false ? [] : [`icc is ${j["icc"] === undefined ? "not set (dockerd's default is true)" : JSON.stringify(j["icc"])}: containers on the default bridge can reach each other; set icc: false`]),
    },
    {
        id: "2.5", name: "cis-2.5-insecure-registries", section: "daemon", level: "advisory",
        title: "Ensure insecure registries are not used",
        judged: "daemon.json `insecure-registries` is empty (`DaemonConfig.insecureRegistries`)",
        check: (j) => {
            const r = j["insecure-registries"];
            return Array.isArray(r) && r.length ? [`insecure-registries lists ${r.map((x) => JSON.stringify(x)).join(", ")}: images from them are pulled without TLS verification`] : [];
        },
    },
    {
        id: "2.7", name: "cis-2.7-tls-tcp", section: "daemon", level: "mandatory",
        title: "Ensure TLS authentication for Docker daemon is configured",
        judged: "every `tcp://` entry of daemon.json `hosts` comes with `tlsverify: true` and a CA (`DaemonConfig.tls`)",
        check: (j) => {
            const tcp = hosts(j).filter((h) => /^tcp:\/\//i.test(h));
            if (!tcp.length) return [];
            if (j["tlsverify"] === true && typeof j["tlscacert"] === "string") return [];
            const how = j["tls"] === true || typeof j["tlscert"] === "string" ? "with TLS but without client verification (tlsverify)" : "without TLS";
            return [`dockerd listens on ${tcp.join(", ")} ${how}: anyone who reaches the port controls the engine; set tls.ca (tlsverify) with a server certificate`];
        },
    },
    {
        id: "2.8", name: "cis-2.8-default-ulimits", section: "daemon", level: "advisory",
        title: "Ensure the default ulimit is configured appropriately",
        judged: "daemon.json `default-ulimits` is set (`DaemonConfig.defaultUlimits`); an `nproc` entry is also dockyard's closest stand-in for 5.29",
        check: (j) => {
            const u = j["default-ulimits"];
            return u && typeof u === "object" && Object.keys(u).length ? [] : ["default-ulimits is not set: containers inherit dockerd's own limits; set defaultUlimits (nofile, nproc)"];
        },
    },
    {
        id: "2.9", name: "cis-2.9-userns-remap", section: "daemon", level: "advisory",
        title: "Enable user namespace support",
        judged: "daemon.json `userns-remap` is set (`DaemonConfig.usernsRemap`)",
        check: (j) => (typeof j["userns-remap"] === "string" && j["userns-remap"] !== "" ? [] : ["userns-remap is not set: root in a container is root on the host; set usernsRemap (\"default\")"]),
    },
    {
        id: "2.13", name: "cis-2.13-remote-logging", section: "daemon", level: "advisory",
        title: "Ensure centralized and remote logging is configured",
        judged: "daemon.json `log-driver` sends logs off the host (not json-file, local or none; `DaemonConfig.logDriver`)",
        check: (j) => {
            const d = typeof j["log-driver"] === "string" ? j["log-driver"] : undefined;
            if (d !== undefined && !LOCAL_LOG_DRIVERS.includes(d)) return [];
            return [`log-driver is ${d === undefined ? "not set (dockerd's default is json-file)" : JSON.stringify(d)}: logs stay on the host; use a remote driver (syslog, journald, gelf, fluentd, …)`];
        },
    },
    {
        id: "2.14", name: "cis-2.14-no-new-privileges", section: "daemon", level: "advisory",
        title: "Ensure containers are restricted from acquiring new privileges",
        judged: "daemon.json `no-new-privileges` is true (`DaemonConfig.noNewPrivileges`)",
        check: (j) => (j["no-new-privileges"] === true ? [] : ["no-new-privileges is not true: setuid binaries in containers can gain privileges; set noNewPrivileges: true"]),
    },
    {
        id: "2.15", name: "cis-2.15-live-restore", section: "daemon", level: "advisory",
        title: "Ensure live restore is enabled",
        judged: "daemon.json `live-restore` is true (`DaemonConfig.liveRestore`); a swarm node opts out with a reason (live restore does not cover services)",
        check: (j) => (j["live-restore"] === true ? [] : ["live-restore is not true: containers stop whenever dockerd restarts; set liveRestore: true"]),
    },
    {
        id: "2.16", name: "cis-2.16-userland-proxy", section: "daemon", level: "advisory",
        title: "Ensure Userland Proxy is Disabled",
        judged: "daemon.json `userland-proxy` is false (`DaemonConfig.userlandProxy: false`)",
        check: (j) => (j["userland-proxy"] === false ? [] : [`userland-proxy is ${j["userland-proxy"] === undefined ? "not set (dockerd's default is true)" : JSON.stringify(j["userland-proxy"])}: a docker-proxy process serves each published port; set userlandProxy: false`]),
    },
];

// ---------------------------------------------------------------------------------------------
// Sections 4 and 5: images and the container runtime, judged per container.

/** Directories CIS 5.6 names (docker-bench-security's list). */
export const SENSITIVE_DIRS = ["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr"];
/** Where the Docker socket lives, and the directories that hold it. */
const DOCKER_SOCKETS = ["/var/run/docker.sock", "/run/docker.sock"];

/** Capabilities Docker grants by default (adding one of these changes nothing; docker-bench ignores them). */
export const DEFAULT_CAPABILITIES = [
    "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
];

function normalizePath(p: string): string {
    const parts: string[] = [];
    for (const seg of p.split("/")) {
        if (seg === "" || seg === ".") continue;
        if (seg === "..") parts.pop();
        else parts.push(seg);
    }
    return "/" + parts.join("/");
}

function isWithin(path: string, dir: string): boolean {
    return dir === "/" ? true : path === dir || path.startsWith(dir + "/");
}

/** The sensitive directory a host path is, or lies in when mounted read-write. */
export function sensitiveDir(source: string, readOnly: boolean): string | undefined {
    const p = normalizePath(source);
    if (SENSITIVE_DIRS.includes(p)) return p;
    if (readOnly) return undefined;
    return SENSITIVE_DIRS.filter((d) => d !== "/").find((d) => isWithin(p, d));
}

/** Whether a host path is the Docker socket or a directory that contains it (a socket in a read-only mount still accepts connections). */
export function exposesDockerSocket(source: string): boolean {
    const p = normalizePath(source);
    return DOCKER_SOCKETS.some((s) => isWithin(s, p)) || p === "/var/run/docker.sock" || /\/docker\.sock$/.test(p);
}

function mountText(m: ContainerView["mounts"][number]): string {
    return `${m.source}:${m.target}${m.readOnly ? ":ro" : ""}`;
}

const ROOT_USERS = ["root", "0"];

/** Whether a container user (`user`, `user:group`, `uid:gid`) is root. */
export function isRootUser(user: string): boolean {
    return ROOT_USERS.includes(user.split(":")[0]);
}

/** Image references that say which image they mean: a digest, or a tag other than `latest`. */
export function pinnedImage(ref: string): boolean {
    if (/@sha256:[0-9a-f]{64}$/i.test(ref)) return true;
    const lastSlash = ref.lastIndexOf("/");
    const colon = ref.indexOf(":", lastSlash + 1);
    if (colon < 0) return false;
    return ref.slice(colon + 1) !== "latest";
}

const PRIVILEGED_PORT_LIMIT = 1024;
const MAX_RESTARTS = 5;

export const CONTAINER_RULES: readonly ContainerRule[] = [
    {
        id: "4.1", name: "cis-4.1-non-root-user", section: "image", level: "advisory",
        title: "Ensure that a user for the container has been created",
        judged: "the container runs as a non-root user the resource names: `user` (Docker, Swarm), `runAsNonRoot`/`runAsUser` (Kubernetes). An image's own USER is not visible: opt out naming it",
        check: (c) => {
            if (c.runAsNonRoot === true) return [];
            if (c.user !== undefined && c.user !== "" && !isRootUser(c.user)) return [];
            return [c.user !== undefined && c.user !== "" ? `runs as ${JSON.stringify(c.user)}, which is root` : "sets no user: it runs as the image's USER, root unless the image says otherwise; set user (runAsNonRoot/runAsUser), or opt out naming the image's USER"];
        },
    },
    {
        id: "4.2", name: "cis-4.2-pinned-image", section: "image", level: "advisory",
        title: "Ensure that containers use only trusted base images",
        judged: "partly: only that the image reference is pinned (a tag other than `latest`, or a digest). Whether the image is trusted is not judgeable from resources",
        check: (c) => (c.image === undefined || pinnedImage(c.image) ? [] : [`image ${JSON.stringify(c.image)} is not pinned (no tag, or latest): what runs changes with every pull; name a version or a digest`]),
    },
    {
        id: "5.4", name: "cis-5.4-capabilities", section: "container", level: "mandatory",
        title: "Ensure that Linux kernel capabilities are restricted within containers",
        judged: "no capability beyond Docker's default set is added (`cap_add`; Kubernetes `securityContext.capabilities.add`)",
        check: (c) => {
            const extra = c.capAdd.map((x) => x.toUpperCase().replace(/^CAP_/, "")).filter((x) => !DEFAULT_CAPABILITIES.includes(x));
            return extra.length ? [`adds capabilities ${extra.join(", ")}`] : [];
        },
    },
    {
        id: "5.5", name: "cis-5.5-privileged", section: "container", level: "mandatory",
        title: "Ensure that privileged containers are not used",
        judged: "`privileged` is not set (Docker, Kubernetes; a Swarm service cannot be privileged)",
        check: (c) => (c.privileged ? ["runs privileged: every device and capability of the host"] : []),
    },
    {
        id: "5.6", name: "cis-5.6-sensitive-mounts", section: "container", level: "mandatory",
        title: "Ensure sensitive host system directories are not mounted on containers",
        judged: `no bind/hostPath mount of ${SENSITIVE_DIRS.join(", ")} themselves, nor read-write of anything below them`,
        check: (c) => c.mounts.flatMap((m) => {
            const d = sensitiveDir(m.source, m.readOnly);
            return d === undefined ? [] : [`mounts ${mountText(m)}: ${m.source === d ? "" : `inside `}the host's ${d}${m.readOnly ? "" : " read-write"}`];
        }),
    },
    {
        id: "5.8", name: "cis-5.8-privileged-ports", section: "container", level: "advisory",
        title: "Ensure privileged ports are not mapped within containers",
        judged: `no host port below ${PRIVILEGED_PORT_LIMIT} is published (\`ports\`; Swarm \`published\`; Kubernetes \`hostPort\`)`,
        check: (c) => c.hostPorts.filter((p) => p > 0 && p < PRIVILEGED_PORT_LIMIT).map((p) => `publishes host port ${p}, a privileged port`),
    },
    {
        id: "5.10", name: "cis-5.10-host-network", section: "container", level: "mandatory",
        title: "Ensure that the host's network namespace is not shared",
        judged: "`network_mode: host` (Kubernetes `hostNetwork`) is not used",
        check: (c) => (c.hostNetwork ? ["shares the host's network namespace"] : []),
    },
    {
        id: "5.11", name: "cis-5.11-memory-limit", section: "container", level: "advisory",
        title: "Ensure that the memory usage for containers is limited",
        judged: "a memory limit is set (`deploy.resources.limits.memory`, `mem_limit`; Kubernetes `resources.limits.memory`)",
        check: (c) => (c.memoryLimit ? [] : ["has no memory limit"]),
    },
    {
        id: "5.12", name: "cis-5.12-cpu-limit", section: "container", level: "advisory",
        title: "Ensure that CPU priority is set appropriately on containers",
        judged: "a CPU limit or CPU shares are set (`deploy.resources.limits.cpus`, `cpu_shares`; Kubernetes `resources.limits.cpu`)",
        check: (c) => (c.cpuLimit ? [] : ["has no CPU limit or shares"]),
    },
    {
        id: "5.13", name: "cis-5.13-read-only-rootfs", section: "container", level: "advisory",
        title: "Ensure that the container's root filesystem is mounted as read only",
        judged: "`read_only: true` (Kubernetes `readOnlyRootFilesystem`)",
        check: (c) => (c.readOnlyRootfs ? [] : ["has a writable root filesystem; set read_only (readOnlyRootFilesystem) with volumes or tmpfs for what it writes"]),
    },
    {
        id: "5.15", name: "cis-5.15-restart-limit", section: "container", level: "advisory",
        title: "Ensure that the 'on-failure' container restart policy is set to '5'",
        judged: `restarts are bounded: \`on-failure\` with at most ${MAX_RESTARTS} attempts (Swarm \`restart_policy.max_attempts\`). Not judged on Kubernetes, whose restarts back off without a count`,
        check: (c) => {
            const r = c.restart;
            if (!r || r.policy === "no" || r.policy === "none") return [];
            if (r.policy !== "on-failure") return [`restarts ${r.policy === "any" ? "on any exit (condition any)" : JSON.stringify(r.policy)} without a limit; use on-failure with at most ${MAX_RESTARTS} attempts`];
            if (!r.maxRetries) return [`restarts on failure without a limit; set at most ${MAX_RESTARTS} attempts`];
            return r.maxRetries > MAX_RESTARTS ? [`restarts on failure up to ${r.maxRetries} times, more than ${MAX_RESTARTS}`] : [];
        },
    },
    {
        id: "5.16", name: "cis-5.16-host-pid", section: "container", level: "mandatory",
        title: "Ensure that the host's process namespace is not shared",
        judged: "`pid: host` (Kubernetes `hostPID`) is not used",
        check: (c) => (c.hostPid ? ["shares the host's process namespace"] : []),
    },
    {
        id: "5.17", name: "cis-5.17-host-ipc", section: "container", level: "mandatory",
        title: "Ensure that the host's IPC namespace is not shared",
        judged: "`ipc: host` (Kubernetes `hostIPC`) is not used",
        check: (c) => (c.hostIpc ? ["shares the host's IPC namespace"] : []),
    },
    {
        id: "5.21", name: "cis-5.21-host-uts", section: "container", level: "mandatory",
        title: "Ensure that the host's UTS namespace is not shared",
        judged: "the host's UTS namespace is not shared. The docker provider has no `uts` setting and dockyard does not model it (Compose `uts` is warned about and ignored); Kubernetes shares it with `hostNetwork`",
        check: (c) => (c.hostUts ? ["shares the host's UTS namespace"] : []),
    },
    {
        id: "5.27", name: "cis-5.27-healthcheck", section: "container", level: "advisory",
        title: "Ensure that container health is checked at runtime",
        judged: "a healthcheck (Kubernetes: a liveness or readiness probe) is declared and not disabled. An image's own HEALTHCHECK is not visible: opt out naming it",
        check: (c) => (c.healthcheck === "declared" ? [] : [c.healthcheck === "disabled" ? "disables its healthcheck" : "declares no healthcheck (Kubernetes: no liveness or readiness probe)"]),
    },
    {
        id: "5.29", name: "cis-5.29-pids-limit", section: "container", level: "advisory",
        title: "Ensure that the PIDs cgroup limit is used",
        judged: "the docker provider cannot set a PIDs cgroup limit (no `pids_limit` on Container or Service); on a Docker host an `nproc` ulimit is accepted as the closest setting. Not judged on Kubernetes (the kubelet's podPidsLimit is node configuration)",
        check: (c) => {
            if (c.pidsLimit !== undefined && c.pidsLimit > 0) return [];
            if (c.nprocUlimit !== undefined && c.nprocUlimit > 0) return [];
            return [c.target === "swarm"
                ? "has no PIDs limit, and a Swarm service cannot get one through the docker provider (no pids limit or ulimits on its container spec)"
                : "has no PIDs limit; the docker provider cannot set the cgroup limit, set ulimits.nproc instead"];
        },
    },
    {
        id: "5.32", name: "cis-5.32-docker-socket", section: "container", level: "mandatory",
        title: "Ensure that the Docker socket is not mounted inside any containers",
        judged: "no mount of the Docker socket or a directory holding it (`/var/run`, `/run`, `/`), read-only included: a socket in a read-only mount still accepts connections",
        check: (c) => c.mounts.filter((m) => exposesDockerSocket(m.source)).map((m) => `mounts ${mountText(m)}, which ${normalizePath(m.source).endsWith("docker.sock") ? "is" : "holds"} the Docker socket: full control of the engine`),
    },
];

/** Rules that a target cannot be judged on, with the reason (the policy reports them as not applicable). */
export const NOT_JUDGED: Readonly<Record<string, Partial<Record<ContainerView["target"], string>>>> = {
    "5.15": { kubernetes: "Kubernetes restarts back off without a count; there is no restart limit to set" },
    "5.29": { kubernetes: "the PIDs limit is the kubelet's podPidsLimit, node configuration no pod can set" },
};

export const RULES: readonly (DaemonRule | ContainerRule)[] = [...DAEMON_RULES, ...CONTAINER_RULES];

/** The policy that refuses an opt-out label without a reason or naming no rule (see skip.ts). */
export const OPT_OUT_POLICY_NAME = "cis-opt-out-labels";

/** The rules by benchmark id. */
export const RULES_BY_ID: ReadonlyMap<string, DaemonRule | ContainerRule> = new Map(RULES.map((r) => [r.id, r]));

/** A violation of one rule by one container (or the daemon). */
export interface Finding {
    readonly rule: DaemonRule | ContainerRule;
    /** Who: `container db`, `daemon.json`. */
    readonly subject: string;
    readonly message: string;
}

/** Runs one container rule over the containers of a resource. */
export function checkContainers(rule: ContainerRule, containers: readonly ContainerView[]): Finding[] {
    return containers.flatMap((c) => {
        if (NOT_JUDGED[rule.id]?.[c.target] !== undefined) return [];
        return rule.check(c).map((message) => ({ rule, subject: c.subject, message }));
    });
}
