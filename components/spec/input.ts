/**
 * What a TypeScript caller writes to describe an application: the Compose model with camelCase
 * keys and the same short forms (`"8080:80"`, `"db:/var/lib/mysql:ro"`, `"1m30s"`, `"512m"`).
 * `defineApp()` turns it into a normalized, validated `AppSpec`; the Compose loader produces the
 * same shape from YAML, so both ways in share one normalizer.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { MountInput } from "./mounts";
import type { PortInput } from "./ports";

export type { MountInput, PortInput };

/** A map, or a list of `KEY=VALUE` strings (Compose accepts both for environment, labels…). */
export type MapOrList = Record<string, string | number | boolean | null> | string[];

export interface HealthcheckInput {
    /** `["CMD", ...]`, `["CMD-SHELL", "..."]`, `["NONE"]`, or a string (run by the shell). */
    readonly test?: string | string[];
    readonly interval?: string | number;
    readonly timeout?: string | number;
    readonly retries?: number;
    readonly startPeriod?: string | number;
    readonly startInterval?: string | number;
    readonly disable?: boolean;
}

export interface UpdateConfigInput {
    readonly parallelism?: number;
    readonly delay?: string | number;
    readonly failureAction?: string;
    readonly monitor?: string | number;
    readonly maxFailureRatio?: number | string;
    readonly order?: string;
}

export interface DeployInput {
    readonly mode?: string;
    readonly replicas?: number;
    readonly endpointMode?: string;
    readonly labels?: MapOrList;
    readonly resources?: {
        readonly limits?: { readonly cpus?: number | string; readonly memory?: number | string; readonly pids?: number };
        readonly reservations?: { readonly cpus?: number | string; readonly memory?: number | string };
    };
    readonly restartPolicy?: { readonly condition?: string; readonly delay?: string | number; readonly maxAttempts?: number; readonly window?: string | number };
    readonly updateConfig?: UpdateConfigInput;
    readonly rollbackConfig?: UpdateConfigInput;
    readonly placement?: {
        readonly constraints?: string[];
        readonly preferences?: { readonly spread: string }[];
        readonly maxReplicasPerNode?: number;
    };
}

export interface ServiceNetworkInput {
    readonly aliases?: string[];
    readonly ipv4Address?: string;
    readonly ipv6Address?: string;
    /** MAC address of the container on this network, e.g. `02:42:ac:11:00:02`. */
    readonly macAddress?: string;
    /** Options for the network driver about this attachment, e.g. `com.docker.network.endpoint.sysctls`. */
    readonly driverOpts?: Record<string, string | number>;
}

/** A device mapping in Compose's long form. */
export interface DeviceInput {
    /** Absolute path of the device on the host. */
    readonly source: string;
    /** Path in the container. @default the source */
    readonly target?: string;
    /** cgroup permissions, some of `r`, `w` and `m`. @default "rwm" */
    readonly permissions?: string;
}

export interface FileReferenceInput {
    readonly source: string;
    readonly target?: string;
    readonly uid?: string | number;
    readonly gid?: string | number;
    readonly mode?: number | string;
}

export interface BuildInput {
    /** Directory, relative to the project directory, or a Git / `http(s)://` URL, kept as written. @default "." */
    readonly context?: string;
    readonly dockerfile?: string;
    readonly args?: MapOrList;
    readonly target?: string;
    readonly labels?: MapOrList;
    /** Platforms to build for, `os[/arch[/variant]]`; must include the service's `platform` when both are given. */
    readonly platforms?: string[];
}

