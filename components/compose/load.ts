/**
 * `loadCompose`: one or several Compose files to a validated `AppSpec`, the way Docker Compose
 * reads them. Per file, and per YAML document of a file: YAML (with the `!reset` / `!override`
 * merge tags), interpolation (values only), `include` (each included project loaded on its own
 * and its resources added to the file), `extends`; then the file is merged on what the files
 * before it made, sequences de-duplicated, and the result validated against the schema (what
 * the files make together, not each file alone, as compose-go does). At the end profiles are
 * applied, and the result converted to `AppInput` and normalized by `defineApp`. Loading only
 * reads files: nothing is created, so an error leaves nothing behind.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SpecError, joinPath } from "../spec/errors";
import { FileReadError, MAX_COMPOSE_FILE_BYTES, MAX_ENV_FILE_BYTES, MAX_FILE_SOURCE_BYTES, fileLocationProblem, isWindowsPath, readRegularFile } from "../spec/files";
import { getOwn, hasOwn, setOwn } from "../spec/records";
import { defineApp } from "../spec/normalize";
import { AppSpec } from "../spec/types";
import { toAppInput } from "./convert";
import { parseDotenv } from "./dotenv";
import { ComposeError, ComposeWarning, composeWarning } from "./errors";
import { expandHomePaths, resolveSourceEnvironment } from "./environment";
import { applyExtends } from "./extends";
import { interpolate, interpolateTree, Lookup } from "./interpolate";
import { IncludeSite, importResources, ownResources, parseIncludes, resolveBareEnvironment } from "./include";
import { MergeConflict, dropPaths, enforceUnique, mergeCompose } from "./merge";
import { inputLocation, parsePath, recordProvenance } from "./paths";
import { selectProfiles } from "./profiles";
import { renderPath, validateComposeSchema } from "./schema";
import { parseComposeDocuments } from "./documents";
import { YamlPath } from "./yaml";

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
    /**
     * Directories outside the project from which the Compose files may have secret, config and
     * env files read (after resolving symbolic links). A Compose file is somebody's text: by
     * default it reads such files from the project directory only, and never from /proc, /sys,
     * /dev or /etc, which need a directory there listed here (listing `/` does not open them).
     * @default []
     */
    readonly allowedPaths?: readonly string[];
}

/**
 * Variables of the deployer's own Pulumi credentials. They are in the environment of every
 * `pulumi up`, and no Compose file has any business with them: interpolation, `environment:
 * [NAME]` and secrets from the environment see them as unset.
 */
export const DEPLOYER_CREDENTIALS: readonly string[] = ["PULUMI_CONFIG_PASSPHRASE", "PULUMI_CONFIG_PASSPHRASE_FILE", "PULUMI_ACCESS_TOKEN"];

/** One file after reading: its data (after `extends`, without what it includes) and where its values are. */
interface Layer {
    readonly file: string;
    readonly data: Tree;
    readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

/** One YAML document of a file, parsed and interpolated, before `extends` and `include`. */
interface ParsedDocument {
    readonly data: Tree;
    readonly resets: readonly YamlPath[];
    readonly lineOf: Layer["lineOf"];
}

/** One file parsed and interpolated: its documents, in order (one, unless it has `---` separators). */
interface ParsedFile {
    readonly docs: readonly ParsedDocument[];
    /** Its documents merged, as a service extending one of its services sees it. */
    readonly data: Tree;
    /** The `!reset` / `!override` paths of all its documents. */
    readonly resets: readonly YamlPath[];
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
    /** Why a file an include names may not be read where it is. */
    readonly locationProblem: (file: string, kind: "compose" | "env") => string | undefined;
}

/** Compose's default project name: the directory name, lower-cased, with only [a-z0-9_-], not starting with - or _. */
export function normalizeProjectName(name: string): string {
    return name.toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[-_]+/, "");
}

/** Reads a Compose or env file: a regular file, not too large; errors name the file. */
function readText(file: string, what: string, maxBytes: number): string {
    try {
        return readRegularFile(file, maxBytes);
    } catch (e) {
        if (!(e instanceof FileReadError)) throw e;
        throw new ComposeError(`cannot read ${what}: it ${e.reason.replace(/^not found$/, "is not found")}`, "", undefined, file);
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
        const text = readText(file, "env file", MAX_ENV_FILE_BYTES);
        // Each file sees the variables set so far, its own earlier lines included, after `base` (compose-go's GetEnvFromFile).
        parseDotenv(text, file, base, dotenv);
    }
    return (name) => base(name) ?? getOwn(dotenv, name);
}

