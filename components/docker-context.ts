/**
 * Which Docker engine to use when none is named, as the docker CLI and Compose decide it:
 * `DOCKER_HOST` (with `DOCKER_TLS_VERIFY` / `DOCKER_CERT_PATH` for TLS), else the current context
 * (`DOCKER_CONTEXT`, else `currentContext` of `$DOCKER_CONFIG/config.json`), else the local socket.
 * A context's endpoint is in `$DOCKER_CONFIG/contexts/meta/<sha256 of its name>/meta.json`, its TLS
 * material in `contexts/tls/<same>/docker/{ca,cert,key}.pem` (docker/cli `context/store`).
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SpecError } from "./spec/errors";

export const LOCAL_SOCKET = "unix:///var/run/docker.sock";

/** An engine endpoint and where the choice came from (for messages). */
export interface DockerEndpoint {
    readonly host: string;
    /** PEM material, when the endpoint uses TLS client certificates. */
    readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string };
    /** `DOCKER_HOST`, `context "<name>"`, or `default`. */
    readonly from: string;
}

interface Where {
    readonly env?: NodeJS.ProcessEnv;
    readonly home?: string;
}

function configDir(w: Where): string {
    const env = w.env ?? process.env;
    return env.DOCKER_CONFIG || path.join(w.home ?? os.homedir(), ".docker");
}

function readJson(file: string, what: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new SpecError(`${what}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? "error"})`, "dockerHost.host", file);
    }
    try {
        const value = JSON.parse(text) as unknown;
        if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
        return value as Record<string, unknown>;
    } catch {
        throw new SpecError(`${what}: ${file} is not a JSON object`, "dockerHost.host", file);
    }
}

/** The three PEM files of `dir`, when all exist. */
function tlsFiles(dir: string): DockerEndpoint["tls"] {
    const files = ["ca.pem", "cert.pem", "key.pem"].map((f) => path.join(dir, f));
    if (!files.every((f) => fs.existsSync(f))) return undefined;
    const [ca, cert, key] = files.map((f) => fs.readFileSync(f, "utf8"));
    return { ca, cert, key };
}

/** The engine the docker CLI would talk to in this environment. */
export function defaultDockerEndpoint(w: Where = {}): DockerEndpoint {
    const env = w.env ?? process.env;
    if (env.DOCKER_HOST) {
        const verify = env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== "" && env.DOCKER_TLS_VERIFY !== "0";
        const certDir = env.DOCKER_CERT_PATH || configDir(w);
        const tls = verify || env.DOCKER_CERT_PATH ? tlsFiles(certDir) : undefined;
        if (verify && !tls) {
            throw new SpecError(`DOCKER_TLS_VERIFY is set but ${certDir} does not hold ca.pem, cert.pem and key.pem (set DOCKER_CERT_PATH)`, "dockerHost.tls", certDir);
        }
        return { host: env.DOCKER_HOST, ...(tls ? { tls } : {}), from: "DOCKER_HOST" };
    }
    const dir = configDir(w);
    let name = env.DOCKER_CONTEXT;
    if (!name) {
        const config = path.join(dir, "config.json");
        name = fs.existsSync(config) ? (readJson(config, "the docker CLI's configuration").currentContext as string | undefined) : undefined;
    }
    if (!name || name === "default") return { host: LOCAL_SOCKET, from: "default" };
    const id = createHash("sha256").update(name).digest("hex");
    const metaFile = path.join(dir, "contexts", "meta", id, "meta.json");
    if (!fs.existsSync(metaFile)) {
        throw new SpecError(`the current Docker context "${name}" does not exist (no ${metaFile}); see docker context ls, or name the engine with host`, "dockerHost.host", name);
    }
    const endpoints = readJson(metaFile, `Docker context "${name}"`).Endpoints as Record<string, { Host?: unknown }> | undefined;
    const host = endpoints?.docker?.Host;
    if (typeof host !== "string" || host === "") {
        throw new SpecError(`Docker context "${name}" has no docker endpoint (${metaFile})`, "dockerHost.host", name);
    }
    const tls = tlsFiles(path.join(dir, "contexts", "tls", id, "docker"));
    return { host, ...(tls ? { tls } : {}), from: `context "${name}"` };
}
