/**
 * The `.env` / `env_file` format as Compose reads it: `KEY=VALUE` lines, optional `export `,
 * `#` comments (whole line, or after whitespace in an unquoted value), single quotes literal,
 * double quotes with `\n`-style escapes, both may span lines; unquoted and double-quoted values
 * are interpolated from the variables above them and the environment. A bare `KEY` takes the
 * value from the environment, or is left out when that is unset.
 *
 * `env_file` entries may also say `format: raw`: the `docker run --env-file` format, which
 * Docker Compose reads with docker/cli's `kvfile` parser (`parseRawEnvFile`).
 */
import { hasOwn, setOwn } from "../spec/records";
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

/**
 * The name part of a bad line, for a message: shown only when the line has a `=` (so the name
 * is not the whole line) and is short; otherwise the line may be a secret pasted on its own.
 */
function shownName(key: string, separated: boolean): string {
    return separated && key.length <= 64 && key !== ""
        ? `"${key}" is not a variable name (letters, digits, '_', '.' and '-', not starting with a digit)`
        : "a line must be NAME=VALUE (the line is not shown: it may hold a secret)";
}

/** Interpolates an env-file value; an error names the variable and line, not the value. */
function interpolateValue(text: string, lookup: Lookup, file: string, key: string, line: number): string {
    try {
        return interpolate(text, lookup, { file, path: key });
    } catch (e) {
        if (!(e instanceof ComposeError)) throw e;
        throw new ComposeError(e.reason, key, undefined, file, line);
    }
}

const KEY_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/**
 * Parses dotenv text. `lookup` resolves `${VAR}` and bare keys not defined earlier in the file.
 * @throws ComposeError naming the file and line of a malformed entry.
 */
export function parseDotenv(text: string, file: string, lookup: Lookup): Record<string, string> {
    checkText(text, file);
    const out: Record<string, string> = {};
    const scoped: Lookup = (name) => (hasOwn(out, name) ? out[name] : lookup(name));
    const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    let i = 0;
    let line = 1;
    while (i < src.length) {
        const lineStart = line;
        let eol = src.indexOf("\n", i);
        if (eol < 0) eol = src.length;
        const raw = src.slice(i, eol);
        const trimmed = raw.trim();
        if (trimmed === "" || trimmed.startsWith("#")) {
            i = eol + 1;
            line++;
            continue;
        }
        const body = trimmed.replace(/^export\s+/, "");
        const eq = body.search(/[=:]/);
        const key = (eq < 0 ? body : body.slice(0, eq)).trim();
        if (!KEY_RE.test(key)) {
            throw new ComposeError(`invalid line in env file: ${shownName(key, eq >= 0)}`, `line ${lineStart}`, undefined, file, lineStart);
        }
        if (eq < 0) {
            const value = lookup(key);
            if (value !== undefined) setOwn(out, key, value);
            i = eol + 1;
            line++;
            continue;
        }
        // Position of the value in `src` (it may run past this line when quoted).
        let j = i + raw.indexOf(body) + eq + 1;
        while (j < eol && (src[j] === " " || src[j] === "\t")) j++;
        const quote = src[j];
        let value: string;
        if (quote === "'" || quote === '"') {
            let k = j + 1;
            let content = "";
            for (; k < src.length && src[k] !== quote; k++) {
                if (src[k] === "\n") line++;
                if (quote === '"' && src[k] === "\\" && k + 1 < src.length) {
                    const e = src[++k];
                    content += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e;
                } else content += src[k];
            }
            if (k >= src.length) throw new ComposeError(`unterminated ${quote} quote in env file`, key, undefined, file, lineStart);
            value = quote === '"' ? interpolateValue(content, scoped, file, key, lineStart) : content;
            const after = src.indexOf("\n", k);
            i = after < 0 ? src.length : after + 1;
            line++;
        } else {
            let text = src.slice(j, eol);
            const comment = text.search(/\s#/);
            if (comment >= 0) text = text.slice(0, comment);
            value = interpolateValue(text.trim(), scoped, file, key, lineStart);
            i = eol + 1;
            line++;
        }
        setOwn(out, key, value);
    }
    return out;
}

/**
 * Parses an env file in the raw format (`env_file: {path, format: raw}`), as docker/cli's
 * `kvfile` does: leading whitespace is dropped, blank lines and lines starting with `#` are
 * skipped, a line is `KEY=VALUE` split at the first `=`, and the value is taken verbatim —
 * quotes, `$`, `#` and trailing whitespace included, nothing interpolated. A bare `KEY` takes the
 * value from `lookup`, or is left out when that is unset.
 * @throws ComposeError naming the file and line of a line without a name or a name with whitespace.
 */
export function parseRawEnvFile(text: string, file: string, lookup: Lookup): Record<string, string> {
    checkText(text, file);
    const out: Record<string, string> = {};
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
