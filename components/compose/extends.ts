/**
 * `extends`: a service starts from another service (of the same file, or of another file) and
 * overrides it with the Compose merge rules. Like compose-go, everything is inherited. Relative
 * paths of a service taken from a file in another directory are made absolute against that
 * file's directory, so they keep pointing where its author meant; a build without a context
 * keeps none, so that it builds in the project directory, as compose-go gives a build its
 * default context only once the project is merged. A relative `extends.file` is found in the
 * project directory for the project's own files (an included project's `project_directory`), in
 * the file's own directory for a file read for extends. A key of the local service tagged
 * `!reset` or `!override` drops what the base gave it, as compose-go applies a file's reset
 * paths to the base before merging.
 */
import * as fs from "fs";
import * as path from "path";
import { joinPath } from "../spec/errors";
import { isWindowsPath } from "../spec/files";
import { getOwn, hasOwn, setOwn } from "../spec/records";
import { ComposeError } from "./errors";
import { dropPaths, enforceUnique, mergeValue } from "./merge";
import { rebaseService } from "./rebase";
import { YamlPath } from "./yaml";

type Tree = Record<string, unknown>;

/** Reads another Compose file (parsed, interpolated, validated), by absolute path. */
export type ComposeFileReader = (file: string) => Tree;

/** The `!reset` / `!override` paths of a file, by absolute path. */
export type ResetPathsReader = (file: string) => readonly YamlPath[];

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A service to resolve: its name and the file (and services) it is defined in. */
interface Ref {
    readonly name: string;
    readonly file: string;
    readonly services: Tree;
}

const keyOf = (r: Ref) => `${r.file}#${r.name}`;

/** A cycle for a message: every service when there are few, else the first and last few. */
function renderCycle(names: string[]): string {
    if (names.length <= 8) return names.join(" -> ");
    return [...names.slice(0, 4), `… (${names.length - 7} more) …`, ...names.slice(-3)].join(" -> ");
}

/**
 * Resolves every `extends` of `services` (the services of `file`), returning new services.
 * Without recursion, whatever the length of a chain, and each service once (a cache by file and
 * name), so that a long chain costs its length, not its square.
 * @throws ComposeError for a missing base service or a cycle.
 */
export function applyExtends(
    services: Tree,
    file: string,
    read: ComposeFileReader,
    resetsOf: ResetPathsReader = () => [],
    locationProblem: (file: string) => string | undefined = () => undefined,
    dirOf: (file: string) => string = path.dirname,
): Tree {
    const resolved = new Map<string, Tree>();
    const out: Tree = {};
    for (const name of Object.keys(services)) {
        const s = getOwn(services, name);
        // A service that is not a mapping is left as written, for the schema to say what is wrong with it.
        setOwn(out, name, isMap(s) ? resolve({ name, file, services }, resolved, (ref) => baseOf(ref, read, locationProblem, dirOf), resetsOf, dirOf) : s);
    }
    return out;
}

