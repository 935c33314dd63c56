/**
 * The stack configuration, read and validated in one place. `CONFIG_KEYS` is the single list of
 * keys: Pulumi.yaml declares the same keys (a test keeps them equal), `readStackConfig` checks
 * values against it, and `dockyard render` applies its defaults.
 */
import { SpecError } from "../components/spec/errors";
import { dockerHostSettings } from "../components/docker-host";
import { parsePromDuration, prometheusVolumeFor, promSizeBytes, quantityBytes } from "../components/monitoring/settings";
import { hasOwn } from "../components/spec/records";
import { registrySettings } from "../components/targets/registry";
import { parseBytes, parseCpus } from "../components/spec/units";

export const PROJECT = "dockyard";

export interface ConfigKey {
    readonly type: "string" | "integer" | "boolean";
    readonly description: string;
    /** Without a default (and not secret), the key is required. */
    readonly default?: string | number | boolean;
    /** Must come from `pulumi config set --secret`; never read as a plain value. */
    readonly secret?: boolean;
    /** Allowed values of a string key. */
    readonly oneOf?: readonly string[];
    /** Inclusive bounds of an integer key. */
    readonly min?: number;
    readonly max?: number;
    /** What a non-empty string must be, checked here so that a mistake names this key rather than the app's field it ends up in. */
    readonly format?: "cpus" | "size" | "quantity" | "promDuration" | "promSize" | "image" | "dockerHost" | "registry";
    /** Fewest characters of a secret (a password). */
    readonly minLength?: number;
}

/** Fewest characters of a password setting: an empty or one-letter password is a mistake, not a password. */
export const MIN_PASSWORD_LENGTH = 8;

/** Config namespaces a stack may use besides the project's: those of the providers the program uses. */
export const PROVIDER_NAMESPACES: readonly string[] = ["docker", "kubernetes", "command", "random", "pulumi"];

