/**
 * What the Kubernetes target does with every field of the model (see `../support`). The
 * converters skip fields Kubernetes has no place for; this table lists every such skip with its
 * path in the model, so `pulumi up` tells the user instead of hiding it. Errors are reserved for
 * what would change what the app does in a way a user must decide about; those that depend on the
 * target's options (bind mounts without `allowHostPath`, devices of an unprivileged service) or on
 * names after conversion are raised by the converters.
 */
import { awaitedToComplete, runsOnce, serves } from "../../spec/lifecycle";
import { splitPlatform } from "../../spec/platform";
import { getOwn } from "../../spec/records";
import { LABEL_CIS_SKIP_PREFIX } from "../../spec/labels";
import { AppSpec, ServiceSpec } from "../../spec/types";
import { Finding } from "../plan";
import {
    fields, FileSourceSupport, ignored, inherent, isSystemPath, joinsNamespaceOf, MAPPED, mapped, NetworkSupport, ServiceSupport, SupportTable, supportFindings, VolumeSupport,
} from "../support";
import { BUILD_FIELDS } from "../images";
import { isLabelKey, isLabelValue, kubeName } from "./names";
import { EXTENSION } from "./options";
import { appProtocolOf, listenPorts, parseUser } from "./pod";
import { isMappedConstraint, platformSelector, spreadKey } from "./placement";
import { portExposure, resolveAliases } from "./services";

const FIXED_ADDRESS = "fixed addresses are ignored; pods get addresses from the cluster";
const NO_INTERFACE = "ignored; pod interfaces come from the cluster's network plugin";
const CPU_WEIGHT = "cpu_shares and cpuset are ignored; use CPU reservations (requests)";
const FILE_OWNER = "uid and gid of the file are ignored; Kubernetes sets only the mode";
const ONE_POD_NETWORK = "the cluster has one pod network";

const FILE_REFERENCE = { source: MAPPED, target: MAPPED, uid: ignored(FILE_OWNER), gid: ignored(FILE_OWNER), mode: MAPPED } as const;

/** The service's `x-kubernetes` as written, for reading before it is checked (the converters check it). */
function rawExtension(s: ServiceSpec): Record<string, unknown> {
    const ext = s.extensions[EXTENSION];
    return typeof ext === "object" && ext !== null && !Array.isArray(ext) ? (ext as Record<string, unknown>) : {};
}

/**
 * Whether the service runs as a Job or a CronJob, the only workloads whose pods are not restarted
 * whatever they exit with: by `x-kubernetes.workload` or `schedule`, else as `workloadKind`
 * decides (a global service is a DaemonSet; one that runs once, see spec/lifecycle, is a Job).
 */
function runsAsJob(app: AppSpec, s: ServiceSpec): boolean {
    const ext = rawExtension(s);
    if (typeof ext.workload === "string") return ext.workload === "Job" || ext.workload === "CronJob";
    if (ext.schedule !== undefined) return true;
    if (s.mode === "global") return false;
    return runsOnce(app, s);
}

/**
 * The sysctls the kubelet allows without `--allowed-unsafe-sysctls` (pkg/kubelet/sysctl/safe_sysctls.go;
 * the keepalive and fin_timeout ones since Kubernetes 1.29, tcp_rmem/tcp_wmem since 1.32).
 */
export const SAFE_SYSCTLS: readonly string[] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

const SHARED_ACCESS: readonly unknown[] = ["ReadWriteMany", "ReadOnlyMany"];

/** A volume's `x-kubernetes.accessMode` as written (checked by the converters, which report a bad one as an error). */
function accessModeOf(app: AppSpec, key: string): unknown {
    const ext = getOwn(app.volumes, key)?.extensions[EXTENSION] as { accessMode?: unknown } | null | undefined;
    return typeof ext === "object" && ext !== null ? ext.accessMode : undefined;
}

/**
 * What a kompose label says, in dockyard's terms: `[label pattern, what says the same]`; `say` is
 * the equivalent (a function of the service for the per-volume ones), `none` why there is none.
 */
