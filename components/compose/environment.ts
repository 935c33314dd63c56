/**
 * A service's environment as Compose computes it: `env_file` entries in order (string, list, or
 * long form `{path, required, format}`; `format: raw` reads the file verbatim), then
 * `environment` (map or `KEY=VALUE` list) on top. A variable without a value (`FOO` in a list,
 * `FOO:` / `FOO: null` in a map) takes its value from the project environment (process
 * environment over `.env`), and is left out when that is unset.
 */
import * as fs from "fs";
import * as path from "path";
import { joinPath } from "../spec/errors";
import { FileReadError, MAX_ENV_FILE_BYTES, isWindowsPath, readRegularFile } from "../spec/files";
import { setOwn } from "../spec/records";
import { parseDotenv, parseRawEnvFile } from "./dotenv";
import { ComposeError } from "./errors";
import { Lookup } from "./interpolate";

/** Where to find env files and the project environment. */
export interface EnvironmentContext {
    /** Directory relative `env_file` paths are resolved against. */
    readonly projectDir: string;
    /** The project environment. */
    readonly lookup: Lookup;
    /** File named in errors. */
    readonly file?: string;
    /** Why an env file may not be read where it is (outside the project…), or undefined when it may. */
    readonly locationProblem?: (file: string) => string | undefined;
}

function scalar(v: unknown): string {
    return typeof v === "string" ? v : String(v);
}

/**
 * Applies a map-or-list of variables onto `out`; `null` values come from the environment.
 * Used for `environment` and `build.args`, which Compose resolves the same way.
 */
export function applyMapOrList(out: Record<string, string>, value: unknown, lookup: Lookup): void {
    const set = (key: string, v: unknown) => {
        if (v === null || v === undefined) {
            const found = lookup(key);
            if (found !== undefined) setOwn(out, key, found);
        } else setOwn(out, key, scalar(v));
    };
    if (Array.isArray(value)) {
        for (const entry of value) {
            const text = scalar(entry);
            const eq = text.indexOf("=");
            if (eq < 0) set(text, null);
            else set(text.slice(0, eq), text.slice(eq + 1));
        }
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) set(k, v);
    }
}

/**
 * Resolves `env_file` and `environment` of one service into a plain map.
 * @throws ComposeError when a required env file is missing or malformed.
 */
export function serviceEnvironment(envFile: unknown, environment: unknown, where: string, ctx: EnvironmentContext): Record<string, string> {
    const out: Record<string, string> = {};
    const entries = envFile === undefined || envFile === null ? [] : Array.isArray(envFile) ? envFile : [envFile];
    entries.forEach((entry, i) => {
        const long = typeof entry === "object" && entry !== null ? (entry as { path?: unknown; required?: unknown; format?: unknown }) : undefined;
        const rel = String(long ? long.path : entry);
        const required = long?.required === undefined ? true : long.required !== false && long.required !== "false";
        const p = joinPath(`${where}.env_file`, i);
        const at = long ? `${p}.path` : p;
        if (isWindowsPath(rel)) {
            throw new ComposeError("a Windows path: dockyard reads Compose files on Linux or macOS; use a path relative to the project, with '/'", at, rel, ctx.file);
        }
        const file = path.resolve(ctx.projectDir, rel);
        const format = long?.format ?? "";
        // compose-go knows only its own format (named ".env", the default); the Compose CLI adds "raw".
        if (format !== "" && format !== ".env" && format !== "raw") throw new ComposeError('unsupported env_file format: use "raw" or leave format out', `${p}.format`, format, ctx.file);
        // Where it is, before anything is read (a missing file is told as missing below).
        const problem = fs.existsSync(file) ? ctx.locationProblem?.(file) : undefined;
        if (problem !== undefined) throw new ComposeError(`env file ${file} ${problem}`, at, rel, ctx.file);
        let text: string;
        try {
            text = readRegularFile(file, MAX_ENV_FILE_BYTES);
        } catch (e) {
            if (!(e instanceof FileReadError)) throw e;
            if (e.kind === "missing") {
                if (!required) return;
                throw new ComposeError(`env file ${file} not found (set required: false to make it optional)`, at, rel, ctx.file);
            }
            throw new ComposeError(`env file ${file} ${e.reason}`, at, rel, ctx.file);
        }
        Object.assign(out, format === "raw" ? parseRawEnvFile(text, file, ctx.lookup) : parseDotenv(text, file, ctx.lookup));
    });
    applyMapOrList(out, environment, ctx.lookup);
    return out;
}