/** The base a service extends, or undefined when it extends none. */
function baseOf(ref: Ref, read: ComposeFileReader, locationProblem: (file: string) => string | undefined, dirOf: (file: string) => string): Ref | undefined {
    const s = getOwn(ref.services, ref.name);
    if (!isMap(s) || s.extends === undefined || s.extends === null) return undefined;
    const where = joinPath(joinPath("services", ref.name), "extends");
    const ext = typeof s.extends === "string" ? { service: s.extends } : isMap(s.extends) ? (s.extends as { service?: unknown; file?: unknown }) : { service: undefined };
    if (typeof ext.service !== "string" || (ext.file !== undefined && ext.file !== null && typeof ext.file !== "string")) {
        throw new ComposeError("extends must name a service: `extends: <service>` or `extends: {service: <service>, file: <file>}`", where, s.extends, ref.file);
    }
    let baseServices = ref.services;
    let baseFile = ref.file;
    if (typeof ext.file === "string") {
        if (isWindowsPath(ext.file)) {
            throw new ComposeError("a Windows path: dockyard reads Compose files on Linux or macOS; use a path relative to this file, with '/'", `${where}.file`, ext.file, ref.file);
        }
        baseFile = path.resolve(dirOf(ref.file), ext.file);
        if (!fs.existsSync(baseFile)) throw new ComposeError(`cannot extend a service of ${baseFile}: the file is not found`, `${where}.file`, ext.file, ref.file);
        const problem = locationProblem(baseFile);
        if (problem !== undefined) throw new ComposeError(`cannot extend a service of ${baseFile}: the file ${problem}`, `${where}.file`, ext.file, ref.file);
        const other = read(baseFile);
        baseServices = isMap(other.services) ? other.services : {};
    }
    // A service defined as null (`base:`) is an empty one to start from, as in compose-go.
    const found = getOwn(baseServices, ext.service);
    if (!isMap(found) && !(found === null && hasOwn(baseServices, ext.service))) {
        const inFile = baseFile === ref.file ? "" : ` in ${baseFile}`;
        throw new ComposeError(`cannot extend service "${ext.service}": no such service${inFile}`, where, ext.service, ref.file);
    }
    return { name: ext.service, file: baseFile, services: baseServices };
}

function resolve(start: Ref, resolved: Map<string, Tree>, baseOfRef: (ref: Ref) => Ref | undefined, resetsOf: ResetPathsReader, dirOf: (file: string) => string): Tree {
    // The chain from `start` down to the first service already resolved (or extending nothing).
    const chain: Ref[] = [];
    const onChain = new Set<string>();
    let ref: Ref | undefined = start;
    while (ref !== undefined && !resolved.has(keyOf(ref))) {
        const key = keyOf(ref);
        if (onChain.has(key)) {
            const names = [...chain.slice(chain.findIndex((r) => keyOf(r) === key)), ref].map((r) => r.name);
            const first = chain.find((r) => keyOf(r) === key)!;
            const s = getOwn(first.services, first.name) as Tree;
            throw new ComposeError(`services extend each other in a cycle: ${renderCycle(names)}`, joinPath(joinPath("services", first.name), "extends"), s.extends, first.file);
        }
        onChain.add(key);
        chain.push(ref);
        ref = baseOfRef(ref);
    }
    // Resolve from the bottom of the chain up.
    for (let i = chain.length - 1; i >= 0; i--) {
        const r = chain[i];
        const s = getOwn(r.services, r.name);
        const base = i + 1 < chain.length ? chain[i + 1] : ref;
        if (!isMap(s)) {
            resolved.set(keyOf(r), {});
            continue;
        }
        if (base === undefined) {
            resolved.set(keyOf(r), s);
            continue;
        }
        resolved.set(keyOf(r), extendOne(r, s, base, resolved.get(keyOf(base))!, resetsOf, dirOf));
    }
    return resolved.get(keyOf(start))!;
}

/** The service `s` (named by `r`) on top of its resolved base. */
function extendOne(r: Ref, s: Tree, baseRef: Ref, resolvedBase: Tree, resetsOf: ResetPathsReader, dirOf: (file: string) => string): Tree {
    let base = resolvedBase;
    if (dirOf(baseRef.file) !== dirOf(r.file)) base = rebaseService(base, dirOf(baseRef.file), { defaultContext: false });
    const resets = resetsOf(r.file).filter((p) => p[0] === "services" && p[1] === r.name);
    if (resets.length > 0) base = getOwn(dropPaths({ services: { [r.name]: base } }, resets).services as Tree, r.name) as Tree;
    const local: Tree = { ...s };
    delete local.extends;
    const merged = mergeValue(base, local, ["services", r.name]) as Tree;
    delete merged.extends;
    // Lists merged along a chain keep one entry per key, so that a long chain stays small.
    return getOwn(enforceUnique({ services: Object.fromEntries([[r.name, merged]]) }).services as Tree, r.name) as Tree;
}
