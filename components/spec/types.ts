/**
 * The target-neutral application model: what an application *is*, independent of where it runs.
 *
 * Every value here is normalized: ports are expanded, durations are milliseconds (`…Ms`), sizes
 * are bytes (`…Bytes`), commands are argv arrays, defaults are filled in. Targets may rely on
 * that and never re-parse a short form. Build an `AppSpec` with `defineApp()` (TypeScript) or
 * `loadCompose()` (Compose files); both validate through the same normalizer.
 *
 * The only non-plain values are secret and config contents, which may be Pulumi inputs so that a
 * generated password never has to pass through a plain string.
 */
import type * as pulumi from "@pulumi/pulumi";

export type Protocol = "tcp" | "udp" | "sctp";

/** A published or exposed container port, one entry per port (ranges are expanded). */
export interface PortSpec {
    /** Port inside the container. */
    readonly target: number;
    /** Port on the host / load balancer; undefined means "any free port" (Compose `"80"`). */
    readonly published?: number;
    /**
     * Last port of a host range the container port is published on, the runtime picking a free
     * one from `published` to it (Compose `"80-90:8080"`: one container port, a range of host ports).
     */
    readonly publishedEnd?: number;
    /** Host address to bind to; undefined means all addresses. */
    readonly hostIp?: string;
    readonly protocol: Protocol;
    /** `ingress` (routing mesh / load-balanced) or `host` (bound on the node running the task). */
    readonly mode: "ingress" | "host";
    /** Optional port name (Compose long syntax `name`, Kubernetes port name). */
    readonly name?: string;
    /** Application protocol of the port (Compose long syntax `app_protocol`: `http`, `grpc`…), a hint for load balancers. */
    readonly appProtocol?: string;
}

/** A port reachable by other services of the app but not published (Compose `expose`). */
export interface ExposeSpec {
    readonly target: number;
    readonly protocol: Protocol;
}

export interface VolumeMountSpec {
    readonly type: "volume";
    /** Name of a volume of the app; undefined for an anonymous volume. */
    readonly source?: string;
    readonly target: string;
    readonly readOnly: boolean;
    readonly noCopy?: boolean;
    readonly subpath?: string;
}

export interface BindMountSpec {
    readonly type: "bind";
    /** Absolute host path (relative paths are resolved against the project directory). */
    readonly source: string;
    readonly target: string;
    readonly readOnly: boolean;
    /** Create the host path when it does not exist (Compose short syntax does). @default true */
    readonly createHostPath: boolean;
    readonly propagation?: "private" | "rprivate" | "shared" | "rshared" | "slave" | "rslave";
    readonly selinux?: "z" | "Z";
    /**
     * Set when the source is a file of the project rather than of the host the containers run on:
     * written relative (`./nginx.conf`, `../shared`, `~/conf`), or lying in the project directory
     * (a relative path of an `include`d file or an `extends`ed service, made absolute by the
     * loader). Holds the project directory. A Docker host binds it as any path; a target whose
     * nodes do not have the deployer's files (Kubernetes) carries such files with the app.
     */
    readonly projectDir?: string;
}

export interface TmpfsMountSpec {
    readonly type: "tmpfs";
    readonly target: string;
    readonly sizeBytes?: number;
    readonly mode?: number;
    /**
     * The other mount options of a service-level `tmpfs` entry, as written and in order
     * (`uid=1000`, `gid=1000`, `exec`, `noexec`…); absent when there are none. `size` and `mode`
     * are parsed into their own fields.
     */
    readonly options?: string[];
}

export type MountSpec = VolumeMountSpec | BindMountSpec | TmpfsMountSpec;

/** How a service attaches to one network of the app. */
export interface ServiceNetworkSpec {
    /** Key of the network in `AppSpec.networks`. */
    readonly network: string;
    readonly aliases: string[];
    readonly ipv4Address?: string;
    readonly ipv6Address?: string;
    /** MAC address of the container on this network (Compose `networks.<key>.mac_address`). */
    readonly macAddress?: string;
    /** Options for the network driver about this attachment (Compose `networks.<key>.driver_opts`); absent when none. */
    readonly driverOpts?: Record<string, string>;
}

