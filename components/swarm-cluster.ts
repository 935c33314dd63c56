/**
 * A Docker Swarm formed from Docker hosts, and the target that deploys applications onto it.
 *
 * The Docker provider has no resource for swarm membership, so the swarm is formed with
 * `@pulumi/command`: locally for the engine of the machine running Pulumi, over SSH otherwise.
 * The commands (in ./targets/swarm/cluster-commands) are idempotent, so a swarm that already
 * exists is adopted, not re-created.
 */
import * as command from "@pulumi/command";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerDaemon, DockerDaemonArgs, DockerDaemonResourceArgs, checkDockerDaemon } from "./daemon/docker-daemon";
import { defaultDockerEndpoint } from "./docker-context";
import { SpecError } from "./spec/errors";
import { initCommand, joinCommand, joinTokenCommand, labelAddCommand, labelRemoveCommand, leaveCommand, SWARM_PORT } from "./targets/swarm/cluster-commands";
import { SwarmTarget } from "./targets/swarm";
import { RegistryArgs, registryAuth, registrySettings } from "./targets/registry";

/** One Docker host of a swarm. */
export interface SwarmNodeArgs {
    /** Short name of the node, used in resource names (`<cluster>-join-<name>`). */
    readonly name: string;
    /** Address the node advertises to the others and listens on for swarm traffic. */
    readonly address: string;
    /** SSH connection to the host; without it, commands run where Pulumi runs (the local engine). @default undefined */
    readonly connection?: command.types.input.remote.ConnectionArgs;
    /** Node labels, for placement constraints such as `node.labels.zone==a`. @default {} */
    readonly labels?: Record<string, string>;
    /**
     * The node's engine configuration (`daemon.json`), applied through the node's connection
     * before it joins (see `DockerHostArgs.daemon`); read back over `ssh://<user>@<host>:<port>`,
     * so a remote node's connection needs plain host, user and port values.
     * @default the engine is used as it is configured
     */
    readonly daemon?: DockerDaemonArgs;
}

/** Arguments of {@link SwarmCluster}. */
export interface SwarmClusterArgs {
    /** Manager nodes, an odd number; the first initializes the swarm and runs the provider. */
    readonly managers: SwarmNodeArgs[];
    /** Worker nodes. @default [] */
    readonly workers?: SwarmNodeArgs[];
    /** Swarm management port on every node. @default 2377 */
    readonly port?: number;
    /**
     * Docker endpoint of the first manager for the provider.
     * @default the local engine (`DOCKER_HOST` or the socket) without a connection; `ssh://<user>@<host>:<port>` with one
     */
    readonly dockerHost?: pulumi.Input<string>;
    /** Host name put in the endpoints of deployed applications. @default the first manager's address */
    readonly host?: string;
    /** Convergence waiting of the target's services. @default see SwarmTargetArgs.converge */
    readonly converge?: docker.types.input.ServiceConvergeConfig | false;
    /** Make nodes leave the swarm when the cluster is destroyed. @default false (a swarm outlives the stack) */
    readonly leaveOnDelete?: boolean;
    /** A private registry: services pull with its credentials (`--with-registry-auth`), and `build:` images are pushed there and run by digest. @default none */
    readonly registry?: RegistryArgs;
}

/** Arguments of {@link SwarmCluster.singleNode}. */
export interface SingleNodeSwarmArgs {
    /** Advertise and listen address of the local engine. @default "127.0.0.1" */
    readonly address?: string;
    /** Labels of the node. @default {} */
    readonly labels?: Record<string, string>;
    /** Host name put in endpoints. @default "localhost" */
    readonly host?: string;
    /** Convergence waiting. @default see SwarmTargetArgs.converge */
    readonly converge?: docker.types.input.ServiceConvergeConfig | false;
    /** The local engine's configuration (see `SwarmNodeArgs.daemon`). @default the engine as it is */
    readonly daemon?: DockerDaemonArgs;
    /** See {@link SwarmClusterArgs.registry}. */
    readonly registry?: RegistryArgs;
}

const DEFAULTS = { workers: [], port: SWARM_PORT, leaveOnDelete: false };

