/**
 * `loadCompose`: one or several Compose files to a validated `AppSpec`, the way Docker Compose
 * reads them. Per file: YAML (with the `!reset` / `!override` merge tags), interpolation (values
 * only), schema validation, `extends`, `include` (each included project loaded on its own and
 * its resources added to the file). Then the files are merged in order, sequences
 * de-duplicated, profiles applied, and the result converted to `AppInput` and normalized by
 * `defineApp`. Loading only reads files: nothing is created, so an error leaves nothing behind.
 */
import * as fs from "fs";
import * as path from "path";
import { SpecError, joinPath } from "../spec/errors";
import { defineApp } from "../spec/normalize";
import { AppSpec } from "../spec/types";
import { toAppInput } from "./convert";
import { parseDotenv } from "./dotenv";
import { ComposeError, ComposeWarning, composeWarning } from "./errors";
import { applyExtends } from "./extends";
import { interpolateTree, Lookup } from "./interpolate";
import { IncludeSite, importResources, ownResources, parseIncludes, resolveBareEnvironment } from "./include";
import { MergeConflict, dropPaths, enforceUnique, mergeCompose } from "./merge";
import { composePath, parsePath } from "./paths";
import { selectProfiles } from "./profiles";
import { renderPath, validateComposeSchema } from "./schema";
import { YamlPath, parseComposeYaml } from "./yaml";

type Tree = Record<string, unknown>;

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Options of {@link loadCompose}. */
export interface LoadComposeOptions {
    /** Project (application) name. @default COMPOSE_PROJECT_NAME, else the top-level `name:`, else the working directory's name, lower-cased, keeping only [a-z0-9_-] */
    readonly projectName?: string;
    /** Project directory: relative paths, `.env` and `env_file` are resolved against it. @default the directory of the first file */
    readonly workingDir?: string;
    /** Environment for interpolation and for variables without a value; wins over `.env`. An undefined value is unset. @default process.env */
    readonly env?: Record<string, string | undefined>;
    /** Active profiles. @default COMPOSE_PROFILES (comma-separated), else none */
    readonly profiles?: readonly string[];
    /** Env files read instead of the project's `.env` (relative to the working directory); each must exist. @default [".env"], optional */
    readonly envFile?: readonly string[];
    /** Home directory for `~/` paths. @default os.homedir() */
    readonly homeDir?: string;
    /** Receives warnings (unset variables, ignored keys). @default process.emitWarning */
    readonly onWarning?: (warning: ComposeWarning) => void;
}

/** One file after reading: its data (after `extends`, without what it includes) and where its values are. */
interface Layer {
    readonly file: string;
    readonly data: Tree;
    readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/** One file parsed, interpolated and validated, before `extends` and `include`. */
interface ParsedFile {
    readonly data: Tree;
    readonly resets: readonly YamlPath[];
    readonly lineOf: Layer["lineOf"];
}

/** A Compose project being read: the main one, or one brought in by `include`. */
interface Project {
    /** Directory its relative paths are resolved against. */
    readonly dir: string;
    /** Its environment, for interpolation. */
    readonly lookup: Lookup;
    /** The files whose `include` led to it, outermost first (to find cycles). */
    readonly chain: readonly string[];
    /** Its files as read so far (interpolated with its own environment). */
    readonly parsed: Map<string, ParsedFile>;
}

/** What every project of one load shares. */
interface LoadState {
    /** Every file merged, included ones first: where errors are blamed. */
    readonly layers: Layer[];
    /** Told of every unset variable a file uses (the loader warns once per name). */
    readonly onUnset: (name: string, path: string, file: string) => void;
}

/** Compose's default project name: the directory name, lower-cased, with only [a-z0-9_-], not starting with - or _. */
export function normalizeProjectName(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[-_]+/, "");
}