export const CONFIG_KEYS = {
    // Required: a stack that forgot where it runs must not fall back to the local engine.
    runtime: {
        type: "string", oneOf: ["docker", "swarm", "kubernetes"],
        description: "Required. Where the applications run: one Docker host, a Swarm, or Kubernetes.",
    },
    dockerHost: {
        type: "string", default: "unix:///var/run/docker.sock", format: "dockerHost",
        description: "Docker engine to deploy to (runtime docker): unix://, tcp:// (with TLS) or ssh://.",
    },
    publicHost: {
        type: "string", default: "localhost",
        description: "Host name that published ports are reached at; used in the exported URLs.",
    },
    swarmAddress: {
        type: "string", default: "127.0.0.1",
        description: "Advertise and listen address of the single-node Swarm formed on the local engine (runtime swarm).",
    },
    kubeconfig: {
        type: "string", secret: true,
        description: "Kubeconfig of the cluster (runtime kubernetes); the ambient kubeconfig when unset.",
    },
    registry: {
        type: "string", default: "", format: "registry",
        description: "Private registry, host[:port][/namespace]: images are pulled with its credentials, and build: images are pushed there and run by digest; empty for none.",
    },
    registryUsername: { type: "string", default: "", description: "User of the registry; empty to use it anonymously." },
    registryPassword: { type: "string", secret: true, description: "Password or token of the registry user." },
    kubeContext: { type: "string", default: "", description: "Kubeconfig context to use (runtime kubernetes); the current one when empty." },
    k8sServiceType: {
        type: "string", oneOf: ["NodePort", "LoadBalancer"], default: "NodePort",
        description: "Kubernetes Service type of published ports (runtime kubernetes).",
    },
    storageClass: { type: "string", default: "", description: "Storage class of persistent volume claims (runtime kubernetes); the cluster default when empty." },
    dbVolumeSize: { type: "string", default: "1Gi", format: "quantity", description: "Size of the database volume claim (runtime kubernetes)." },
    allowHostPath: {
        type: "boolean", default: false,
        description: "Let every app's bind mounts become hostPath volumes on Kubernetes (monitoring's node agents ask for it themselves).",
    },
    wordpressPort: {
        type: "integer", default: 8080, min: 1, max: 65535,
        description: "Port WordPress is published on.",
    },
    wordpressImage: { type: "string", default: "wordpress:6.8-apache", format: "image", description: "WordPress image." },
    dbImage: { type: "string", default: "mysql:8.4", format: "image", description: "MySQL image of the WordPress database." },
    wordpressReplicas: {
        type: "integer", default: 1, min: 1, max: 50,
        description: "WordPress replicas (a Docker host runs one: its host port can be bound once).",
    },
    wordpressMaxReplicas: {
        type: "integer", default: 0, min: 0, max: 100,
        description: "Kubernetes only: scale WordPress up to this many replicas on CPU use (a HorizontalPodAutoscaler); 0 for none.",
    },
    wordpressCpus: { type: "string", default: "", format: "cpus", description: "CPU limit of WordPress, e.g. \"0.5\"; empty for none." },
    wordpressMemory: { type: "string", default: "", format: "size", description: "Memory limit of WordPress, e.g. \"512m\"; empty for none." },
    wordpressCpuReservation: { type: "string", default: "", format: "cpus", description: "CPU reservation (Kubernetes request) of WordPress; empty for none." },
    wordpressMemoryReservation: { type: "string", default: "", format: "size", description: "Memory reservation (Kubernetes request) of WordPress; empty for none." },
    dbCpus: { type: "string", default: "", format: "cpus", description: "CPU limit of the database, e.g. \"1\"; empty for none." },
    dbMemory: { type: "string", default: "", format: "size", description: "Memory limit of the database, e.g. \"1g\"; empty for none." },
    dbCpuReservation: { type: "string", default: "", format: "cpus", description: "CPU reservation (Kubernetes request) of the database; empty for none." },
    dbMemoryReservation: { type: "string", default: "", format: "size", description: "Memory reservation (Kubernetes request) of the database; empty for none." },
    dbPassword: {
        type: "string", secret: true, minLength: MIN_PASSWORD_LENGTH,
        description: "Password of the WordPress database user. When unset, one is generated once and kept (encrypted) in state.",
    },
    monitoring: { type: "boolean", default: false, description: "Deploy the monitoring stack (Prometheus, Alertmanager, Grafana, cAdvisor, node-exporter)." },
    grafanaPort: { type: "integer", default: 3000, min: 1, max: 65535, description: "Port Grafana is published on." },
    prometheusPort: { type: "integer", default: 0, min: 0, max: 65535, description: "Port Prometheus is published on; 0 keeps it internal." },
    retention: { type: "string", default: "15d", format: "promDuration", description: "How long Prometheus keeps samples, e.g. \"15d\"." },
    retentionSize: { type: "string", default: "", format: "promSize", description: "Largest size of Prometheus' data, e.g. \"10GB\"; empty for no limit." },
    prometheusVolumeSize: {
        type: "string", default: "", format: "quantity",
        description: "Size of Prometheus' volume claim (runtime kubernetes); when empty, retentionSize plus 25%, or the target's default without a retention size.",
    },
    engineMetrics: {
        type: "boolean", default: false,
        description: "Scrape the Docker engines' own metrics (metrics-addr on port 9323, job docker-engine, a Grafana dashboard, engine alerts); needs monitoring, runtime docker or swarm.",
    },
    alertCpuPercent: { type: "integer", default: 85, min: 1, max: 100, description: "Host CPU use (percent) that raises an alert." },
    alertMemoryPercent: { type: "integer", default: 90, min: 1, max: 100, description: "Host memory use (percent) that raises an alert." },
    alertDiskPercent: { type: "integer", default: 85, min: 1, max: 100, description: "Filesystem use (percent) that raises an alert." },
    alertWebhookUrl: {
        type: "string", secret: true,
        description: "Webhook that receives the alerts (Slack-compatible or any Alertmanager webhook); alerts stay in the Alertmanager UI when unset.",
    },
    grafanaAdminPassword: { type: "string", secret: true, minLength: MIN_PASSWORD_LENGTH, description: "Grafana admin password; generated and kept in state when unset." },
    portainer: { type: "boolean", default: false, description: "Deploy Portainer (Docker host or Swarm runtimes)." },
    portainerPort: { type: "integer", default: 9443, min: 1, max: 65535, description: "Port Portainer's HTTPS UI is published on." },
    portainerPassword: { type: "string", secret: true, minLength: MIN_PASSWORD_LENGTH, description: "Portainer admin password; generated and kept in state when unset." },
} as const satisfies Record<string, ConfigKey>;