/** A Docker Swarm: its manager's provider, its join tokens (secrets) and a target for `App`. */
export class SwarmCluster extends pulumi.ComponentResource {
    /** Docker provider of the first manager. */
    public readonly provider: docker.Provider;
    /** Deploys applications onto this swarm; pass it to `App`. */
    public readonly target: SwarmTarget;
    /** Swarm node id of every node, by node name. */
    public readonly nodeIds: pulumi.Output<Record<string, string>>;
    /** Token that joins a worker (a Pulumi secret). */
    public readonly workerToken: pulumi.Output<string>;
    /** Token that joins a manager (a Pulumi secret). */
    public readonly managerToken: pulumi.Output<string>;
    /** The commands that formed the swarm (init, joins, node labels): what its applications wait for. */
    public readonly formed: pulumi.CustomResource[];

    /** A one-node swarm on the local engine, for development; an engine already in a swarm is used as it is. */
    public static singleNode(name: string, args: SingleNodeSwarmArgs = {}, opts?: pulumi.ComponentResourceOptions): SwarmCluster {
        // Defaults per field: an explicit `undefined` (a stack setting left out) keeps the default.
        const a = { ...args, address: args.address ?? "127.0.0.1", labels: args.labels ?? {}, host: args.host ?? "localhost" };
        return new SwarmCluster(name, {
            managers: [{ name: "local", address: a.address, labels: a.labels, ...(a.daemon !== undefined ? { daemon: a.daemon } : {}) }],
            host: a.host,
            ...(a.converge !== undefined ? { converge: a.converge } : {}),
            ...(a.registry ? { registry: a.registry } : {}),
        }, opts);
    }

    constructor(name: string, args: SwarmClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        const a = { ...args, workers: args.workers ?? DEFAULTS.workers, port: args.port ?? DEFAULTS.port, leaveOnDelete: args.leaveOnDelete ?? DEFAULTS.leaveOnDelete };
        validateNodes(a.managers, a.workers);
        // Checked before anything registers, this component included.
        const registry = a.registry !== undefined ? registrySettings(a.registry) : undefined;
        const daemonArgs = new Map<string, DockerDaemonResourceArgs>();
        [...a.managers.map((n, i) => [n, `managers[${i}]`] as const), ...a.workers.map((n, i) => [n, `workers[${i}]`] as const)].forEach(([n, where]) => {
            if (n.daemon === undefined) return;
            const d: DockerDaemonResourceArgs = { daemon: { ...n.daemon, ...(n.connection ? { connection: n.connection } : {}) }, host: readBackHost(n, `${where}.connection`), swarm: true, where: `${where}.daemon` };
            checkDockerDaemon(d);
            daemonArgs.set(n.name, d);
        });
        super("dockyard:swarm:SwarmCluster", name, {}, opts);
        const [first, ...otherManagers] = a.managers;
        // A node's engine is configured before it forms or joins the swarm.
        const daemons = new Map<string, DockerDaemon>();
        for (const [node, d] of daemonArgs) daemons.set(node, new DockerDaemon(`${name}-daemon-${node}`, d, { parent: this }));
        const run = (role: string, node: SwarmNodeArgs, cmd: Omit<command.local.CommandArgs, "interpreter">, extra: pulumi.CustomResourceOptions = {}) => {
            const daemon = daemons.get(node.name);
            const opts: pulumi.CustomResourceOptions = { parent: this, ...extra, dependsOn: [...depList(extra.dependsOn), ...(daemon ? [daemon.applied] : [])] };
            return node.connection
                ? new command.remote.Command(`${name}-${role}`, { ...cmd, connection: node.connection }, opts)
                : new command.local.Command(`${name}-${role}`, cmd, opts);
        };
        const leave = a.leaveOnDelete ? { delete: leaveCommand() } : {};

        const init = run(`init-${first.name}`, first, { create: initCommand(first.address, a.port), ...leave });
        // Tokens are secrets: whoever holds one can add a node to the swarm. The command is a secret
        // too, so that the plugin neither streams its output to the console nor logs it (it cannot
        // see additionalSecretOutputs, which only the engine applies).
        const tokenOf = (role: "worker" | "manager") =>
            run(`token-${role}`, first, { create: pulumi.secret(joinTokenCommand(role)) }, { dependsOn: [init], additionalSecretOutputs: ["stdout"] }).stdout;
        this.workerToken = pulumi.secret(tokenOf("worker"));
        this.managerToken = pulumi.secret(tokenOf("manager"));

        const nodeIds: Record<string, pulumi.Output<string>> = { [first.name]: init.stdout.apply(trimmed) };
        const joined: pulumi.CustomResource[] = [init];
        // Managers join one after another: each join changes the Raft membership the next one needs.
        let previous: pulumi.Resource = init;
        for (const node of otherManagers) {
            const j = run(`join-${node.name}`, node, { create: joinCommand(node.address, first.address, a.port), stdin: this.managerToken, ...leave }, { dependsOn: [previous] });
            nodeIds[node.name] = j.stdout.apply(trimmed);
            joined.push(j);
            previous = j;
        }
        for (const node of a.workers) {
            const j = run(`join-${node.name}`, node, { create: joinCommand(node.address, first.address, a.port), stdin: this.workerToken, ...leave }, { dependsOn: [init] });
            nodeIds[node.name] = j.stdout.apply(trimmed);
            joined.push(j);
        }
        const labelled: pulumi.CustomResource[] = [];
        for (const node of [...a.managers, ...a.workers]) {
            const labels = node.labels ?? {};
            if (Object.keys(labels).length === 0) continue;
            labelled.push(run(`labels-${node.name}`, first, { create: labelAddCommand(labels), delete: labelRemoveCommand(labels), stdin: nodeIds[node.name] }, { dependsOn: joined }));
        }

        this.nodeIds = pulumi.all(nodeIds);
        this.formed = [...joined, ...labelled];
        this.provider = new docker.Provider(`${name}-provider`, {
            host: a.dockerHost ?? dockerHostOf(first),
            ...(registryAuth(registry).length ? { registryAuth: registryAuth(registry) } : {}),
        }, { parent: this, dependsOn: [init] });
        this.target = new SwarmTarget({
            provider: this.provider,
            host: a.host ?? first.address,
            ...(a.converge !== undefined ? { converge: a.converge } : {}),
            ...(a.registry ? { registry: a.registry } : {}),
            dependsOn: this.formed,
        });
        this.registerOutputs({ nodeIds: this.nodeIds, workerToken: this.workerToken, managerToken: this.managerToken });
    }
}

