/**
 * Reads one Compose file: YAML to plain data, keeping the document so that errors found later
 * (schema, normalizer) can name the line of the bad value.
 *
 * The Compose merge tags are read here, as compose-go's ResetProcessor reads them: `!reset` and
 * `!override` mark a value whose earlier definition (in the files before this one, or in the
 * service this one extends) is dropped instead of merged; a `!reset` key is also absent from
 * this file. The data returned carries no tags, so interpolation and the schema see plain values.
 */
import * as YAML from "yaml";
import { joinPath } from "../spec/errors";
import { ComposeError } from "./errors";

/** Keys and indexes from the root of a Compose file to one of its values. */
export type YamlPath = readonly (string | number)[];

/** A parsed Compose file. */
export interface ComposeYaml {
    /** Absolute path of the file. */
    readonly file: string;
    /** The file's content as plain data (`{}` for an empty file). */
    readonly data: Record<string, unknown>;
    /** Paths tagged `!reset` or `!override`: what earlier files (or an extended service) put there is dropped before this file is merged. */
    readonly resets: readonly YamlPath[];
    /** Line (1-based) of the deepest node found along `path`, or undefined. */
    lineOf(path: readonly (string | number)[]): number | undefined;
}

/**
 * Compose reads files with go-yaml v3, which takes `0644` as an octal number (file modes are
 * written that way); YAML 1.2's core schema would read it as decimal 644.
 */
const legacyOctal: YAML.ScalarTag = {
    identify: (value: unknown) => typeof value === "number",
    default: true,
    tag: "tag:yaml.org,2002:int",
    test: /^0[0-7]+$/,
    resolve: (text: string) => parseInt(text, 8),
};

const RESET = "!reset";
const OVERRIDE = "!override";

/**
 * The merge tags as the parser should know them (so that it does not warn about them). The
 * scalar form keeps the text: its value is read again in `collectMergeTags`, which can tell a
 * plain `0644` from a quoted one.
 */
const mergeTags: YAML.Tags = [RESET, OVERRIDE].flatMap((tag) => [
    { tag, collection: "map" as const, resolve: (m: unknown) => m },
    { tag, collection: "seq" as const, resolve: (s: unknown) => s },
    { tag, resolve: (text: string) => text },
]) as YAML.Tags;

function isMergeKey(key: unknown): boolean {
    return YAML.isScalar(key) && (typeof key.value === "symbol" || key.value === "<<");
}

function startsWith(path: YamlPath, prefix: YamlPath): boolean {
    return prefix.length <= path.length && prefix.every((k, i) => path[i] === k);
}

/** Most `!reset` / `!override` paths a file may have, counting those repeated through aliases. */
export const MAX_TAGGED_PATHS = 10_000;

/**
 * Records the paths tagged `!reset` / `!override`, removes `!reset` keys from their mapping and
 * gives tagged plain scalars their untagged value. A tagged value is not looked into (as in
 * compose-go). An alias repeats, at its own place, the tags found under its anchor; through a
 * merge key (`<<: *base`) the anchor's keys land in the mapping holding the merge key. Tags
 * repeated through aliases count against {@link MAX_TAGGED_PATHS}, so that an alias bomb of
 * tagged values is refused instead of filling memory.
 */
