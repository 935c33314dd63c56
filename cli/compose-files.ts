/**
 * The Compose command line, as `docker compose` reads it (compose-go's `cli` package, and
 * docker/compose's `ProjectOptions.toProjectOptions`): which files make the project, which env
 * files, which profiles and which project name, from the flags, then the environment, then the
 * defaults.
 *
 *   1. The process environment always wins over env files.
 *   2. Env files: `--env-file` (repeatable), else COMPOSE_ENV_FILES (comma-separated, from the
 *      process environment), else the `.env` of the directory of the first `-f` file, or of the
 *      working directory when there is none (unless COMPOSE_DISABLE_ENV_FILE is true). Their
 *      variables can set the COMPOSE_* variables below.
 *   3. Files: `-f` (repeatable), else COMPOSE_FILE (split on COMPOSE_PATH_SEPARATOR, ":" by
 *      default; relative to the working directory; each must exist), else the first of
 *      compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml in the working directory
 *      or the nearest directory above it that has one, with the first of compose.override.yml,
 *      compose.override.yaml, docker-compose.override.yml, docker-compose.override.yaml beside it.
 *   4. Then the project's own `.env` (beside the first file) is read too, under what step 2 read:
 *      the loader does that, and COMPOSE_PROJECT_NAME and COMPOSE_PROFILES, from the process or
 *      either env file, apply unless `-p` or `--profile` is given.
 */
import * as fs from "fs";
import * as path from "path";
import type { LoadComposeOptions } from "../components/compose";
import { parseDotenv } from "../components/compose/dotenv";
import { SpecError } from "../components/spec/errors";
import { FileReadError, MAX_ENV_FILE_BYTES, readRegularFile } from "../components/spec/files";
import { UsageError } from "./usage";

/** Compose file names found when none is given, in compose-go's order of preference (cli.DefaultFileNames). */
export const DEFAULT_FILE_NAMES: readonly string[] = ["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"];
/** Override file names loaded beside a found file, in compose-go's order (cli.DefaultOverrideFileNames). */
export const DEFAULT_OVERRIDE_FILE_NAMES: readonly string[] = ["compose.override.yml", "compose.override.yaml", "docker-compose.override.yml", "docker-compose.override.yaml"];

/** The Compose options of one command line. */
export interface ComposeArgs {
    /** Compose files given (`-f`, or as arguments), relative to the working directory; empty: COMPOSE_FILE or the default files. */
    readonly files: readonly string[];
    /** `-p` / `--project-name`. */
    readonly projectName?: string;
    /** `--profile`, each time it is given. */
    readonly profiles: readonly string[];
    /** `--env-file`, each time it is given. */
    readonly envFiles: readonly string[];
}

/** Where the command runs. */
export interface ComposeContext {
    /** Working directory. @default process.cwd() */
    readonly cwd?: string;
    /** Process environment. @default process.env */
    readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A Compose project as `loadCompose` takes it. */
export interface ComposeProject {
    /** Absolute paths, in order. */
    readonly files: string[];
    /** Where the files came from. */
    readonly from: "command line" | "COMPOSE_FILE" | "default";
    readonly options: LoadComposeOptions;
    /** Something to tell the user (several default files in one directory). */
    readonly warnings: string[];
}

/** compose-go's project name rule: what `normalizeProjectName` leaves unchanged (lower-case letters, digits, `-`, `_`, not starting with `-` or `_`). */
export function checkProjectName(name: string, command: string): string {
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(name)) {
        throw new UsageError(
            `invalid project name "${name}": must consist only of lowercase alphanumeric characters, hyphens, and underscores as well as start with a letter or number`,
            command,
        );
    }
    return name;
}

/** Go's strconv.ParseBool, as compose-go reads COMPOSE_DISABLE_ENV_FILE. */
function parseBool(name: string, value: string): boolean {
    if (["1", "t", "T", "TRUE", "true", "True"].includes(value)) return true;
    if (["0", "f", "F", "FALSE", "false", "False"].includes(value)) return false;
    throw new SpecError(`${name} must be true or false (1, t, true, 0, f, false…)`, "", value);
}

function readEnvFile(file: string, given: string): string {
    try {
        return readRegularFile(file, MAX_ENV_FILE_BYTES);
    } catch (e) {
        if (!(e instanceof FileReadError)) throw e;
        throw new SpecError(`cannot read env file ${given === file ? file : `${given} (${file})`}: it ${e.reason.replace(/^not found$/, "is not found")}`, "");
    }
}

/** The variables of env files, in order, each file seeing the process environment first, then what the files before it set. */
function readEnvFiles(files: readonly { file: string; given: string }[], env: ComposeContext["env"] & object): Record<string, string> {
    const vars: Record<string, string> = Object.create(null) as Record<string, string>;
    const lookup = (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined) ?? (Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined);
    for (const { file, given } of files) {
        for (const [k, v] of Object.entries(parseDotenv(readEnvFile(file, given), file, lookup))) vars[k] = v;
    }
    return vars;
}

