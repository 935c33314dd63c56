/**
 * A service's environment as Compose computes it (compose-go `Project.WithServicesEnvironmentResolved`):
 * `env_file` entries in order (string, list, or long form `{path, required, format}`; `format:
 * raw` reads the file verbatim), then `environment` (map or `KEY=VALUE` list) on top. A variable
 * without a value (`FOO` in a list, `FOO:` / `FOO: null` in a map) takes its value from the
 * project environment (process environment over `.env`); when that is unset it is left out, and
 * an env file's value of it too (Docker unsets a variable given without a value).
 *
 * In an env file, `${FOO}` and a bare `FOO` look at the project environment first, then at the
 * service's `environment`, then (`${FOO}` only) at the variables the env files set so far.
 *
 * Also what Compose resolves of secrets and configs while loading: a `~` in `file:` is the home
 * directory, and an `environment:` source takes its value from the project environment.
 */
import * as fs from "fs";
import * as path from "path";
import { joinPath } from "../spec/errors";
import { FileReadError, MAX_ENV_FILE_BYTES, isWindowsPath, readRegularFile } from "../spec/files";
import { getOwn, hasOwn, setOwn } from "../spec/records";
import { parseDotenv, parseRawEnvFile } from "./dotenv";
import { ComposeError } from "./errors";
import { Lookup } from "./interpolate";

type Tree = Record<string, unknown>;

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

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

/** Where a map-or-list is, for errors. */
export interface MapOrListSite {
    /** Compose path of the map or list (`services.web.environment`). */
    readonly path: string;
    readonly file?: string;
}

function scalar(v: unknown): string {
    return typeof v === "string" ? v : String(v);
}

/** Go's `unicode.IsSpace`, for a name's last character. */
const TRAILING_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/;

/**
 * Applies a map-or-list of variables onto `out`; `null` values come from the environment, and
 * are deleted from `out` when unset there. Used for `environment` and `build.args`, which Compose
 * resolves the same way.
 * @throws ComposeError (with `site`) for a list entry whose name ends with a space (`KEY = value`),
 *   as compose-go does; the value is not shown.
 */
export function applyMapOrList(out: Record<string, string>, value: unknown, lookup: Lookup, site?: MapOrListSite): void {
    const set = (key: string, v: unknown) => {
        if (v === null || v === undefined) {
            const found = lookup(key);
            if (found !== undefined) setOwn(out, key, found);
            else if (hasOwn(out, key)) delete out[key];
        } else setOwn(out, key, scalar(v));
    };
    if (Array.isArray(value)) {
        value.forEach((entry, i) => {
            const text = scalar(entry);
            const eq = text.indexOf("=");
            const key = eq < 0 ? text : text.slice(0, eq);
            if (site && TRAILING_SPACE.test(key)) {
                throw new ComposeError(
                    `environment variable ${key.length <= 64 ? JSON.stringify(key) : "name"} is declared with a trailing space: write NAME=value, without spaces around '='`,
                    joinPath(site.path, i), undefined, site.file,
                );
            }
            set(key, eq < 0 ? null : text.slice(eq + 1));
        });
    } else if (value !== null && typeof value === "object") {
        for (const [k, v] of Object.entries(value)) set(k, v);
    }
}

/**
 * Resolves `env_file` and `environment` of one service into a plain map.
 * @throws ComposeError when a required env file is missing or malformed.
 */
export function serviceEnvironment(envFile: unknown, environment: unknown, where: string, ctx: EnvironmentContext): Record<string, string> {
    // `environment` first: the env files see its values (after the project environment's).
    const declared: Record<string, string> = {};
    applyMapOrList(declared, environment, ctx.lookup, { path: `${where}.environment`, file: ctx.file });
    const lookup: Lookup = (name) => ctx.lookup(name) ?? getOwn(declared, name);
    const out: Record<string, string> = { ...declared };
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
        if (format === "raw") parseRawEnvFile(text, file, lookup, out);
        else parseDotenv(text, file, lookup, out);
    });
    applyMapOrList(out, environment, ctx.lookup);
    return out;
}

/** `~` or `~/…` is the home directory (`~user` is left as written), as compose-go's `ExpandUser`. */
export function expandHome(p: string, homeDir: string): string {
    return p === "~" || p.startsWith("~/") ? path.resolve(homeDir, "." + p.slice(1)) : p;
}

/**
 * What Compose resolves of a project's files while loading, on a merged tree: `~` in the `file`
 * of secrets and configs and in the paths of `env_file` is the home directory. Returns a new tree.
 */
export function expandHomePaths(tree: Tree, homeDir: string): Tree {
    const out: Tree = { ...tree };
    for (const kind of ["secrets", "configs"] as const) {
        const defs = tree[kind];
        if (!isMap(defs)) continue;
        const resolved: Tree = {};
        for (const [key, def] of Object.entries(defs)) {
            setOwn(resolved, key, isMap(def) && typeof def.file === "string" ? { ...def, file: expandHome(def.file, homeDir) } : def);
        }
        out[kind] = resolved;
    }
    if (isMap(tree.services)) {
        const services: Tree = {};
        for (const [name, s] of Object.entries(tree.services)) {
            if (!isMap(s) || s.env_file === undefined || s.env_file === null) {
                setOwn(services, name, s);
                continue;
            }
            const one = (e: unknown): unknown => (typeof e === "string" ? expandHome(e, homeDir) : isMap(e) && typeof e.path === "string" ? { ...e, path: expandHome(e.path, homeDir) } : e);
            setOwn(services, name, { ...s, env_file: Array.isArray(s.env_file) ? s.env_file.map(one) : one(s.env_file) });
        }
        out.services = services;
    }
    return out;
}

/**
 * Secrets and configs made from a variable (`environment: NAME`) take its value from the project
 * environment (`.env` included) when the file is loaded, as compose-go's `ResolveEnvironment`
 * does: the definition gets the value as `content` instead. Those whose variable is unset are left
 * as they are (the loader refuses the ones a service uses). Returns a new tree.
 */
export function resolveSourceEnvironment(tree: Tree, lookup: Lookup): Tree {
    let out = tree;
    for (const kind of ["secrets", "configs"] as const) {
        const defs = tree[kind];
        if (!isMap(defs)) continue;
        let resolved: Tree | undefined;
        for (const [key, def] of Object.entries(defs)) {
            if (!isMap(def) || typeof def.environment !== "string") continue;
            const value = lookup(def.environment);
            if (value === undefined) continue;
            resolved ??= { ...defs };
            const { environment: _name, ...rest } = def;
            setOwn(resolved, key, { ...rest, content: value });
        }
        if (resolved) out = { ...out, [kind]: resolved };
    }
    return out;
}
