/**
 * Compose merge rules (compose-go `override/merge.go`), applied to raw Compose trees: when several
 * files (or YAML documents of one file) are given, later ones overriding earlier ones, and for
 * `extends` (the local service overrides its base).
 *
 * - mappings merge key by key; scalars are replaced; a null override keeps the base value;
 * - sequences are appended without the entries equal to one already there, then de-duplicated by
 *   their unique key (`enforceUnique`): ports by host address, port, target and protocol (a short
 *   and a long form of one port are one port), volumes by container path, secrets/configs by
 *   target, environment, labels and friends by KEY (the last entry of a key wins, in place),
 *   expose/dns/cap_add by value;
 * - `command`, `entrypoint` and `healthcheck.test` are replaced, not appended;
 * - `environment`, `labels`, `sysctls`, `build.args`… may be a map in one file and a list in the
 *   other: both are turned into `KEY=VALUE` lists first;
 * - `depends_on`, service `networks` and `models` lists are turned into maps first (a list entry
 *   that is not a name is an error);
 * - `ulimits` entries merge when both are mappings (soft/hard), else the override wins;
 * - IPAM pools of one subnet merge (their `aux_addresses` too);
 * - `logging` merges only when both name the same driver (or one names none);
 * - a value tagged `!reset` or `!override` in the later file first drops the earlier value
 *   (`dropPaths`), so it is removed, or replaced instead of merged.
 */

import { isDeepStrictEqual } from "util";
import { cleanTarget } from "../spec/mounts";
import { parsePort } from "../spec/ports";
import { hasOwn, setOwn } from "../spec/records";

type Tree = Record<string, unknown>;
type Merger = (base: unknown, override: unknown, path: string[]) => unknown;

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Matches a dotted pattern with `*` wildcards against a path. */
function matches(path: readonly string[], pattern: readonly string[]): boolean {
    return path.length === pattern.length && pattern.every((p, i) => p === "*" || p === path[i]);
}

function toSequence(value: unknown): unknown[] {
    if (Array.isArray(value)) return value;
    if (typeof value === "string") return [value];
    if (isMap(value)) {
        const seq: string[] = [];
        for (const [k, v] of Object.entries(value)) {
            if (v === null || v === undefined) seq.push(k);
            else if (Array.isArray(v)) v.forEach((x) => seq.push(`${k}=${x}`));
            else seq.push(`${k}=${v}`);
        }
        return seq.sort();
    }
    return [];
}

/** A list of names (or one name) as a mapping of those names to `defaults`; a null value is an empty mapping. */
function toMapping(value: unknown, defaults: Tree | null, path: readonly string[] = []): Tree {
    if (isMap(value)) return value;
    const out: Tree = {};
    const add = (k: unknown) => {
        // compose-go: "cannot use <type> as a mapping key"
        if (typeof k !== "string") throw new MergeConflict([...path], k, "a list entry here must be a name (a string) to be merged with a mapping");
        setOwn(out, k, defaults ? { ...defaults } : null);
    };
    if (Array.isArray(value)) value.forEach(add);
    else if (typeof value === "string") add(value);
    return out;
}

/** Appends the entries of `other` that are not deeply equal to one already there (compose-go `appendWithoutDuplicates`). */
function appendWithoutDuplicates(base: readonly unknown[], other: readonly unknown[]): unknown[] {
    const out = [...base];
    for (const v of other) if (!out.some((e) => isDeepStrictEqual(e, v))) out.push(v);
    return out;
}

const override: Merger = (_base, o) => o;
/** KEY=VALUE lists (environment, labels…): appended, the unique key pass then keeps the last entry of each key in place. */
const mergeToSequence: Merger = (b, o) => [...toSequence(b), ...toSequence(o)];
/** Lists of values (dns, tmpfs, extra_hosts…): appended without the entries already there. */
const mergeToSet: Merger = (b, o) => appendWithoutDuplicates(toSequence(b), toSequence(o));
/** `depends_on`, `networks`, `models`: lists of names and mappings merge as mappings; null is an empty mapping. */
function mergeAsMapping(defaults: Tree | null): Merger {
    return (b, o, p) => mergeMappings(toMapping(b ?? {}, defaults, p), toMapping(o ?? {}, defaults, p), p);
}
const DEPENDENCY_DEFAULTS = { condition: "service_started", required: true };