function readText(file: string, what: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (e) {
        throw new ComposeError(`cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, "", undefined, file);
    }
}

/**
 * A project environment: `base` over the variables of the env files (each may use the ones
 * before it). Files marked not required are skipped when missing.
 */
function environmentWith(base: Lookup, files: readonly { file: string; required: boolean }[]): Lookup {
    const dotenv: Record<string, string> = {};
    for (const { file, required } of files) {
        if (!required && !fs.existsSync(file)) continue;
        const text = readText(file, "env file");
        Object.assign(dotenv, parseDotenv(text, file, (name) => base(name) ?? dotenv[name]));
    }
    return (name) => base(name) ?? dotenv[name];
}

/** Parses, interpolates and validates one file of `project` (once). */
function parseFile(file: string, project: Project, state: LoadState): ParsedFile {
    let entry = project.parsed.get(file);
    if (entry) return entry;
    const parsed = parseComposeYaml(readText(file, "Compose file"), file);
    let data: Tree;
    try {
        data = interpolateTree(parsed.data, project.lookup, file, (name, p) => state.onUnset(name, p, file)) as Tree;
    } catch (e) {
        if (!(e instanceof ComposeError) || e.line !== undefined) throw e;
        throw new ComposeError(e.reason, e.path, e.value, file, parsed.lineOf(parsePath(e.path)));
    }
    validateComposeSchema(data, file, parsed.lineOf);
    entry = { data, resets: parsed.resets, lineOf: parsed.lineOf };
    project.parsed.set(file, entry);
    return entry;
}

/**
 * Reads the files of one project and merges them in order: per file `extends`, then `include`
 * (each included project read the same way, on its own), then the earlier files' values at its
 * `!reset` / `!override` paths are dropped and the file is merged on top.
 */
function loadProjectFiles(files: readonly string[], project: Project, state: LoadState): Tree {
    let merged: Tree = {};
    for (const file of files) {
        const { data: parsed, resets, lineOf } = parseFile(file, project, state);
        const services = isMap(parsed.services)
            ? applyExtends(parsed.services, file, (f) => parseFile(f, project, state).data, (f) => parseFile(f, project, state).resets)
            : parsed.services;
        let data: Tree = { ...parsed, ...(services !== undefined ? { services } : {}) };
        delete data.include;
        const own = data;
        if (parsed.include !== undefined) data = includeProjects(parsed.include, data, { file, projectDir: project.dir, lineOf }, project, state);
        state.layers.push({ file, data: own, lineOf });
        try {
            merged = mergeCompose(dropPaths(merged, resets), data);
        } catch (e) {
            if (!(e instanceof MergeConflict)) throw e;
            throw new ComposeError("cannot override: a mapping, a list and a scalar cannot replace each other", renderPath(e.path), e.value, file, lineOf(e.path));
        }
    }
    return enforceUnique(merged);
}

/** Adds to `data` (the including file's) the resources of every project its `include` names. */
function includeProjects(include: unknown, data: Tree, site: IncludeSite, project: Project, state: LoadState): Tree {
    const chain = [...project.chain, site.file];
    const origins = ownResources(data, site.file);
    let out = data;
    for (const entry of parseIncludes(include, site)) {
        if (chain.includes(entry.files[0])) {
            const cycle = [...chain.slice(chain.indexOf(entry.files[0])), entry.files[0]].join(" -> ");
            throw new ComposeError(`include cycle: ${cycle}`, joinPath("include", entry.index), undefined, site.file, site.lineOf(["include", entry.index]));
        }
        const lookup = environmentWith(project.lookup, entry.envFiles.map((file) => ({ file, required: true })));
        const included = loadProjectFiles(entry.files, { dir: entry.projectDir, lookup, chain, parsed: new Map() }, state);
        out = importResources(out, resolveBareEnvironment(included, lookup), entry, site, origins);
    }
    return out;
}

/**
 * Loads Compose files into a validated application spec.
 * @param files one file, or several merged in order (later files override earlier ones).
 * @throws SpecError (a ComposeError) naming the file, the path in Compose names, the value and, when known, the line.
 */
export function loadCompose(files: string | readonly string[], options: LoadComposeOptions = {}): AppSpec {
    const o = {
        env: process.env as Record<string, string | undefined>,
        onWarning: (w: ComposeWarning) => process.emitWarning(w.message, "ComposeWarning"),
        ...options,
    };
    const fileList = (typeof files === "string" ? [files] : [...files]).map((f) => path.resolve(f));
    if (fileList.length === 0) throw new SpecError("no Compose file given", "", files);
    const projectDir = path.resolve(o.workingDir ?? path.dirname(fileList[0]));
    const envFiles = o.envFile ? o.envFile.map((f) => ({ file: path.resolve(projectDir, f), required: true })) : [{ file: path.join(projectDir, ".env"), required: false }];
    const lookup = environmentWith((name) => o.env[name], envFiles);

    // Compose warns once per unset variable, not once per use.
    const unset = new Set<string>();
    const warn = o.onWarning;
    const state: LoadState = {
        layers: [],
        onUnset: (name, p, file) => {
            if (unset.has(name)) return;
            unset.add(name);
            warn(composeWarning(`the "${name}" variable is not set; defaulting to a blank string`, p, file));
        },
    };
    const merged = loadProjectFiles(fileList, { dir: projectDir, lookup, chain: [], parsed: new Map() }, state);
    const layers = state.layers;

    /** The file (and line) a Compose path most likely came from: the one holding most of it, the later on a tie. */
    const blame = (p: readonly (string | number)[]): { file: string; line?: number } => {
        let best: Layer = layers[0];
        let bestDepth = -1;
        for (const layer of layers) {
            let node: unknown = layer.data;
            let depth = 0;
            for (const key of p) {
                if (node === null || typeof node !== "object" || !(key in (node as object))) break;
                node = (node as Record<string | number, unknown>)[key];
                depth++;
            }
            if (depth >= bestDepth) {
                best = layer;
                bestDepth = depth;
            }
        }
        return { file: best.file, line: best.lineOf(p) };
    };
    const fileOf = (p: string) => blame(parsePath(p)).file;

    if (merged.version !== undefined) {
        warn(composeWarning("the attribute `version` is obsolete and ignored; remove it", "version", fileOf("version")));
    }

    const name = o.projectName ?? lookup("COMPOSE_PROJECT_NAME") ?? (typeof merged.name === "string" ? merged.name : undefined) ?? normalizeProjectName(path.basename(projectDir));
    const active = o.profiles ?? (lookup("COMPOSE_PROFILES") ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
    const services = isMap(merged.services) ? selectProfiles(merged.services, active, fileOf) : merged.services;

    const input = toAppInput({ ...merged, services }, { name, projectDir, lookup, file: fileList[0], fileOf, warn });
    try {
        const spec = defineApp(input, { projectDir, ...(o.homeDir !== undefined ? { homeDir: o.homeDir } : {}) });
        return { ...spec, source: fileList.join(", ") };
    } catch (e) {
        if (!(e instanceof SpecError) || e instanceof ComposeError) throw e;
        // The normalizer speaks camelCase; say it in the names of the file.
        const p = composePath(parsePath(e.path));
        const { file, line } = blame(p);
        throw new ComposeError(e.reason, renderPath(p), e.value, file, line);
    }
}