function collectMergeTags(doc: YAML.Document, reparse: (text: string) => unknown, tooMany: (node: YAML.Node) => never): YamlPath[] {
    const found: YamlPath[] = [];
    const add = (p: YamlPath, node: YAML.Node) => {
        if (found.length >= MAX_TAGGED_PATHS) tooMany(node);
        found.push(p);
    };
    // Tags nested in a tagged value mean nothing more, but their scalars still need a type.
    const untag = (node: unknown): void => {
        if (YAML.isScalar(node) && (node.tag === RESET || node.tag === OVERRIDE)) {
            if (node.type === "PLAIN") node.value = reparse(String(node.source ?? node.value));
        } else if (YAML.isMap(node)) {
            for (const pair of node.items) untag(pair.value);
        } else if (YAML.isSeq(node)) {
            node.items.forEach(untag);
        }
        if (YAML.isNode(node) && (node.tag === RESET || node.tag === OVERRIDE)) node.tag = undefined;
    };
    // Each anchor's path and the tagged paths found inside its value (indexes into `found`).
    const anchors = new Map<string, { path: YamlPath; from: number; to: number }>();
    const visit = (node: unknown, path: YamlPath): boolean => {
        if (YAML.isAlias(node)) {
            const at = anchors.get(node.source);
            if (at) for (let i = at.from; i < at.to; i++) add([...path, ...found[i].slice(at.path.length)], node);
            return false;
        }
        if (!YAML.isNode(node)) return false;
        const anchor = node.anchor ? { path, from: found.length, to: found.length } : undefined;
        // Set before the value is visited: an alias inside it is a cycle, which measure() has refused.
        if (node.anchor) anchors.set(node.anchor, anchor!);
        let reset = false;
        if (node.tag === RESET || node.tag === OVERRIDE) {
            add(path, node);
            reset = node.tag === RESET;
            untag(node);
        } else if (YAML.isMap(node)) {
            node.items = node.items.filter((pair) => {
                if (isMergeKey(pair.key)) {
                    // The merged mapping's keys become keys of this mapping.
                    const sources = YAML.isSeq(pair.value) ? pair.value.items : [pair.value];
                    for (const source of sources) visit(source, path);
                    return true;
                }
                const key = YAML.isScalar(pair.key) ? pair.key.value : pair.key;
                return !visit(pair.value, [...path, String(key)]);
            });
        } else if (YAML.isSeq(node)) {
            // compose-go records tags on sequence items but never removes an item.
            node.items.forEach((item, i) => visit(item, [...path, i]));
        }
        if (anchor) anchor.to = found.length;
        return reset;
    };
    visit(doc.contents, []);
    return found;
}

/** Deepest nesting of mappings and sequences a file may have, counting what aliases bring in. */
export const MAX_DEPTH = 64;
/**
 * Most values (scalars, mappings, sequences) a file's aliases may add once expanded, beyond the
 * values written in the file (whose number the file's size bounds). As go-yaml, which Compose
 * uses, bounds what alias expansion adds rather than the size of a document.
 */
export const MAX_VALUES = 250_000;
/** Most aliases (`*name`) a file may use beyond one per value written in it (a service each may merge `<<: *defaults`). */
export const MAX_ALIASES = 10_000;

/** Why a document cannot be read safely, and the node at fault. */
class TooBig extends Error {
    constructor(public readonly reason: string, public readonly node: YAML.Node | undefined) {
        super(reason);
    }
}

/**
 * Measures the document as `toJS` would build it, without building it and without recursion:
 * its depth and its number of values once aliases are expanded, and aliases that refer to a
 * value containing them (which would make an endless value). Throws TooBig past the limits.
 */
function measure(doc: YAML.Document, written: number): void {
    type Size = { size: number; depth: number };
    const root = doc.contents;
    if (!YAML.isNode(root)) return;
    const memo = new Map<YAML.Node, Size>();
    const open = new Set<YAML.Node>();
    const anchors = new Map<string, YAML.Node>();
    let aliases = 0;
    // A mapping's children are its keys and values, in turn (read in place, without copying them).
    const countOf = (n: YAML.Node): number => (YAML.isMap(n) ? 2 * n.items.length : YAML.isSeq(n) ? n.items.length : 0);
    const childAt = (n: YAML.Node, i: number): unknown => {
        if (YAML.isSeq(n)) return n.items[i];
        const pair = (n as YAML.YAMLMap).items[i >> 1];
        return i & 1 ? pair.value : pair.key;
    };
    /** The size of a leaf or an alias; undefined for a collection, which is walked. */
    const leaf = (n: unknown): Size | undefined => {
        if (!YAML.isNode(n)) return { size: 0, depth: 0 };
        if (YAML.isAlias(n)) {
            if (++aliases > written + MAX_ALIASES) throw new TooBig(`the file uses more than ${written + MAX_ALIASES} aliases (${MAX_ALIASES} and one per value written in it)`, n);
            const target = anchors.get(n.source);
            // An alias without an anchor before it: the parser's own error names it.
            if (!target) return { size: 1, depth: 1 };
            if (open.has(target)) throw new TooBig(`the alias *${n.source} is inside the value its anchor &${n.source} names, so that value would contain itself without end`, n);
            return memo.get(target) ?? { size: 1, depth: 1 };
        }
        if (n.anchor) anchors.set(n.anchor, n);
        if (YAML.isScalar(n)) return { size: 1, depth: 1 };
        return undefined;
    };
    const frames: { node: YAML.Node; count: number; i: number; size: number; depth: number }[] = [];
    const push = (n: YAML.Node) => {
        if (frames.length >= MAX_DEPTH) throw new TooBig(`the file nests mappings and sequences deeper than ${MAX_DEPTH} levels`, n);
        open.add(n);
        frames.push({ node: n, count: countOf(n), i: 0, size: 0, depth: 0 });
    };
    if (leaf(root)) return;
    push(root);
    while (frames.length > 0) {
        const f = frames[frames.length - 1];
        if (f.i < f.count) {
            const child = childAt(f.node, f.i++);
            const s = leaf(child);
            if (s === undefined) {
                push(child as YAML.Node);
                continue;
            }
            f.size += s.size;
            f.depth = Math.max(f.depth, s.depth);
        } else {
            frames.pop();
            open.delete(f.node);
            const s = { size: f.size + 1, depth: f.depth + 1 };
            memo.set(f.node, s);
            const parent = frames[frames.length - 1];
            if (parent) {
                parent.size += s.size;
                parent.depth = Math.max(parent.depth, s.depth);
            }
            if (s.depth + frames.length > MAX_DEPTH) {
                throw new TooBig(`the file nests mappings and sequences deeper than ${MAX_DEPTH} levels, counting what aliases bring in`, f.node);
            }
        }
        if (f.size > written + MAX_VALUES) throw new TooBig(`the file holds more than ${MAX_VALUES} values once its aliases are expanded, beyond the ${written} written in it`, f.node);
    }
}