const SPECIALS: [string[], Merger][] = ([
    ["networks.*.ipam.config", mergeIpamConfig],
    ["networks.*.labels", mergeToSequence],
    ["volumes.*.labels", mergeToSequence],
    ["secrets.*.labels", mergeToSequence],
    ["configs.*.labels", mergeToSequence],
    ["services.*.annotations", mergeToSequence],
    ["services.*.build", (b, o, p) => mergeMappings(typeof b === "string" ? { context: b } : toMapping(b, null, p), typeof o === "string" ? { context: o } : toMapping(o, null, p), p)],
    ["services.*.build.args", mergeToSequence],
    ["services.*.build.additional_contexts", mergeToSequence],
    ["services.*.build.labels", mergeToSequence],
    ["services.*.build.extra_hosts", mergeToSet],
    ["services.*.command", override],
    ["services.*.entrypoint", override],
    ["services.*.healthcheck.test", override],
    ["services.*.depends_on", mergeAsMapping(DEPENDENCY_DEFAULTS)],
    ["services.*.models", mergeAsMapping(null)],
    ["services.*.networks", mergeAsMapping(null)],
    ["services.*.deploy.labels", mergeToSequence],
    ["services.*.dns", mergeToSet],
    ["services.*.dns_opt", mergeToSet],
    ["services.*.dns_search", mergeToSet],
    ["services.*.env_file", mergeToSet],
    ["services.*.label_file", mergeToSet],
    ["services.*.environment", mergeToSequence],
    ["services.*.extra_hosts", mergeToSet],
    ["services.*.labels", mergeToSequence],
    ["services.*.volumes.*.volume.labels", mergeToSequence],
    ["services.*.logging", mergeLogging],
    ["services.*.sysctls", mergeToSequence],
    ["services.*.tmpfs", mergeToSet],
    ["services.*.ulimits.*", (b, o, p) => (isMap(b) && isMap(o) ? mergeMappings(b, o, p) : o)],
] as [string, Merger][]).map(([p, m]) => [p.split("."), m]);

function mergeLogging(b: unknown, o: unknown, path: string[]): unknown {
    if (!isMap(b) || !isMap(o)) return o;
    // Options of one driver mean nothing to another: a different driver replaces the whole block.
    if (b.driver === undefined || o.driver === undefined || b.driver === o.driver) return mergeMappings(b, o, path);
    return o;
}

/** IPAM pools: a pool of the override with the subnet of an earlier one is merged into it (its `aux_addresses` too), others are added. */
function mergeIpamConfig(b: unknown, o: unknown, path: string[]): unknown {
    if (!Array.isArray(b) || !Array.isArray(o)) return o;
    const out: Tree[] = b.map((c) => ({ ...toMapping(c, null, path) }));
    for (const c of o) {
        const entry = toMapping(c, null, path);
        const i = out.findIndex((x) => x.subnet === entry.subnet);
        if (i >= 0) out[i] = mergeMappings(out[i], entry, path);
        else out.push(entry);
    }
    return out;
}

function mergeMappings(base: Tree, other: Tree, path: string[]): Tree {
    const out: Tree = { ...base };
    for (const [k, v] of Object.entries(other)) {
        setOwn(out, k, hasOwn(out, k) ? mergeValue(out[k], v, [...path, k]) : v);
    }
    return out;
}

/**
 * Merges `override` onto `base` at `path` (the Compose path of both, as keys).
 * @throws Error when a mapping meets a non-mapping (the caller adds file and path).
 */
export function mergeValue(base: unknown, other: unknown, path: string[]): unknown {
    for (const [pattern, merger] of SPECIALS) if (matches(path, pattern)) return merger(base, other, path);
    if (other === null || other === undefined) return base;
    if (isMap(base)) {
        if (!isMap(other)) throw new MergeConflict(path, other);
        return mergeMappings(base, other, path);
    }
    if (Array.isArray(base)) {
        if (!Array.isArray(other)) throw new MergeConflict(path, other);
        return appendWithoutDuplicates(base, other);
    }
    return other;
}

/** A value that cannot override the one before it (a list over a map, …). */
export class MergeConflict extends Error {
    constructor(
        public readonly path: string[],
        public readonly value: unknown,
        /** Why, when it is not a mapping, list and scalar replacing each other. */
        public readonly reason?: string,
    ) {
        super(`cannot override ${path.join(".")}: ${reason ?? "the value has a different kind (mapping, list or scalar) than before"}`);
    }
}

/** Merges two whole Compose trees. */
export function mergeCompose(base: Tree, other: Tree): Tree {
    return mergeMappings(base, other, []);
}

// ---------------------------------------------------------------------------------------------
// Unicity: after merging, a later entry with the key of an earlier one replaces it in place.

type Indexer = (entry: unknown) => string;

const keyValue: Indexer = (e) => String(e).split("=")[0];
const byValue: Indexer = (e) => String(e);

/** Container path of a short or long volume entry. */
export function volumeTarget(entry: unknown): string {
    if (isMap(entry)) return cleanTarget(String(entry.target));
    const parts = String(entry).split(":");
    return cleanTarget(parts.length === 1 ? parts[0] : parts[1]);
}

function mountTarget(defaultDir: string): Indexer {
    return (e) => {
        if (isMap(e)) return e.target !== undefined ? String(e.target) : `${defaultDir}/${e.source}`;
        return `${defaultDir}/${e}`;
    };
}

