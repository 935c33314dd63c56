/**
 * Variable interpolation as Docker Compose does it (compose-go `template`): `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`,
 * `${VAR+alt}`, `$$` for a literal `$`, and nested expressions in defaults
 * (`${A:-${B:-x}}`). A `$` not followed by a name or `{` stays as written (`$2a$14$...`).
 * Applied to values only, never to keys, before schema validation.
 */
import { joinPath } from "../spec/errors";
import { setOwn } from "../spec/records";
import { ComposeError } from "./errors";

/** Deepest nesting of `${...}` expressions (`${A:-${B:-x}}` is two). */
export const MAX_TEMPLATE_DEPTH = 32;

/** Looks a variable up; undefined means unset (an empty string is set). */
export type Lookup = (name: string) => string | undefined;

/** Where a template is, for errors and warnings. */
export interface TemplateSite {
    readonly file?: string;
    readonly path: string;
    /** Called with the name of each variable that is unset and has no default. */
    readonly onUnset?: (name: string) => void;
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** Interpolates one string. @throws ComposeError for `${VAR:?}` on an unset variable or a malformed `${...}`. */
export function interpolate(template: string, lookup: Lookup, site: TemplateSite): string {
    return interpolateAt(template, lookup, site, 0);
}

function interpolateAt(template: string, lookup: Lookup, site: TemplateSite, depth: number): string {
    if (depth > MAX_TEMPLATE_DEPTH) {
        throw new ComposeError(`variable expressions nest deeper than ${MAX_TEMPLATE_DEPTH} levels (\${A:-\${B:-...}})`, site.path, undefined, site.file);
    }
    const invalid = (): never => {
        throw new ComposeError("invalid interpolation: use $VAR, ${VAR}, ${VAR:-default} or $$ for a literal $", site.path, template, site.file);
    };
    let out = "";
    let i = 0;
    while (i < template.length) {
        const c = template[i];
        if (c !== "$") {
            out += c;
            i++;
            continue;
        }
        const next = template[i + 1];
        if (next === "$") {
            out += "$";
            i += 2;
        } else if (next !== undefined && NAME_START.test(next)) {
            let j = i + 1;
            while (j < template.length && NAME_CHAR.test(template[j])) j++;
            out += resolve(template.slice(i + 1, j), lookup, site);
            i = j;
        } else if (next === "{") {
            const end = closingBrace(template, i + 2);
            if (end < 0) invalid();
            out += expand(template.slice(i + 2, end), lookup, site, invalid, depth);
            i = end + 1;
        } else {
            // A lone `$` (end of string, `$}`, `$2`): literal, as in compose-go.
            out += "$";
            i++;
        }
    }
    return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`, counting nested `${...}`. */
function closingBrace(text: string, from: number): number {
    let depth = 1;
    for (let i = from; i < text.length; i++) {
        if (text[i] === "$" && text[i + 1] === "{") {
            depth++;
            i++;
        } else if (text[i] === "}") {
            depth--;
            if (depth === 0) return i;
        }
    }
    return -1;
}

function resolve(name: string, lookup: Lookup, site: TemplateSite): string {
    const value = lookup(name);
    if (value === undefined) site.onUnset?.(name);
    return value ?? "";
}

const OPERATORS = [":-", "-", ":?", "?", ":+", "+"] as const;

/** Expands the body of `${...}`. */
function expand(body: string, lookup: Lookup, site: TemplateSite, invalid: () => never, depth: number): string {
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(body);
    if (!m) return invalid();
    const name = m[0];
    const rest = body.slice(name.length);
    if (rest === "") return resolve(name, lookup, site);
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) return invalid();
    // The operand is itself a template, expanded first, as compose-go does.
    const operand = interpolateAt(rest.slice(op.length), lookup, site, depth + 1);
    const value = lookup(name);
    switch (op) {
        case ":-":
            return value === undefined || value === "" ? operand : value;
        case "-":
            return value === undefined ? operand : value;
        case ":+":
            return value !== undefined && value !== "" ? operand : value ?? "";
        case "+":
            return value !== undefined ? operand : "";
        case ":?":
        case "?":
            if (value === undefined || (op === ":?" && value === "")) {
                throw new ComposeError(
                    `required variable ${name} is missing a value${operand ? ": " + operand : ""}`,
                    site.path,
                    "${" + body + "}",
                    site.file,
                );
            }
            return value;
    }
}

/**
 * Interpolates every string value of a parsed Compose tree (keys are left as written).
 * Returns a new tree; `path` is the Compose path of `value`.
 */
export function interpolateTree(value: unknown, lookup: Lookup, file: string | undefined, onUnset: (name: string, path: string) => void, path = ""): unknown {
    if (typeof value === "string") {
        return value.includes("$") ? interpolate(value, lookup, { file, path, onUnset: (name) => onUnset(name, path) }) : value;
    }
    if (Array.isArray(value)) return value.map((v, i) => interpolateTree(v, lookup, file, onUnset, joinPath(path, i)));
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) setOwn(out, k, interpolateTree(v, lookup, file, onUnset, joinPath(path, k)));
        return out;
    }
    return value;
}
