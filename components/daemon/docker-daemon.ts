/**
 * `DockerDaemon`: a Docker engine's `daemon.json`, applied on its host and read back from it.
 *
 * Two resources:
 * - `<name>-settings`, a read-back of what the engine reports (`docker info` and the default
 *   bridge, compared by ./readback): a Pulumi dynamic resource, because only a provider's own diff
 *   can report a change when the program's inputs did not change. When the engine runs other
 *   settings than the file says (someone edited it, or restarted dockerd with flags),
 *   `pulumi preview` shows this resource updating; `pulumi refresh` (or `preview --refresh`)
 *   shows the values the engine reported (`settings`, `drift`); `pulumi up` counts the check and
 *   says what dockerd needs (reload or restart), which makes the apply run again;
 * - `<name>-apply`, the `@pulumi/command` that writes the file and reloads or restarts dockerd
 *   (./apply), locally for a `unix://` engine and over SSH otherwise; it runs again whenever the
 *   file's text or the read-back's check changes.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { SpecError, joinPath } from "../spec/errors";
import { DaemonConfig } from "./config";
import { DaemonApplyOptions, DaemonApplyPlan, FORCE_VARIABLE, ForcedAction, applyDaemonScript, daemonApplyPlan } from "./apply";
import { EngineDrift, EngineExpectation, engineDrift, engineExpectations } from "./readback";

/** The `daemon` argument of `DockerHost` and of a swarm node. */
export interface DockerDaemonArgs extends DaemonApplyOptions {
    /** The engine's settings, written to {@link DaemonApplyOptions.configFile}. */
    readonly config: DaemonConfig;
    /**
     * SSH connection to the host, for the file and the reload. @default none for a `unix://`
     * engine (the commands run here); for `ssh://user@host:port`, that user, host and port with
     * the SSH agent of `SSH_AUTH_SOCK`. A `tcp://` engine needs one.
     */
    readonly connection?: command.types.input.remote.ConnectionArgs;
}

/** TLS client material for reading a `tcp://` engine back. */
export interface ReadBackTls {
    readonly ca: pulumi.Input<string>;
    readonly cert: pulumi.Input<string>;
    readonly key: pulumi.Input<string>;
}

/** Arguments of {@link DockerDaemon}. */
export interface DockerDaemonResourceArgs {
    readonly daemon: DockerDaemonArgs;
    /** The engine's endpoint as the docker CLI here reaches it (`unix://`, `tcp://`, `ssh://`). */
    readonly host: string;
    readonly tls?: ReadBackTls;
    /** The engine is a swarm node (live-restore does not cover services: a warning says so). */
    readonly swarm?: boolean;
    /** Path of the argument in errors. @default "daemon" */
    readonly where?: string;
}

/** A Docker engine's daemon.json, applied and read back. */
export class DockerDaemon extends pulumi.ComponentResource {
    /** The command that writes the file and reloads or restarts dockerd; resources on the engine depend on it. */
    public readonly applied: pulumi.Resource;
    /** The read-back of the engine's settings. */
    public readonly settings: EngineSettings;
    /** The file's text. */
    public readonly text: string;

    constructor(name: string, args: DockerDaemonResourceArgs, opts?: pulumi.ComponentResourceOptions) {
        const { plan, url } = checkDockerDaemon(args);
        super("dockyard:daemon:DockerDaemon", name, {}, opts);
        for (const f of plan.findings) pulumi.log.warn(`${f.path}: ${f.message}`, this);
        this.text = plan.text;

        const expected = engineExpectations(plan.json);
        this.settings = new EngineSettings(`${name}-settings`, {
            host: args.host,
            ...(args.tls ? { tls: pulumi.secret(pulumi.output(args.tls)) } : {}),
            expected,
            settings: Object.fromEntries(expected.map((e) => [e.key, e.want])),
        }, { parent: this });
        const script = applyDaemonScript(plan);
        // The read-back's count of found drift re-runs the apply; its action says how much dockerd needs.
        const environment = pulumi.all([this.settings.action, this.settings.generation]).apply(([action, generation]) => ({
            [FORCE_VARIABLE]: String(action ?? "none"),
            DOCKYARD_DAEMON_CHECK: String(generation ?? 0),
        }));
        const cmd = { create: script, update: script, stdin: plan.text, environment };
        const d = args.daemon;
        const connection = d.connection ?? (url.protocol === "ssh:" ? sshConnection(url) : undefined);
        this.applied = connection
            ? new command.remote.Command(`${name}-apply`, { ...cmd, connection }, { parent: this })
            : new command.local.Command(`${name}-apply`, cmd, { parent: this });
        this.registerOutputs({ text: plan.text });
    }
}

/**
 * Checks a daemon argument without creating anything, so that `DockerHost` and `SwarmCluster` can
 * refuse a wrong one before they register; errors name `<where>.config.<field>` or `<where>.<option>`.
 */
export function checkDockerDaemon(args: DockerDaemonResourceArgs): { plan: DaemonApplyPlan; url: URL } {
    const where = args.where ?? "daemon";
    const d = args.daemon;
    if (d === null || typeof d !== "object" || d.config === undefined) throw new SpecError("daemon needs config: the engine's settings", where, d);
    const url = parseHost(args.host, where);
    const local = d.connection === undefined && url.protocol === "unix:";
    if (url.protocol === "tcp:" && d.connection === undefined) {
        throw new SpecError("a tcp:// engine's daemon.json is written over SSH: give daemon.connection (host, user, privateKey or agent)", joinPath(where, "connection"), args.host);
    }
    const plan = daemonApplyPlan(d.config, { ...d, ...(local && d.socket === undefined ? { socket: args.host } : {}) }, where, { swarm: args.swarm ?? false });
    return { plan, url };
}

