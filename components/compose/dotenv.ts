/**
 * The `.env` / `env_file` format as Compose reads it (compose-go `dotenv`): `KEY=VALUE` (or
 * `KEY: VALUE`) statements, an optional `export `, `#` comment lines, and:
 *
 * - a name is letters and digits (any script), `_`, `.`, `-`, `[` and `]`; spaces around it are
 *   dropped, a space inside it is an error; a name may start with a digit;
 * - an unquoted value runs to the end of the line, without what follows ` #` and without
 *   trailing whitespace; no escapes;
 * - a single-quoted value is literal (`\'` is a quote) and may span lines;
 * - a double-quoted value may span lines; `\"` is a quote, `\n \r \t \a \b \f \v \\` and octal
 *   `\0NNN` are expanded, `\$` is a literal `$`, any other backslash stays as written;
 * - after a quoted value the line may go on with a comment, or even another statement;
 * - unquoted and double-quoted values are interpolated: `${FOO}` is looked up in the given
 *   environment first (the process, the project), then among the variables set so far;
 * - a bare `KEY` takes its value from the given environment, or is left out when unset.
 *
 * `env_file` entries may also say `format: raw`: the `docker run --env-file` format, which
 * Docker Compose reads with docker/cli's `kvfile` parser (`parseRawEnvFile`).
 */
import { getOwn, setOwn } from "../spec/records";
import { ComposeError } from "./errors";
import { interpolate, Lookup } from "./interpolate";

/*
 * An env file holds secrets: no message quotes a line or a value of it. Errors name the file,
 * the line and, when it is a valid name, the variable.
 */

/** Refuses what is not text: NUL bytes (a binary file, or /proc/<pid>/environ). */
function checkText(text: string, file: string): void {
    const nul = text.indexOf("\u0000");
    if (nul >= 0) {
        const line = text.slice(0, nul).split("\n").length;
        throw new ComposeError("not an env file: it holds NUL bytes (a binary file?)", `line ${line}`, undefined, file, line);
    }
}