export interface ServiceInput {
    readonly image?: string;
    readonly build?: string | BuildInput;
    /** When the image is pulled: `always`, `missing` (alias `if_not_present`), `never` or `build`. @default the target's (`missing`) */
    readonly pullPolicy?: string;
    readonly command?: string | string[] | null;
    readonly entrypoint?: string | string[] | null;
    readonly environment?: MapOrList;
    readonly ports?: (string | number | PortInput)[];
    readonly expose?: (string | number)[];
    readonly volumes?: (string | MountInput)[];
    readonly tmpfs?: string | string[];
    readonly networks?: string[] | Record<string, ServiceNetworkInput | null>;
    readonly networkMode?: string;
    readonly dependsOn?: string[] | Record<string, { readonly condition?: string; readonly required?: boolean; readonly restart?: boolean }>;
    readonly healthcheck?: HealthcheckInput;
    /** `no`, `always`, `unless-stopped`, `on-failure` or `on-failure:N`. @default "no" */
    readonly restart?: string;
    /** Copies to run (Compose `scale`; `deploy.replicas` wins when both are set). @default 1 */
    readonly replicas?: number;
    readonly deploy?: DeployInput;
    readonly cpus?: number | string;
    readonly cpuShares?: number;
    readonly cpuset?: string;
    readonly memLimit?: number | string;
    readonly memReservation?: number | string;
    readonly memswapLimit?: number | string;
    readonly pidsLimit?: number;
    readonly shmSize?: number | string;
    readonly user?: string;
    readonly groupAdd?: (string | number)[];
    readonly workingDir?: string;
    readonly hostname?: string;
    readonly domainname?: string;
    readonly dns?: string | string[];
    readonly dnsSearch?: string | string[];
    readonly dnsOpt?: string[];
    readonly extraHosts?: string[] | Record<string, string | string[]>;
    readonly labels?: MapOrList;
    readonly logging?: { readonly driver?: string; readonly options?: Record<string, string | number | null> };
    readonly readOnly?: boolean;
    readonly capAdd?: string[];
    readonly capDrop?: string[];
    readonly securityOpt?: string[];
    readonly privileged?: boolean;
    readonly init?: boolean;
    readonly stopSignal?: string;
    readonly stopGracePeriod?: string | number;
    readonly ulimits?: Record<string, number | string | { readonly soft: number | string; readonly hard: number | string }>;
    readonly sysctls?: MapOrList;
    readonly tty?: boolean;
    readonly stdinOpen?: boolean;
    readonly secrets?: (string | FileReferenceInput)[];
    readonly configs?: (string | FileReferenceInput)[];
    /** Fixed container name: letters, digits, `_`, `.` and `-`; not with more than one replica. */
    readonly containerName?: string;
    /** Host devices: `"/dev/x"`, `"/dev/x:/dev/y"`, `"/dev/x:/dev/y:rw"` or `{ source, target, permissions }`. */
    readonly devices?: (string | DeviceInput)[];
    /** `os[/arch[/variant]]`, e.g. `linux/arm64`. */
    readonly platform?: string;
    /** `host`, `service:<name>` or `container:<name|id>`. */
    readonly pid?: string | null;
    /** `host`, `private`, `shareable`, `none`, `service:<name>` or `container:<name|id>`. */
    readonly ipc?: string;
    /** OCI runtime, e.g. `runsc`. */
    readonly runtime?: string;
    /** MAC address on the primary network (the first by name). */
    readonly macAddress?: string;
    readonly cgroupParent?: string;
    /** `x-*` extension fields are kept as they are for targets that read them. */
    readonly [extension: `x-${string}`]: unknown;
}

export interface NetworkInput {
    readonly name?: string;
    readonly driver?: string;
    readonly driverOpts?: Record<string, string | number>;
    readonly internal?: boolean;
    readonly attachable?: boolean;
    readonly enableIpv6?: boolean;
    readonly ipam?: {
        readonly driver?: string;
        readonly config?: { readonly subnet?: string; readonly gateway?: string; readonly ipRange?: string; readonly auxAddresses?: Record<string, string> }[];
        /** Options of the IPAM driver. */
        readonly options?: Record<string, string | number>;
    };
    readonly labels?: MapOrList;
    readonly external?: boolean;
}

export interface VolumeInput {
    readonly name?: string;
    readonly driver?: string;
    readonly driverOpts?: Record<string, string | number>;
    readonly labels?: MapOrList;
    readonly external?: boolean;
    /** `x-*` extension fields (`x-kubernetes: { size }`) are kept as they are for targets that read them. */
    readonly [extension: `x-${string}`]: unknown;
}

export interface FileSourceInput {
    readonly name?: string;
    /** Inline content; may be a Pulumi secret output. */
    readonly content?: pulumi.Input<string>;
    /** Path of a file (relative to the project directory). */
    readonly file?: string;
    /** Environment variable of the deploying process that holds the content. */
    readonly environment?: string;
    readonly external?: boolean;
    readonly labels?: MapOrList;
}

export interface AppInput {
    /** Application name: lower-case letters, digits, `-` and `_`, starting with a letter or digit. */
    readonly name: string;
    readonly services: Record<string, ServiceInput>;
    readonly networks?: Record<string, NetworkInput | null>;
    readonly volumes?: Record<string, VolumeInput | null>;
    readonly secrets?: Record<string, FileSourceInput>;
    readonly configs?: Record<string, FileSourceInput>;
    /** Top-level `x-*` extension fields are kept as they are. */
    readonly [extension: `x-${string}`]: unknown;
}

/** Where a description comes from: used to resolve relative paths and to name the file in errors. */
export interface SourceContext {
    /** Directory relative paths (bind mounts, build contexts, secret files) are resolved against. @default process.cwd() */
    readonly projectDir?: string;
    /** File name shown in errors. */
    readonly file?: string;
    /** Home directory for `~/` paths. @default os.homedir() */
    readonly homeDir?: string;
}
