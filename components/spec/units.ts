/**
 * Parsers for the unit-carrying values of the model: durations (Go syntax, as Compose uses) and
 * sizes (Docker's binary units). They return plain numbers or throw SpecError at `path`.
 */
import { SpecError } from "./errors";

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Longest duration, in milliseconds: Go's (Docker's, Compose's) time.Duration is a 64-bit count of nanoseconds, about 292 years. */
export const MAX_DURATION_MS = 9_223_372_036_854.775;
/** Largest size, in bytes: the largest whole number a JavaScript number holds exactly (8 PiB). */
export const MAX_BYTES = Number.MAX_SAFE_INTEGER;
/** Most CPUs a limit or reservation may ask for. */
export const MAX_CPUS = 4096;
/** Fewest CPUs a non-zero limit may ask for: one thousandth (Kubernetes' `1m`). */
export const MIN_CPUS = 0.001;

function checkDuration(ms: number, path: string, value: unknown): number {
    if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) {
        throw new SpecError("a duration must be at most 2562047h (Go's limit, about 292 years)", path, value);
    }
    return ms;
}

/**
 * Parses a duration to milliseconds: Go syntax (`1m30s`, `500ms`, `1.5h`), or a number of seconds
 * (TypeScript callers; Compose files always write strings). Negative durations are rejected.
 */
export function parseDurationMs(value: unknown, path: string): number {
    if (typeof value === "number") {
        if (!Number.isFinite(value) || value < 0) throw new SpecError("a duration must be a non-negative number of seconds", path, value);
        return checkDuration(Math.round(value * 1000), path, value);
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
    return checkDuration(Math.round(total * 1000) / 1000, path, value);
}

const SIZE_UNITS: Record<string, number> = { "": 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/**
 * Parses a size to bytes the way Docker does (binary units, case-insensitive, optional `b`/`ib`):
 * `50M`, `1.5g`, `512mb`, `1024`. A number is taken as bytes.
 */
export function parseBytes(value: unknown, path: string): number {
    if (typeof value === "number") {
        if (!Number.isFinite(value) || value < 0) throw new SpecError("a size must be a non-negative number of bytes", path, value);
        return checkBytes(Math.floor(value), path, value);
    }
    if (typeof value !== "string") throw new SpecError('a size must be a number of bytes or a string such as "512m" or "1.5g"', path, value);
    const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?\s*$/i.exec(value);
    if (!m || (m[3] && m[3].toLowerCase() === "ib" && !m[2])) {
        throw new SpecError('not a size: use bytes or a number with b, k, m, g, t or p, such as "512m" or "1.5g"', path, value);
    }
    return checkBytes(Math.floor(parseFloat(m[1]) * SIZE_UNITS[m[2].toLowerCase()]), path, value);
}

function checkBytes(bytes: number, path: string, value: unknown): number {
    if (!Number.isFinite(bytes) || bytes > MAX_BYTES) throw new SpecError("a size must be at most 8 PiB (9007199254740991 bytes)", path, value);
    return bytes;
}

/** Parses a CPU count (`0.5`, `"1.5"`). */
export function parseCpus(value: unknown, path: string): number {
    const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof n !== "number" || !Number.isFinite(n) || n < 0) {
        throw new SpecError("cpus must be a non-negative number such as 0.5", path, value);
    }
    if (n > MAX_CPUS) throw new SpecError(`cpus must be at most ${MAX_CPUS}`, path, value);
    if (n > 0 && n < MIN_CPUS) throw new SpecError(`cpus must be 0 or at least ${MIN_CPUS} (one thousandth of a CPU)`, path, value);
    return n;
}

/**
 * Formats milliseconds as a Go duration string (`90s`, `1500ms`), which Docker's APIs parse. This is
 * not the form the Docker provider reads back; targets write {@link goDuration} or
 * {@link goShortDuration}, or every preview shows a change.
 */
export function formatDuration(ms: number): string {
    if (ms % 1000 === 0) return `${ms / 1000}s`;
    if (Number.isInteger(ms)) return `${ms}ms`;
    return `${Math.round(ms * 1000)}us`;
}

const NS_PER_SECOND = 1_000_000_000n;

/** The fractional digits of `v / 10^prec` without trailing zeros (Go's `fmtFrac`), and the integer part. */
function fraction(v: bigint, prec: number): [string, bigint] {
    const unit = 10n ** BigInt(prec);
    const digits = (v % unit).toString().padStart(prec, "0").replace(/0+$/, "");
    return [digits === "" ? "" : `.${digits}`, v / unit];
}

/**
 * Formats milliseconds exactly as Go's `time.Duration.String()` does: `0s`, `1.5µs`, `500ms`,
 * `1.5s`, `1m30s`, `1m0s`, `1h0m0s`. The Docker provider reads container healthcheck durations
 * back in this form, so writing it keeps previews free of changes. Precision is one nanosecond.
 */
export function goDuration(ms: number): string {
    const ns = BigInt(Math.round(ms * 1e6));
    if (ns === 0n) return "0s";
    if (ns < NS_PER_SECOND) {
        const [unit, prec] = ns < 1000n ? ["ns", 0] : ns < 1_000_000n ? ["µs", 3] : ["ms", 6];
        const [frac, whole] = fraction(ns, prec as number);
        return `${whole}${frac}${unit}`;
    }
    const [frac, seconds] = fraction(ns, 9);
    const minutes = seconds / 60n;
    const hours = minutes / 60n;
    return `${hours > 0n ? `${hours}h` : ""}${minutes > 0n ? `${minutes % 60n}m` : ""}${seconds % 60n}${frac}s`;
}

/**
 * Formats milliseconds as the Docker provider reads Swarm service durations back: Go's
 * `time.Duration.String()` with a trailing zero unit dropped (the provider's `shortDur`): `10s`,
 * `1m30s`, `1m`, `1h`, `1h30m`, `1h0m30s`, `500ms`.
 */
export function goShortDuration(ms: number): string {
    let s = goDuration(ms);
    if (s.endsWith("m0s")) s = s.slice(0, -2);
    if (s.endsWith("h0m")) s = s.slice(0, -2);
    return s;
}