/**
 * Work the reader did, counted for tests that check reading stays linear in the size of a file
 * (by counts, never by time): keys checked for duplicates, keys indexed for line lookups, line
 * lookups and the steps they took.
 */
export const yamlWork = { keysChecked: 0, keysIndexed: 0, lineLookups: 0, lineSteps: 0 };

/**
 * Every mapping's keys checked for duplicates with a set, where the YAML library's own check
 * (`uniqueKeys`) compares each key with every key before it, which is quadratic in the number of
 * services. Keys are equal as the library's check has them: scalars of the same value (NaN is
 * never equal, a merge key `<<` is always new), never other nodes (collections, aliases).
 * Iterative: nesting is bounded later, by measure(). Returns the first duplicate in the file, the
 * number of values written in the file (aliases not followed) and whether any is tagged `!reset`
 * or `!override`.
 */
function duplicateKey(doc: YAML.Document): { duplicate?: YAML.Scalar; written: number; tagged: boolean } {
    let duplicate: YAML.Scalar | undefined;
    let written = 0;
    let tagged = false;
    const stack: unknown[] = [doc.contents];
    while (stack.length > 0) {
        const node = stack.pop();
        if (!YAML.isNode(node) || YAML.isAlias(node)) continue;
        written++;
        if (node.tag === RESET || node.tag === OVERRIDE) tagged = true;
        if (YAML.isSeq(node)) {
            for (const item of node.items) stack.push(item);
        } else if (YAML.isMap(node)) {
            const seen = new Set<unknown>();
            for (const pair of node.items) {
                yamlWork.keysChecked++;
                stack.push(pair.key, pair.value);
                const key = pair.key;
                if (!YAML.isScalar(key) || Number.isNaN(key.value)) continue;
                if (!seen.has(key.value)) {
                    seen.add(key.value);
                } else if (key.range && (!duplicate?.range || key.range[0] < duplicate.range[0])) {
                    duplicate = key;
                }
            }
        }
    }
    return { ...(duplicate ? { duplicate } : {}), written, tagged };
}

/** Keys of the services of a Compose file of the version 1 format (services at the top level). */
const V1_SERVICE_KEYS = new Set([
    "build", "cap_add", "cap_drop", "cgroup_parent", "command", "container_name", "cpu_quota", "cpu_shares", "cpuset", "devices", "dns",
    "dns_search", "dockerfile", "domainname", "entrypoint", "env_file", "environment", "expose", "extends", "external_links", "extra_hosts",
    "hostname", "image", "ipc", "labels", "links", "log_driver", "log_opt", "mac_address", "mem_limit", "memswap_limit", "net", "pid",
    "ports", "privileged", "read_only", "restart", "security_opt", "shm_size", "stdin_open", "stop_signal", "tty", "ulimits", "user",
    "volume_driver", "volumes", "volumes_from", "working_dir",
]);

