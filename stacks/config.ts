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
    runtime: {
        type: "string", oneOf: ["docker", "swarm", "kubernetes"], default: "docker",
        description: "Where the applications run: one Docker host, a Swarm, or Kubernetes.",
    },
    dockerHost: {
        type: "string", default: "unix:///var/run/docker.sock",
        description: "Docker engine to deploy to (docker and swarm runtimes): unix://, tcp:// (with TLS) or ssh://.",
    },
    publicHost: {
        type: "string", default: "localhost",
        description: "Host name that published ports are reached at; used in the exported URLs.",
    },
    wordpressPort: {
        type: "integer", default: 8080, min: 1, max: 65535,
        description: "Host port WordPress is published on.",
    },
    wordpressImage: { type: "string", default: "wordpress:latest", description: "WordPress image." },
    dbImage: { type: "string", default: "mysql:8.4", description: "MySQL image of the WordPress database." },
    wordpressReplicas: {
        type: "integer", default: 1, min: 1, max: 50,
        description: "WordPress replicas (a Docker host runs one: its host port can be bound once).",
    },
    wordpressCpus: { type: "string", default: "", description: "CPU limit of WordPress, e.g. \"0.5\"; empty for none." },
    wordpressMemory: { type: "string", default: "", description: "Memory limit of WordPress, e.g. \"512m\"; empty for none." },
    dbCpus: { type: "string", default: "", description: "CPU limit of the database, e.g. \"1\"; empty for none." },
    dbMemory: { type: "string", default: "", description: "Memory limit of the database, e.g. \"1g\"; empty for none." },
    dbPassword: {
        type: "string", secret: true,
        description: "Password of the WordPress database user. When unset, one is generated once and kept (encrypted) in state.",
    },
} as const satisfies Record<string, ConfigKey>;

export type ConfigKeyName = keyof typeof CONFIG_KEYS;

/** The validated configuration of one stack (secrets excluded: the program reads them as secrets). */
export interface StackConfig {
    readonly stack: string;
    readonly runtime: "docker" | "swarm" | "kubernetes";
    readonly dockerHost: string;
    readonly publicHost: string;
    readonly wordpressPort: number;
    readonly wordpressImage: string;
    readonly dbImage: string;
    readonly wordpressReplicas: number;
    readonly wordpressCpus?: string;
    readonly wordpressMemory?: string;
    readonly dbCpus?: string;
    readonly dbMemory?: string;
}

/**
 * Reads and validates every non-secret key. `get` returns the raw string a stack file holds for a
 * key (without the project prefix), or undefined. A bad value throws a SpecError naming the key
 * as `dockyard:<key>` and the stack file.
 */
export function readStackConfig(get: (key: string) => string | undefined, stack: string): StackConfig {
    const file = `stacks/Pulumi.${stack}.yaml`;
    const values: Record<string, string | number | boolean | undefined> = {};
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [ConfigKeyName, ConfigKey][]) {
        if (spec.secret) continue;
        values[key] = parseValue(key, spec, get(key), file);
    }
    const optionalString = (key: ConfigKeyName) => (values[key] === "" ? undefined : (values[key] as string));
    const config: StackConfig = {
        stack,
        runtime: values.runtime as StackConfig["runtime"],
        dockerHost: values.dockerHost as string,
        publicHost: values.publicHost as string,
        wordpressPort: values.wordpressPort as number,
        wordpressImage: values.wordpressImage as string,
        dbImage: values.dbImage as string,
        wordpressReplicas: values.wordpressReplicas as number,
        wordpressCpus: optionalString("wordpressCpus"),
        wordpressMemory: optionalString("wordpressMemory"),
        dbCpus: optionalString("dbCpus"),
        dbMemory: optionalString("dbMemory"),
    };
    if (config.runtime === "docker" && config.wordpressReplicas > 1) {
        throw new SpecError(`a Docker host publishes port ${config.wordpressPort} once, so it runs one WordPress replica; use runtime swarm or kubernetes for more`,
            `${PROJECT}:wordpressReplicas`, config.wordpressReplicas, file);
    }
    return config;
}

function parseValue(key: string, spec: ConfigKey, raw: string | undefined, file: string): string | number | boolean | undefined {
    const where = `${PROJECT}:${key}`;
    if (raw === undefined) return spec.default;
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
export function checkKnownKeys(keys: string[], stack: string): void {
    for (const full of keys) {
        const [ns, key] = full.split(":");
        if (ns !== PROJECT || key in CONFIG_KEYS) continue;
        const close = Object.keys(CONFIG_KEYS).find((k) => k.toLowerCase() === key.toLowerCase());
        throw new SpecError(`unknown config key${close ? ` (did you mean ${PROJECT}:${close}?)` : ""}; known keys are listed in Pulumi.yaml`,
            full, undefined, `stacks/Pulumi.${stack}.yaml`);
    }
}