const KOMPOSE_LABELS: readonly (readonly [RegExp, { say: string | ((s: ServiceSpec) => string) } | { none: string }])[] = [
    [/^kompose\.service\.type$/, { say: `${EXTENSION}.serviceType (its headless value: ${EXTENSION}.headless: true)` }],
    [/^kompose\.service\.expose(\.tls-secret|\.ingress-class-name)?$/, { say: `${EXTENSION}.ingress ({ host, path, tlsSecret, className })` }],
    [/^kompose\.service\.nodeport\.port$/, { say: `${EXTENSION}.nodePort` }],
    [/^kompose\.service\.external-traffic-policy$/, { say: `${EXTENSION}.externalTrafficPolicy` }],
    [/^kompose\.service\.healthcheck\./, { say: `${EXTENSION}.probes ({ readiness, liveness }: httpGet or tcpSocket), or a healthcheck test (both probes)` }],
    [/^kompose\.controller\.type$/, { say: `${EXTENSION}.workload` }],
    [/^kompose\.hpa\./, { say: `${EXTENSION}.autoscaling ({ minReplicas, maxReplicas, cpuUtilization, memoryUtilization })` }],
    [/^kompose\.cronjob\.(schedule|concurrency_policy)$/, { say: `${EXTENSION}.schedule and ${EXTENSION}.concurrencyPolicy` }],
    [/^kompose\.cronjob\.backoff_limit$/, { say: 'restart: on-failure:N (N retries; restart: "no" is none)' }],
    [/^kompose\.image-pull-policy$/, { say: `${EXTENSION}.imagePullPolicy` }],
    [/^kompose\.image-pull-secret$/, { say: `${EXTENSION}.imagePullSecrets` }],
    [/^kompose\.security-context\.fsgroup$/, { say: `${EXTENSION}.fsGroup` }],
    [/^kompose\.serviceaccount-name$/, { say: `${EXTENSION}.serviceAccountName` }],
    [/^kompose\.volume\.size$/, { say: (s) => volumeKeys(s, "size") }],
    [/^kompose\.volume\.storage-class-name$/, { say: (s) => volumeKeys(s, "storageClass") }],
    [/^kompose\.volume\.subpath$/, { say: "the mount's volume.subpath (long syntax)" }],
    [/^kompose\.volume\.type$/, { none: "named volumes are claims, files of the project ConfigMaps, anonymous volumes and tmpfs emptyDirs" }],
    [/^kompose\.service\.group$/, { none: "a service is one pod, scaled and restarted on its own, as in Compose" }],
];

/** `volumes.<key>.x-kubernetes.<setting>` for each named volume the service mounts. */
function volumeKeys(s: ServiceSpec, setting: string): string {
    const named = [...new Set(s.mounts.flatMap((m) => (m.type === "volume" && m.source ? [m.source] : [])))];
    return named.length ? named.map((v) => `volumes.${v}.${EXTENSION}.${setting}`).join(", ") : `volumes.<name>.${EXTENSION}.${setting} (the service mounts no named volume)`;
}

/** One warning per equivalent for the service's `kompose.*` labels, naming what says the same here. */
function komposeLabelWarnings(keys: readonly string[], s: ServiceSpec): string[] {
    const groups = new Map<string, string[]>();
    for (const key of keys.filter((k) => k.startsWith("kompose."))) {
        const rule = KOMPOSE_LABELS.find(([re]) => re.test(key))?.[1];
        const what = !rule
            ? "not a kompose label dockyard knows an equivalent of"
            : "none" in rule
              ? `no equivalent: ${rule.none}`
              : `say it with ${typeof rule.say === "function" ? rule.say(s) : rule.say}`;
        groups.set(what, [...(groups.get(what) ?? []), key]);
    }
    return [...groups].map(([what, labels]) => `${labels.join(", ")}: kompose labels are not read; ${what}`);
}

const ALWAYS_RESTARTED = "pods of a Deployment, StatefulSet or DaemonSet are always restarted; only a Job runs once";