/** The `name:` of a merged tree, unless empty. */
function nameOfTree(merged: Tree): string | undefined {
    return typeof merged.name === "string" && merged.name !== "" ? merged.name : undefined;
}

/**
 * The project name the files give, as compose-go finds it before interpolating them: the last
 * non-empty `name:`, interpolated (without `${COMPOSE_PROJECT_NAME}`), unless that is empty.
 */
function nameInFiles(files: readonly string[], lookup: Lookup): string | undefined {
    let last: { file: string; name: string; line?: number } | undefined;
    for (const file of files) {
        const docs = parseComposeDocuments(readText(file, "Compose file", MAX_COMPOSE_FILE_BYTES), file);
        const parsed = docs[docs.length - 1];
        const name = parsed.data.name;
        if (typeof name === "string" && name !== "") last = { file, name, line: parsed.lineOf(["name"]) };
    }
    if (!last) return undefined;
    try {
        return interpolate(last.name, lookup, { file: last.file, path: "name" }) || undefined;
    } catch (e) {
        if (!(e instanceof ComposeError) || e.line !== undefined) throw e;
        throw new ComposeError(e.reason, e.path, e.value, last.file, last.line);
    }
}

/**
 * Parses and interpolates one file of `project` (once), each of its YAML documents. The schema
 * is not asked here: compose-go validates what the files make once merged, so that an override
 * may hold part of an entry (`depends_on: {db: {required: false}}`), and a file read only for a
 * service it defines (`extends`) may hold other services that are not valid on their own.
 */
function parseFile(file: string, project: Project, state: LoadState): ParsedFile {
    let entry = project.parsed.get(file);
    if (entry) return entry;
    const docs = parseComposeDocuments(readText(file, "Compose file", MAX_COMPOSE_FILE_BYTES), file).map((parsed): ParsedDocument => {
        try {
            const data = interpolateTree(parsed.data, project.lookup, file, (name, p) => state.onUnset(name, p, file)) as Tree;
            return { data, resets: parsed.resets, lineOf: parsed.lineOf };
        } catch (e) {
            if (!(e instanceof ComposeError) || e.line !== undefined) throw e;
            throw new ComposeError(e.reason, e.path, e.value, file, parsed.lineOf(parsePath(e.path)));
        }
    });
    const data = docs.length === 1 ? docs[0].data : docs.reduce<Tree>((m, d) => mergeCompose(dropPaths(m, d.resets), d.data), {});
    entry = { docs, data, resets: docs.flatMap((d) => d.resets) };
    project.parsed.set(file, entry);
    return entry;
}

/**
 * Reads the files of one project and merges them in order, as compose-go does: per file (per
 * YAML document of a file) its `include` (each included project read the same way, on its own),
 * then its `extends` (which may name an included service), then the earlier files' values at its
 * `!reset` / `!override` paths are dropped, the file is merged on top, and what the files make
 * so far is validated against the schema.
 */
function loadProjectFiles(files: readonly string[], project: Project, state: LoadState): Tree {
    let merged: Tree = {};
    const layers: Layer[] = [];
    // Relative `extends.file` of the project's files are resolved in the project directory, those of a file read for extends in its own.
    const dirOf = (f: string) => (files.includes(f) ? project.dir : path.dirname(f));
    for (const file of files) {
        for (const { data: parsed, resets, lineOf } of parseFile(file, project, state).docs) {
            let data: Tree = { ...parsed };
            delete data.include;
            const own = data;
            if (parsed.include !== undefined) {
                // The include list itself is checked before the files it names are read.
                validateComposeSchema({ include: parsed.include }, file, lineOf);
                data = includeProjects(parsed.include, data, { file, projectDir: project.dir, lineOf, locationProblem: state.locationProblem }, project, state);
            }
            if (isMap(data.services)) {
                const services = applyExtends(data.services, file, (f) => parseFile(f, project, state).data, (f) => parseFile(f, project, state).resets, (f) => state.locationProblem(f, "compose"), dirOf);
                data = { ...data, services };
            }
            // Where errors are blamed: what the file itself defines (its services after extends), not what it includes.
            let ownServices: unknown = own.services;
            if (isMap(own.services) && isMap(data.services)) {
                const all = data.services;
                ownServices = {};
                for (const k of Object.keys(own.services)) setOwn(ownServices as Tree, k, all[k]);
            }
            const layer: Layer = { file, data: { ...own, ...(ownServices !== undefined ? { services: ownServices } : {}) }, lineOf };
            state.layers.push(layer);
            layers.push(layer);
            try {
                merged = enforceUnique(mergeCompose(dropPaths(merged, resets), data));
            } catch (e) {
                if (!(e instanceof MergeConflict)) throw e;
                throw new ComposeError(
                    e.reason ? `cannot merge: ${e.reason}` : "cannot override: a mapping, a list and a scalar cannot replace each other",
                    renderPath(e.path),
                    e.value,
                    file,
                    lineOf(e.path),
                );
            }
            validateMerged(merged, layers);
        }
    }
    return merged;
}

