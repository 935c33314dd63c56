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

/**
 * Records the paths tagged `!reset` / `!override`, removes `!reset` keys from their mapping and
 * gives tagged plain scalars their untagged value. A tagged value is not looked into (as in
 * compose-go). An alias repeats, at its own place, the tags found under its anchor; through a
 * merge key (`<<: *base`) the anchor's keys land in the mapping holding the merge key.
 */
function collectMergeTags(doc: YAML.Document, reparse: (text: string) => unknown): YamlPath[] {
    const found: YamlPath[] = [];
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
    const anchors = new Map<string, YamlPath>();
    const visit = (node: unknown, path: YamlPath): boolean => {
        if (YAML.isAlias(node)) {
            const at = anchors.get(node.source);
            if (at) for (const p of [...found]) if (startsWith(p, at)) found.push([...path, ...p.slice(at.length)]);
            return false;
        }
        if (!YAML.isNode(node)) return false;
        if (node.anchor) anchors.set(node.anchor, path);
        if (node.tag === RESET || node.tag === OVERRIDE) {
            found.push(path);
            const reset = node.tag === RESET;
            untag(node);
            return reset;
        }
        if (YAML.isMap(node)) {
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
        return false;
    };
    visit(doc.contents, []);
    return found;
}

/** Parses Compose YAML. Syntax errors become ComposeErrors with the file and line. */
export function parseComposeYaml(text: string, file: string): ComposeYaml {
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, {
        lineCounter,
        // `<<: *defaults` is common in Compose files (go-yaml supports merge keys).
        merge: true,
        // Gives errors their line (linePos).
        prettyErrors: true,
        customTags: (tags) => [legacyOctal, ...tags, ...mergeTags],
    });
    const error = doc.errors[0];
    if (error) {
        const line = error.linePos?.[0]?.line;
        const text = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        throw new ComposeError(`invalid YAML: ${text}`, "", undefined, file, line);
    }
    const resets = collectMergeTags(doc, (text) => {
        // A plain scalar's text read on its own gives the value it would have had untagged.
        try {
            const value: unknown = YAML.parse(text, { customTags: (tags) => [legacyOctal, ...tags] });
            return value !== null && typeof value === "object" ? text : value;
        } catch {
            return text;
        }
    });
    let data: unknown;
    try {
        data = doc.toJS({ maxAliasCount: 1000 });
    } catch (e) {
        throw new ComposeError(`invalid YAML: ${(e as Error).message}`, "", undefined, file);
    }
    if (data === null || data === undefined) data = {};
    if (typeof data !== "object" || Array.isArray(data)) {
        throw new ComposeError("a Compose file must be a mapping (services:, networks:, ...)", "", data, file, 1);
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
                    const pair = node.items.find((p) => (YAML.isScalar(p.key) ? p.key.value : p.key) === key);
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
