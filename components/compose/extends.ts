/**
 * `extends`: a service starts from another service (of the same file, or of another file) and
 * overrides it with the Compose merge rules. Like compose-go, everything is inherited. Relative
 * paths of a service taken from a file in another directory are made absolute against that
 * file's directory, so they keep pointing where its author meant.
 */
import * as path from "path";
import { joinPath } from "../spec/errors";
import { ComposeError } from "./errors";
import { mergeValue } from "./merge";

type Tree = Record<string, unknown>;

/** Reads another Compose file (parsed, interpolated, validated), by absolute path. */
export type ComposeFileReader = (file: string) => Tree;

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Resolves `value` against `dir` unless it is absolute, home-relative or a URL. */
function rebase(value: string, dir: string): string {
    if (/^([a-z][a-z0-9+.-]*:\/\/|~|\/)/i.test(value) || /^[A-Za-z]:[\\/]/.test(value)) return value;
    return path.resolve(dir, value);
}

/** Makes the relative host paths of a service (build context, bind sources, env files) absolute. */
function rebaseService(s: Tree, dir: string): Tree {
    const out: Tree = { ...s };
    if (typeof s.build === "string") out.build = rebase(s.build, dir);
    else if (isMap(s.build)) out.build = { ...s.build, context: rebase(String(s.build.context ?? "."), dir) };
    if (Array.isArray(s.volumes)) {
        out.volumes = s.volumes.map((v) => {
            if (isMap(v)) return v.type === "bind" && typeof v.source === "string" ? { ...v, source: rebase(v.source, dir) } : v;
            const text = String(v);
            const colon = text.indexOf(":");
            const source = colon < 0 ? "" : text.slice(0, colon);
            // Only paths are rebased: "data:/x" names a volume.
            return source.startsWith(".") ? rebase(source, dir) + text.slice(colon) : v;
        });
    }
    if (s.env_file !== undefined && s.env_file !== null) {
        const list = Array.isArray(s.env_file) ? s.env_file : [s.env_file];
        out.env_file = list.map((e) => (isMap(e) ? { ...e, path: rebase(String(e.path), dir) } : rebase(String(e), dir)));
    }
    return out;
}

/**
 * Resolves every `extends` of `services` (the services of `file`), returning new services.
 * @throws ComposeError for a missing base service or a cycle.
 */
export function applyExtends(services: Tree, file: string, read: ComposeFileReader): Tree {
    const out: Tree = {};
    for (const name of Object.keys(services)) out[name] = resolveService(name, services, file, read, []);
    return out;
}

function resolveService(name: string, services: Tree, file: string, read: ComposeFileReader, chain: string[]): Tree {
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
    let base = resolveService(ext.service, baseServices, baseFile, read, [...chain, key]);
    if (path.dirname(baseFile) !== path.dirname(file)) base = rebaseService(base, path.dirname(baseFile));
    const local: Tree = { ...s };
    delete local.extends;
    const merged = mergeValue(structuredClone(base), local, ["services", name]) as Tree;
    delete merged.extends;
    return merged;
}