/** Top-level keys of the Compose specification. */
const TOP_LEVEL_KEYS = new Set(["version", "name", "include", "services", "models", "networks", "volumes", "secrets", "configs"]);

/** How each key only the version 1 format has is written today. */
const V1_RENAMES: Readonly<Record<string, string>> = {
    net: '"net: x" becomes "network_mode: x"',
    log_driver: '"log_driver" and "log_opt" become "logging: {driver: …, options: …}"',
    log_opt: '"log_driver" and "log_opt" become "logging: {driver: …, options: …}"',
    dockerfile: '"dockerfile: f" becomes "build: {context: …, dockerfile: f}"',
    volume_driver: '"volume_driver" goes: declare the volume under a top-level "volumes:" key, with its "driver"',
};

/**
 * A file of Compose's first format, from before `services:` (2014-2016): each top-level key is a
 * service, e.g. `web: {image: nginx}`. Docker Compose stopped reading it; the schema would only
 * call its services unknown keys. Recognized by a top-level key that is not one of the
 * specification's, holding a mapping with a service's keys, in a file without `services:`.
 */
function composeV1Services(data: Record<string, unknown>): string[] {
    // A version 1 file has neither (one with `version:` and no `services:` is a later format's mistake).
    if (Object.prototype.hasOwnProperty.call(data, "services") || Object.prototype.hasOwnProperty.call(data, "version")) return [];
    return Object.entries(data)
        .filter(([k, v]) => !TOP_LEVEL_KEYS.has(k) && !k.startsWith("x-") && v !== null && typeof v === "object" && !Array.isArray(v))
        .filter(([, v]) => Object.keys(v as object).some((k) => V1_SERVICE_KEYS.has(k)))
        .map(([k]) => k);
}

function composeV1Reason(data: Record<string, unknown>, services: readonly string[]): string {
    const shown = services.slice(0, 3).map((s) => `"${s}"`).join(", ") + (services.length > 3 ? ` and ${services.length - 3} more` : "");
    const used = new Set(services.flatMap((s) => Object.keys(data[s] as object)));
    const renames = [...new Set(Object.keys(V1_RENAMES).filter((k) => used.has(k)).map((k) => V1_RENAMES[k]))];
    return (
        `this is a Compose file of the old version 1 format, with its services (${shown}) at the top level; Docker Compose no longer reads it. ` +
        `To convert it, put the services under a top-level "services:" key, each indented one level more` +
        (renames.length ? `; ${renames.join("; ")}` : "")
    );
}

/**
 * Gives each alias of the document the node its anchor names, found in one pass, before toJS.
 * The YAML library finds it again for every alias, scanning every anchor and alias before it in
 * the document (`Alias.resolve`), which is quadratic: 20000 services that each merge `<<:
 * *defaults` took seconds there. Each alias's own `resolve` gets a scan list of two nodes (its
 * anchor's node, then itself) and leaves the rest (resolving the anchored value, its checks) to
 * the library. The order is the library's own (`YAML.visit`), so an anchor defined again applies
 * from there on, as before.
 */
function presetAliases(doc: YAML.Document): void {
    const lastAnchored = new Map<string, YAML.Node>();
    const resolve = YAML.Alias.prototype.resolve;
    type ResolveContext = NonNullable<Parameters<YAML.Alias["resolve"]>[1]>;
    YAML.visit(doc, {
        Node: (_key, node) => {
            if (YAML.isAlias(node)) {
                const found = lastAnchored.get(node.source);
                const nodes: YAML.Node[] = found ? [found, node] : [node];
                Object.defineProperty(node, "resolve", {
                    configurable: true,
                    value(this: YAML.Alias, d: YAML.Document, ctx?: ResolveContext) {
                        if (!ctx) return resolve.call(this, d, ctx);
                        const saved = ctx.aliasResolveCache;
                        ctx.aliasResolveCache = nodes;
                        try {
                            return resolve.call(this, d, ctx);
                        } finally {
                            ctx.aliasResolveCache = saved;
                        }
                    },
                });
            } else if ((YAML.isScalar(node) || YAML.isCollection(node)) && node.anchor) {
                lastAnchored.set(node.anchor, node);
            }
        },
    });
}

