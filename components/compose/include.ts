/**
 * Top-level `include`: a Compose file brings in other Compose projects, as compose-go's
 * `ApplyInclude` does. Each included project is read on its own — its project directory (the
 * directory of its first file, or `project_directory`), its own `.env` (or the `env_file` the
 * entry names) under the including project's environment, its relative paths resolved in its
 * directory — and its services, networks, volumes, secrets and configs are added to the
 * including file before that file is merged with the others. A resource the including file (or
 * another include of it) defines differently is an error naming both files; one defined
 * identically is taken once. Nothing else of the included project (its name, its `x-` keys)
 * comes along.
 *
 * This module reads the `include` entries and imports resources; loading the included project
 * is the loader's (`load.ts`), which calls back into itself.
 */
import * as fs from "fs";
import * as path from "path";
import { isDeepStrictEqual } from "util";
import { joinPath } from "../spec/errors";
import { isWindowsPath } from "../spec/files";
import { hasOwn, setOwn } from "../spec/records";
import { ComposeError } from "./errors";
import { Lookup } from "./interpolate";
import { rebaseProject } from "./rebase";
import { YamlPath } from "./yaml";

type Tree = Record<string, unknown>;

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** One `include` entry with its paths resolved. */
export interface IncludeEntry {
    /** Compose files of the included project, absolute; the first one is its main file. */
    readonly files: readonly string[];
    /** The included project's directory, absolute: relative paths in its files are resolved against it. */
    readonly projectDir: string;
    /** Env files for its interpolation, absolute, in order; its own `.env` (when there is one) unless the entry names some. */
    readonly envFiles: readonly string[];
    /** Index of the entry in the including file's `include` list. */
    readonly index: number;
}

/** Where an `include` list was found: the including file and its project directory. */
export interface IncludeSite {
    /** The including Compose file (absolute). */
    readonly file: string;
    /** The including project's directory: relative include paths, `project_directory` and `env_file` are resolved against it. */
    readonly projectDir: string;
    /** Line of a path in the including file. */
    readonly lineOf: (path: YamlPath) => number | undefined;
    /** Why a file named by an include may not be read where it is (a system directory…); undefined when it may. */
    readonly locationProblem?: (file: string, kind: "compose" | "env") => string | undefined;
}

/** Why `file` cannot be read as a file: not found, a directory, a device or FIFO; undefined when it can. */
function statProblem(file: string): string | undefined {
    let st: fs.Stats;
    try {
        st = fs.statSync(file);
    } catch {
        return "not found";
    }
    if (st.isDirectory()) return "is a directory, not a file";
    if (!st.isFile()) return "is not a regular file (a device, FIFO or socket)";
    return undefined;
}

function stringList(v: unknown): string[] {
    if (v === undefined || v === null) return [];
    return (Array.isArray(v) ? v : [v]).map(String);
}

/**
 * Reads the `include` list of a file (already interpolated and validated by the schema).
 * @throws ComposeError when an included file or env file does not exist, or is remote.
 */
export function parseIncludes(value: unknown, site: IncludeSite): IncludeEntry[] {
    if (!Array.isArray(value)) return [];
    return value.map((raw, i) => {
        const where = joinPath("include", i);
        const fail = (reason: string, key: YamlPath, v: unknown): never => {
            throw new ComposeError(reason, renderKey(where, key), v, site.file, site.lineOf(["include", i, ...key]));
        };
        const entry: Tree = isMap(raw) ? raw : { path: raw };
        const paths = stringList(entry.path);
        if (paths.length === 0) fail("an include entry needs a path", [], raw);
        const files = paths.map((p, j) => {
            const key = Array.isArray(entry.path) ? ["path", j] : isMap(raw) ? ["path"] : [];
            if (p.includes("://")) fail("cannot include a remote Compose file: download it and include the local copy", key, p);
            if (isWindowsPath(p)) fail("a Windows path: dockyard reads Compose files on Linux or macOS; use a path relative to this file, with '/'", key, p);
            const file = path.resolve(site.projectDir, p);
            const problem = statProblem(file) ?? site.locationProblem?.(file, "compose");
            if (problem !== undefined) fail(`included Compose file ${file} ${problem}`, key, p);
            return file;
        });
        const projectDir = typeof entry.project_directory === "string" ? path.resolve(site.projectDir, entry.project_directory) : path.dirname(files[0]);
        const given = stringList(entry.env_file);
        const envFiles = given.map((f, j) => {
            const key = Array.isArray(entry.env_file) ? ["env_file", j] : ["env_file"];
            if (isWindowsPath(f)) fail("a Windows path: dockyard reads Compose files on Linux or macOS; use a path relative to this file, with '/'", key, f);
            const file = path.resolve(site.projectDir, f);
            const problem = statProblem(file) ?? site.locationProblem?.(file, "env");
            if (problem !== undefined) fail(`env file ${file} ${problem}`, key, f);
            return file;
        });
        const ownDotenv = path.join(projectDir, ".env");
        const defaults = statProblem(ownDotenv) === undefined && site.locationProblem?.(ownDotenv, "compose") === undefined ? [ownDotenv] : [];
        return { files, projectDir, envFiles: given.length > 0 ? envFiles : defaults, index: i };
    });
}

