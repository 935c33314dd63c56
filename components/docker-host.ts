import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { DockerDaemon, DockerDaemonArgs, checkDockerDaemon } from "./daemon/docker-daemon";
import { defaultDockerEndpoint } from "./docker-context";
import { SpecError } from "./spec/errors";
import { DockerTarget } from "./targets/docker";
import { Registry, RegistryArgs, registryAuth, registrySettings } from "./targets/registry";

/** TLS client material for a `tcp://` engine; pass Pulumi secrets (`config.requireSecret`). */
export interface DockerTlsArgs {
    /** CA certificate (PEM) that signed the engine's certificate. */
    readonly ca: pulumi.Input<string>;
    /** Client certificate (PEM). */
    readonly cert: pulumi.Input<string>;
    /** Client private key (PEM). */
    readonly key: pulumi.Input<string>;
}

/** Arguments of {@link DockerHost}. */
export interface DockerHostArgs {
    /**
     * How to reach the engine: `unix:///var/run/docker.sock`, `tcp://host:2376` (with `tls`) or
     * `ssh://user@host[:port]`. @default the engine the docker CLI would use here: `DOCKER_HOST`
     * (TLS from `DOCKER_CERT_PATH`), else the current Docker context, else the local socket
     */
    readonly host?: string;
    /** Client TLS material; required for `tcp://` on any port but 2375 (plain TCP is for loopback only). */
    readonly tls?: DockerTlsArgs;
    /** Extra ssh options for `ssh://` hosts, e.g. `["-o", "StrictHostKeyChecking=no", "-i", "/path/key"]`. @default [] */
    readonly sshOpts?: string[];
    /** Host name published ports are reached at. @default the host of `host`, or "localhost" for a socket */
    readonly publicHost?: string;
    /** Keep volumes when the stack is destroyed (as `docker compose down` does). @default true */
    readonly retainVolumes?: boolean;
    /**
     * The engine's own configuration (`daemon.json`), written on its host and applied by a reload
     * or a restart of dockerd, and read back from the engine so that drift shows in a preview.
     * Resources on the engine wait for it. @default the engine is used as it is configured
     */
    readonly daemon?: DockerDaemonArgs;
    /** A private registry: the provider pulls with its credentials, and `build:` images are pushed there and run by digest. @default none */
    readonly registry?: RegistryArgs;
}

/** Normalized DockerHost settings; pure, so a wrong value fails before any resource exists. */
export interface DockerHostSettings {
    readonly host: string;
    readonly scheme: "unix" | "tcp" | "ssh";
    readonly publicHost: string;
    readonly sshOpts: string[];
    readonly retainVolumes: boolean;
    /** The TLS material given, or the one of `DOCKER_CERT_PATH` / the Docker context when `host` was not given. */
    readonly tls?: DockerTlsArgs;
    readonly registry?: Registry;
}

/** Validates DockerHost arguments; errors carry the argument path (`dockerHost.host`). */
export function dockerHostSettings(args: DockerHostArgs, where = "dockerHost"): DockerHostSettings {
    // Defaults per field: an explicit `undefined` keeps the default. Without a host, the engine the
    // docker CLI and Compose would use here (DOCKER_HOST, the current context, the local socket).
    const endpoint = args.host === undefined ? defaultDockerEndpoint() : undefined;
    const tls = args.tls ?? endpoint?.tls;
    const a = { ...args, host: args.host ?? endpoint!.host, tls, sshOpts: args.sshOpts ?? ([] as string[]), retainVolumes: args.retainVolumes ?? true };
    const at = (key: string) => (where ? `${where}.${key}` : key);
    let url: URL;
    try {
        url = new URL(a.host);
    } catch {
        throw new SpecError("not a Docker host URL: use unix:///path, tcp://host:port or ssh://user@host", at("host"), a.host);
    }
    const scheme = url.protocol.replace(/:$/, "");
    if (scheme !== "unix" && scheme !== "tcp" && scheme !== "ssh") {
        throw new SpecError(`unsupported Docker host scheme "${scheme}": use unix, tcp or ssh`, at("host"), a.host);
    }
    if (scheme === "tcp" && !a.tls && url.port !== "2375") {
        throw new SpecError("a tcp:// engine needs TLS material (tls.ca, tls.cert, tls.key); plain TCP is only accepted on port 2375", at("tls"), a.host);
    }
    if (a.tls && scheme !== "tcp") throw new SpecError("TLS material only applies to tcp:// hosts", at("tls"), a.host);
    if (a.sshOpts.length && scheme !== "ssh") throw new SpecError("ssh options only apply to ssh:// hosts", at("sshOpts"), a.sshOpts);
    const publicHost = a.publicHost ?? (scheme === "unix" ? "localhost" : url.hostname);
    const registry = a.registry !== undefined ? registrySettings(a.registry, at("registry")) : undefined;
    return { host: a.host, scheme, publicHost, sshOpts: a.sshOpts, retainVolumes: a.retainVolumes, ...(a.tls ? { tls: a.tls } : {}), ...(registry ? { registry } : {}) };
}

/**
 * A Docker engine, reached over the local socket, TCP with TLS or SSH, and the target that apps
 * deploy to on it.
 */
export class DockerHost extends pulumi.ComponentResource {
    /** Provider for resources on this engine. */
    public readonly provider: docker.Provider;
    /** Target for `App`, `Monitoring`, `Portainer`. */
    public readonly target: DockerTarget;
    /** Host name that published ports are reached at. */
    public readonly publicHost: string;

    /** The engine's configuration, when `daemon` was given. */
    public readonly daemon?: DockerDaemon;

    constructor(name: string, args: DockerHostArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        // Checked before anything registers, this component included.
        const s = dockerHostSettings(args);
        const daemonArgs = args.daemon !== undefined ? { daemon: args.daemon, host: s.host, ...(s.tls ? { tls: s.tls } : {}), where: "dockerHost.daemon" } : undefined;
        if (daemonArgs) checkDockerDaemon(daemonArgs);
        super("dockyard:index:DockerHost", name, {}, opts);
        if (daemonArgs) this.daemon = new DockerDaemon(`${name}-daemon`, daemonArgs, { parent: this });
        this.provider = new docker.Provider(`${name}-provider`, {
            host: s.host,
            ...(s.tls
                ? { caMaterial: pulumi.secret(s.tls.ca), certMaterial: pulumi.secret(s.tls.cert), keyMaterial: pulumi.secret(s.tls.key) }
                : {}),
            ...(s.sshOpts.length ? { sshOpts: s.sshOpts } : {}),
            ...(registryAuth(s.registry).length ? { registryAuth: registryAuth(s.registry) } : {}),
        }, { parent: this, ...(this.daemon ? { dependsOn: [this.daemon.applied] } : {}) });
        this.publicHost = s.publicHost;
        this.target = new DockerTarget({ provider: this.provider, host: s.publicHost, retainVolumes: s.retainVolumes, ...(args.registry ? { registry: args.registry } : {}) });
        this.registerOutputs({ publicHost: s.publicHost });
    }
}