/** Validates what the files of a project make so far; an error names the file (and line) that wrote the value. */
function validateMerged(merged: Tree, layers: readonly Layer[]): void {
    try {
        validateComposeSchema(merged, layers[layers.length - 1].file);
        checkSources(merged);
    } catch (e) {
        if (!(e instanceof ComposeError)) throw e;
        const at = blameIn(layers, parsePath(e.path));
        throw new ComposeError(e.reason, e.path, e.value, at.file, at.lineOf(parsePath(e.path)));
    }
}

/**
 * compose-go's validation of a merged model (validation/validation.go) beyond the schema: a
 * secret or config gets its content from one of `file`, `environment` or `content`, not several
 * (checked before a variable's value becomes the content).
 */
function checkSources(merged: Tree): void {
    for (const kind of ["secrets", "configs"] as const) {
        const defs = merged[kind];
        if (!isMap(defs)) continue;
        for (const [key, def] of Object.entries(defs)) {
            if (!isMap(def)) continue;
            const given = ["file", "environment", "content"].filter((k) => def[k] !== undefined && def[k] !== null);
            if (given.length > 1) {
                throw new ComposeError(`file|environment|content attributes are mutually exclusive: set one of ${given.join(", ")}`, joinPath(joinPath(kind, key), given[1]), undefined, undefined);
            }
        }
    }
}

/** The layer a Compose path most likely came from: the one holding most of it, the later on a tie. */
function blameIn(layers: readonly Layer[], p: readonly (string | number)[]): Layer {
    let best = layers[0];
    let bestDepth = -1;
    for (const layer of layers) {
        let node: unknown = layer.data;
        let depth = 0;
        for (const key of p) {
            if (node === null || typeof node !== "object" || !hasOwn(node, key)) break;
            node = (node as Record<string | number, unknown>)[key];
            depth++;
        }
        if (depth >= bestDepth) {
            best = layer;
            bestDepth = depth;
        }
    }
    return best;
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
        out = importResources(out, resolveSourceEnvironment(resolveBareEnvironment(included, lookup), lookup), entry, site, origins);
    }
    return out;
}

/**
 * Loads Compose files into a validated application spec.
 * @param files one file, or several merged in order (later files override earlier ones).
 * @throws SpecError (a ComposeError) naming the file, the path in Compose names, the value and, when known, the line.
 *   Whatever else goes wrong while loading is reported the same way, naming the first file.
 */
export function loadCompose(files: string | readonly string[], options: LoadComposeOptions = {}): AppSpec {
    const given = typeof files === "string" ? [files] : [...files];
    if (given.length === 0) throw new SpecError("no Compose file given", "", files);
    const first = path.resolve(given[0]);
    try {
        return load(given, options);
    } catch (e) {
        if (e instanceof SpecError) throw e;
        // A bug of dockyard's, not the file's; still a message that says which file it was reading.
        const what = e instanceof RangeError ? "the file is too large or too deeply nested to load" : `internal error while loading: ${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? String(e)}`;
        const error = new ComposeError(what, "", undefined, first);
        (error as { cause?: unknown }).cause = e;
        throw error;
    }
}