/** A `.env` file in `dir`, when there is one that is not a directory. */
function dotEnvIn(dir: string): string | undefined {
    const file = path.join(dir, ".env");
    try {
        return fs.statSync(file).isDirectory() ? undefined : file;
    } catch {
        return undefined;
    }
}

/** The names of `names` that exist in `dir`, in order. */
function existing(dir: string, names: readonly string[]): string[] {
    return names.map((n) => path.join(dir, n)).filter((f) => fs.existsSync(f));
}

/** The default files: in `dir` or the nearest directory above it that has one; the override beside it. */
function defaultFiles(dir: string, warnings: string[]): string[] | undefined {
    for (let at = dir; ; at = path.dirname(at)) {
        const candidates = existing(at, DEFAULT_FILE_NAMES);
        if (candidates.length) {
            if (candidates.length > 1) warnings.push(`found several Compose files: ${candidates.join(", ")}; using ${candidates[0]}`);
            const overrides = existing(at, DEFAULT_OVERRIDE_FILE_NAMES);
            if (overrides.length > 1) warnings.push(`found several Compose override files: ${overrides.join(", ")}; using ${overrides[0]}`);
            return overrides.length ? [candidates[0], overrides[0]] : [candidates[0]];
        }
        if (path.dirname(at) === at) return undefined;
    }
}

/**
 * The files, env files, profiles and project name of a Compose command line.
 * @throws UsageError when no Compose file is given or found, or `-p` is not a project name;
 *   SpecError when an env file, or a file COMPOSE_FILE names, cannot be read.
 */
export function composeProject(args: ComposeArgs, command: string, context: ComposeContext = {}): ComposeProject {
    const cwd = context.cwd ?? process.cwd();
    const env = context.env ?? process.env;
    const fromEnv = (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined);
    const warnings: string[] = [];
    if (args.projectName !== undefined) checkProjectName(args.projectName, command);

    // Env files: the flags, else COMPOSE_ENV_FILES (the flag's default, from the process environment only).
    const explicit = args.envFiles.length ? args.envFiles : (fromEnv("COMPOSE_ENV_FILES") ?? "").split(",").filter((f) => f !== "");
    const envFiles = explicit.map((given) => ({ given, file: path.resolve(cwd, given) }));
    const disabled = envFiles.length === 0 && fromEnv("COMPOSE_DISABLE_ENV_FILE") !== undefined && parseBool("COMPOSE_DISABLE_ENV_FILE", fromEnv("COMPOSE_DISABLE_ENV_FILE")!);
    // The first reading of env files, before the files are known: beside the first file given, else here.
    const firstDir = args.files.length ? path.dirname(path.resolve(cwd, args.files[0])) : cwd;
    const firstDotEnv = envFiles.length || disabled ? undefined : dotEnvIn(firstDir);
    const dotEnv = readEnvFiles(envFiles.length ? envFiles : firstDotEnv ? [{ file: firstDotEnv, given: firstDotEnv }] : [], env);
    const variable = (name: string) => fromEnv(name) ?? dotEnv[name];

    let files: string[];
    let from: ComposeProject["from"];
    const composeFile = variable("COMPOSE_FILE");
    if (args.files.length) {
        files = args.files.map((f) => path.resolve(cwd, f));
        from = "command line";
    } else if (composeFile !== undefined && composeFile !== "") {
        const separator = variable("COMPOSE_PATH_SEPARATOR") || path.delimiter;
        files = composeFile
            .split(separator)
            .filter((f) => f !== "")
            .map((f) => path.resolve(cwd, f));
        for (const f of files) {
            if (!fs.existsSync(f)) throw new SpecError(`COMPOSE_FILE names ${path.relative(cwd, f) || f}, which does not exist (${f})`, "", composeFile);
        }
        from = "COMPOSE_FILE";
    } else {
        const found = defaultFiles(cwd, warnings);
        if (!found) {
            throw new UsageError(
                `no Compose file: give one with -f (or as an argument), set COMPOSE_FILE, or run where there is a ${DEFAULT_FILE_NAMES.join(", ")} ` +
                    `(in ${cwd} or a directory above it)`,
                command,
            );
        }
        files = found;
        from = "default";
    }

    // The loader reads the project's env files (beside the first file) itself, under `env`. Variables of a
    // first .env elsewhere (the working directory's, when the files are in another) join the process
    // environment there, as compose-go merges both readings.
    const projectDir = path.dirname(files[0]);
    const options: { -readonly [K in keyof LoadComposeOptions]: LoadComposeOptions[K] } = {};
    if (args.projectName !== undefined) options.projectName = args.projectName;
    if (args.profiles.length) options.profiles = [...args.profiles];
    if (envFiles.length) options.envFile = envFiles.map((e) => e.file);
    else if (disabled) options.envFile = [];
    else if (firstDotEnv !== undefined && firstDotEnv !== dotEnvIn(projectDir)) options.env = { ...dotEnv, ...env };
    return { files, from, options, warnings };
}
