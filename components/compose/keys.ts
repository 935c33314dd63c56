/**
 * The one table from Compose keys to the model: for every Compose mapping dockyard reads (the
 * project, a service and what it nests, a network, a volume, a secret or config), each model
 * input field with the Compose key it comes from, every Compose key the model leaves out with
 * the reason, and how the AppSpec fields that are not named like an input field are found in the
 * file. The converter (`./convert.ts`) reads Compose files with it, and `./paths.ts` turns model
 * paths (errors and warnings of the normalizer and the targets) back into the keys the user wrote.
 *
 * The tables are typed over the input types of `../spec/input.ts`: a new input field does not
 * compile until it has its Compose key here, and `tests/compose/keys.test.ts` ties every key of
 * the Compose schema to an entry here or a "not modelled" entry.
 *
 * Adding a Compose key: a field in the input type, its line here (Compose name and shape), its
 * normalization in `../spec/normalize.ts`; a `model` route only when the AppSpec field is not the
 * input field of the same name.
 */
import {
    AppInput, BuildInput, DeployInput, DeviceInput, FileReferenceInput, FileSourceInput, HealthcheckInput, MapOrList, MountInput, NetworkInput,
    PortInput, ServiceInput, ServiceNetworkInput, UpdateConfigInput, VolumeInput,
} from "../spec/input";
import { parseExpose, parsePort } from "../spec/ports";
import { applyMapOrList, serviceEnvironment } from "./environment";
import { isSensitiveName, joinPath } from "../spec/errors";
import { ComposeError, composeWarning } from "./errors";
import {
    commandLine, ConvertContext, CustomNode, Field, NotModelled, ObjectTable, Route, Shape, bool, computed, either, given, int, isMap, list, mapOrList, names,
    num, object, stringValue, strings, text,
} from "./shapes";

type Entry<T> = T extends readonly (infer U)[] ? U : never;

const not = (reason: string): NotModelled => ({ reason });
const silent = (reason: string): NotModelled => ({ reason, silent: true });

