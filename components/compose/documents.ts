/**
 * Multi-document Compose files: compose-go reads every YAML document of a file (separated by
 * `---`) as a layer of its own, merged in order like the files given with `-f` (a `compose
 * publish` artifact is such a file). Each document is parsed by `parseComposeYaml` on the file's
 * text with everything outside the document blanked, so its offsets, lines and errors are those
 * of the file.
 */
import * as YAML from "yaml";
import { ComposeYaml, parseComposeYaml } from "./yaml";

/** A document start or end marker at the start of a line. */
const MARKER_LINE = /^(---|\.\.\.)(\s|$)/;

/**
 * Whether a marker follows content (anything but blank lines and comments): only then may the
 * file hold more than one document. A leading `---`, which many Compose files start with, does
 * not, and such a file is parsed once, not split first (a second full parse of a large file).
 */
function markerAfterContent(text: string): boolean {
    let content = false;
    for (const line of text.split("\n")) {
        if (MARKER_LINE.test(line)) {
            if (content) return true;
            continue;
        }
        if (!content && line.trim() !== "" && !line.trimStart().startsWith("#")) content = true;
    }
    return false;
}

function isEmpty(doc: YAML.Document): boolean {
    return doc.contents === null || doc.contents === undefined || (YAML.isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === undefined));
}

/**
 * The documents of a Compose file, in order; one for a file of one document (or none at all).
 * Empty documents (a trailing `---`) are left out, unless the file has nothing else.
 */
export function parseComposeDocuments(text: string, file: string): ComposeYaml[] {
    if (!markerAfterContent(text)) return [parseComposeYaml(text, file)];
    let docs: YAML.Document[];
    try {
        // Only the documents' ranges are used here; parseComposeYaml checks each document's keys
        // (the library's own duplicate-key check compares every key with every other: quadratic).
        docs = YAML.parseAllDocuments(text, { uniqueKeys: false }) as YAML.Document[];
    } catch {
        // Too deep for the parser: parseComposeYaml says so, with the file.
        return [parseComposeYaml(text, file)];
    }
    if (!Array.isArray(docs) || docs.length <= 1) return [parseComposeYaml(text, file)];
    const ranges = docs.filter((d) => !isEmpty(d) || d.errors.length > 0).map((d) => d.range ?? [0, text.length, text.length]);
    if (ranges.length === 0) return [parseComposeYaml("", file)];
    return ranges.map(([start, , end]) => parseComposeYaml(text.slice(0, start).replace(/[^\n]/g, " ") + text.slice(start, end), file));
}
