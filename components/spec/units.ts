/**
 * Parsers for the unit-carrying values of the model: durations (Go syntax, as Compose uses) and
 * sizes (Docker's binary units). They return plain numbers or throw SpecError at `path`.
 */
import { SpecError } from "./errors";

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses a duration to milliseconds: Go syntax (`1m30s`, `500ms`, `1.5h`), or a number of seconds
 * (TypeScript callers; Compose files always write strings). Negative durations are rejected.
 */
export function parseDurationMs(value: unknown, path: string): number {
    if (typeof value === "number") {
        if (!Number.isFinite(value) || value < 0) throw new SpecError("a duration must be a non-negative number of seconds", path, value);
        return Math.round(value * 1000);
    }
    if (typeof value !== "string" || value.trim() === "") {
        throw new SpecError('a duration must be a string such as "30s" or "1m30s"', path, value);
    }
    const text = value.trim();
    if (text === "0") return 0;
    const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
    let total = 0;
    let consumed = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
        total += parseFloat(m[1]) * DURATION_UNITS[m[2]];
        consumed = re.lastIndex;
    }
    if (consumed !== text.length || consumed === 0) {
        throw new SpecError('not a duration: use a number with a unit (ns, us, ms, s, m, h), such as "30s" or "1m30s"', path, value);
    }
    return Math.round(total * 1000) / 1000;
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Parses a size to bytes the way Docker does (binary units, case-insensitive, optional `b`/`ib`):
 * `50M`, `1.5g`, `512mb`, `1024`. A number is taken as bytes.
 */
export function parseBytes(value: unknown, path: string): number {
    if (typeof value === "number") {
        if (!Number.isFinite(value) || value < 0) throw new SpecError("a size must be a non-negative number of bytes", path, value);
        return Math.floor(value);
    }
    if (typeof value !== "string") throw new SpecError('a size must be a number of bytes or a string such as "512m" or "1.5g"', path, value);
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?\s*$/i.exec(value);
    if (!m || (m[3] && m[3].toLowerCase() === "ib" && !m[2])) {
        throw new SpecError('not a size: use bytes or a number with b, k, m, g, t or p, such as "512m" or "1.5g"', path, value);
    }
    return Math.floor(parseFloat(m[1]) * SIZE_UNITS[m[2].toLowerCase()]);
}

/** Parses a CPU count (`0.5`, `"1.5"`). */
export function parseCpus(value: unknown, path: string): number {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
        throw new SpecError("cpus must be a non-negative number such as 0.5", path, value);
    }
    return n;
}

/** Formats milliseconds as a Go duration string (`90s`, `1500ms`), as Docker's APIs take them. */
export function formatDuration(ms: number): string {
    if (ms % 1000 === 0) return `${ms / 1000}s`;
    if (Number.isInteger(ms)) return `${ms}ms`;
    return `${Math.round(ms * 1000)}us`;
}