function load(given: readonly string[], options: LoadComposeOptions): AppSpec {
    const o = {
        env: process.env as Record<string, string | undefined>,
        onWarning: (w: ComposeWarning) => process.emitWarning(w.message, "ComposeWarning"),
        ...options,
    };
    for (const f of given) {
        if (isWindowsPath(f)) throw new ComposeError("a Windows path: dockyard reads Compose files on Linux or macOS; give the file's path there", "", undefined, f);
    }
    const fileList = given.map((f) => path.resolve(f));
    const projectDir = path.resolve(o.workingDir ?? path.dirname(fileList[0]));
    const warn = o.onWarning;
    const hidden = new Set<string>();
    // The deployer's credentials are never the project's variables (see DEPLOYER_CREDENTIALS).
    const base: Lookup = (name) => {
        if (!DEPLOYER_CREDENTIALS.includes(name)) return hasOwn(o.env, name) ? o.env[name] : undefined;
        if (!hidden.has(name) && o.env[name] !== undefined) {
            hidden.add(name);
            warn(composeWarning(`${name} is the deployer's Pulumi credential; Compose files never see it, so it is taken as unset`, "", fileList[0]));
        }
        return undefined;
    };
    const envFiles = o.envFile ? o.envFile.map((f) => ({ file: path.resolve(projectDir, f), required: true })) : [{ file: path.join(projectDir, ".env"), required: false }];
    const lookup = environmentWith(base, envFiles);

    // The project name: the option, COMPOSE_PROJECT_NAME, the last `name:` of the files, the directory. It is
    // `${COMPOSE_PROJECT_NAME}` (compose-go sets it before interpolating): then the files' `name:` is read before
    // they are interpolated, which costs a parse, done only when a file uses the variable.
    let projectName: string | undefined;
    const nameOf = (merged?: Tree): string =>
        (projectName ??= o.projectName ?? (lookup("COMPOSE_PROJECT_NAME") || undefined) ?? (merged ? nameOfTree(merged) : nameInFiles(fileList, lookup)) ?? normalizeProjectName(path.basename(projectDir)));
    const projectLookup: Lookup = (name) => (name === "COMPOSE_PROJECT_NAME" ? nameOf() : lookup(name));

    // Compose warns once per unset variable, not once per use.
    const unset = new Set<string>();
    const state: LoadState = {
        // Env files: the project or allowedPaths; Compose files: anywhere but the system directories.
        locationProblem: (file, kind) => fileLocationProblem(file, kind === "env" ? projectDir : "/", o.allowedPaths),
        layers: [],
        onUnset: (name, p, file) => {
            if (unset.has(name)) return;
            unset.add(name);
            warn(composeWarning(`the "${name}" variable is not set; defaulting to a blank string`, p, file));
        },
    };
    const layers = state.layers;

    /** The file (and line) a Compose path most likely came from: the one holding most of it, the later on a tie. */
    const blame = (p: readonly (string | number)[]): { file: string; line?: number } => {
        if (!layers.length) return { file: fileList[0] };
        // The line only when asked for (an error): fileOf asks for the file of every service.
        const layer = blameIn(layers, p);
        return {
            file: layer.file,
            get line() {
                return layer.lineOf(p);
            },
        };
    };
    const fileOf = (p: string) => blame(parsePath(p)).file;
    /** A ComposeError of one of the files, given the line of its path when it has none. */
    const located = (e: unknown): unknown => {
        if (!(e instanceof ComposeError) || e.line !== undefined || e.file === undefined) return e;
        const layer = layers.find((l) => l.file === e.file);
        const line = layer?.lineOf(parsePath(e.path));
        return line === undefined ? e : new ComposeError(e.reason, e.path, e.value, e.file, line);
    };

    try {
        const merged = loadProjectFiles(fileList, { dir: projectDir, lookup: projectLookup, chain: [], parsed: new Map() }, state);

        if (merged.version !== undefined) {
            warn(composeWarning("the attribute `version` is obsolete and ignored; remove it", "version", fileOf("version")));
        }

        const name = nameOf(merged);
        const active = o.profiles ?? (lookup("COMPOSE_PROFILES") ?? "").split(",").map((p) => p.trim()).filter((p) => p !== "");
        const services = isMap(merged.services) ? selectProfiles(merged.services, active, fileOf) : merged.services;
        const locationProblem = (file: string) => fileLocationProblem(file, projectDir, o.allowedPaths);
        // `~` in secret, config and env file paths; secrets and configs from a variable get its value.
        const tree = resolveSourceEnvironment(expandHomePaths({ ...merged, services }, o.homeDir ?? os.homedir()), projectLookup);
        checkFileSources(tree, { projectDir, blame, locationProblem });

        const input = toAppInput(tree, { name, projectDir, lookup: projectLookup, file: fileList[0], fileOf, warn, locationProblem });
        // What the spec is made from: model paths (the targets' findings) are told back in the file's keys, indices, files and lines.
        const provenance = { tree, input, blame };
        try {
            const normalized = defineApp(input, { projectDir, ...(o.homeDir !== undefined ? { homeDir: o.homeDir } : {}) });
            const spec = { ...normalized, source: fileList.join(", ") };
            recordProvenance(spec, provenance);
            return spec;
        } catch (e) {
            if (!(e instanceof SpecError) || e instanceof ComposeError) throw e;
            // The normalizer speaks the model input's names; say it in the keys and indices of the file.
            const p = inputLocation(parsePath(e.path), provenance);
            const { file, line } = blame(p);
            throw new ComposeError(e.reason, renderPath(p), e.value, file, line);
        }
    } catch (e) {
        throw located(e);
    }
}

