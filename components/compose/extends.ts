/**
 * `extends`: a service starts from another service (of the same file, or of another file) and
 * overrides it with the Compose merge rules. Like compose-go, everything is inherited. Relative
 * paths of a service taken from a file in another directory are made absolute against that
 * file's directory, so they keep pointing where its author meant. A key of the local service
 * tagged `!reset` or `!override` drops what the base gave it, as compose-go applies a file's
 * reset paths to the base before merging.
 */
import * as path from "path";
import { joinPath } from "../spec/errors";
import { ComposeError } from "./errors";
import { dropPaths, mergeValue } from "./merge";
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

/**
 * Resolves every `extends` of `services` (the services of `file`), returning new services.
 * @throws ComposeError for a missing base service or a cycle.
 */
export function applyExtends(services: Tree, file: string, read: ComposeFileReader, resetsOf: ResetPathsReader = () => []): Tree {
    const out: Tree = {};
    for (const name of Object.keys(services)) out[name] = resolveService(name, services, file, read, resetsOf, []);
    return out;
}

function resolveService(name: string, services: Tree, file: string, read: ComposeFileReader, resetsOf: ResetPathsReader, chain: string[]): Tree {
    const s = services[name];
    if (!isMap(s) || s.extends === undefined || s.extends === null) return isMap(s) ? s : {};
    const where = joinPath(joinPath("services", name), "extends");
    const key = `${file}#${name}`;
    if (chain.includes(key)) {
        const cycle = [...chain, key].map((k) => k.split("#")[1]).join(" -> ");
        throw new ComposeError(`services extend each other in a cycle: ${cycle}`, where, s.extends, file);
    }
    const ext = typeof s.extends === "string" ? { service: s.extends } : (s.extends as { service: string; file?: string });
    let baseServices = services;
    let baseFile = file;
    if (ext.file !== undefined) {
        baseFile = path.resolve(path.dirname(file), ext.file);
        const other = read(baseFile);
        baseServices = isMap(other.services) ? other.services : {};
    }
    if (!isMap(baseServices[ext.service])) {
        const inFile = baseFile === file ? "" : ` in ${baseFile}`;
        throw new ComposeError(`cannot extend service "${ext.service}": no such service${inFile}`, where, ext.service, file);
    }
    let base = resolveService(ext.service, baseServices, baseFile, read, resetsOf, [...chain, key]);
    if (path.dirname(baseFile) !== path.dirname(file)) base = rebaseService(base, path.dirname(baseFile));
    const resets = resetsOf(file).filter((p) => p[0] === "services" && p[1] === name);
    if (resets.length > 0) base = (dropPaths({ services: { [name]: base } }, resets).services as Tree)[name] as Tree;
    const local: Tree = { ...s };
    delete local.extends;
    const merged = mergeValue(structuredClone(base), local, ["services", name]) as Tree;
    delete merged.extends;
    return merged;
}
