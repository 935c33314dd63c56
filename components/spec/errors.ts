/**
 * The one error type for bad application input. It carries where the bad value is
 * (`services.web.ports[1]`), the value itself and, when it came from a file, the file name, so a
 * user can find and fix it without reading dockyard's code.
 */
export class SpecError extends Error {
    /** Path of the bad value inside the description, e.g. `services.web.ports[1]`. */
    public readonly path: string;
    /** The offending value (undefined when something is missing). */
    public readonly value: unknown;
    /** File the value came from, when there is one. */
    public readonly file?: string;
    /** What is wrong, without the location. */
    public readonly reason: string;

    constructor(reason: string, path: string, value?: unknown, file?: string) {
        super(SpecError.format(reason, path, value, file));
        this.name = "SpecError";
        this.reason = reason;
        this.path = path;
        this.value = value;
        this.file = file;
    }

    /** The same error, located in `file` (used when a description turns out to come from a file). */
    public inFile(file: string): SpecError {
        return this.file ? this : new SpecError(this.reason, this.path, this.value, file);
    }

    private static format(reason: string, path: string, value: unknown, file?: string): string {
        const where = [file, shortPath(path)].filter((p) => p !== undefined && p !== "").join(": ");
        return `${where ? where + ": " : ""}${shortText(reason, 600)}${got(path, value)}`;
    }
}

/** Text cut to `max` characters with an ellipsis in the middle (a message stays readable whatever a name's length). */
export function shortText(text: string, max: number): string {
    if (text.length <= max) return text;
    const half = Math.floor((max - 1) / 2);
    return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}

/** A path for a message: a key longer than 60 characters is cut (the path field keeps it whole). */
export function shortPath(path: string): string {
    return path.replace(/"(?:[^"\\]|\\.){60,}"|[^."[\]]{60,}/g, (seg) => shortText(seg, 40));
}

/**
 * Whether a variable's or setting's name says it holds a secret: one of its words (split at
 * `_`, `.`, `-` and camelCase) is password, pass, pw, passphrase, secret, token, key, apikey,
 * credentials or auth, or ends with password, passwd, secret or token (`PGPASSWORD`).
 * `DB_PASSWORD`, `API_KEY`, `githubToken` do; `KEYCLOAK_URL`, `MONKEY`, `PASSENGER` do not.
 */
export function isSensitiveName(name: string): boolean {
    const words = name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase().split(/[^a-z0-9]+/);
    return words.some((w) => /^(pw|pass|passwd|password|passphrase|secret|secrets|token|tokens|key|keys|apikey|credential|credentials|auth)$/.test(w) || /(password|passwd|passphrase|secret|token)$/.test(w));
}

/**
 * Whether the value at `path` may be a secret, so that a message shows its kind, not the value:
 * the inline content of a secret or config, and a variable (environment, build args) whose name
 * says it is a password, secret, token or key.
 */
export function isSensitivePath(path: string): boolean {
    // In a secret or config definition, every field but the known harmless ones (`content`, a
    // mis-indented `content`'s keys, unknown keys) may hold the secret itself.
    // A definition itself may be the secret, mis-indented (`secrets: {pw: s3cret}`).
    if (/^(secrets|configs)\.("(?:[^"\\]|\\.)*"|[^.[]+)$/.test(path)) return true;
    const def = /^(secrets|configs)\.("(?:[^"\\]|\\.)*"|[^.[]+)\.("(?:[^"\\]|\\.)*"|[^.[]+)/.exec(path);
    if (def && !["file", "environment", "name", "external", "labels", "driver", "driver_opts", "template_driver", "x-"].some((k) => def[3] === k || (k === "x-" && def[3].startsWith(k)))) return true;
    const m = /\.(environment|args)\.("(?:[^"\\]|\\.)*"|[^.[]+)/.exec(path);
    return m !== null && isSensitiveName(m[2].replace(/^"|"$/g, ""));
}

function kindOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a mapping";
    if (typeof value === "string") return `a string of ${value.length} characters`;
    return `a ${typeof value}`;
}

const HIDDEN = "<hidden>";

/**
 * A copy of a value for a message, with what may be secret inside it hidden: the `content` of a
 * secret or config, values of keys named like a secret, and `NAME=value` entries whose name is.
 */
function redacted(value: unknown, depth = 0): unknown {
    if (depth > 8) return "…";
    if (typeof value === "string") {
        const eq = value.indexOf("=");
        return eq > 0 && isSensitiveName(value.slice(0, eq)) ? `${value.slice(0, eq)}=${HIDDEN}` : value;
    }
    if (Array.isArray(value)) return value.slice(0, 20).map((v) => redacted(v, depth + 1));
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value).slice(0, 20)) {
            Object.defineProperty(out, k, { value: k === "content" || isSensitiveName(k) ? HIDDEN : redacted(v, depth + 1), enumerable: true });
        }
        return out;
    }
    return value;
}

/** ` (got <value>)` for a message, or its kind only where the value may be a secret; "" for undefined. */
export function got(path: string, value: unknown): string {
    if (value === undefined) return "";
    return isSensitivePath(path) ? ` (got ${kindOf(value)}, not shown: it may be a secret)` : ` (got ${describe(redacted(value))})`;
}

/** Renders a value for an error message, short and unambiguous. */
export function describe(value: unknown): string {
    let text: string;
    try {
        text = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
    } catch {
        text = String(value);
    }
    return text.length > 120 ? text.slice(0, 117) + "..." : text;
}

/** Joins path segments the way error messages show them: `services.web.ports[1]`. */
export function joinPath(base: string, key: string | number): string {
    if (typeof key === "number") return `${base}[${key}]`;
    const safe = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
    return base ? `${base}.${safe}` : safe;
}