/** How many model entries an input entry becomes, by a parser that expands it (a broken entry never got this far: one). */
function countOf(parse: () => readonly unknown[]): number {
    try {
        return parse().length;
    } catch {
        return 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Service parts

const buildTable: ObjectTable<BuildInput> = {
    fields: {
        context: { compose: "context", shape: text },
        dockerfile: { compose: "dockerfile", shape: text },
        // Variables without a value come from the project environment, as for `environment`.
        args: {
            compose: "args",
            shape: computed(mapOrList<MapOrList>(), (v, site) => {
                const args: Record<string, string> = {};
                applyMapOrList(args, v, site.ctx.lookup);
                return args;
            }),
        },
        target: { compose: "target", shape: text },
        labels: { compose: "labels", shape: mapOrList<MapOrList>() },
        platforms: { compose: "platforms", shape: given<string[]>() },
    },
    notModelled: {
        dockerfile_inline: not("the image is built from a Dockerfile in the context"),
        entitlements: not("builder entitlements are not modelled"),
        ssh: not("SSH agent forwarding to the builder is not modelled"),
        cache_from: not("build caches are the builder's"),
        cache_to: not("build caches are the builder's"),
        no_cache: not("build caches are the builder's"),
        no_cache_filter: not("build caches are the builder's"),
        additional_contexts: not("one build context per image"),
        network: not("the builder's network is its own"),
        provenance: not("attestations are not modelled"),
        sbom: not("attestations are not modelled"),
        pull: not("base image pulling is the builder's"),
        shm_size: not("the builder's /dev/shm is its own"),
        extra_hosts: not("the builder's hosts are its own"),
        isolation: not("Windows isolation: dockyard runs Linux containers"),
        privileged: not("privileged builds are not modelled"),
        secrets: not("build secrets are not modelled"),
        tags: not("an image has one name, the service's image"),
        ulimits: not("the builder's ulimits are its own"),
    },
};

const portTable: ObjectTable<PortInput> = {
    fields: {
        target: { compose: "target", shape: given<number | string>() },
        published: { compose: "published", shape: given<number | string>() },
        hostIp: { compose: "host_ip", shape: text },
        protocol: { compose: "protocol", shape: text },
        mode: { compose: "mode", shape: text },
        name: { compose: "name", shape: text },
        appProtocol: { compose: "app_protocol", shape: text },
    },
};

const mountTable: ObjectTable<MountInput> = {
    fields: {
        type: { compose: "type", shape: given<MountInput["type"]>() },
        source: { compose: "source", shape: text },
        target: { compose: "target", shape: text },
        readOnly: { compose: "read_only", shape: bool },
        bind: {
            compose: "bind",
            shape: object<NonNullable<MountInput["bind"]>>({
                fields: {
                    propagation: { compose: "propagation", shape: text },
                    createHostPath: { compose: "create_host_path", shape: bool },
                    selinux: { compose: "selinux", shape: text },
                },
                notModelled: { recursive: not("recursive read-only bind mounts are not modelled") },
            }),
        },
        volume: {
            compose: "volume",
            shape: object<NonNullable<MountInput["volume"]>>({
                fields: { nocopy: { compose: "nocopy", shape: bool }, subpath: { compose: "subpath", shape: text } },
                notModelled: { labels: not("labels of a volume created by a mount are not modelled; declare the volume at the top level") },
            }),
        },
        tmpfs: {
            compose: "tmpfs",
            shape: object<NonNullable<MountInput["tmpfs"]>>({
                fields: { size: { compose: "size", shape: given<number | string>() }, mode: { compose: "mode", shape: given<number | string>() } },
            }),
        },
    },
    notModelled: {
        consistency: silent("a macOS file-sharing hint without effect on Linux hosts"),
        image: not("image mounts are not modelled"),
    },
    model: {
        noCopy: { via: [["volume", "nocopy"]] },
        subpath: { via: [["volume", "subpath"]] },
        createHostPath: { via: [["bind", "createHostPath"]] },
        propagation: { via: [["bind", "propagation"]] },
        selinux: { via: [["bind", "selinux"]] },
        // Whether a bind source is a file of the project is told by how the source is written.
        projectDir: { via: [["source"]] },
        sizeBytes: { via: [["tmpfs", "size"]] },
        mode: { via: [["tmpfs", "mode"]] },
    },
};

const serviceNetworkTable: ObjectTable<ServiceNetworkInput> = {
    fields: {
        aliases: { compose: "aliases", shape: strings() },
        ipv4Address: { compose: "ipv4_address", shape: text },
        ipv6Address: { compose: "ipv6_address", shape: text },
        macAddress: { compose: "mac_address", shape: text },
        driverOpts: { compose: "driver_opts", shape: given<Record<string, string | number>>({ kind: "names", item: { kind: "leaf" } }) },
    },
    notModelled: {
        interface_name: not("interface names are the engine's"),
        link_local_ips: not("link-local addresses are not modelled"),
        priority: not("the model has no network priorities: the primary network is the first by name"),
        gw_priority: not("the model has no gateway priorities"),
    },
    model: { network: { self: true } },
};

type Dependency = Exclude<NonNullable<ServiceInput["dependsOn"]>, string[]>[string];

const dependencyTable: ObjectTable<Dependency> = {
    fields: {
        condition: { compose: "condition", shape: text },
        required: { compose: "required", shape: bool },
        restart: { compose: "restart", shape: bool },
    },
    model: { service: { self: true } },
};

const healthcheckTable: ObjectTable<HealthcheckInput> = {
    fields: {
        test: { compose: "test", shape: given<string | string[]>() },
        interval: { compose: "interval", shape: given<string | number>() },
        timeout: { compose: "timeout", shape: given<string | number>() },
        retries: { compose: "retries", shape: int },
        startPeriod: { compose: "start_period", shape: given<string | number>() },
        startInterval: { compose: "start_interval", shape: given<string | number>() },
        disable: { compose: "disable", shape: bool },
    },
    model: {
        intervalMs: { via: [["interval"]] },
        timeoutMs: { via: [["timeout"]] },
        startPeriodMs: { via: [["startPeriod"]] },
        startIntervalMs: { via: [["startInterval"]] },
    },
};

const updateConfig = object<UpdateConfigInput>({
    fields: {
        parallelism: { compose: "parallelism", shape: int },
        delay: { compose: "delay", shape: given<string | number>() },
        failureAction: { compose: "failure_action", shape: text },
        monitor: { compose: "monitor", shape: given<string | number>() },
        maxFailureRatio: { compose: "max_failure_ratio", shape: num },
        order: { compose: "order", shape: text },
    },
    model: { delayMs: { via: [["delay"]] }, monitorMs: { via: [["monitor"]] } },
});

type Resources = NonNullable<DeployInput["resources"]>;

/**
 * The model's `resources`: `deploy.resources` and the service-level keys that say the same
 * (`cpus`, `mem_limit`…), `deploy.resources` first where both are written (the normalizer's
 * precedence). Paths relative to the service. `deploy.resources.*` of a model path lands here too.
 */
const resourcesRoutes: Record<string, Route> = {
    limits: {
        group: {
            cpus: { via: [["deploy", "resources", "limits", "cpus"], ["cpus"]] },
            memoryBytes: { via: [["deploy", "resources", "limits", "memory"], ["memLimit"]] },
            memory: { via: [["deploy", "resources", "limits", "memory"], ["memLimit"]] },
            pids: { via: [["deploy", "resources", "limits", "pids"], ["pidsLimit"]] },
        },
    },
    reservations: {
        group: {
            cpus: { via: [["deploy", "resources", "reservations", "cpus"]] },
            memoryBytes: { via: [["deploy", "resources", "reservations", "memory"], ["memReservation"]] },
            memory: { via: [["deploy", "resources", "reservations", "memory"], ["memReservation"]] },
        },
    },
    cpuShares: { via: [["cpuShares"]] },
    cpuset: { via: [["cpuset"]] },
    memorySwapBytes: { via: [["memswapLimit"]] },
    shmSizeBytes: { via: [["shmSize"]] },
};

/** Service replicas: `deploy.replicas` wins over `scale` (the normalizer's precedence). */
const replicasRoute: Route = { via: [["deploy", "replicas"], ["replicas"]], fromService: true };

const deployTable: ObjectTable<DeployInput> = {
    fields: {
        mode: { compose: "mode", shape: text },
        replicas: { compose: "replicas", shape: int },
        endpointMode: { compose: "endpoint_mode", shape: text },
        labels: { compose: "labels", shape: mapOrList<MapOrList>() },
        resources: {
            compose: "resources",
            shape: object<Resources>({
                fields: {
                    limits: {
                        compose: "limits",
                        shape: object<NonNullable<Resources["limits"]>>({
                            fields: {
                                cpus: { compose: "cpus", shape: given<number | string>() },
                                memory: { compose: "memory", shape: given<number | string>() },
                                pids: { compose: "pids", shape: int },
                            },
                        }),
                    },
                    reservations: {
                        compose: "reservations",
                        shape: object<NonNullable<Resources["reservations"]>>({
                            fields: {
                                cpus: { compose: "cpus", shape: given<number | string>() },
                                memory: { compose: "memory", shape: given<number | string>() },
                            },
                            notModelled: {
                                generic_resources: not("Swarm generic resources are not modelled"),
                                devices: not("device reservations (GPUs) are not modelled"),
                            },
                        }),
                    },
                },
            }),
        },
        restartPolicy: {
            compose: "restart_policy",
            shape: object<NonNullable<DeployInput["restartPolicy"]>>({
                fields: {
                    condition: { compose: "condition", shape: text },
                    delay: { compose: "delay", shape: given<string | number>() },
                    maxAttempts: { compose: "max_attempts", shape: int },
                    window: { compose: "window", shape: given<string | number>() },
                },
                model: { delayMs: { via: [["delay"]] }, windowMs: { via: [["window"]] } },
            }),
        },
        updateConfig: { compose: "update_config", shape: updateConfig },
        rollbackConfig: { compose: "rollback_config", shape: updateConfig },
        placement: {
            compose: "placement",
            shape: object<NonNullable<DeployInput["placement"]>>({
                fields: {
                    constraints: { compose: "constraints", shape: strings() },
                    preferences: { compose: "preferences", shape: given<{ spread: string }[]>({ kind: "list", item: { kind: "leaf" } }) },
                    maxReplicasPerNode: { compose: "max_replicas_per_node", shape: int },
                },
            }),
        },
    },
    model: {
        resources: { group: resourcesRoutes, fromService: true },
        replicas: replicasRoute,
    },
};

const fileReference = either({
    scalar: text,
    map: object<FileReferenceInput>({
        fields: {
            source: { compose: "source", shape: text },
            target: { compose: "target", shape: text },
            uid: { compose: "uid", shape: given<string | number>() },
            gid: { compose: "gid", shape: given<string | number>() },
            mode: { compose: "mode", shape: given<number | string>() },
        },
    }),
});

const deviceTable: ObjectTable<DeviceInput> = {
    fields: {
        source: { compose: "source", shape: text },
        target: { compose: "target", shape: text },
        permissions: { compose: "permissions", shape: text },
    },
    model: { hostPath: { via: [["source"]] }, containerPath: { via: [["target"]] } },
};

type Ulimit = NonNullable<ServiceInput["ulimits"]>[string];

/** `security_opt` entries that become the model's `noNewPrivileges` rather than `securityOpt`. */
function isNoNewPrivileges(entry: unknown): boolean {
    return typeof entry === "string" && /^no-new-privileges(?:[:=](true|false))?$/.test(entry);
}

/** Values that switch something on or off rather than hold a secret (`MYSQL_ALLOW_EMPTY_PASSWORD: yes`). */
const SWITCH = /^(|0|1|true|false|yes|no|on|off|y|n)$/i;

/**
 * Warns about a password, secret, token or key passed as a plain environment variable: anyone
 * who can inspect the container reads it, and Pulumi state keeps it unencrypted. A secret file
 * is the way (Compose's `secrets:`, read by most images through a `*_FILE` variable).
 */
function warnPlainSecrets(environment: Record<string, string>, where: string, ctx: ConvertContext): void {
    for (const [name, value] of Object.entries(environment)) {
        if (!isSensitiveName(name) || /_FILE$/i.test(name) || SWITCH.test(value.trim()) || value.startsWith("/run/secrets/")) continue;
        const p = joinPath(`${where}.environment`, name);
        ctx.warn(composeWarning(
            `${name} holds a password, secret, token or key as a plain environment variable, which anyone who can inspect the container can read ` +
                `and Pulumi state keeps unencrypted; declare it under the top-level secrets:, list it in the service's secrets:, and point the image ` +
                `at the file (many images read ${name}_FILE=/run/secrets/<name>)`,
            p,
            ctx.fileOf?.(p) ?? ctx.file,
        ));
    }
}

/** A model path into `mounts` (volumes first, then tmpfs entries) as the user's `volumes[j]` or `tmpfs[k]`. */
function mountsNode(name: "mounts" | "volumes" | "tmpfs"): CustomNode {
    return {
        kind: "custom",
        step: (seg, cur, walker) => {
            const service = walker.service();
            if (!service) return { done: [...cur.out, seg] };
            if (typeof seg !== "number") return { done: walker.locate(service.node, service.cur, [[name === "mounts" ? "volumes" : name]]) };
            const input = service.cur.input as ServiceInput | undefined;
            // Unknown without the input: a mount is then told as `volumes[i]`.
            const volumes = !walker.known ? undefined : Array.isArray(input?.volumes) ? input.volumes.length : 0;
            const model = Array.isArray(cur.model) ? cur.model[seg] : undefined;
            const path = volumes === undefined || seg < volumes ? ["volumes", seg] : ["tmpfs", seg - volumes];
            const next = walker.descend(service.node, service.cur, path);
            return "done" in next ? next : { node: next.node, cur: { ...next.cur, model } };
        },
        end: (_cur, walker) => {
            const service = walker.service();
            if (!service) return [];
            if (name !== "mounts") return walker.locate(service.node, service.cur, [[name]]);
            return walker.locate(service.node, service.cur, [["volumes"], ["tmpfs"]]);
        },
    };
}

/** `noNewPrivileges`: the (last) `no-new-privileges` entry of `security_opt`. */
const noNewPrivilegesNode: CustomNode = {
    kind: "custom",
    step: (_seg, cur, walker) => ({ done: noNewPrivilegesNode.end(cur, walker) }),
    end: (_cur, walker) => {
        const service = walker.service();
        if (!service) return [];
        const at = walker.descend(service.node, service.cur, ["securityOpt"]);
        if ("done" in at) return at.done;
        const raw = at.cur.raw;
        const i = Array.isArray(raw) ? raw.map(isNoNewPrivileges).lastIndexOf(true) : -1;
        return i < 0 ? at.cur.out : [...at.cur.out, i];
    },
};

const serviceTable: ObjectTable<ServiceInput> = {
    fields: {
        // First, as before the table: a missing env file is the first thing reported.
        environment: {
            compose: "environment",
            also: ["env_file"],
            shape: mapOrList<MapOrList>(),
            from: (s, site) => {
                const environment = serviceEnvironment(s.env_file, s.environment, site.path, {
                    projectDir: site.ctx.projectDir,
                    lookup: site.ctx.lookup,
                    file: site.ctx.fileOf?.(`${site.path}.env_file`) ?? site.ctx.file,
                    ...(site.ctx.locationProblem ? { locationProblem: site.ctx.locationProblem } : {}),
                });
                warnPlainSecrets(environment, site.path, site.ctx);
                return environment;
            },
            fallback: (s) => (s.env_file !== undefined && s.env_file !== null ? ["env_file"] : undefined),
        },
        image: { compose: "image", shape: text },
        pullPolicy: { compose: "pull_policy", shape: text },
        build: { compose: "build", shape: either({ scalar: text, map: object(buildTable) }) },
        command: { compose: "command", shape: commandLine },
        entrypoint: { compose: "entrypoint", shape: commandLine },
        ports: {
            compose: "ports",
            shape: list(either({ scalar: given<string | number>(), map: object(portTable) }), {
                expand: (p) => countOf(() => parsePort(p as PortInput, "")),
            }),
        },
        expose: { compose: "expose", shape: list(given<string | number>(), { expand: (e) => countOf(() => parseExpose(e as string, "")) }) },
        volumes: { compose: "volumes", shape: list(either({ scalar: text, map: object(mountTable) })) },
        tmpfs: { compose: "tmpfs", shape: strings() },
        networks: {
            compose: "networks",
            shape: either({
                list: list(stringValue),
                map: names<ServiceNetworkInput, null>(object(serviceNetworkTable), { otherwise: "null", keyOf: (n) => (n as { network?: string }).network }),
            }),
        },
        networkMode: { compose: "network_mode", shape: text },
        dependsOn: {
            compose: "depends_on",
            shape: either({
                list: list(stringValue, { keyOf: (d) => (d as { service?: string }).service }),
                map: names(object(dependencyTable), { otherwise: "empty", keyOf: (d) => (d as { service?: string }).service }),
            }),
            // compose-go adds the services whose namespaces are joined as dependencies.
            fallback: (s, name) => {
                const key = ["network_mode", "ipc", "pid"].find((k) => name !== undefined && s[k] === `service:${name}`);
                return key === undefined ? undefined : [key];
            },
        },
        healthcheck: { compose: "healthcheck", shape: object(healthcheckTable) },
        restart: { compose: "restart", shape: text },
        replicas: { compose: "scale", shape: int },
        deploy: { compose: "deploy", shape: object(deployTable) },
        cpus: { compose: "cpus", shape: num },
        cpuShares: { compose: "cpu_shares", shape: int },
        cpuset: { compose: "cpuset", shape: text },
        memLimit: { compose: "mem_limit", shape: given<number | string>() },
        memReservation: { compose: "mem_reservation", shape: given<number | string>() },
        memswapLimit: { compose: "memswap_limit", shape: given<number | string>() },
        pidsLimit: { compose: "pids_limit", shape: int },
        shmSize: { compose: "shm_size", shape: given<number | string>() },
        user: { compose: "user", shape: stringValue },
        groupAdd: { compose: "group_add", shape: given<(string | number)[]>({ kind: "list", item: { kind: "leaf" } }) },
        workingDir: { compose: "working_dir", shape: text },
        hostname: { compose: "hostname", shape: text },
        domainname: { compose: "domainname", shape: text },
        // compose-go leaves out an empty `dns` (`dns: ${UNSET}`, loader/omitEmpty.go).
        dns: { compose: "dns", shape: computed(strings(), (v, site) => strings().read(v, site)?.filter((d) => d !== "")) },
        dnsSearch: { compose: "dns_search", shape: strings() },
        dnsOpt: { compose: "dns_opt", shape: strings() },
        extraHosts: {
            compose: "extra_hosts",
            shape: either({
                list: list(stringValue),
                map: names(either({ scalar: stringValue, list: list(stringValue) }), { keyOf: (h) => (h as { host?: string }).host }),
            }),
        },
        labels: { compose: "labels", shape: mapOrList<MapOrList>() },
        logging: {
            compose: "logging",
            shape: object<NonNullable<ServiceInput["logging"]>>({
                fields: {
                    driver: { compose: "driver", shape: text },
                    options: { compose: "options", shape: given<Record<string, string | number | null>>({ kind: "names", item: { kind: "leaf" } }) },
                },
            }),
        },
        readOnly: { compose: "read_only", shape: bool },
        capAdd: { compose: "cap_add", shape: strings() },
        capDrop: { compose: "cap_drop", shape: strings() },
        securityOpt: { compose: "security_opt", shape: strings({ expand: (o) => (isNoNewPrivileges(o) ? 0 : 1) }) },
        privileged: { compose: "privileged", shape: bool },
        init: { compose: "init", shape: bool },
        stopSignal: { compose: "stop_signal", shape: text },
        stopGracePeriod: { compose: "stop_grace_period", shape: given<string | number>() },
        ulimits: {
            compose: "ulimits",
            shape: names<Ulimit>(either({
                scalar: int,
                map: object<Extract<Ulimit, object>>({ fields: { soft: { compose: "soft", shape: int }, hard: { compose: "hard", shape: int } } }),
            })),
        },
        sysctls: { compose: "sysctls", shape: mapOrList<MapOrList>() },
        tty: { compose: "tty", shape: bool },
        stdinOpen: { compose: "stdin_open", shape: bool },
        secrets: { compose: "secrets", shape: list(fileReference) },
        configs: { compose: "configs", shape: list(fileReference) },
        containerName: { compose: "container_name", shape: text },
        devices: { compose: "devices", shape: list(either({ scalar: text, map: object(deviceTable) })) },
        platform: { compose: "platform", shape: text },
        pid: { compose: "pid", shape: text },
        ipc: { compose: "ipc", shape: text },
        runtime: { compose: "runtime", shape: text },
        macAddress: { compose: "mac_address", shape: text },
        cgroupParent: { compose: "cgroup_parent", shape: text },
    },
    extensions: true,
    notModelled: {
        profiles: silent("applied by the loader: a service of no active profile is left out"),
        extends: silent("applied by the loader: the extended service is merged in"),
        annotations: not("OCI annotations are not modelled"),
        attach: not("log attachment is a docker compose up option"),
        blkio_config: not("block I/O limits are not modelled"),
        cgroup: not("the cgroup namespace mode is not modelled"),
        cpu_count: not("Windows-only CPU setting"),
        cpu_percent: not("Windows-only CPU setting"),
        cpu_period: not("CFS period tuning is not modelled; use cpus"),
        cpu_quota: not("CFS quota tuning is not modelled; use cpus"),
        cpu_rt_period: not("real-time scheduling is not modelled"),
        cpu_rt_runtime: not("real-time scheduling is not modelled"),
        credential_spec: not("Windows credential specs are not modelled"),
        develop: not("docker compose watch settings: development only"),
        device_cgroup_rules: not("device cgroup rules are not modelled; use devices"),
        external_links: not("legacy links are not modelled; use networks"),
        gpus: not("GPU access is not modelled"),
        isolation: not("Windows isolation: dockyard runs Linux containers"),
        label_file: not("labels are read from labels only"),
        links: not("legacy links are not modelled; services reach each other by name on shared networks"),
        mem_swappiness: not("swappiness tuning is not modelled"),
        models: not("AI models are not modelled"),
        oom_kill_disable: not("the OOM killer setting is not modelled"),
        oom_score_adj: not("the OOM score is not modelled"),
        post_start: not("lifecycle hooks are not modelled"),
        pre_start: not("lifecycle hooks are not modelled"),
        pre_stop: not("lifecycle hooks are not modelled"),
        provider: not("provider services are not modelled"),
        pull_refresh_after: not("time-based pull policies are not supported; pull_policy always refreshes an image when its tag moves"),
        storage_opt: not("storage driver options are not modelled"),
        use_api_socket: not("engine socket access is not modelled"),
        userns_mode: not("the user namespace mode is not modelled"),
        uts: not("the UTS namespace mode is not modelled"),
        volumes_from: not("volumes of other containers are not modelled; mount the named volume"),
    },
    model: {
        name: { self: true },
        image: { via: [["image"], ["build"]] },
        mounts: { custom: mountsNode("mounts") },
        // A mount told by its index in `mounts` under a Compose name (`volumes[i]`, `tmpfs[i]`), as targets have written it.
        volumes: { custom: mountsNode("volumes") },
        tmpfs: { custom: mountsNode("tmpfs") },
        mode: { via: [["deploy", "mode"]] },
        replicas: replicasRoute,
        resources: { group: resourcesRoutes, fromService: true },
        dnsOptions: { via: [["dnsOpt"]] },
        noNewPrivileges: { custom: noNewPrivilegesNode },
        stopGracePeriodMs: { via: [["stopGracePeriod"]] },
        extensions: { skip: true },
    },
};

/** A Compose service: its mapping to `ServiceInput`. */
export const service: Shape<ServiceInput> = object(serviceTable);

// ---------------------------------------------------------------------------------------------
// Top-level resources

/** `external: true`, or the deprecated `external: {name: x}` (which is `external: true` plus `name: x`). */
const external: Shape<boolean> = {
    node: either({ map: object<{ name?: string }>({ fields: { name: { compose: "name", shape: text } } }) }).node,
    read: (v, site) => (isMap(v) ? true : bool.read(v, site)),
};

/** The `name` and `external` fields of a network, volume, secret or config. */
function naming(): { readonly name: Field<string>; readonly external: Field<boolean> } {
    return {
        name: {
            compose: "name",
            shape: text,
            also: ["external"],
            from: (d, site) => {
                if (!isMap(d.external) || d.external.name === undefined || d.external.name === null) return text.read(d.name, site);
                // compose-go (loader.go): the deprecated `external: {name: x}` is `name: x` plus `external: true`; with a `name` too, an error.
                const p = joinPath(joinPath(site.path, "external"), "name");
                const file = site.ctx.fileOf?.(p) ?? site.ctx.file;
                if (d.name !== undefined && d.name !== null) throw new ComposeError("name and external.name conflict; only use name (external.name is deprecated)", p, d.external.name, file);
                site.ctx.warn(composeWarning("external.name is deprecated: set name and external: true instead", p, file));
                return text.read(d.external.name, site);
            },
            fallback: (d) => (isMap(d.external) && d.external.name !== undefined ? ["external", "name"] : undefined),
        },
        external: { compose: "external", shape: external, from: (d, site) => external.read(d.external, { path: joinPath(site.path, "external"), ctx: site.ctx }) },
    };
}

const networkTable: ObjectTable<NetworkInput> = {
    fields: {
        ...naming(),
        driver: { compose: "driver", shape: text },
        driverOpts: { compose: "driver_opts", shape: given<Record<string, string | number>>({ kind: "names", item: { kind: "leaf" } }) },
        internal: { compose: "internal", shape: bool },
        attachable: { compose: "attachable", shape: bool },
        enableIpv6: { compose: "enable_ipv6", shape: bool },
        ipam: {
            compose: "ipam",
            shape: object<NonNullable<NetworkInput["ipam"]>>({
                fields: {
                    driver: { compose: "driver", shape: text },
                    config: {
                        compose: "config",
                        shape: list(object<Entry<NonNullable<NonNullable<NetworkInput["ipam"]>["config"]>>>({
                            fields: {
                                subnet: { compose: "subnet", shape: text },
                                gateway: { compose: "gateway", shape: text },
                                ipRange: { compose: "ip_range", shape: text },
                                auxAddresses: { compose: "aux_addresses", shape: given<Record<string, string>>({ kind: "names", item: { kind: "leaf" } }) },
                            },
                        })),
                    },
                    options: { compose: "options", shape: given<Record<string, string | number>>({ kind: "names", item: { kind: "leaf" } }) },
                },
            }),
        },
        labels: { compose: "labels", shape: mapOrList<MapOrList>() },
    },
    notModelled: { enable_ipv4: not("IPv4 is always enabled") },
    model: { key: { self: true } },
};

/**
 * compose-go (validation/external.go): an external volume exists already, so a Compose file that
 * also says how to create it (driver, driver_opts, labels…) is an error.
 */
const externalVolume: Field<boolean> = {
    ...naming().external,
    from: (d, site) => {
        const external = naming().external.from!(d, site);
        if (external === true) {
            const conflict = Object.keys(d).find((k) => k !== "name" && k !== "external" && !k.startsWith("x-"));
            if (conflict !== undefined) {
                const p = joinPath(site.path, conflict);
                throw new ComposeError(`conflicting parameters "external" and "${conflict}" specified: an external volume exists already, so it is not created with a driver, options or labels`, p, d[conflict], site.ctx.fileOf?.(p) ?? site.ctx.file);
            }
        }
        return external;
    },
};

const volumeTable: ObjectTable<VolumeInput> = {
    fields: {
        ...naming(),
        external: externalVolume,
        driver: { compose: "driver", shape: text },
        driverOpts: { compose: "driver_opts", shape: given<Record<string, string | number>>({ kind: "names", item: { kind: "leaf" } }) },
        labels: { compose: "labels", shape: mapOrList<MapOrList>() },
    },
    extensions: true,
    model: { key: { self: true }, extensions: { skip: true } },
};

/** Secrets and configs: the same fields (Compose allows `content` for configs only; the normalizer takes it for both). */
const fileSourceTable: ObjectTable<FileSourceInput> = {
    fields: {
        ...naming(),
        file: { compose: "file", shape: text },
        environment: { compose: "environment", shape: text },
        content: { compose: "content", shape: text },
        labels: { compose: "labels", shape: mapOrList<MapOrList>() },
    },
    notModelled: {
        driver: not("secret store drivers are not modelled"),
        driver_opts: not("secret store drivers are not modelled"),
        template_driver: not("templated secrets and configs are not modelled"),
    },
    model: { key: { self: true } },
};

export const network = object(networkTable);
export const volume = object(volumeTable);
export const fileSource = object(fileSourceTable);

const services = names(service, { otherwise: "empty", service: true });

const appTable: ObjectTable<AppInput> = {
    fields: {
        // The project name is decided by the loader (option, COMPOSE_PROJECT_NAME, name:, directory).
        name: { compose: "name", shape: text, from: (_t, site) => site.ctx.name },
        services: { compose: "services", shape: services, from: (t, site) => services.read(t.services, { path: "services", ctx: site.ctx }) ?? {} },
        networks: { compose: "networks", shape: names<NetworkInput, null>(network, { otherwise: "null" }) },
        volumes: { compose: "volumes", shape: names<VolumeInput, null>(volume, { otherwise: "null" }) },
        secrets: { compose: "secrets", shape: names(fileSource, { otherwise: "empty" }) },
        configs: { compose: "configs", shape: names(fileSource, { otherwise: "empty" }) },
    },
    extensions: true,
    notModelled: {
        version: silent("obsolete; the loader says so"),
        include: silent("applied by the loader: the included projects' resources are merged in"),
        models: not("AI models are not modelled"),
    },
};

/** A whole Compose project: its mapping to `AppInput`. */
export const app: Shape<AppInput> = object(appTable);

/** Every table, by the Compose schema definition it reads (for the completeness test and documentation). */
export const TABLES = { app, service, network, volume, secret: fileSource, config: fileSource } as const;