/** Go's `unicode.IsSpace`. */
const UNICODE_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
/** compose-go's `isSpace`: blanks that are not a line break. */
const BLANK = /[\t\v\f\r \u0085\u00a0]/;
const NAME_CHAR = /[\p{L}\p{N}_.\-\[\]]/u;
/** `export` and the whitespace after it (Go's `\s`: no vertical tab). */
const EXPORT = /^export[\t\n\f\r ]+/;
/** The escapes expanded in a double-quoted value. */
const ESCAPE = /\\(?:[abcfnrtv$"\\]|0\d{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = { a: "\x07", b: "\b", c: "\\c", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", '"': '"', "\\": "\\" };

function trimStartWhile(s: string, re: RegExp): string {
    let i = 0;
    while (i < s.length && re.test(s[i])) i++;
    return s.slice(i);
}

function trimEndWhile(s: string, re: RegExp): string {
    let i = s.length;
    while (i > 0 && re.test(s[i - 1])) i--;
    return s.slice(0, i);
}

/**
 * The escapes of a double-quoted value, as compose-go's `expandEscapes` (Go's `UnquoteChar` on
 * each): `\$` becomes `$$` for the interpolation to make a literal `$` of; `\0NNN` is the octal
 * `\NNN` (three digits up to 377), else the escape is left with its `0` dropped, as there.
 */
export function expandEscapes(text: string): string {
    return text.replace(ESCAPE, (match) => {
        if (match === "\\$") return "$$";
        if (match[1] !== "0") return SIMPLE_ESCAPES[match[1]];
        const digits = match.slice(2);
        if (/^[0-7]{3}$/.test(digits)) {
            const code = parseInt(digits, 8);
            if (code <= 0o377) return String.fromCharCode(code);
        }
        return "\\" + digits;
    });
}

/**
 * compose-go's `dotenv/parser.go`, statement by statement, writing into `vars`. `line` is the
 * line the parser is at; errors name the line a statement starts on.
 */
class Parser {
    line = 1;

    constructor(
        private readonly file: string,
        private readonly lookup: Lookup,
        private readonly vars: Record<string, string>,
    ) {}

    fail(reason: string, line: number, key?: string): never {
        throw new ComposeError(`invalid line in env file: ${reason}`, key ?? `line ${line}`, undefined, this.file, line);
    }

    /** Skips whitespace (counting lines) and comment lines; "" at the end. */
    statementStart(src: string): string {
        let i = 0;
        for (;;) {
            while (i < src.length && UNICODE_SPACE.test(src[i])) {
                if (src[i] === "\n") this.line++;
                i++;
            }
            if (i >= src.length) return "";
            if (src[i] !== "#") return src.slice(i);
            const eol = src.indexOf("\n", i);
            if (eol < 0) return "";
            i = eol;
        }
    }

    parse(src: string): void {
        let cutset = src;
        for (;;) {
            cutset = this.statementStart(cutset);
            if (cutset === "") return;
            cutset = this.statement(cutset);
        }
    }

    /** One `KEY=value` or bare `KEY` statement; returns what follows it. */
    statement(src: string): string {
        const line = this.line;
        if (EXPORT.test(src)) src = trimStartWhile(src.slice("export".length), BLANK);
        // The name runs to `=`, `:` or the end of the line; blanks are skipped (and refused later).
        let end = -1;
        for (let i = 0; i < src.length; ) {
            const c = String.fromCodePoint(src.codePointAt(i)!);
            if (c === "=" || c === ":" || c === "\n") {
                end = i;
                break;
            }
            if (!BLANK.test(c) && !NAME_CHAR.test(c)) {
                const name = src.slice(0, i).trim();
                const shown = name !== "" && name.length <= 64 && /^[^\n]*[=:]/.test(src) ? `"${name}" ` : "a variable name ";
                this.fail(`${shown}is followed by ${JSON.stringify(c)}, which a variable name cannot hold (letters, digits, '_', '.', '-', '[' and ']')`, line);
            }
            i += c.length;
        }
        const separator = end < 0 ? "" : src[end];
        const key = trimEndWhile(end < 0 ? src : src.slice(0, end), UNICODE_SPACE);
        const rest = trimStartWhile(end < 0 ? "" : src.slice(end + 1), BLANK);
        const separated = separator === "=" || separator === ":";
        if (key === "") this.fail("a line has a value but no variable name before the '='", line);
        if (key.includes(" ")) {
            this.fail(separated && key.length <= 64 ? `"${key}": a variable name cannot contain a space` : "a variable name cannot contain a space (the line is not shown: it may hold a secret)", line);
        }
        if (!separated) {
            // A bare `KEY`: from the environment, or left out.
            if (separator === "\n") this.line++;
            const value = this.lookup(key);
            if (value !== undefined) setOwn(this.vars, key, value);
            return rest;
        }
        const [value, after] = this.value(rest, key, line);
        setOwn(this.vars, key, value);
        return after;
    }

    /** The value at the start of `src` (after the `=`), and what follows it. */
    value(src: string, key: string, line: number): [string, string] {
        const quote = src[0];
        if (quote !== '"' && quote !== "'") {
            let eol = src.indexOf("\n");
            if (eol < 0) eol = src.length;
            this.line++;
            let value = src.slice(0, eol);
            const comment = value.indexOf(" #");
            if (comment >= 0) value = value.slice(0, comment);
            return [this.expand(trimEndWhile(value, UNICODE_SPACE), key, line), src.slice(eol + 1)];
        }
        let chars = "";
        let escaped = false;
        for (let i = 1; i < src.length; i++) {
            const c = src[i];
            if (c === "\n") this.line++;
            if (c !== quote) {
                if (!escaped && c === "\\") {
                    escaped = true;
                    continue;
                }
                if (escaped) {
                    escaped = false;
                    chars += "\\";
                }
                chars += c;
                continue;
            }
            if (escaped) {
                // An escaped quote is the quote itself.
                escaped = false;
                chars += c;
                continue;
            }
            const value = quote === '"' ? this.expand(expandEscapes(chars), key, line) : chars;
            return [value, src.slice(i + 1)];
        }
        throw new ComposeError(`unterminated ${quote} quote in env file`, key, undefined, this.file, line);
    }

    /** Interpolates a value: the environment first, then the variables set so far. An error names the variable and line, not the value. */
    expand(text: string, key: string, line: number): string {
        if (!text.includes("$")) return text;
        try {
            return interpolate(text, (name) => this.lookup(name) ?? getOwn(this.vars, name), { file: this.file, path: key });
        } catch (e) {
            if (!(e instanceof ComposeError)) throw e;
            throw new ComposeError(e.reason, key, undefined, this.file, line);
        }
    }
}

/**
 * Parses dotenv text into `vars` (a new map by default; give the map of the variables read so far
 * to have them seen by `${...}`, as Compose does across env files). `lookup` is the environment:
 * it resolves bare keys, and `${VAR}` before the variables in `vars`.
 * @returns `vars`
 * @throws ComposeError naming the file and line of a malformed entry.
 */
export function parseDotenv(text: string, file: string, lookup: Lookup, vars: Record<string, string> = {}): Record<string, string> {
    checkText(text, file);
    new Parser(file, lookup, vars).parse(text.replace(/^\uFEFF/, ""));
    return vars;
}

/**
 * Parses an env file in the raw format (`env_file: {path, format: raw}`), as docker/cli's
 * `kvfile` does: leading whitespace is dropped, blank lines and lines starting with `#` are
 * skipped, a line is `KEY=VALUE` split at the first `=`, and the value is taken verbatim —
 * quotes, `$`, `#` and trailing whitespace included, nothing interpolated. A bare `KEY` takes the
 * value from `lookup`, or is left out when that is unset.
 * @returns `vars` (a new map by default), with the file's variables set
 * @throws ComposeError naming the file and line of a line without a name or a name with whitespace.
 */
export function parseRawEnvFile(text: string, file: string, lookup: Lookup, vars: Record<string, string> = {}): Record<string, string> {
    checkText(text, file);
    const out = vars;
    text.replace(/^\uFEFF/, "").split("\n").forEach((raw, i) => {
        const line = raw.replace(/\r$/, "").replace(/^\s+/, "");
        if (line === "" || line.startsWith("#")) return;
        const eq = line.indexOf("=");
        const key = eq < 0 ? line : line.slice(0, eq);
        if (key === "") throw new ComposeError("invalid line in env file: no variable name before '=' (the line is not shown: it may hold a secret)", `line ${i + 1}`, undefined, file, i + 1);
        if (/[ \t]/.test(key)) {
            throw new ComposeError(`invalid line in env file: ${eq >= 0 && key.length <= 64 ? `variable "${key}" contains whitespace` : "a variable name contains whitespace (the line is not shown: it may hold a secret)"}`,
                `line ${i + 1}`, undefined, file, i + 1);
        }
        if (eq >= 0) setOwn(out, key, line.slice(eq + 1));
        else {
            const value = lookup(key);
            if (value !== undefined) setOwn(out, key, value);
        }
    });
    return out;
}
