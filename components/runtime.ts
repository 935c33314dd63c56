/**
 * Where applications run, as data: `{ docker: {...} }`, `{ swarm: {...} }` or `{ kubernetes: {...} }`.
 * A program in another language cannot hand dockyard a `Target` object, so the component package
 * (components/package) takes this instead; `DockerHost` and `SwarmCluster` output it for the
 * applications that follow. From it come a planning target (no provider: for checking an
 * application before anything exists) and the real one.
 */
import * as k8s from "@pulumi/kubernetes";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerHost, DockerHostArgs, dockerHostSettings } from "./docker-host";
import { SpecError } from "./spec/errors";
import { DockerTarget } from "./targets/docker";
import { KubernetesTarget, KubernetesTargetArgs, resolveOptions } from "./targets/kubernetes";
import { RegistryArgs, registryAuth, registrySettings } from "./targets/registry";
import { SwarmTarget } from "./targets/swarm";
import { Target } from "./targets/target";

/** A Docker engine: a `DockerHost`'s settings, without its `daemon.json`. */
export type DockerRuntime = Omit<DockerHostArgs, "daemon">;

/** An existing swarm, reached through one of its managers' engines. */
export interface SwarmRuntime {
    /** Docker endpoint of a manager. @default the local engine (DOCKER_HOST, the current context, the socket) */
    readonly dockerHost?: string;
    /** Host name that published ports are reached at. @default "localhost" */
    readonly host?: string;
    readonly retainVolumes?: boolean;
    readonly registry?: RegistryArgs;
}

/** A Kubernetes cluster: the `KubernetesTarget` settings that are data, and the cluster's provider as data. */
export type KubernetesRuntime = Pick<KubernetesTargetArgs, "namespace" | "serviceType" | "nodeAddress" | "storageClass" | "defaultVolumeSize" | "allowHostPath" | "registry"> & {
    /** Kubeconfig contents. @default the ambient kubeconfig */
    readonly kubeconfig?: pulumi.Input<string>;
    /** Kubeconfig context. @default the current one */
    readonly context?: string;
};

/** Where applications run: exactly one of the three. */
export interface RuntimeData {
    readonly docker?: DockerRuntime;
    readonly swarm?: SwarmRuntime;
    readonly kubernetes?: KubernetesRuntime;
}

/** A runtime: a target to plan on before anything exists, and how to create the real one. */
export interface Runtime {
    /** The same target settings, without the host, swarm or provider behind them. */
    readonly planning: Target;
    /** Creates the provider (or host) behind the target; returns the target that serves the applications. */
    create(): Target;
}

/** The settings of each runtime (the package schema's types say the same: tests/package). */
export const RUNTIME_KEYS: { readonly [K in keyof Required<RuntimeData>]: readonly (keyof Required<RuntimeData>[K] & string)[] } = {
    docker: ["host", "tls", "sshOpts", "publicHost", "retainVolumes", "registry"],
    swarm: ["dockerHost", "host", "retainVolumes", "registry"],
    kubernetes: ["kubeconfig", "context", "namespace", "serviceType", "nodeAddress", "storageClass", "defaultVolumeSize", "allowHostPath", "registry"],
};

/** Paths (see `pathMatcher`) in runtime data that take a `pulumi.Input`: secrets, possibly unknown during a preview. */
export const RUNTIME_INPUT_PATHS: readonly string[] = [
    "docker.tls.ca", "docker.tls.cert", "docker.tls.key",
    "kubernetes.kubeconfig",
    ...Object.keys(RUNTIME_KEYS).flatMap((k) => [`${k}.registry.username`, `${k}.registry.password`]),
];

/**
 * The runtime `data` describes, checked: exactly one kind, known keys, valid settings. Nothing is
 * created until `create()`; `name` names what it creates (`<name>-host`, `<name>-swarm`,
 * `<name>-cluster`), `opts.dependsOn` is what those wait for (the swarm `data` came from, say),
 * `opts.parent` their parent, and `where` is the argument's path in errors.
 * @throws SpecError naming `where` and the bad key or value
 */