export type DependencyCondition = "started" | "healthy" | "completed";

export interface DependencySpec {
    readonly service: string;
    readonly condition: DependencyCondition;
    /** When false, a missing dependency is tolerated (Compose `required: false`). @default true */
    readonly required: boolean;
    /** Restart this service when the dependency is updated. @default false */
    readonly restart: boolean;
}

export interface HealthcheckSpec {
    /** True when the image's healthcheck is switched off (Compose `disable: true` / `["NONE"]`). */
    readonly disable: boolean;
    /** `["CMD", argv...]` or `["CMD-SHELL", "command"]`; absent when disabled or inherited. */
    readonly test?: string[];
    readonly intervalMs?: number;
    readonly timeoutMs?: number;
    readonly retries?: number;
    readonly startPeriodMs?: number;
    readonly startIntervalMs?: number;
}

export type RestartPolicyName = "no" | "always" | "unless-stopped" | "on-failure";

export interface RestartSpec {
    readonly policy: RestartPolicyName;
    /** Only with `on-failure`: give up after this many restarts. */
    readonly maxRetries?: number;
    /**
     * True when the description set no restart policy: `policy` is then Compose's default `no`,
     * but an orchestrator applies its own default (Swarm restarts tasks, as `docker stack deploy` does).
     */
    readonly implicit?: boolean;
}

export interface ResourcesSpec {
    readonly limits: {
        /** Fractional CPUs, e.g. 0.5. */
        readonly cpus?: number;
        readonly memoryBytes?: number;
        readonly pids?: number;
    };
    readonly reservations: {
        readonly cpus?: number;
        readonly memoryBytes?: number;
    };
    /** Relative CPU weight (Docker `--cpu-shares`). */
    readonly cpuShares?: number;
    /** CPUs the service may run on, e.g. `"0-2"`. */
    readonly cpuset?: string;
    /** Memory plus swap; -1 for unlimited swap. */
    readonly memorySwapBytes?: number;
    /** Size of `/dev/shm`. */
    readonly shmSizeBytes?: number;
}

export interface LoggingSpec {
    readonly driver?: string;
    readonly options: Record<string, string>;
}

export interface UlimitSpec {
    readonly soft: number;
    readonly hard: number;
}

export interface ExtraHostSpec {
    readonly host: string;
    readonly ip: string;
}

/** A secret or config made available to a service as a file. */
export interface FileReferenceSpec {
    /** Key in `AppSpec.secrets` / `AppSpec.configs`. */
    readonly source: string;
    /** Absolute path in the container (secrets default to `/run/secrets/<source>`, configs to `/<source>`). */
    readonly target: string;
    readonly uid?: string;
    readonly gid?: string;
    /** File mode, e.g. 0o444. */
    readonly mode?: number;
}

export interface UpdateConfigSpec {
    readonly parallelism?: number;
    readonly delayMs?: number;
    readonly failureAction?: "continue" | "pause" | "rollback";
    readonly monitorMs?: number;
    readonly maxFailureRatio?: number;
    readonly order?: "stop-first" | "start-first";
}

export interface SwarmRestartPolicySpec {
    readonly condition: "none" | "on-failure" | "any";
    readonly delayMs?: number;
    readonly maxAttempts?: number;
    readonly windowMs?: number;
}

export interface PlacementSpec {
    readonly constraints: string[];
    readonly preferences: { readonly spread: string }[];
    readonly maxReplicasPerNode?: number;
}

/** Orchestrator-level settings (Compose `deploy`); the Docker-host target uses only some of them. */
export interface DeploySpec {
    readonly endpointMode?: "vip" | "dnsrr";
    readonly placement: PlacementSpec;
    /** `deploy.restart_policy` as written; targets fall back to `ServiceSpec.restart` without it. */
    readonly restartPolicy?: SwarmRestartPolicySpec;
    readonly updateConfig?: UpdateConfigSpec;
    readonly rollbackConfig?: UpdateConfigSpec;
    /** Labels on the service object (not on its containers). */
    readonly labels: Record<string, string>;
}