function renderKey(where: string, key: YamlPath): string {
    return key.reduce<string>((acc, k) => joinPath(acc, k), where);
}

/**
 * Variables listed without a value (`environment: [FOO]`, `FOO:`) take their value from the
 * included project's environment, which can hold what the including project's does not (its
 * `.env`). Those unset there stay bare, for the project environment to fill later.
 */
export function resolveBareEnvironment(tree: Tree, lookup: Lookup): Tree {
    if (!isMap(tree.services)) return tree;
    const services = Object.fromEntries(
        Object.entries(tree.services).map(([name, s]) => {
            if (!isMap(s) || s.environment === undefined || s.environment === null) return [name, s];
            let environment: unknown = s.environment;
            if (Array.isArray(s.environment)) {
                environment = s.environment.map((e) => {
                    const text = String(e);
                    const value = text.includes("=") ? undefined : lookup(text);
                    return value === undefined ? e : `${text}=${value}`;
                });
            } else if (isMap(s.environment)) {
                environment = Object.fromEntries(
                    Object.entries(s.environment).map(([k, v]) => [k, v === null || v === undefined ? lookup(k) ?? v : v]),
                );
            }
            return [name, { ...s, environment }];
        }),
    );
    return { ...tree, services };
}

/** The kinds of resource an include brings in, with the word errors use for one of them. */
const RESOURCES: [string, string][] = [["services", "service"], ["volumes", "volume"], ["networks", "network"], ["secrets", "secret"], ["configs", "config"]];

/** Which file defined each resource of the including file so far (`services.web` → file). */
export type ResourceOrigins = Map<string, string>;

/** The resources a file defines itself, all from that file. */
export function ownResources(tree: Tree, file: string): ResourceOrigins {
    const origins: ResourceOrigins = new Map();
    for (const [kind] of RESOURCES) if (isMap(tree[kind])) for (const name of Object.keys(tree[kind] as Tree)) origins.set(`${kind}.${name}`, file);
    return origins;
}

/**
 * Adds the resources of an included project (its merged tree, paths still relative to its
 * directory) to the including file's tree.
 * @returns the including tree with the resources added (a new object).
 * @throws ComposeError naming both files when a resource is already defined differently.
 */
export function importResources(into: Tree, included: Tree, entry: IncludeEntry, site: IncludeSite, origins: ResourceOrigins): Tree {
    const source = rebaseProject(included, entry.projectDir);
    const out: Tree = { ...into };
    for (const [kind, noun] of RESOURCES) {
        if (!isMap(source[kind])) continue;
        const target: Tree = isMap(out[kind]) ? { ...(out[kind] as Tree) } : {};
        for (const [name, resource] of Object.entries(source[kind] as Tree)) {
            const key = `${kind}.${name}`;
            if (hasOwn(target, name)) {
                if (isDeepStrictEqual(target[name], resource)) continue;
                throw new ComposeError(
                    `imported compose file ${entry.files[0]} defines conflicting ${noun} "${name}", also defined in ${origins.get(key) ?? site.file}`,
                    joinPath("include", entry.index),
                    undefined,
                    site.file,
                    site.lineOf(["include", entry.index]),
                );
            }
            setOwn(target, name, resource);
            origins.set(key, entry.files[0]);
        }
        out[kind] = target;
    }
    return out;
}