/** The path of the value at `offset`, and the key there when the offset is on a key. */
function pathAt(doc: YAML.Document, offset: number): { path: (string | number)[]; key?: string } {
    const path: (string | number)[] = [];
    let node: unknown = doc.contents;
    const contains = (n: unknown) => YAML.isNode(n) && n.range !== undefined && n.range !== null && n.range[0] <= offset && offset < n.range[2];
    for (let guard = 0; guard < MAX_DEPTH * 2; guard++) {
        let next: unknown;
        if (YAML.isMap(node)) {
            for (const pair of node.items) {
                const key = isMergeKey(pair.key) ? "<<" : YAML.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
                if (YAML.isNode(pair.key) && pair.key.range && pair.key.range[0] === offset) return { path: [...path, key], key };
                if (contains(pair.value)) {
                    path.push(key);
                    next = pair.value;
                    break;
                }
            }
        } else if (YAML.isSeq(node)) {
            const i = node.items.findIndex(contains);
            if (i >= 0) {
                path.push(i);
                next = node.items[i];
            }
        }
        if (next === undefined) break;
        node = next;
    }
    return { path };
}

/** The YAML library's errors, in the words of someone writing a Compose file. */
function yamlReason(e: YAML.YAMLError, key: string | undefined): string {
    const lib = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    switch (e.code) {
        case "DUPLICATE_KEY":
            return `duplicate key${key !== undefined ? ` "${key}"` : ""}: a key may appear only once in a mapping (Compose would keep only one of them)`;
        case "TAB_AS_INDENT":
            return "a tab is used for indentation; YAML indents with spaces only";
        case "BAD_INDENT":
            return `wrong indentation: ${lib.charAt(0).toLowerCase()}${lib.slice(1)}`;
        case "MULTIPLE_DOCS":
            return "a Compose file holds one YAML document: remove the second `---` and what follows, or put it in its own file";
        case "BLOCK_AS_IMPLICIT_KEY":
        case "MULTILINE_IMPLICIT_KEY":
            return "a key must fit on one line and a value cannot be a new mapping on the same line (\"a: b: c\"); is a value missing its quotes, or a line its indentation?";
        case "MISSING_CHAR":
            return `unfinished value: ${lib.charAt(0).toLowerCase()}${lib.slice(1)}`;
        case "BAD_SCALAR_START":
            return "a plain value cannot start with @ or `; put the value in quotes";
        case "BAD_DQ_ESCAPE":
            return `${lib} in a double-quoted value; use single quotes for backslashes taken literally`;
        case "MULTIPLE_ANCHORS":
        case "MULTIPLE_TAGS":
        case "ALIAS_PROPS":
        case "BAD_ALIAS":
        case "BAD_PROP_ORDER":
            return `anchor, alias or tag misplaced: ${lib}`;
        case "KEY_OVER_1024_CHARS":
            return "a key longer than 1024 characters";
        case "TAG_RESOLVE_FAILED":
            return `a value does not fit its tag: ${lib}`;
        case "RESOURCE_EXHAUSTION":
            // The composer catches its own stack overflow on deep nesting.
            return `the file nests mappings and sequences deeper than ${MAX_DEPTH} levels`;
        default:
            return lib;
    }
}

