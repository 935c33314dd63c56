/**
 * Reads one Compose file: YAML to plain data, keeping the document so that errors found later
 * (schema, normalizer) can name the line of the bad value.
 */
import * as YAML from "yaml";
import { ComposeError } from "./errors";

/** A parsed Compose file. */
export interface ComposeYaml {
    /** Absolute path of the file. */
    readonly file: string;
    /** The file's content as plain data (`{}` for an empty file). */
    readonly data: Record<string, unknown>;
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

/** Parses Compose YAML. Syntax errors become ComposeErrors with the file and line. */
export function parseComposeYaml(text: string, file: string): ComposeYaml {
    const lineCounter = new YAML.LineCounter();
    const doc = YAML.parseDocument(text, {
        lineCounter,
        // `<<: *defaults` is common in Compose files (go-yaml supports merge keys).
        merge: true,
        // Gives errors their line (linePos).
        prettyErrors: true,
        customTags: (tags) => [legacyOctal, ...tags],
    });
    const error = doc.errors[0];
    if (error) {
        const line = error.linePos?.[0]?.line;
        const text = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
        throw new ComposeError(`invalid YAML: ${text}`, "", undefined, file, line);
    }
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