/**
 * A port's identity, `host_ip:published:target/protocol` (compose-go's `portIndexer`), the same for
 * the short and the long form of one port, as compose-go turns short ports into the long form
 * before it removes duplicates. A short entry that is not one port (a range, a typo) is its text.
 */
const portKey: Indexer = (e) => {
    if (isMap(e)) return `${e.host_ip ?? "0.0.0.0"}:${e.published ?? ""}:${e.target}/${e.protocol ?? "tcp"}`;
    try {
        const ports = parsePort(e as string | number, "");
        if (ports.length === 1 && ports[0].publishedEnd === undefined) {
            const p = ports[0];
            return `${p.hostIp ?? "0.0.0.0"}:${p.published ?? ""}:${p.target}/${p.protocol}`;
        }
    } catch {
        // not a port: the normalizer says why
    }
    return String(e);
};

/** The host of an `extra_hosts` entry (`host=ip` or `host:ip`). */
const hostKey: Indexer = (e) => /^([^:=]*)/.exec(String(e))![1];

const envFileKey: Indexer = (e) => (isMap(e) ? String(e.path) : String(e));

const UNIQUE: [string[], Indexer][] = ([
    ["networks.*.labels", keyValue],
    ["volumes.*.labels", keyValue],
    ["secrets.*.labels", keyValue],
    ["configs.*.labels", keyValue],
    ["services.*.annotations", keyValue],
    ["services.*.build.args", keyValue],
    ["services.*.build.additional_contexts", keyValue],
    ["services.*.build.extra_hosts", hostKey],
    ["services.*.build.labels", keyValue],
    ["services.*.cap_add", byValue],
    ["services.*.cap_drop", byValue],
    ["services.*.configs", mountTarget("")],
    ["services.*.deploy.labels", keyValue],
    ["services.*.devices", volumeTarget],
    ["services.*.dns", byValue],
    ["services.*.dns_opt", byValue],
    ["services.*.dns_search", byValue],
    ["services.*.environment", keyValue],
    ["services.*.env_file", envFileKey],
    ["services.*.expose", byValue],
    ["services.*.labels", keyValue],
    ["services.*.links", byValue],
    ["services.*.networks.*.aliases", byValue],
    ["services.*.ports", portKey],
    ["services.*.profiles", byValue],
    ["services.*.secrets", mountTarget("/run/secrets")],
    ["services.*.sysctls", keyValue],
    ["services.*.tmpfs", byValue],
    ["services.*.volumes", volumeTarget],
    ["services.*.volumes.*.volume.labels", keyValue],
] as [string, Indexer][]).map(([p, f]) => [p.split("."), f]);

function unique(value: unknown, path: string[]): unknown {
    if (Array.isArray(value)) {
        const indexer = UNIQUE.find(([p]) => matches(path, p))?.[1];
        if (!indexer) return value;
        const out: unknown[] = [];
        const seen = new Map<string, number>();
        for (const entry of value) {
            const key = indexer(entry);
            const at = seen.get(key);
            if (at === undefined) {
                seen.set(key, out.length);
                out.push(entry);
            } else out[at] = entry;
        }
        return out;
    }
    if (isMap(value)) {
        const out: Tree = {};
        for (const [k, v] of Object.entries(value)) setOwn(out, k, unique(v, [...path, k]));
        return out;
    }
    return value;
}

/** Removes re-definitions from the sequences Compose treats as keyed sets. */
export function enforceUnique(tree: Tree): Tree {
    return unique(tree, []) as Tree;
}

// ---------------------------------------------------------------------------------------------
// `!reset` / `!override`: the earlier value at a tagged path is dropped before merging.

/**
 * Removes the value at `path` from `node` (returning a new tree; `node` is not changed). A path
 * through a `KEY=VALUE` list (environment, labels… written as a list in an earlier file and as a
 * mapping in the later one) drops that key's entries; an index into a sequence drops nothing,
 * as in compose-go.
 */
function dropPath(node: unknown, path: readonly (string | number)[]): unknown {
    if (path.length === 0) return node;
    const [key, ...rest] = path;
    if (isMap(node)) {
        if (!hasOwn(node, String(key))) return node;
        const out: Tree = { ...node };
        if (rest.length === 0) delete out[String(key)];
        else setOwn(out, String(key), dropPath(node[String(key)], rest));
        return out;
    }
    if (Array.isArray(node)) {
        if (typeof key === "number") return rest.length === 0 || key >= node.length ? node : node.map((e, i) => (i === key ? dropPath(e, rest) : e));
        if (rest.length > 0) return node;
        return node.filter((e) => typeof e !== "string" || (e !== key && !e.startsWith(`${key}=`)));
    }
    return node;
}

/** Drops what `tree` holds at each of `paths` (the `!reset` / `!override` paths of the next file). */
export function dropPaths(tree: Tree, paths: readonly (readonly (string | number)[])[]): Tree {
    return paths.reduce<Tree>((t, p) => dropPath(t, p) as Tree, tree);
}
