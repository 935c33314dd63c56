/**
 * Compose merge rules (compose-go `override`), applied to raw Compose trees: when several files
 * are given (later ones override earlier ones) and for `extends` (the local service overrides
 * its base).
 *
 * - mappings merge key by key; scalars are replaced;
 * - sequences are appended, then de-duplicated by their unique key (`enforceUnique`): ports by
 *   the whole entry, volumes by container path, secrets/configs by target, environment, labels
 *   and friends by KEY, expose/dns/cap_add by value;
 * - `command`, `entrypoint` and `healthcheck.test` are replaced, not appended;
 * - `environment`, `labels`, `sysctls`, `build.args`… may be a map in one file and a list in the
 *   other: both are turned into `KEY=VALUE` lists first;
 * - `depends_on` and service `networks` lists are turned into maps first;
 * - `logging` merges only when both name the same driver (or one names none);
 * - a null override keeps the base value;
 * - a value tagged `!reset` or `!override` in the later file first drops the earlier value
 *   (`dropPaths`), so it is removed, or replaced instead of merged.
 */

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

function toMapping(value: unknown, defaults: Tree | null): Tree {
    if (isMap(value)) return value;
    const out: Tree = {};
    if (Array.isArray(value)) for (const k of value) setOwn(out, String(k), defaults ? { ...defaults } : null);
    return out;
}

const override: Merger = (_base, o) => o;
const mergeToSequence: Merger = (b, o) => [...toSequence(b), ...toSequence(o)];
const mergeExtraHosts: Merger = (b, o) => {
    const base = toSequence(b);
    return [...base, ...toSequence(o).filter((v) => !base.includes(v))];
};
const DEPENDENCY_DEFAULTS = { condition: "service_started", required: true };

const SPECIALS: [string[], Merger][] = ([
    ["networks.*.ipam.config", mergeIpamConfig],
    ["networks.*.labels", mergeToSequence],
    ["volumes.*.labels", mergeToSequence],
    ["services.*.annotations", mergeToSequence],
    ["services.*.build", (b, o, p) => mergeMappings(typeof b === "string" ? { context: b } : toMapping(b, null), typeof o === "string" ? { context: o } : toMapping(o, null), p)],
    ["services.*.build.args", mergeToSequence],
    ["services.*.build.labels", mergeToSequence],
    ["services.*.build.extra_hosts", mergeExtraHosts],
    ["services.*.command", override],
    ["services.*.entrypoint", override],
    ["services.*.healthcheck.test", override],
    ["services.*.depends_on", (b, o, p) => mergeMappings(toMapping(b, DEPENDENCY_DEFAULTS), toMapping(o, DEPENDENCY_DEFAULTS), p)],
    ["services.*.networks", (b, o, p) => mergeMappings(toMapping(b, null), toMapping(o, null), p)],
    ["services.*.deploy.labels", mergeToSequence],
    ["services.*.dns", mergeToSequence],
    ["services.*.dns_opt", mergeToSequence],
    ["services.*.dns_search", mergeToSequence],
    ["services.*.env_file", mergeToSequence],
    ["services.*.label_file", mergeToSequence],
    ["services.*.environment", mergeToSequence],
    ["services.*.extra_hosts", mergeExtraHosts],
    ["services.*.labels", mergeToSequence],
    ["services.*.logging", mergeLogging],
    ["services.*.sysctls", mergeToSequence],
    ["services.*.tmpfs", mergeToSequence],
    ["services.*.ulimits.*", override],
] as [string, Merger][]).map(([p, m]) => [p.split("."), m]);

function mergeLogging(b: unknown, o: unknown, path: string[]): unknown {
    if (!isMap(b) || !isMap(o)) return o;
    // Options of one driver mean nothing to another: a different driver replaces the whole block.
    if (b.driver === undefined || o.driver === undefined || b.driver === o.driver) return mergeMappings(b, o, path);
    return o;
}

function mergeIpamConfig(b: unknown, o: unknown): unknown {
    if (!Array.isArray(b) || !Array.isArray(o)) return o;
    const out: Tree[] = b.map((c) => ({ ...toMapping(c, null) }));
    for (const c of o) {
        const entry = toMapping(c, null);
        const i = out.findIndex((x) => x.subnet === entry.subnet);
        if (i >= 0) out[i] = { ...out[i], ...entry };
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
        return [...base, ...other];
    }
    return other;
}

/** A value that cannot override the one before it (a list over a map, …). */
export class MergeConflict extends Error {
    constructor(public readonly path: string[], public readonly value: unknown) {
        super(`cannot override ${path.join(".")}: the value has a different kind (mapping, list or scalar) than before`);
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
    if (isMap(entry)) return String(entry.target);
    const parts = String(entry).split(":");
    return parts.length === 1 ? parts[0] : parts[1];
}

function mountTarget(defaultDir: string): Indexer {
    return (e) => {
        if (isMap(e)) return e.target !== undefined ? String(e.target) : `${defaultDir}/${e.source}`;
        return `${defaultDir}/${e}`;
    };
}

const portKey: Indexer = (e) => {
    if (!isMap(e)) return String(e);
    return `${e.host_ip ?? "0.0.0.0"}:${e.published ?? ""}:${e.target}/${e.protocol ?? "tcp"}`;
};

const envFileKey: Indexer = (e) => (isMap(e) ? String(e.path) : String(e));

const UNIQUE: [string[], Indexer][] = ([
    ["networks.*.labels", keyValue],
    ["volumes.*.labels", keyValue],
    ["services.*.annotations", keyValue],
    ["services.*.build.args", keyValue],
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