function parseHost(host: string, where: string): URL {
    try {
        const url = new URL(host);
        if (["unix:", "tcp:", "ssh:"].includes(url.protocol)) return url;
    } catch {
        // reported below
    }
    throw new SpecError("the engine's endpoint must be unix:///path, tcp://host:port or ssh://user@host", where, host);
}

function sshConnection(url: URL): command.types.input.remote.ConnectionArgs {
    return {
        host: url.hostname,
        ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
        ...(url.port ? { port: Number(url.port) } : {}),
        ...(process.env.SSH_AUTH_SOCK ? { agentSocketPath: process.env.SSH_AUTH_SOCK } : {}),
    };
}

interface EngineSettingsInputs {
    readonly host: string;
    readonly tls?: { ca: string; cert: string; key: string };
    readonly expected: EngineExpectation[];
    /** Each checked key's value: as configured in the program's inputs, as the engine reported it after a refresh. */
    readonly settings: Record<string, unknown>;
}

interface EngineSettingsOutputs extends EngineSettingsInputs {
    /** How many times a read-back found the engine running other settings, and the apply ran again. */
    readonly generation: number;
    /** What the last such read-back asked dockerd for. */
    readonly action: ForcedAction;
    /** What the engine reported otherwise at the last read-back (refresh shows it). */
    readonly drift: EngineDrift[];
}

/** Reads the engine's settings with the docker CLI of this machine. */
function observe(inputs: EngineSettingsInputs): EngineDrift[] {
    // Required here: the provider runs this function serialized, in another process.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const cp = require("child_process") as typeof import("child_process");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const fs = require("fs") as typeof import("fs");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const os = require("os") as typeof import("os");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const path = require("path") as typeof import("path");
    const args = ["-H", inputs.host];
    let tmp: string | undefined;
    try {
        if (inputs.tls) {
            tmp = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-readback-"));
            for (const k of ["ca", "cert", "key"] as const) fs.writeFileSync(path.join(tmp, `${k}.pem`), inputs.tls[k], { mode: 0o600 });
            args.push("--tlsverify", `--tlscacert=${path.join(tmp, "ca.pem")}`, `--tlscert=${path.join(tmp, "cert.pem")}`, `--tlskey=${path.join(tmp, "key.pem")}`);
        }
        const docker = (more: string[]): string => {
            const r = cp.spawnSync("docker", [...args, ...more], { encoding: "utf8", timeout: 60_000 });
            if (r.error) throw new Error(`docker ${more.join(" ")} could not be run to read the engine's settings back: ${r.error.message}`);
            if (r.status !== 0) throw new Error(`docker ${more.join(" ")} failed: ${(r.stderr || r.stdout).trim()}`);
            return r.stdout;
        };
        const info = JSON.parse(docker(["info", "--format", "{{json .}}"]));
        let bridge: unknown;
        if (inputs.expected.some((e) => e.source === "bridge")) {
            try {
                bridge = JSON.parse(docker(["network", "inspect", "bridge"]))[0];
            } catch {
                bridge = undefined; // no default bridge (--bridge none): bridge settings are not judged
            }
        }
        return engineDrift(info, bridge, inputs.expected);
    } finally {
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    }
}

const engineSettingsProvider: pulumi.dynamic.ResourceProvider = {
    async create(inputs: EngineSettingsInputs): Promise<pulumi.dynamic.CreateResult> {
        const outs: EngineSettingsOutputs = { ...inputs, generation: 0, action: "none", drift: [] };
        return { id: "engine-settings", outs };
    },
    async diff(_id: string, olds: EngineSettingsOutputs, news: EngineSettingsInputs): Promise<pulumi.dynamic.DiffResult> {
        const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
        // The program's inputs, what a refresh found (settings), and the engine now.
        const changes = olds.host !== news.host || !same(olds.expected, news.expected) || !same(olds.settings, news.settings) || observe(news).length > 0;
        return { changes };
    },
    async update(_id: string, olds: EngineSettingsOutputs, news: EngineSettingsInputs): Promise<pulumi.dynamic.UpdateResult> {
        const drift = observe(news);
        const action: ForcedAction = drift.length === 0 ? "none" : drift.some((d) => d.restart) ? "restart" : "reload";
        const outs: EngineSettingsOutputs = { ...news, generation: (olds.generation ?? 0) + (drift.length ? 1 : 0), action, drift };
        return { outs };
    },
    async read(id: string, props: EngineSettingsOutputs): Promise<pulumi.dynamic.ReadResult> {
        const drift = observe(props);
        const settings = { ...props.settings };
        for (const d of drift) settings[d.key] = d.got;
        return { id, props: { ...props, settings, drift } };
    },
};

/** The read-back of a Docker engine's settings (see the module comment). */
export class EngineSettings extends pulumi.dynamic.Resource {
    // `declare`: a plain field declaration would be emitted as an assignment after `super()`,
    // overwriting the outputs the base constructor set.
    declare public readonly generation: pulumi.Output<number>;
    declare public readonly action: pulumi.Output<string>;
    declare public readonly drift: pulumi.Output<EngineDrift[]>;

    constructor(name: string, args: { host: pulumi.Input<string>; tls?: pulumi.Input<{ ca: string; cert: string; key: string }>; expected: EngineExpectation[]; settings: Record<string, unknown> }, opts?: pulumi.CustomResourceOptions) {
        super(engineSettingsProvider, name, { ...args, generation: undefined, action: undefined, drift: undefined }, opts, "dockyard", "EngineSettings");
    }
}