export interface BuildSpec {
    /** Absolute path of the build context; a remote context (Git URL, `http(s)://` tarball, see `isRemoteContext`) is kept as written. */
    readonly context: string;
    /** Dockerfile path relative to the context. @default "Dockerfile" */
    readonly dockerfile?: string;
    readonly args: Record<string, string>;
    readonly target?: string;
    readonly labels: Record<string, string>;
    /** Platforms to build for (normalized); absent for the service's platform, else the builder's. */
    readonly platforms?: string[];
}

/**
 * When a target pulls a service's image (Compose `pull_policy`; `if_not_present` is `missing`):
 * `always` refreshes it whenever the registry's digest of its tag moves, `missing` pulls it when
 * the engine lacks it, `never` uses what is there, `build` builds it (a build section is needed).
 */
export type PullPolicy = "always" | "missing" | "never" | "build";

/** A host device node made available in the container (Compose `devices`). */
export interface DeviceSpec {
    /** Absolute path of the device on the host, e.g. `/dev/ttyUSB0`. */
    readonly hostPath: string;
    /** Absolute path in the container; the host path when none was given. */
    readonly containerPath: string;
    /** cgroup permissions, some of `r` (read), `w` (write) and `m` (mknod), as Docker writes them. @default "rwm" */
    readonly permissions: string;
}

export interface ServiceSpec {
    /** Key of the service in `AppSpec.services`. */
    readonly name: string;
    /** Image reference; when `build` is set and no image was given, `<app>-<service>`. */
    readonly image: string;
    readonly build?: BuildSpec;
    /** Compose `pull_policy`; undefined for the target's default (`missing`). */
    readonly pullPolicy?: PullPolicy;
    /** Overrides the image's ENTRYPOINT; undefined keeps it. */
    readonly entrypoint?: string[];
    /** Overrides the image's CMD; undefined keeps it. */
    readonly command?: string[];
    readonly environment: Record<string, string>;
    readonly ports: PortSpec[];
    readonly expose: ExposeSpec[];
    readonly mounts: MountSpec[];
    /** Networks the service joins; empty when `networkMode` is set. */
    readonly networks: ServiceNetworkSpec[];
    /** `host`, `none`, `bridge`, `service:<name>` or `container:<id>`. */
    readonly networkMode?: string;
    readonly dependsOn: DependencySpec[];
    readonly healthcheck?: HealthcheckSpec;
    readonly restart: RestartSpec;
    /** `replicated` runs `replicas` copies; `global` one per node. */
    readonly mode: "replicated" | "global";
    readonly replicas: number;
    readonly resources: ResourcesSpec;
    readonly deploy: DeploySpec;
    readonly user?: string;
    readonly groupAdd: string[];
    readonly workingDir?: string;
    readonly hostname?: string;
    readonly domainname?: string;
    readonly dns: string[];
    readonly dnsSearch: string[];
    readonly dnsOptions: string[];
    readonly extraHosts: ExtraHostSpec[];
    /** Labels on the containers / pods. */
    readonly labels: Record<string, string>;
    readonly logging?: LoggingSpec;
    readonly readOnly: boolean;
    readonly capAdd: string[];
    readonly capDrop: string[];
    /** `--security-opt` values other than no-new-privileges (which is `noNewPrivileges`). */
    readonly securityOpt: string[];
    readonly noNewPrivileges: boolean;
    readonly privileged: boolean;
    readonly init: boolean;
    readonly stopSignal?: string;
    readonly stopGracePeriodMs?: number;
    readonly ulimits: Record<string, UlimitSpec>;
    readonly sysctls: Record<string, string>;
    readonly tty: boolean;
    readonly stdinOpen: boolean;
    readonly secrets: FileReferenceSpec[];
    readonly configs: FileReferenceSpec[];
    /**
     * Fixed container name (Compose `container_name`), instead of `<app>-<service>-<n>`. Only for a
     * service of at most one replica: Compose refuses to scale a service with a fixed name.
     */
    readonly containerName?: string;
    /** Host devices mapped into the container (Compose `devices`). */
    readonly devices: DeviceSpec[];
    /** Platform of the image and its containers, `os[/arch[/variant]]` as in OCI, e.g. `linux/arm64`. */
    readonly platform?: string;
    /**
     * PID namespace: `host`, `service:<name>` (another service's first container) or
     * `container:<name|id>`; undefined for a namespace of the container's own.
     */
    readonly pid?: string;
    /**
     * IPC namespace: `host`, `private`, `shareable` (others may join it), `none`,
     * `service:<name>` or `container:<name|id>`; undefined for the engine's default.
     */
    readonly ipc?: string;
    /** OCI runtime the engine runs the container with, e.g. `runsc` or `io.containerd.wasmedge.v1`. */
    readonly runtime?: string;
    /**
     * MAC address on the service's primary network (Compose service-level `mac_address`): the
     * first network by key, as Compose picks it when no network has a priority. Per-network
     * addresses are `ServiceNetworkSpec.macAddress`.
     */
    readonly macAddress?: string;
    /** Parent cgroup of the container (Compose `cgroup_parent`). */
    readonly cgroupParent?: string;
    /** Compose `x-*` extension fields of the service, kept for targets that read them. */
    readonly extensions: Record<string, unknown>;
}