/** Parses Compose YAML. Syntax errors and files too big to read safely become ComposeErrors with the file and line. */
export function parseComposeYaml(text: string, file: string): ComposeYaml {
    const lineCounter = new YAML.LineCounter();
    const lineOfNode = (node: YAML.Node | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : undefined);
    let doc: YAML.Document.Parsed;
    try {
        doc = YAML.parseDocument(text, {
            lineCounter,
            // `<<: *defaults` is common in Compose files (go-yaml supports merge keys).
            merge: true,
            // Gives errors their line (linePos).
            prettyErrors: true,
            // Duplicate keys are found by duplicateKey(), in linear time.
            uniqueKeys: false,
            customTags: (tags) => [legacyOctal, ...tags, ...mergeTags],
        });
    } catch (e) {
        // The parser recurses once per level of nesting.
        if (e instanceof RangeError) throw new ComposeError(`invalid YAML: the file nests mappings and sequences deeper than ${MAX_DEPTH} levels`, "", undefined, file);
        throw e;
    }
    const { duplicate, written, tagged } = duplicateKey(doc);
    let error: YAML.YAMLError | undefined = doc.errors[0];
    if (duplicate?.range && (!error || duplicate.range[0] < error.pos[0])) {
        error = new YAML.YAMLParseError([duplicate.range[0], duplicate.range[1]], "DUPLICATE_KEY", "Map keys must be unique");
        error.linePos = [lineCounter.linePos(duplicate.range[0])];
    }
    if (error) {
        const line = error.linePos?.[0]?.line;
        const at = pathAt(doc, error.pos[0]);
        throw new ComposeError(`invalid YAML: ${yamlReason(error, at.key)}`, renderYamlPath(at.path), undefined, file, line);
    }
    try {
        measure(doc, written);
    } catch (e) {
        if (!(e instanceof TooBig)) throw e;
        const at = e.node?.range ? pathAt(doc, e.node.range[0]).path : [];
        throw new ComposeError(`invalid YAML: ${e.reason}`, renderYamlPath(at), undefined, file, lineOfNode(e.node));
    }
    // Without a tag there is nothing to collect (the walk and its copies of paths are skipped).
    const resets: YamlPath[] = !tagged ? [] : collectMergeTags(
        doc,
        (text) => {
            // A plain scalar's text read on its own gives the value it would have had untagged.
            try {
                const value: unknown = YAML.parse(text, { customTags: (tags) => [legacyOctal, ...tags] });
                return value !== null && typeof value === "object" ? text : value;
            } catch {
                return text;
            }
        },
        (node) => {
            throw new ComposeError(`invalid YAML: more than ${MAX_TAGGED_PATHS} values tagged !reset or !override, counting those repeated through aliases`, "", undefined, file, lineOfNode(node));
        },
    );
    let data: unknown;
    presetAliases(doc);
    try {
        // measure() has bounded what aliases expand to; the library's own bound (an anchor used at
        // most 1000 times) would refuse a file of 1000 services that each merge `<<: *defaults`.
        data = doc.toJS({ maxAliasCount: -1 });
    } catch (e) {
        const reason = /resource exhaustion/i.test((e as Error).message) ? "the file's aliases expand to too much data" : (e as Error).message;
        throw new ComposeError(`invalid YAML: ${reason}`, "", undefined, file);
    }
    if (data === null || data === undefined) data = {};
    if (typeof data !== "object" || Array.isArray(data)) {
        // Not the value itself: a file included by mistake (a password file) must not be printed.
        const kind = Array.isArray(data) ? "a list" : `a single ${typeof data} value`;
        throw new ComposeError(`a Compose file must be a mapping (services:, networks:, ...); this file is ${kind}`, "", undefined, file, 1);
    }
    // Each mapping's keys, indexed on the first line lookup that goes through it: a lookup takes a
    // step per level of its path, not one per key before it (services are looked up one by one).
    const index = new Map<YAML.YAMLMap, Map<string, YAML.Pair>>();
    const pairOf = (map: YAML.YAMLMap, key: string): YAML.Pair | undefined => {
        let keys = index.get(map);
        if (!keys) {
            keys = new Map();
            for (const p of map.items) {
                yamlWork.keysIndexed++;
                const k = String(YAML.isScalar(p.key) ? p.key.value : p.key);
                if (!keys.has(k)) keys.set(k, p);
            }
            index.set(map, keys);
        }
        return keys.get(key);
    };
    const lineOf = (path: readonly (string | number)[]): number | undefined => {
        yamlWork.lineLookups++;
        let node: unknown = doc.contents;
        let offset: number | undefined;
        for (const key of path) {
            yamlWork.lineSteps++;
            if (YAML.isMap(node)) {
                const pair = pairOf(node, String(key));
                if (!pair) break;
                if (YAML.isNode(pair.key) && pair.key.range) offset = pair.key.range[0];
                node = pair.value;
            } else if (YAML.isSeq(node) && typeof key === "number") {
                const item = node.items[key];
                if (!item) break;
                if (YAML.isNode(item) && item.range) offset = item.range[0];
                node = item;
            } else break;
        }
        return offset === undefined ? undefined : lineCounter.linePos(offset).line;
    };
    const v1 = composeV1Services(data as Record<string, unknown>);
    if (v1.length) throw new ComposeError(composeV1Reason(data as Record<string, unknown>, v1), "", undefined, file, lineOf([v1[0]]));
    return { file, data: data as Record<string, unknown>, resets, lineOf };
}

/** A path for a message: a very deep one is cut short (the line says where it is). */
function renderYamlPath(path: readonly (string | number)[]): string {
    const shown = path.reduce<string>((acc, k) => joinPath(acc, k), "");
    return path.length > 8 ? path.slice(0, 8).reduce<string>((acc, k) => joinPath(acc, k), "") + "…" : shown;
}