const services: ServiceSupport = {
    name: mapped((name, c) => (kubeName(name) !== name
        ? [c.warning(`reachable in the cluster as "${kubeName(name)}", not "${name}" (Kubernetes names allow no '_', '.' or upper case)`, c.ownerPath)]
        : [])),
    image: MAPPED,
    // Built and pushed with the target's registry; without one the target warns that it is not built (unbuiltWarning).
    build: fields(BUILD_FIELDS),
    pullPolicy: mapped((policy, c) => (policy === "always"
        ? [c.warning("the kubelet pulls the tag again whenever a pod starts (imagePullPolicy Always); pods already running are not replaced when the tag moves")]
        : [])),
    entrypoint: MAPPED,
    command: MAPPED,
    // The API server (before 1.32, or with RelaxedEnvironmentVariableValidation off) takes only C-like names.
    environment: mapped((env, c) => {
        const odd = Object.keys(env).filter((k) => !/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k));
        return odd.length ? [c.warning(`${odd.join(", ")}: Kubernetes before 1.32 refuses environment variable names that start with a digit or hold characters other than letters, digits, '-', '.' and '_'`)] : [];
    }),
    ports: fields({
        target: MAPPED,
        published: MAPPED,
        // Honoured by keeping the port in the cluster (services.ts says why); every address publishes as usual.
        hostIp: mapped((ip, c) => {
            if (ip === undefined) return [];
            const p = c.owner;
            const at = `port ${p.published ?? p.target}${p.protocol === "tcp" ? "" : `/${p.protocol}`}`;
            const inside = `other services still reach it as ${kubeName(c.service!.name)}:${p.target}`;
            switch (portExposure(p)) {
                case "public":
                    return [];
                case "loopback":
                    return [c.warning(`${at} is bound to the loopback address ${ip}, which only the Docker host reaches; on Kubernetes it is not published and stays inside the cluster (${inside}; kubectl port-forward reaches it from your machine)`)];
                default:
                    return [c.warning(`${at} is bound to the one address ${ip}; Kubernetes cannot publish a port on one address, so it is not published and stays inside the cluster rather than on every node or load-balancer address (${inside}); drop the address to publish it`)];
            }
        }),
        protocol: MAPPED,
        mode: ignored("host mode is ignored; the port is published by the service's Service (NodePort or LoadBalancer)", (mode) => mode === "host"),
        name: MAPPED,
        publishedEnd: ignored((end, c) => `a Service port is one port: ${c.owner.published} is published, not a free one of ${c.owner.published}-${end}`),
        appProtocol: mapped((value, c) => (appProtocolOf(value) === undefined && value !== undefined
            ? [c.warning(`"${value}" is not a name Kubernetes takes as a port's appProtocol (an IANA service name such as http, or a prefixed name such as kubernetes.io/h2c); it is not set`)]
            : [])),
    }),
    expose: fields({ target: MAPPED, protocol: MAPPED }),
    mounts: fields(
        {
            volume: {
                type: MAPPED,
                // Not a claim: one per pod would need a StatefulSet, and one shared by the replicas
                // (kompose's way) would put several databases on one data directory.
                source: mapped((source, c) => (source === undefined
                    ? [c.warning(`an anonymous volume becomes an emptyDir: what is written to ${c.owner.target} is lost whenever the pod is replaced ` +
                        "(an update, a rescheduling, a node drain), as on a Docker host when the container is replaced. Name the volume to keep the data in a claim")]
                    : [])),
                target: MAPPED,
                readOnly: MAPPED,
                noCopy: inherent("Kubernetes never copies the image's content into a volume, which is what nocopy asks for"),
                subpath: MAPPED,
            },
            bind: {
                type: MAPPED,
                source: MAPPED,
                target: MAPPED,
                readOnly: mapped((readOnly, c) => (!readOnly && c.owner.projectDir !== undefined
                    ? [c.warning(`a file of the project is mounted from a ConfigMap, which is read-only: writes to ${c.owner.target} fail (mark the bind :ro to say so)`)]
                    : [])),
                createHostPath: ignored("ignored; a hostPath volume without a type does not check that the path exists",
                    (create, c) => !create && !isSystemPath(c.owner.source) && c.owner.projectDir === undefined),
                // Files of the project become ConfigMaps (project-files.ts), other paths hostPath volumes.
                projectDir: MAPPED,
                propagation: MAPPED,
                selinux: ignored("the SELinux relabel option is ignored"),
            },
            tmpfs: {
                type: MAPPED,
                target: MAPPED,
                sizeBytes: MAPPED,
                mode: ignored("the mode of a tmpfs is ignored"),
                options: ignored("ignored; an in-memory emptyDir takes a size only"),
            },
        },
        {
            check: (mounts, c) => {
                const s = c.owner;
                // Volumes whose x-kubernetes.accessMode lets pods of several nodes share them are fine.
                const named = mounts.filter((m) => m.type === "volume" && m.source !== undefined && !SHARED_ACCESS.includes(accessModeOf(c.app, m.source)));
                if (named.length === 0 || (s.mode !== "global" && s.replicas <= 1)) return [];
                return [c.warning("several pods share one ReadWriteOnce claim, so they must all run on one node; use stableStorage (a claim per pod) or a ReadWriteMany storage class")];
            },
        },
    ),
    networks: fields(
        {
            network: MAPPED,
            // Aliases become Services of their own (services.ts); those that cannot are reported here.
            aliases: mapped((_aliases, c) => {
                const s = c.service!;
                const n = c.owner;
                if (runsAsJob(c.app, s) && listenPorts(s).length === 0) {
                    return n.aliases.some((a) => a.toLowerCase() !== kubeName(s.name))
                        ? [c.warning("a service that runs once (a Job) and lists no port gets no Service, so its aliases do not resolve")]
                        : [];
                }
                return resolveAliases(c.app).dropped.filter((d) => d.service === s.name && d.network === n.network).map((d) => c.warning(d.reason));
            }),
            ipv4Address: ignored(FIXED_ADDRESS),
            ipv6Address: ignored(FIXED_ADDRESS),
            macAddress: ignored(NO_INTERFACE),
            driverOpts: ignored("ignored; pods attach to the cluster network through its network plugin"),
        },
        { key: (n) => n.network },
    ),
    // `service:` and `container:` modes are refused by the converter (toPodSpec).
    networkMode: mapped((mode, c) => (mode === "none" ? [c.warning('pods always have a network; "none" is ignored')] : [])),
    dependsOn: fields(
        {
            service: MAPPED,
            condition: MAPPED,
            required: MAPPED,
            restart: ignored("a pod is not restarted when the service it depends on is updated", (v, c) => v && !joinsNamespaceOf(c.service!, c.owner.service)),
        },
        { key: (d) => d.service },
    ),
    healthcheck: fields(
        {
            disable: MAPPED,
            test: MAPPED,
            intervalMs: MAPPED,
            timeoutMs: MAPPED,
            retries: MAPPED,
            startPeriodMs: MAPPED,
            startIntervalMs: ignored("ignored; the probes run at the interval from the start"),
        },
        {
            check: (h, c) => {
                // Both probes given by x-kubernetes.probes: the healthcheck gives none, nothing is lost.
                const probes = rawExtension(c.service!).probes as { readiness?: unknown; liveness?: unknown } | undefined;
                if (typeof probes === "object" && probes !== null && probes.readiness !== undefined && probes.liveness !== undefined) return [];
                return h && !h.disable && !h.test ? [c.warning("the image's HEALTHCHECK is not read by Kubernetes; give a test to get probes")] : [];
            },
        },
    ),
    restart: fields({
        policy: mapped((policy, c) => {
            const s = c.service!;
            // deploy.restart_policy wins when written; Compose's default `no` says nothing about intent.
            if (s.restart.implicit || s.deploy.restartPolicy || (policy !== "no" && policy !== "on-failure") || runsAsJob(c.app, s)) return [];
            const why = serves(c.app, s) ? "the service listens on ports or others wait for it to start, so it is a server: " : "";
            return [c.warning(`"${policy}" is ignored: ${why}${ALWAYS_RESTARTED}`)];
        }),
        maxRetries: MAPPED,
        implicit: inherent("Compose's default, no restart, is what a Job gets; the pods of other workloads are always restarted"),
    }),
    mode: mapped((mode, c) => {
        const workload = rawExtension(c.owner).workload;
        return mode === "global" && typeof workload === "string" && workload !== "DaemonSet"
            ? [c.warning(`x-kubernetes.workload ${workload} wins: the service runs as a ${workload}, not one pod per node`)]
            : [];
    }),
    replicas: MAPPED,
    resources: fields({
        limits: fields({ cpus: MAPPED, memoryBytes: MAPPED, pids: ignored("ignored; pid limits are set per node by the kubelet") }),
        reservations: fields({ cpus: MAPPED, memoryBytes: MAPPED }),
        cpuShares: ignored(CPU_WEIGHT),
        cpuset: ignored(CPU_WEIGHT),
        memorySwapBytes: ignored("ignored; Kubernetes manages swap per node"),
        shmSizeBytes: MAPPED,
    }),
    deploy: fields({
        endpointMode: MAPPED,
        placement: fields(
            {
                constraints: mapped((constraints, c) => {
                    const unmapped = constraints.filter((x) => !isMappedConstraint(x));
                    return unmapped.length
                        ? [c.warning(`ignored: ${unmapped.join(", ")} (node.labels.*, node.hostname, node.platform.os/arch and node.role with == or != map to node selection)`)]
                        : [];
                }),
                preferences: fields({ spread: MAPPED }, {
                    check: (prefs, c) => {
                        const unmapped = prefs.filter((p) => spreadKey(p.spread) === undefined).map((p) => p.spread);
                        return unmapped.length ? [c.warning(`spread over ${unmapped.join(", ")} is ignored (only node.labels.* and node.hostname map to a topology spread)`)] : [];
                    },
                }),
                maxReplicasPerNode: mapped((max, c) => (max !== undefined && max > 1 && c.service!.mode !== "global"
                    ? [c.warning(`ignored: Kubernetes can keep pods apart (at most 1 per node), not cap them at ${max} per node`)]
                    : [])),
            },
        ),
        restartPolicy: fields(
            {
                condition: mapped((condition, c) => (condition !== "any" && !runsAsJob(c.app, c.service!) ? [c.warning(`"${condition}" is ignored: ${ALWAYS_RESTARTED}`)] : [])),
                delayMs: ignored("ignored; the kubelet backs off by itself"),
                maxAttempts: MAPPED,
                windowMs: ignored("ignored; the kubelet backs off by itself"),
            },
            { group: () => "delay and window are ignored; the kubelet backs off by itself" },
        ),
        updateConfig: fields(
            {
                parallelism: MAPPED,
                delayMs: ignored("ignored; a rollout replaces pods as they become ready"),
                failureAction: ignored("ignored; a failed rollout fails `pulumi up`"),
                monitorMs: MAPPED,
                maxFailureRatio: ignored("ignored; a failed rollout fails `pulumi up`"),
                order: MAPPED,
            },
            { group: () => "delay, failure_action and max_failure_ratio are ignored; a failed rollout fails `pulumi up`" },
        ),
        rollbackConfig: ignored("ignored; roll back with `pulumi up` on the previous version"),
        labels: MAPPED,
    }),
    user: mapped((user, c) => {
        if (user === undefined) return [];
        const ids = parseUser(user);
        if (!ids) return [c.warning(`"${user}" is not numeric; Kubernetes needs a uid, so the image's default user applies`)];
        if (user.includes(":") && ids.runAsGroup === undefined) return [c.warning(`the group of "${user}" is not numeric and is ignored`)];
        return [];
    }),
    groupAdd: mapped((groups, c) => (groups.some((g) => !/^\d+$/.test(g)) ? [c.warning("group names are ignored; Kubernetes takes numeric supplemental groups only")] : [])),
    workingDir: MAPPED,
    hostname: mapped((hostname, c) => (hostname?.includes(".") ? [c.warning(`only the first label of "${hostname}" is used as the pod hostname`)] : [])),
    domainname: ignored("ignored; pods get their domain from the cluster"),
    dns: MAPPED,
    dnsSearch: MAPPED,
    dnsOptions: MAPPED,
    extraHosts: fields({ host: MAPPED, ip: MAPPED }),
    labels: mapped((labels, c) => {
        // An opt-out of the CIS policy pack is meant to be an annotation when its reason is prose.
        const dropped = Object.entries(labels).filter(([k, v]) => isLabelKey(k) && !isLabelValue(v) && !k.startsWith(LABEL_CIS_SKIP_PREFIX)).map(([k]) => k);
        return [
            ...(dropped.length ? [c.warning(`${dropped.join(", ")}: not valid Kubernetes label values, put on the pods as annotations`)] : []),
            ...komposeLabelWarnings(Object.keys(labels), c.service!).map((m) => c.warning(m)),
        ];
    }),
    logging: ignored("ignored; logging is configured for the whole cluster"),
    readOnly: MAPPED,
    capAdd: MAPPED,
    capDrop: MAPPED,
    securityOpt: ignored((opts) => `ignored (${opts.join(", ")}); use the pod's seccomp/AppArmor settings`),
    noNewPrivileges: MAPPED,
    privileged: MAPPED,
    init: ignored("no Kubernetes equivalent; use an image with an init process (tini) if the process does not reap children"),
    stopSignal: ignored((signal) => `not set (${signal}); the image's STOPSIGNAL applies (Kubernetes before 1.33 has no per-container stop signal)`),
    stopGracePeriodMs: MAPPED,
    ulimits: ignored("no Kubernetes equivalent; ulimits come from the container runtime's defaults"),
    sysctls: mapped((sysctls, c) => {
        const unsafe = Object.keys(sysctls).filter((k) => !SAFE_SYSCTLS.includes(k.replace(/\//g, ".")));
        return unsafe.length
            ? [c.warning(`${unsafe.join(", ")}: not a safe sysctl; the kubelet refuses the pods (SysctlForbidden) unless its --allowed-unsafe-sysctls allows it`)]
            : [];
    }),
    tty: MAPPED,
    stdinOpen: MAPPED,
    secrets: fields(FILE_REFERENCE),
    configs: fields(FILE_REFERENCE),
    containerName: ignored((name, c) => `ignored; pods are named after the service, so other services reach it as "${kubeName(c.owner.name)}", not "${name}"`),
    // Devices are refused by the converter unless the service is privileged.
    devices: fields({ hostPath: MAPPED, containerPath: MAPPED, permissions: MAPPED }),
    platform: mapped((platform, c) => {
        if (platform === undefined) return [];
        const s = c.owner;
        if (Object.keys(platformSelector(s)).length === 0) {
            return [c.warning(`no node label selects "${platform}"; ${s.runtime !== undefined ? "the runtime class chooses the nodes" : "pods may be scheduled on any node"}`)];
        }
        const variant = splitPlatform(platform).variant;
        return variant !== undefined ? [c.warning(`variant ${variant} is ignored; nodes are selected by OS and architecture only`)] : [];
    }),
    pid: mapped((pid, c) => (pid !== undefined && pid !== "host" ? [c.warning(`"${pid}" is ignored; a pod shares a PID namespace only with containers of the same pod`)] : [])),
    ipc: mapped((ipc, c) => (ipc !== undefined && !["host", "private", "shareable"].includes(ipc)
        ? [c.warning(`"${ipc}" is ignored; a pod shares an IPC namespace only with containers of the same pod`)]
        : [])),
    runtime: MAPPED,
    macAddress: ignored(NO_INTERFACE),
    cgroupParent: ignored("ignored; the kubelet places pods in its own cgroups"),
    extensions: mapped((_ext, c) => {
        const s = c.owner;
        if (rawExtension(s).schedule === undefined || !awaitedToComplete(c.app, s)) return [];
        return [c.warning("the service runs on its schedule (a CronJob), not at deploy time, so the services that wait for it to complete start without it", `${c.ownerPath}.${EXTENSION}.schedule`)];
    }),
};

const networks: NetworkSupport = {
    key: MAPPED,
    name: inherent("a network is a pod label on Kubernetes, named after its key"),
    driver: ignored((driver) => `ignored (${driver}); ${ONE_POD_NETWORK}`, (driver) => driver !== undefined && driver !== "bridge" && driver !== "overlay"),
    driverOpts: ignored(`ignored; ${ONE_POD_NETWORK}`),
    internal: MAPPED,
    attachable: inherent("pods are the only members of a pod network"),
    enableIpv6: ignored("ignored; IPv6 depends on the cluster's network plugin"),
    ipam: ignored("ignored; pod addresses come from the cluster's network plugin", (ipam) => ipam.config.length > 0 || ipam.driver !== undefined),
    labels: ignored("ignored; a network is a pod label on Kubernetes, with no object of its own to label"),
    external: inherent("every pod is on the cluster's pod network; an external network is a pod label like the others"),
};

const STORAGE_CLASS = "ignored; the claim uses the target's storage class";

const volumes: VolumeSupport = {
    key: MAPPED,
    name: MAPPED,
    driver: ignored(STORAGE_CLASS),
    driverOpts: ignored(STORAGE_CLASS),
    labels: MAPPED,
    external: MAPPED,
    extensions: MAPPED,
};

const fileSources: FileSourceSupport = {
    key: MAPPED,
    name: MAPPED,
    content: MAPPED,
    file: MAPPED,
    environment: MAPPED,
    external: MAPPED,
    labels: MAPPED,
};

/** The Kubernetes target's decision for every field of the model. */
export const KUBERNETES_SUPPORT: SupportTable = { services, networks, volumes, secrets: fileSources, configs: fileSources };

/** What the Kubernetes target ignores or approximates (warnings) of `app`; its refusals come from the converters. */
export function kubernetesFindings(app: AppSpec): Finding[] {
    return supportFindings(app, KUBERNETES_SUPPORT);
}