export interface IpamPoolSpec {
    readonly subnet?: string;
    readonly gateway?: string;
    readonly ipRange?: string;
    readonly auxAddresses: Record<string, string>;
}

export interface NetworkSpec {
    /** Key of the network in `AppSpec.networks`. */
    readonly key: string;
    /** Name given explicitly (Compose `name:`); otherwise targets name it `<app>-<key>`. */
    readonly name?: string;
    readonly driver?: string;
    readonly driverOpts: Record<string, string>;
    readonly internal: boolean;
    readonly attachable: boolean;
    readonly enableIpv6: boolean;
    /** IP address management: the driver, its address pools and its driver options (`options`, absent when none). */
    readonly ipam: { readonly driver?: string; readonly config: IpamPoolSpec[]; readonly options?: Record<string, string> };
    readonly labels: Record<string, string>;
    /** Exists outside the app: looked up, never created or deleted. */
    readonly external: boolean;
}

export interface VolumeSpec {
    readonly key: string;
    readonly name?: string;
    readonly driver?: string;
    readonly driverOpts: Record<string, string>;
    readonly labels: Record<string, string>;
    readonly external: boolean;
    /** Compose `x-*` extension fields of the volume (`x-kubernetes.size`), kept for targets that read them. */
    readonly extensions: Record<string, unknown>;
}

/** Content of a secret or config; exactly one of the sources is set. */
export interface FileSourceSpec {
    readonly key: string;
    readonly name?: string;
    /** Inline content (may be a Pulumi secret). */
    readonly content?: pulumi.Input<string>;
    /** Absolute path of a file whose content is read at deploy time. */
    readonly file?: string;
    /** Name of an environment variable of the deploying process that holds the content. */
    readonly environment?: string;
    /** Exists outside the app (Swarm secret/config, Kubernetes Secret/ConfigMap). */
    readonly external: boolean;
    readonly labels: Record<string, string>;
}

export type SecretSpec = FileSourceSpec;
export type ConfigSpec = FileSourceSpec;

export interface AppSpec {
    /** Application (Compose project) name: lower-case letters, digits, `-` and `_`. */
    readonly name: string;
    readonly services: Record<string, ServiceSpec>;
    readonly networks: Record<string, NetworkSpec>;
    readonly volumes: Record<string, VolumeSpec>;
    readonly secrets: Record<string, SecretSpec>;
    readonly configs: Record<string, ConfigSpec>;
    /** Top-level `x-*` extension fields (Compose's own extensions), kept for tools that read them; absent when there are none. */
    readonly extensions?: Record<string, unknown>;
    /** Where the description came from, for error messages. */
    readonly source?: string;
}