/** Where {@link checkFileSources} finds files and lines. */
interface FileSourceContext {
    readonly projectDir: string;
    readonly blame: (p: readonly (string | number)[]) => { file: string; line?: number };
    readonly locationProblem: (file: string) => string | undefined;
}

/**
 * The secrets and configs the services use, checked while loading rather than when a target
 * reads them: a `file` must exist, be a regular file of at most 1 MiB and lie where the Compose
 * file may read (the project, or `allowedPaths`); an `environment` source may not name the
 * deployer's credentials.
 */
function checkFileSources(tree: Tree, ctx: FileSourceContext): void {
    const used = { secrets: new Set<string>(), configs: new Set<string>() };
    for (const s of Object.values(isMap(tree.services) ? tree.services : {})) {
        if (!isMap(s)) continue;
        for (const kind of ["secrets", "configs"] as const) {
            const refs = s[kind];
            if (!Array.isArray(refs)) continue;
            for (const r of refs) {
                const source = isMap(r) ? r.source : r;
                if (typeof source === "string") used[kind].add(source);
            }
        }
    }
    for (const kind of ["secrets", "configs"] as const) {
        const defs = tree[kind];
        if (!isMap(defs)) continue;
        const noun = kind === "secrets" ? "secret" : "config";
        for (const key of used[kind]) {
            const def = getOwn(defs, key);
            if (!isMap(def)) continue;
            const fail = (reason: string, field: string, value: unknown): never => {
                const p = [kind, key, field];
                const { file, line } = ctx.blame(p);
                throw new ComposeError(reason, renderPath(p), value, file, line);
            };
            if (typeof def.environment === "string" && DEPLOYER_CREDENTIALS.includes(def.environment)) {
                fail(`${def.environment} is the deployer's Pulumi credential; a ${noun} cannot be made from it`, "environment", def.environment);
            }
            // One the project environment has a value of was given it as its content (resolveSourceEnvironment).
            if (typeof def.environment === "string") fail(`environment variable ${def.environment} is not set (the ${noun} takes its value from it)`, "environment", def.environment);
            if (typeof def.file !== "string") continue;
            const rel = def.file;
            if (isWindowsPath(rel)) fail("a Windows path: dockyard reads Compose files on Linux or macOS; use a path relative to the project, with '/'", "file", rel);
            const abs = path.resolve(ctx.projectDir, rel);
            if (!fs.existsSync(abs)) {
                let dangling = false;
                try {
                    dangling = fs.lstatSync(abs).isSymbolicLink();
                } catch {
                    // missing
                }
                fail(`${noun} file ${abs} not found${dangling ? " (a symbolic link to a missing file)" : ""}`, "file", rel);
            }
            const problem = ctx.locationProblem(abs);
            if (problem !== undefined) fail(`${noun} file ${abs} ${problem}`, "file", rel);
            try {
                readRegularFile(abs, MAX_FILE_SOURCE_BYTES);
            } catch (e) {
                if (!(e instanceof FileReadError)) throw e;
                fail(`${noun} file ${abs} ${e.reason}`, "file", rel);
            }
        }
    }
}
