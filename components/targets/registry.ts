/**
 * A private registry: where images built for an application are pushed, and the credentials every
 * target pulls with — the docker provider's `registryAuth` on a Docker host and a Swarm (services
 * are created with the credentials, as `docker service create --with-registry-auth` does), an image
 * pull Secret on Kubernetes. Settings are checked here, before anything is created; the password
 * stays a Pulumi secret and never appears in a message.
 */
import type * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../spec/errors";

/** A registry as a target or a component takes it. */
export interface RegistryArgs {
    /**
     * `host[:port][/namespace…]`, without a scheme: `registry.example.com`, `127.0.0.1:5000/shop`.
     * Built images are pushed under it (`<address>/<image>`); images already under it are pulled
     * with its credentials.
     */
    readonly address: string;
    /** User to log in as; without it (and without a password) the registry is used anonymously. */
    readonly username?: pulumi.Input<string>;
    /** Password or token; taken as a Pulumi secret. */
    readonly password?: pulumi.Input<string>;
}

/** A checked registry: its host (what credentials are keyed by) and the prefix images are pushed under. */
export interface Registry {
    /** `host[:port]`, as the engine and the provider key credentials. */
    readonly host: string;
    /** `host[:port][/namespace…]`, without a trailing slash. */
    readonly prefix: string;
    readonly username?: pulumi.Input<string>;
    readonly password?: pulumi.Output<string>;
}

// A registry host as the distribution reference grammar has it: DNS labels or an IPv4 address (or
// an IPv6 one in brackets), then an optional port.
const HOST_RE = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::([0-9]+))?$/;
// A path component of a repository name: lower case, separated by '.', '_', '__' or '-'s.
const PATH_RE = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/;

/**
 * Checks a registry setting. `where` names it in messages (`registry`, `dockyard:registry`) and
 * `file` the file it was read from, when there is one.
 * @throws SpecError naming the setting and the address (never the password)
 */
export function registrySettings(args: RegistryArgs, where = "registry", file?: string): Registry {
    const address = args.address;
    const fail = (reason: string): never => {
        throw new SpecError(reason, `${where}.address`, address, file);
    };
    // Credentials are named, never shown.
    const failLogin = (reason: string, at: string): never => {
        throw new SpecError(reason, `${where}.${at}`, undefined, file);
    };
    if (typeof address !== "string" || address.trim() === "") fail("a registry needs an address such as \"registry.example.com\" or \"127.0.0.1:5000/team\"");
    const m = /^([a-z][a-z0-9+.-]*):\/\//i.exec(address);
    if (m) fail(`give the registry without a scheme: "${address.slice(m[0].length).replace(/\/+$/, "")}" (the engine speaks HTTPS to a registry, and plain HTTP only to one it is told is insecure)`);
    if (/\s/.test(address)) fail("a registry address has no spaces");
    const [host, ...path] = address.replace(/\/+$/, "").split("/");
    const hm = HOST_RE.exec(host);
    if (!hm) fail(`"${host}" is not a registry host: use a host name or an address, with an optional port (host[:port])`);
    if (hm && hm[1] !== undefined && (Number(hm[1]) < 1 || Number(hm[1]) > 65535)) fail(`port ${hm[1]} is out of range 1-65535`);
    // "docker.io/library" is where unqualified names go; a namespace there is an organisation, a host without a dot is not a registry.
    if (!host.includes(".") && !host.includes(":") && host !== "localhost") {
        fail(`"${host}" would be read as a Docker Hub organisation, not a registry host: give the host with its domain or port (e.g. "${host}.example.com", "${host}:5000"), or "docker.io/${host}" for Docker Hub`);
    }
    const bad = path.find((p) => !PATH_RE.test(p));
    if (bad !== undefined) fail(`"${bad}" is not a repository path: lower-case letters and digits, separated by ".", "_" or "-"`);
    const hasUser = args.username !== undefined && args.username !== "";
    const hasPassword = args.password !== undefined && args.password !== "";
    if (hasUser && !hasPassword) failLogin("a registry user needs a password (set it as a secret)", "password");
    if (hasPassword && !hasUser) failLogin("a registry password needs a user name", "username");
    return {
        host,
        prefix: [host, ...path].join("/"),
        ...(hasUser ? { username: args.username } : {}),
        ...(hasPassword ? { password: pulumi.secret(args.password as pulumi.Input<string>) } : {}),
    };
}

/** The docker provider's `registryAuth` for a registry (empty without credentials). */
export function registryAuth(r: Registry | undefined): docker.types.input.ProviderRegistryAuth[] {
    if (!r || r.username === undefined || r.password === undefined) return [];
    return [{ address: r.host, username: r.username, password: r.password }];
}

/** The parts of an image reference, as the distribution reference grammar splits it. */
export interface ImageRef {
    /** The registry host, when the reference names one (`docker.io` is implied otherwise). */
    readonly domain?: string;
    /** The repository path under the registry: `library/nginx` is written `nginx`. */
    readonly path: string;
    readonly tag?: string;
    readonly digest?: string;
}

/** Splits an image reference: the first component is a registry host when it has a '.', a ':' or is `localhost`. */
export function parseImageRef(image: string): ImageRef {
    let rest = image;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    const slash = rest.indexOf("/");
    const first = slash < 0 ? "" : rest.slice(0, slash);
    const domain = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost") ? first : undefined;
    if (domain !== undefined) rest = rest.slice(slash + 1);
    const colon = rest.lastIndexOf(":");
    const tag = colon >= 0 ? rest.slice(colon + 1) : undefined;
    if (colon >= 0) rest = rest.slice(0, colon);
    return { ...(domain !== undefined ? { domain } : {}), path: rest, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Whether an image is stored in the registry (its host and, when the registry has one, its namespace). */
export function inRegistry(r: Registry, image: string): boolean {
    const ref = parseImageRef(image);
    return ref.domain === r.host && `${ref.domain}/${ref.path}`.startsWith(`${r.prefix}/`);
}

/**
 * Where a built image is pushed: the image as it is when it names a repository of the registry,
 * else its repository path under the registry's prefix (`shop-web` → `<prefix>/shop-web:latest`,
 * `ghcr.io/acme/api:1.4` → `<prefix>/acme/api:1.4`). The tag defaults to `latest`, as Docker's.
 * @throws SpecError for an image given by digest: a built image gets its digest when it is pushed
 */
export function pushedName(r: Registry, image: string, where: string): string {
    const ref = parseImageRef(image);
    if (ref.digest !== undefined) throw new SpecError("an image that is built cannot be named by a digest: the digest is known once it is pushed; name it by tag", where, image);
    const tag = ref.tag ?? "latest";
    if (inRegistry(r, image)) return `${ref.domain}/${ref.path}:${tag}`;
    return `${r.prefix}/${ref.path}:${tag}`;
}