type Keys = typeof CONFIG_KEYS;
export type ConfigKeyName = keyof Keys;
/** Keys that must be set with `pulumi config set --secret`. */
export type SecretKeyName = { [K in ConfigKeyName]: Keys[K] extends { secret: true } ? K : never }[ConfigKeyName];
type ValueOf<K> = K extends { oneOf: readonly (infer U)[] } ? U : K extends { type: "integer" } ? number : K extends { type: "boolean" } ? boolean : string;

/**
 * The validated configuration of one stack, one field per non-secret key (empty strings mean
 * "not set"); the program reads secrets itself, as Pulumi secrets.
 */
export type StackConfig = { readonly stack: string } & { readonly [K in Exclude<ConfigKeyName, SecretKeyName>]: ValueOf<Keys[K]> };

/** Names of the secret keys. */
export const SECRET_KEYS = (Object.keys(CONFIG_KEYS) as ConfigKeyName[]).filter((k) => (CONFIG_KEYS[k] as ConfigKey).secret) as SecretKeyName[];

/**
 * Reads and validates every non-secret key. `get` returns the raw string a stack file holds for a
 * key (without the project prefix), or undefined. A bad value throws a SpecError naming the key
 * as `dockyard:<key>` and the stack file.
 */
export function readStackConfig(get: (key: string) => string | undefined, stack: string): StackConfig {
    const file = `stacks/Pulumi.${stack}.yaml`;
    const values: Record<string, unknown> = { stack };
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKeyName, ConfigKey][]) {
        if (!spec.secret) values[key] = parseValue(key, spec, get(key), stack);
    }
    const config = values as StackConfig;
    const fail = (key: ConfigKeyName, reason: string) => {
        throw new SpecError(reason, `${PROJECT}:${key}`, config[key as keyof StackConfig], file);
    };
    // Passwords: read (never shown) only to refuse one too short to be a password.
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKeyName, ConfigKey][]) {
        if (!spec.secret || spec.minLength === undefined) continue;
        const value = get(key);
        if (value !== undefined && (value.length < spec.minLength || value.trim() === "")) {
            throw new SpecError(
                `is too short to be a password: use at least ${spec.minLength} characters, or unset it (pulumi config rm ${key} --stack ${stack}) to have one generated`,
                `${PROJECT}:${key}`, undefined, file,
            );
        }
    }
    // A reservation above its limit would fail in the app, under the app's names.
    for (const who of ["wordpress", "db"] as const) {
        const cpus = config[`${who}Cpus`];
        const cpuReservation = config[`${who}CpuReservation`];
        if (cpus !== "" && cpuReservation !== "" && parseCpus(cpuReservation, "") > parseCpus(cpus, "")) {
            fail(`${who}CpuReservation`, `the CPU reservation is larger than ${PROJECT}:${who}Cpus (${cpus})`);
        }
        const memory = config[`${who}Memory`];
        const memoryReservation = config[`${who}MemoryReservation`];
        if (memory !== "" && memoryReservation !== "" && parseBytes(memoryReservation, "") > parseBytes(memory, "")) {
            fail(`${who}MemoryReservation`, `the memory reservation is larger than ${PROJECT}:${who}Memory (${memory})`);
        }
    }
    // Two applications of the stack on one host port: the second would fail at deploy time.
    const ports: [ConfigKeyName, number][] = [["wordpressPort", config.wordpressPort]];
    if (config.monitoring) {
        ports.push(["grafanaPort", config.grafanaPort]);
        if (config.prometheusPort > 0) ports.push(["prometheusPort", config.prometheusPort]);
    }
    if (config.portainer) ports.push(["portainerPort", config.portainerPort]);
    // Prometheus would fill its volume before deleting old data; only when both are given (else the volume is sized from the retention).
    if (config.retentionSize !== "" && config.prometheusVolumeSize !== "" && promSizeBytes(config.retentionSize) > (quantityBytes(config.prometheusVolumeSize) ?? Infinity)) {
        fail("retentionSize", `the retention size ${config.retentionSize} is larger than ${PROJECT}:prometheusVolumeSize (${config.prometheusVolumeSize}), so Prometheus would fill its volume ` +
            `before deleting old data; make the volume at least ${prometheusVolumeFor(config.retentionSize)}, or leave prometheusVolumeSize empty to size it from the retention`);
    }
    ports.forEach(([key, port], i) => {
        const other = ports.slice(0, i).find(([, p]) => p === port);
        if (other) fail(key, `port ${port} is already ${PROJECT}:${other[0]}'s; each application of the stack needs a port of its own`);
    });
    if (config.runtime === "docker" && config.wordpressReplicas > 1) {
        fail("wordpressReplicas", `a Docker host publishes port ${config.wordpressPort} once, so it runs one WordPress replica; use runtime swarm or kubernetes for more`);
    }
    if (config.wordpressMaxReplicas > 0) {
        if (config.runtime !== "kubernetes") fail("wordpressMaxReplicas", "autoscaling needs runtime kubernetes");
        if (config.wordpressMaxReplicas < config.wordpressReplicas) fail("wordpressMaxReplicas", `must be at least wordpressReplicas (${config.wordpressReplicas})`);
        if (!config.wordpressCpuReservation) fail("wordpressMaxReplicas", "autoscaling on CPU needs wordpressCpuReservation (the CPU request utilization is measured against)");
    }
    if (config.engineMetrics && !config.monitoring) {
        fail("engineMetrics", `the engines' metrics are scraped by the monitoring stack: set ${PROJECT}:monitoring true as well, or leave engineMetrics false`);
    }
    if (config.engineMetrics && config.runtime === "kubernetes") {
        fail("engineMetrics", "Kubernetes runs no Docker engine for dockyard to configure (the nodes' container runtime belongs to the cluster); leave engineMetrics false on runtime kubernetes");
    }
    if (config.portainer && config.runtime === "kubernetes") {
        fail("portainer", "Portainer needs a Docker host or a Swarm; on Kubernetes install it with its Helm chart");
    }
    // A login is a user and a password (read only to know it is there), for a registry.
    const hasPassword = get("registryPassword") !== undefined && get("registryPassword") !== "";
    if (config.registryUsername !== "" && config.registry === "") fail("registryUsername", `a registry user needs ${PROJECT}:registry, the registry it logs in to`);
    if (hasPassword && config.registry === "") {
        throw new SpecError(`a registry password needs ${PROJECT}:registry, the registry it logs in to`, `${PROJECT}:registryPassword`, undefined, file);
    }
    if (config.registryUsername !== "" && !hasPassword) {
        fail("registryUsername", `a registry user needs a password: pulumi config set --secret registryPassword … --stack ${stack}`);
    }
    if (hasPassword && config.registryUsername === "") {
        throw new SpecError(`a registry password needs a user: pulumi config set registryUsername … --stack ${stack}`, `${PROJECT}:registryPassword`, undefined, file);
    }
    if (config.runtime !== "docker" && config.dockerHost !== CONFIG_KEYS.dockerHost.default) {
        fail("dockerHost", `only used with runtime docker (this stack's runtime is ${config.runtime})`);
    }
    return config;
}

