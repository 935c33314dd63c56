/**
 * The stack configuration, read and validated in one place. `CONFIG_KEYS` is the single list of
 * keys: Pulumi.yaml declares the same keys (a test keeps them equal), `readStackConfig` checks
 * values against it, and `dockyard render` applies its defaults.
 */
import { SpecError } from "../components/spec/errors";

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
}

export const CONFIG_KEYS = {
    // Required: a stack that forgot where it runs must not fall back to the local engine.
    runtime: {
        type: "string", oneOf: ["docker", "swarm", "kubernetes"],
        description: "Required. Where the applications run: one Docker host, a Swarm, or Kubernetes.",
    },
    dockerHost: {
        type: "string", default: "unix:///var/run/docker.sock",
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
    kubeContext: { type: "string", default: "", description: "Kubeconfig context to use (runtime kubernetes); the current one when empty." },
    k8sServiceType: {
        type: "string", oneOf: ["NodePort", "LoadBalancer"], default: "NodePort",
        description: "Kubernetes Service type of published ports (runtime kubernetes).",
    },
    storageClass: { type: "string", default: "", description: "Storage class of persistent volume claims (runtime kubernetes); the cluster default when empty." },
    dbVolumeSize: { type: "string", default: "1Gi", description: "Size of the database volume claim (runtime kubernetes)." },
    allowHostPath: {
        type: "boolean", default: false,
        description: "Let every app's bind mounts become hostPath volumes on Kubernetes (monitoring's node agents ask for it themselves).",
    },
    wordpressPort: {
        type: "integer", default: 8080, min: 1, max: 65535,
        description: "Port WordPress is published on.",
    },
    wordpressImage: { type: "string", default: "wordpress:6.8-apache", description: "WordPress image." },
    dbImage: { type: "string", default: "mysql:8.4", description: "MySQL image of the WordPress database." },
    wordpressReplicas: {
        type: "integer", default: 1, min: 1, max: 50,
        description: "WordPress replicas (a Docker host runs one: its host port can be bound once).",
    },
    wordpressMaxReplicas: {
        type: "integer", default: 0, min: 0, max: 100,
        description: "Kubernetes only: scale WordPress up to this many replicas on CPU use (a HorizontalPodAutoscaler); 0 for none.",
    },
    wordpressCpus: { type: "string", default: "", description: "CPU limit of WordPress, e.g. \"0.5\"; empty for none." },
    wordpressMemory: { type: "string", default: "", description: "Memory limit of WordPress, e.g. \"512m\"; empty for none." },
    wordpressCpuReservation: { type: "string", default: "", description: "CPU reservation (Kubernetes request) of WordPress; empty for none." },
    wordpressMemoryReservation: { type: "string", default: "", description: "Memory reservation (Kubernetes request) of WordPress; empty for none." },
    dbCpus: { type: "string", default: "", description: "CPU limit of the database, e.g. \"1\"; empty for none." },
    dbMemory: { type: "string", default: "", description: "Memory limit of the database, e.g. \"1g\"; empty for none." },
    dbCpuReservation: { type: "string", default: "", description: "CPU reservation (Kubernetes request) of the database; empty for none." },
    dbMemoryReservation: { type: "string", default: "", description: "Memory reservation (Kubernetes request) of the database; empty for none." },
    dbPassword: {
        type: "string", secret: true,
        description: "Password of the WordPress database user. When unset, one is generated once and kept (encrypted) in state.",
    },
    monitoring: { type: "boolean", default: false, description: "Deploy the monitoring stack (Prometheus, Alertmanager, Grafana, cAdvisor, node-exporter)." },
    grafanaPort: { type: "integer", default: 3000, min: 1, max: 65535, description: "Port Grafana is published on." },
    prometheusPort: { type: "integer", default: 0, min: 0, max: 65535, description: "Port Prometheus is published on; 0 keeps it internal." },
    retention: { type: "string", default: "15d", description: "How long Prometheus keeps samples, e.g. \"15d\"." },
    retentionSize: { type: "string", default: "", description: "Largest size of Prometheus' data, e.g. \"10GB\"; empty for no limit." },
    alertCpuPercent: { type: "integer", default: 85, min: 1, max: 100, description: "Host CPU use (percent) that raises an alert." },
    alertMemoryPercent: { type: "integer", default: 90, min: 1, max: 100, description: "Host memory use (percent) that raises an alert." },
    alertDiskPercent: { type: "integer", default: 85, min: 1, max: 100, description: "Filesystem use (percent) that raises an alert." },
    alertWebhookUrl: {
        type: "string", secret: true,
        description: "Webhook that receives the alerts (Slack-compatible or any Alertmanager webhook); alerts stay in the Alertmanager UI when unset.",
    },
    grafanaAdminPassword: { type: "string", secret: true, description: "Grafana admin password; generated and kept in state when unset." },
    portainer: { type: "boolean", default: false, description: "Deploy Portainer (Docker host or Swarm runtimes)." },
    portainerPort: { type: "integer", default: 9443, min: 1, max: 65535, description: "Port Portainer's HTTPS UI is published on." },
    portainerPassword: { type: "string", secret: true, description: "Portainer admin password; generated and kept in state when unset." },
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
    if (config.runtime === "docker" && config.wordpressReplicas > 1) {
        fail("wordpressReplicas", `a Docker host publishes port ${config.wordpressPort} once, so it runs one WordPress replica; use runtime swarm or kubernetes for more`);
    }
    if (config.wordpressMaxReplicas > 0) {
        if (config.runtime !== "kubernetes") fail("wordpressMaxReplicas", "autoscaling needs runtime kubernetes");
        if (config.wordpressMaxReplicas < config.wordpressReplicas) fail("wordpressMaxReplicas", `must be at least wordpressReplicas (${config.wordpressReplicas})`);
        if (!config.wordpressCpuReservation) fail("wordpressMaxReplicas", "autoscaling on CPU needs wordpressCpuReservation (the CPU request utilization is measured against)");
    }
    if (config.portainer && config.runtime === "kubernetes") {
        fail("portainer", "Portainer needs a Docker host or a Swarm; on Kubernetes install it with its Helm chart");
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
            return raw;
    }
}

/** Rejects `dockyard:` keys that no code reads: a typo must not silently fall back to a default. */
/**
 * Refuses a secret key set in plain text (`pulumi config set` without `--secret`). Pulumi.yaml cannot
 * declare the optional secrets (a declared key without a default is required), so the program checks.
 */
export function checkSecretKeys(keys: string[], isSecret: (key: string) => boolean, stack: string): void {
    for (const key of SECRET_KEYS) {
        const full = `${PROJECT}:${key}`;
        if (keys.includes(full) && !isSecret(full)) {
            throw new SpecError(`is set in plain text; set it with \`pulumi config set --secret ${key} …\``, full, undefined, `stacks/Pulumi.${stack}.yaml`);
        }
    }
}

export function checkKnownKeys(keys: string[], stack: string): void {
    for (const full of keys) {
        const [ns, key] = full.split(":");
        if (ns !== PROJECT || key in CONFIG_KEYS) continue;
        const close = Object.keys(CONFIG_KEYS).find((k) => k.toLowerCase() === key.toLowerCase());
        throw new SpecError(`unknown config key${close ? ` (did you mean ${PROJECT}:${close}?)` : ""}; known keys are listed in Pulumi.yaml`,
            full, undefined, `stacks/Pulumi.${stack}.yaml`);
    }
}
