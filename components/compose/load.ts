/**
 * `loadCompose`: one or several Compose files to a validated `AppSpec`, the way Docker Compose
 * reads them. Per file: YAML, interpolation (values only), schema validation, `extends`. Then
 * the files are merged in order, sequences de-duplicated, profiles applied, and the result
 * converted to `AppInput` and normalized by `defineApp`. Loading only reads files: nothing is
 * created, so an error leaves nothing behind.
 */
import * as fs from "fs";
import * as path from "path";
import { SpecError } from "../spec/errors";
import { defineApp } from "../spec/normalize";
import { AppSpec } from "../spec/types";
import { toAppInput } from "./convert";
import { parseDotenv } from "./dotenv";
import { ComposeError, ComposeWarning, composeWarning } from "./errors";
import { applyExtends } from "./extends";
import { interpolateTree, Lookup } from "./interpolate";
import { MergeConflict, enforceUnique, mergeCompose } from "./merge";
import { composePath, parsePath } from "./paths";
import { selectProfiles } from "./profiles";
import { renderPath, validateComposeSchema } from "./schema";
import { parseComposeYaml } from "./yaml";

type Tree = Record<string, unknown>;

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

/** One file after reading: its data before and after `extends`, and where its values are. */
interface Layer {
    readonly file: string;
    readonly data: Tree;
    readonly lineOf: (path: readonly (string | number)[]) => number | undefined;
}

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
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

/** The project environment: the process environment over the `.env` file(s). */
function projectEnvironment(projectDir: string, env: Record<string, string | undefined>, envFile: readonly string[] | undefined): Lookup {
    const dotenv: Record<string, string> = {};
    const files = envFile ? envFile.map((f) => ({ file: path.resolve(projectDir, f), required: true })) : [{ file: path.join(projectDir, ".env"), required: false }];
    for (const { file, required } of files) {
        if (!required && !fs.existsSync(file)) continue;
        const text = readText(file, "env file");
        Object.assign(dotenv, parseDotenv(text, file, (name) => env[name] ?? dotenv[name]));
    }
    return (name) => (env[name] !== undefined ? env[name] : dotenv[name]);
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
    const lookup = projectEnvironment(projectDir, o.env, o.envFile);

    // Compose warns once per unset variable, not once per use.
    const unset = new Set<string>();
    const warn = o.onWarning;

    const raw = new Map<string, { data: Tree; lineOf: Layer["lineOf"] }>();
    const readRaw = (file: string) => {
        let entry = raw.get(file);
        if (!entry) {
            const parsed = parseComposeYaml(readText(file, "Compose file"), file);
            let data: Tree;
            try {
                data = interpolateTree(parsed.data, lookup, file, (name, p) => {
                    if (unset.has(name)) return;
                    unset.add(name);
                    warn(composeWarning(`the "${name}" variable is not set; defaulting to a blank string`, p, file));
                }) as Tree;
            } catch (e) {
                if (!(e instanceof ComposeError) || e.line !== undefined) throw e;
                throw new ComposeError(e.reason, e.path, e.value, file, parsed.lineOf(parsePath(e.path)));
            }
            validateComposeSchema(data, file, parsed.lineOf);
            if (data.include !== undefined) {
                throw new ComposeError("include is not supported: list the files to merge instead", "include", data.include, file, parsed.lineOf(["include"]));
            }
            entry = { data, lineOf: parsed.lineOf };
            raw.set(file, entry);
        }
        return entry;
    };

    const layers: Layer[] = fileList.map((file) => {
        const { data, lineOf } = readRaw(file);
        const services = isMap(data.services) ? applyExtends(data.services, file, (f) => readRaw(f).data) : data.services;
        return { file, data: { ...data, ...(services !== undefined ? { services } : {}) }, lineOf };
    });

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

    let merged: Tree = {};
    for (const layer of layers) {
        try {
            merged = mergeCompose(merged, layer.data);
        } catch (e) {
            if (!(e instanceof MergeConflict)) throw e;
            throw new ComposeError("cannot override: a mapping, a list and a scalar cannot replace each other", renderPath(e.path), e.value, layer.file, layer.lineOf(e.path));
        }
    }
    merged = enforceUnique(merged);
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