function parseValue(key: string, spec: ConfigKey, raw: string | undefined, stack: string): string | number | boolean | undefined {
    const where = `${PROJECT}:${key}`;
    const file = `stacks/Pulumi.${stack}.yaml`;
    if (raw === undefined) {
        if (spec.default !== undefined) return spec.default;
        const example = spec.oneOf ? `<${spec.oneOf.join("|")}>` : `<${spec.type}>`;
        throw new SpecError(`required key is not set: pulumi config set ${where} ${example} --stack ${stack}`, where, undefined, file);
    }
    switch (spec.type) {
        case "integer": {
            const n = Number(raw);
            if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(n)) throw new SpecError("must be a whole number", where, raw, file);
            if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
                throw new SpecError(`must be between ${spec.min} and ${spec.max}`, where, n, file);
            }
            return n;
        }
        case "boolean":
            if (raw !== "true" && raw !== "false") throw new SpecError("must be true or false", where, raw, file);
            return raw === "true";
        default:
            if (spec.oneOf && !spec.oneOf.includes(raw)) throw new SpecError(`must be one of ${spec.oneOf.join(", ")}`, where, raw, file);
            // "" means "not set" for the keys whose default is "".
            if (spec.format !== undefined && (raw !== "" || spec.default !== "")) checkFormat(spec.format, raw, where, file);
            return raw;
    }
}

