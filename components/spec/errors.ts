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
        const where = [file, path].filter((p) => p !== undefined && p !== "").join(": ");
        const got = value === undefined ? "" : ` (got ${describe(value)})`;
        return `${where ? where + ": " : ""}${reason}${got}`;
    }
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
