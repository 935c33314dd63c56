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
/** Most values (scalars, mappings, sequences) a file may hold once its aliases are expanded. */
export const MAX_VALUES = 250_000;
/** Most aliases (`*name`) a file may use. */
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
function measure(doc: YAML.Document): void {
    type Size = { size: number; depth: number };
    const root = doc.contents;
    if (!YAML.isNode(root)) return;
    const memo = new Map<YAML.Node, Size>();
    const open = new Set<YAML.Node>();
    const anchors = new Map<string, YAML.Node>();
    let aliases = 0;
    const childrenOf = (n: YAML.Node): unknown[] =>
        YAML.isMap(n) ? n.items.flatMap((p) => [p.key, p.value]) : YAML.isSeq(n) ? n.items : [];
    /** The size of a leaf or an alias; undefined for a collection, which is walked. */
    const leaf = (n: unknown): Size | undefined => {
        if (!YAML.isNode(n)) return { size: 0, depth: 0 };
        if (YAML.isAlias(n)) {
            if (++aliases > MAX_ALIASES) throw new TooBig(`the file uses more than ${MAX_ALIASES} aliases`, n);
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
    const frames: { node: YAML.Node; children: unknown[]; i: number; size: number; depth: number }[] = [];
    const push = (n: YAML.Node) => {
        if (frames.length >= MAX_DEPTH) throw new TooBig(`the file nests mappings and sequences deeper than ${MAX_DEPTH} levels`, n);
        open.add(n);
        frames.push({ node: n, children: childrenOf(n), i: 0, size: 0, depth: 0 });
    };
    if (leaf(root)) return;
    push(root);
    while (frames.length > 0) {
        const f = frames[frames.length - 1];
        if (f.i < f.children.length) {
            const child = f.children[f.i++];
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
        if (f.size > MAX_VALUES) throw new TooBig(`the file holds more than ${MAX_VALUES} values once its aliases are expanded`, f.node);
    }
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
            uniqueKeys: true,
            customTags: (tags) => [legacyOctal, ...tags, ...mergeTags],
        });
    } catch (e) {
        // The parser recurses once per level of nesting.
        if (e instanceof RangeError) throw new ComposeError(`invalid YAML: the file nests mappings and sequences deeper than ${MAX_DEPTH} levels`, "", undefined, file);
        throw e;
    }
    const error = doc.errors[0];
    if (error) {
        const line = error.linePos?.[0]?.line;
        const at = pathAt(doc, error.pos[0]);
        throw new ComposeError(`invalid YAML: ${yamlReason(error, at.key)}`, renderYamlPath(at.path), undefined, file, line);
    }
    try {
        measure(doc);
    } catch (e) {
        if (!(e instanceof TooBig)) throw e;
        const at = e.node?.range ? pathAt(doc, e.node.range[0]).path : [];
        throw new ComposeError(`invalid YAML: ${e.reason}`, renderYamlPath(at), undefined, file, lineOfNode(e.node));
    }
    const resets = collectMergeTags(
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
    try {
        data = doc.toJS({ maxAliasCount: 1000 });
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
    return {
        file,
        data: data as Record<string, unknown>,
        resets,
        lineOf(path) {
            let node: unknown = doc.contents;
            let offset: number | undefined;
            for (const key of path) {
                if (YAML.isMap(node)) {
                    const pair = node.items.find((p) => String(YAML.isScalar(p.key) ? p.key.value : p.key) === String(key));
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
        },
    };
}

/** A path for a message: a very deep one is cut short (the line says where it is). */
function renderYamlPath(path: readonly (string | number)[]): string {
    const shown = path.reduce<string>((acc, k) => joinPath(acc, k), "");
    return path.length > 8 ? path.slice(0, 8).reduce<string>((acc, k) => joinPath(acc, k), "") + "…" : shown;
}