// Kubernetes quantities (resource.Quantity), as the Kubernetes target checks volume sizes.
const QUANTITY = /^([0-9]+(\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
// Prometheus' size syntax for --storage.tsdb.retention.size (units.Base2Bytes).
const PROM_SIZE = /^\d+(B|KB|MB|GB|TB|PB|EB)$/;

/** Checks a string setting against its format; the error names the key and the stack file. */
function checkFormat(format: NonNullable<ConfigKey["format"]>, raw: string, where: string, file: string): void {
    const fail = (reason: string): never => {
        throw new SpecError(reason, where, raw, file);
    };
    // The app's parsers, with the app's path swapped for the key.
    const inKeyTerms = (parse: () => unknown) => {
        try {
            parse();
        } catch (e) {
            if (e instanceof SpecError) fail(e.reason);
            throw e;
        }
    };
    switch (format) {
        case "cpus":
            return inKeyTerms(() => parseCpus(raw, where));
        case "size":
            return inKeyTerms(() => parseBytes(raw, where));
        case "promDuration":
            return inKeyTerms(() => parsePromDuration(raw, where));
        case "dockerHost":
            return inKeyTerms(() => dockerHostSettings({ host: raw }));
        case "registry":
            return inKeyTerms(() => registrySettings({ address: raw }));
        case "quantity":
            if (!QUANTITY.test(raw)) fail('must be a Kubernetes quantity such as "1Gi" or "500Mi"');
            return;
        case "promSize":
            if (!PROM_SIZE.test(raw)) fail('must be a whole number with B, KB, MB, GB, TB, PB or EB, such as "10GB"');
            return;
        case "image":
            if (raw.trim() === "" || /\s/.test(raw)) fail('must be an image reference such as "nginx:1.27"');
            return;
    }
}

/**
 * Refuses a secret key set in plain text (`pulumi config set` without `--secret`). Pulumi.yaml cannot
 * declare the optional secrets (a declared key without a default is required), so the program checks.
 * And the other way round: a setting that is no secret set with `--secret` (a `secure:` value),
 * which would otherwise reach the program as a secret where a plain value is expected.
 */
export function checkSecretKeys(keys: string[], isSecret: (key: string) => boolean, stack: string): void {
    const file = `stacks/Pulumi.${stack}.yaml`;
    for (const key of SECRET_KEYS) {
        const full = `${PROJECT}:${key}`;
        if (keys.includes(full) && !isSecret(full)) {
            throw new SpecError(`is set in plain text; set it with \`pulumi config set --secret ${key} …\``, full, undefined, file);
        }
    }
    for (const full of keys) {
        const key = full.slice(PROJECT.length + 1);
        if (!full.startsWith(`${PROJECT}:`) || !hasOwn(CONFIG_KEYS, key) || (CONFIG_KEYS[key as ConfigKeyName] as ConfigKey).secret) continue;
        if (isSecret(full)) {
            throw new SpecError(`is set as a secret (secure:) but is not a secret setting; set it in plain text: pulumi config set ${key} <value> --stack ${stack}`, full, undefined, file);
        }
    }
}

/** Edit distance, for suggestions. */
function distance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    return d[a.length][b.length];
}

/**
 * Rejects keys that no code reads: a typo must not silently fall back to a default. A `dockyard:`
 * key must be one of CONFIG_KEYS; any other namespace must be one of the providers' (a misspelt
 * `dockyrd:runtime` would otherwise be ignored).
 */
export function checkKnownKeys(keys: string[], stack: string): void {
    const file = `stacks/Pulumi.${stack}.yaml`;
    for (const full of keys) {
        const colon = full.indexOf(":");
        const ns = colon < 0 ? "" : full.slice(0, colon);
        const key = colon < 0 ? full : full.slice(colon + 1);
        if (ns === PROJECT) {
            if (hasOwn(CONFIG_KEYS, key)) continue;
            const close = Object.keys(CONFIG_KEYS).find((k) => k.toLowerCase() === key.toLowerCase());
            throw new SpecError(`unknown config key${close ? ` (did you mean ${PROJECT}:${close}?)` : ""}; known keys are listed in Pulumi.yaml`, full, undefined, file);
        }
        if (PROVIDER_NAMESPACES.includes(ns)) continue;
        const meant = hasOwn(CONFIG_KEYS, key) || distance(ns.toLowerCase(), PROJECT) <= 2 ? `${PROJECT}:${key}` : undefined;
        throw new SpecError(
            `unknown config namespace "${ns}"${meant ? ` (did you mean ${meant}?)` : ""}; this project reads ${PROJECT}:<key> and the providers' ${PROVIDER_NAMESPACES.map((n) => `${n}:`).join(", ")} keys`,
            full, undefined, file,
        );
    }
}