/**
 * Refuses node lists a swarm cannot work with.
 * @throws SpecError for no managers, an even number of managers, or two nodes with one name.
 */
export function validateNodes(managers: SwarmNodeArgs[], workers: SwarmNodeArgs[] = []): void {
    if (!Array.isArray(managers) || managers.length === 0) {
        throw new SpecError("a swarm needs at least one manager", "managers", managers);
    }
    if (managers.length % 2 === 0) {
        throw new SpecError(
            `a swarm needs an odd number of managers: Raft only works while a majority of managers is up, so ${managers.length} managers ` +
                `tolerate the loss of ${managers.length / 2 - 1}, no more than ${managers.length - 1} would, while one more node can fail; use 1, 3, 5 or 7`,
            "managers",
            managers.length,
        );
    }
    const seen = new Set<string>();
    [...managers.map((n, i) => [n, `managers[${i}]`] as const), ...workers.map((n, i) => [n, `workers[${i}]`] as const)].forEach(([n, where]) => {
        if (seen.has(n.name)) throw new SpecError("two nodes have the same name", `${where}.name`, n.name);
        seen.add(n.name);
    });
}

function trimmed(text: string | undefined): string {
    return (text ?? "").trim();
}

function depList(d: pulumi.CustomResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (d === undefined) return [];
    return Array.isArray(d) ? d : [d as pulumi.Input<pulumi.Resource>];
}

/** The endpoint the docker CLI here reads a node's engine at: the local engine, or `ssh://` to the node. */
function readBackHost(node: SwarmNodeArgs, where: string): string {
    if (!node.connection) return defaultDockerEndpoint().host;
    const c = node.connection as { host?: unknown; user?: unknown; port?: unknown };
    const plain = (v: unknown): boolean => v === undefined || typeof v === "string" || typeof v === "number";
    if (typeof c.host !== "string" || !plain(c.user) || !plain(c.port)) {
        throw new SpecError("a node whose daemon is configured needs its connection's host, user and port as plain values: its engine is read back over ssh://user@host:port", where, "(an Output)");
    }
    return `ssh://${c.user ?? "root"}@${c.host}:${c.port ?? 22}`;
}

function dockerHostOf(node: SwarmNodeArgs): pulumi.Input<string> | undefined {
    if (!node.connection) return undefined;
    return pulumi.output(node.connection).apply((c) => `ssh://${c.user ?? "root"}@${c.host}:${c.port ?? 22}`);
}
