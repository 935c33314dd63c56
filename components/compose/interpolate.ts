/**
 * Variable interpolation as Docker Compose does it (compose-go `template`): `$VAR`, `${VAR}`,
 * `${VAR:-default}`, `${VAR-default}`, `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`,
 * `${VAR+alt}`, `$$` for a literal `$`, and expressions in defaults (`${A:-${B:-x}}`), evaluated
 * only when used. A `$` not followed by a name, `$` or `{` stays as written (`$2a$14$...`).
 * Applied to values only, never to keys, before schema validation.
 *
 * Where an expression with an operator ends is found as compose-go finds it: its pattern takes
 * everything up to the last `}` of the line, then the first `}` that balances the `{`s counted
 * from `${` closes it (`${A:-{"json":1}}` has the default `{"json":1}`); without a balancing `}`
 * the expression runs to that last `}` of the line. An expression does not span lines.
 */
import { joinPath } from "../spec/errors";
import { setOwn } from "../spec/records";
import { ComposeError } from "./errors";

/** Deepest nesting of `${...}` expressions evaluated (`${A:-${B:-x}}` is two). */
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

const NAME = /[_A-Za-z][_A-Za-z0-9]*/y;
const OPERATOR = /:?[-+?]/y;

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
    // The last `}` of the line that holds `from`, or -1 (an expression with an operator ends there at the latest).
    let lineEnd = -1;
    let lastBrace = -1;
    const lastBraceOfLine = (from: number): number => {
        if (from > lineEnd) {
            lineEnd = template.indexOf("\n", from);
            if (lineEnd < 0) lineEnd = template.length;
            lastBrace = template.lastIndexOf("}", lineEnd - 1);
        }
        return lastBrace >= from ? lastBrace : -1;
    };
    let out = "";
    let i = 0;
    while (i < template.length) {
        const dollar = template.indexOf("$", i);
        if (dollar < 0) {
            out += template.slice(i);
            break;
        }
        out += template.slice(i, dollar);
        i = dollar;
        const next = template[i + 1];
        if (next === "$") {
            out += "$";
            i += 2;
            continue;
        }
        if (next !== "{") {
            NAME.lastIndex = i + 1;
            const m = NAME.exec(template);
            if (m) {
                out += resolve(m[0], lookup, site);
                i = NAME.lastIndex;
            } else {
                // A lone `$` (end of string, `$}`, `$2`): literal, as in compose-go.
                out += "$";
                i++;
            }
            continue;
        }
        NAME.lastIndex = i + 2;
        const m = NAME.exec(template);
        if (!m) return invalid();
        const name = m[0];
        let j = NAME.lastIndex;
        if (template[j] === "}") {
            out += resolve(name, lookup, site);
            i = j + 1;
            continue;
        }
        OPERATOR.lastIndex = j;
        const op = OPERATOR.exec(template)?.[0];
        if (op === undefined) return invalid();
        j += op.length;
        const last = lastBraceOfLine(j);
        if (last < 0) return invalid();
        const end = closingBrace(template, i, last);
        out += expand(name, op, template.slice(j, end), lookup, site, depth);
        i = end + 1;
    }
    return out;
}

/**
 * The `}` closing the expression that starts at `start` (`${`) and may run to `last`: the first
 * `}` that brings the count of `{` back to zero, a `{` hiding the character after it, as
 * compose-go's `getFirstBraceClosingIndex` counts; `last` when none does.
 */
function closingBrace(text: string, start: number, last: number): number {
    let open = 0;
    for (let k = start; k <= last; k++) {
        const c = text[k];
        if (c === "}") {
            open--;
            if (open === 0) return k;
        } else if (c === "{") {
            open++;
            k++;
        }
    }
    return last;
}

function resolve(name: string, lookup: Lookup, site: TemplateSite): string {
    const value = lookup(name);
    if (value === undefined) site.onUnset?.(name);
    return value ?? "";
}

/** Expands `${name<op><operand>}`; the operand is itself a template, expanded only when it is used. */
function expand(name: string, op: string, operand: string, lookup: Lookup, site: TemplateSite, depth: number): string {
    const value = lookup(name);
    const use = () => interpolateAt(operand, lookup, site, depth + 1);
    switch (op) {
        case ":-":
            return value === undefined || value === "" ? use() : value;
        case "-":
            return value === undefined ? use() : value;
        case ":+":
            return value !== undefined && value !== "" ? use() : value ?? "";
        case "+":
            return value !== undefined ? use() : "";
        default: {
            // ":?" and "?"
            if (value !== undefined && (op === "?" || value !== "")) return value;
            const message = use();
            throw new ComposeError(`required variable ${name} is missing a value${message ? ": " + message : ""}`, site.path, `\${${name}${op}${operand}}`, site.file);
        }
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