export function runtimeOf(data: RuntimeData, name: string, where = "runtime", opts: { dependsOn?: pulumi.Resource[]; parent?: pulumi.Resource } = {}): Runtime {
    if (data === null || typeof data !== "object" || Array.isArray(data)) {
        throw new SpecError("must be an object with one of docker, swarm or kubernetes", where, data);
    }
    const kinds = Object.keys(data).filter((k) => (data as Record<string, unknown>)[k] !== undefined && (data as Record<string, unknown>)[k] !== null);
    for (const k of kinds) if (!(k in RUNTIME_KEYS)) throw new SpecError("unknown runtime: use docker, swarm or kubernetes", `${where}.${k}`, k);
    if (kinds.length !== 1) {
        throw new SpecError(`must name exactly one runtime, docker, swarm or kubernetes (got ${kinds.length ? kinds.join(", ") : "none"})`, where, data);
    }
    const kind = kinds[0] as keyof RuntimeData;
    const settings = (data as Record<string, Record<string, unknown>>)[kind];
    if (typeof settings !== "object" || Array.isArray(settings)) throw new SpecError("must be an object", `${where}.${kind}`, settings);
    const known: readonly string[] = RUNTIME_KEYS[kind];
    for (const k of Object.keys(settings)) {
        if (settings[k] !== undefined && !known.includes(k)) {
            throw new SpecError(`unknown setting: use ${known.join(", ")}`, `${where}.${kind}.${k}`, settings[k]);
        }
    }
    const dependsOn = opts.dependsOn ?? [];
    switch (kind) {
        case "docker": {
            const d = data.docker!;
            const s = dockerHostSettings(d, `${where}.docker`);
            const withRegistry = d.registry ? { registry: d.registry } : {};
            return {
                planning: new DockerTarget({ host: s.publicHost, retainVolumes: s.retainVolumes, ...withRegistry }),
                create: () => new DockerHost(`${name}-host`, { ...d, host: s.host }, opts).target,
            };
        }
        case "swarm": {
            const d = data.swarm!;
            // The manager's endpoint, checked as a DockerHost's is. No TLS material here: a manager is
            // reached over its socket, ssh, or plain tcp on 2375 (a trusted network).
            if (d.dockerHost !== undefined && /^tcp:\/\//.test(d.dockerHost) && !/:2375\/?$/.test(d.dockerHost)) {
                throw new SpecError("a swarm runtime reaches its manager over unix://, ssh:// or plain tcp:// on port 2375 (it takes no TLS material): use a DockerHost's runtime for a TLS engine", `${where}.swarm.dockerHost`, d.dockerHost);
            }
            let s: ReturnType<typeof dockerHostSettings>;
            try {
                s = dockerHostSettings(d.dockerHost !== undefined ? { host: d.dockerHost } : {}, "");
            } catch (e) {
                if (e instanceof SpecError) throw new SpecError(e.reason, `${where}.swarm.dockerHost`, e.value);
                throw e;
            }
            const registry = d.registry !== undefined ? registrySettings(d.registry, `${where}.swarm.registry`) : undefined;
            const args = { host: d.host ?? "localhost", ...(d.retainVolumes !== undefined ? { retainVolumes: d.retainVolumes } : {}), ...(d.registry ? { registry: d.registry } : {}) };
            return {
                planning: new SwarmTarget(args),
                create: () => {
                    const provider = new docker.Provider(`${name}-swarm`, {
                        host: s.host,
                        ...(registryAuth(registry).length ? { registryAuth: registryAuth(registry) } : {}),
                    }, opts);
                    return new SwarmTarget({ ...args, provider, dependsOn });
                },
            };
        }
        case "kubernetes": {
            const { kubeconfig, context, ...rest } = data.kubernetes!;
            const args: KubernetesTargetArgs = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
            try {
                // Checked now, as a KubernetesTarget checks them when it plans; told under this argument's path.
                resolveOptions(args);
            } catch (e) {
                if (e instanceof SpecError && e.path.startsWith("kubernetes.")) throw new SpecError(e.reason, `${where}.${e.path}`, e.value);
                throw e;
            }
            const planning = new KubernetesTarget(args);
            return {
                planning,
                create: () => {
                    const provider = kubeconfig !== undefined || context !== undefined || dependsOn.length
                        ? new k8s.Provider(`${name}-cluster`, { ...(kubeconfig !== undefined ? { kubeconfig } : {}), ...(context !== undefined ? { context } : {}) }, opts)
                        : undefined;
                    return new KubernetesTarget({ ...args, ...(provider ? { provider } : {}) });
                },
            };
        }
    }
}
