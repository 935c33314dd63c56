/**
 * The shell commands that form a Swarm, as pure functions of the node settings. `SwarmCluster`
 * runs them with `@pulumi/command` (locally or over SSH) because the Docker provider has no
 * resource for swarm membership. Every command is idempotent: a node already in a swarm is left
 * as it is, so re-running `pulumi up` (or adopting a swarm formed by hand) changes nothing.
 */

/** The default Swarm management port. */
export const SWARM_PORT = 2377;

/** Quotes `value` for a POSIX shell. */
export function shellQuote(value: string): string {
    return /^[A-Za-z0-9_./:=@,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'"'"'`)}'`;
}

const IS_ACTIVE = `[ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = active ]`;
/** Prints the node id, the one line of stdout the commands below produce. */
const PRINT_NODE_ID = "docker info --format '{{.Swarm.NodeID}}'";

function addr(address: string, port: number): string {
    return address.includes(":") && !address.startsWith("[") ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Initializes a swarm on the first manager unless its engine is already in one; prints the node
 * id. The init output (which contains a join token) goes to /dev/null rather than into state.
 */
export function initCommand(address: string, port: number = SWARM_PORT): string {
    return [
        "set -e",
        `${IS_ACTIVE} || docker swarm init --advertise-addr ${shellQuote(address)} --listen-addr ${shellQuote(addr(address, port))} > /dev/null`,
        PRINT_NODE_ID,
    ].join("\n");
}

/** Prints the join token of `role`; run on a manager. */
export function joinTokenCommand(role: "worker" | "manager"): string {
    return `docker swarm join-token -q ${role}`;
}

/**
 * Joins the node to the swarm at `managerAddress` unless it is already in one; prints the node
 * id. The token arrives on stdin, never on the command line (where `ps` and Pulumi's logs would
 * show it) nor in the environment (which SSH servers drop unless configured to accept it).
 */
export function joinCommand(address: string, managerAddress: string, port: number = SWARM_PORT): string {
    return [
        "set -e",
        `${IS_ACTIVE} || docker swarm join --token "$(cat)" --advertise-addr ${shellQuote(address)} --listen-addr ${shellQuote(addr(address, port))} ${shellQuote(addr(managerAddress, port))} > /dev/null`,
        PRINT_NODE_ID,
    ].join("\n");
}

/**
 * Sets node labels (`node.labels.<key>` in placement constraints); run on a manager with the node
 * id on stdin, so the command is known at preview time even before the node has joined.
 */
export function labelAddCommand(labels: Record<string, string>): string {
    const flags = Object.keys(labels)
        .sort()
        .map((k) => `--label-add ${shellQuote(`${k}=${labels[k]}`)}`);
    return `docker node update ${flags.join(" ")} "$(cat)" > /dev/null`;
}

/** Removes node labels again (the delete step of the label command); tolerates a node already gone. */
export function labelRemoveCommand(labels: Record<string, string>): string {
    const flags = Object.keys(labels)
        .sort()
        .map((k) => `--label-rm ${shellQuote(k)}`);
    return `docker node update ${flags.join(" ")} "$(cat)" > /dev/null || true`;
}

/** Leaves the swarm (the delete step when the component is asked to undo membership). */
export function leaveCommand(): string {
    return "docker swarm leave --force > /dev/null || true";
}
