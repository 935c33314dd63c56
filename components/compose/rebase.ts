/**
 * Relative host paths made absolute against the directory they were written for. Needed when a
 * service or a whole project comes from a file in another directory than the project's: a
 * service taken by `extends` from another file, and everything an `include` brings in. The
 * paths are the ones compose-go resolves (`paths/resolve.go`): build contexts (remote ones kept),
 * bind-mount sources, `env_file` and `label_file`, the `file` of top-level secrets and configs,
 * and the `device` of a local volume mounted with `o: bind`. `~/` paths are left for the
 * normalizer, which knows the home directory.
 */
import * as path from "path";
import { isRemoteContext } from "../spec/build-context";

type Tree = Record<string, unknown>;

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** Resolves `value` against `dir` unless it is absolute, home-relative or a URL. */
export function rebasePath(value: string, dir: string): string {
    if (/^([a-z][a-z0-9+.-]*:\/\/|~|\/)/i.test(value) || /^[A-Za-z]:[\\/]/.test(value)) return value;
    return path.resolve(dir, value);
}

function rebaseContext(context: string, dir: string): string {
    return isRemoteContext(context) ? context : rebasePath(context, dir);
}

/** A short volume entry's source is a path when it starts like one; otherwise it names a volume. */
function rebaseShortVolume(entry: string, dir: string): string {
    const colon = entry.indexOf(":");
    const source = colon < 0 ? "" : entry.slice(0, colon);
    return source.startsWith(".") ? rebasePath(source, dir) + entry.slice(colon) : entry;
}

function rebaseList(value: unknown, dir: string, one: (entry: unknown) => unknown): unknown {
    if (value === undefined || value === null) return value;
    return (Array.isArray(value) ? value : [value]).map(one);
}

/**
 * The service with its relative host paths made absolute against `dir`. A build without a
 * context is given `dir` unless `defaultContext` is false (a service taken by `extends` builds in
 * the project directory then, as compose-go sets the default context once the project is merged).
 */
export function rebaseService(s: Tree, dir: string, options: { readonly defaultContext?: boolean } = {}): Tree {
    const out: Tree = { ...s };
    if (typeof s.build === "string") out.build = rebaseContext(s.build, dir);
    else if (isMap(s.build) && (s.build.context !== undefined || options.defaultContext !== false)) out.build = { ...s.build, context: rebaseContext(String(s.build.context ?? "."), dir) };
    if (Array.isArray(s.volumes)) {
        out.volumes = s.volumes.map((v) => {
            if (isMap(v)) return v.type === "bind" && typeof v.source === "string" ? { ...v, source: rebasePath(v.source, dir) } : v;
            return typeof v === "string" ? rebaseShortVolume(v, dir) : v;
        });
    }
    if (s.env_file !== undefined && s.env_file !== null) {
        out.env_file = rebaseList(s.env_file, dir, (e) => (isMap(e) ? { ...e, path: rebasePath(String(e.path), dir) } : rebasePath(String(e), dir)));
    }
    if (s.label_file !== undefined && s.label_file !== null) out.label_file = rebaseList(s.label_file, dir, (e) => rebasePath(String(e), dir));
    return out;
}

function rebaseFileSources(sources: unknown, dir: string): unknown {
    if (!isMap(sources)) return sources;
    return Object.fromEntries(
        Object.entries(sources).map(([name, s]) => [name, isMap(s) && typeof s.file === "string" ? { ...s, file: rebasePath(s.file, dir) } : s]),
    );
}

function rebaseVolumes(volumes: unknown, dir: string): unknown {
    if (!isMap(volumes)) return volumes;
    return Object.fromEntries(
        Object.entries(volumes).map(([name, v]) => {
            if (!isMap(v) || (v.driver !== undefined && v.driver !== "local") || !isMap(v.driver_opts)) return [name, v];
            const opts = v.driver_opts;
            // A local volume with `o: bind` is a bind mount of `device`.
            if (opts.o !== "bind" || typeof opts.device !== "string") return [name, v];
            return [name, { ...v, driver_opts: { ...opts, device: rebasePath(opts.device, dir) } }];
        }),
    );
}

/** A whole Compose tree with every relative host path made absolute against `dir`. */
export function rebaseProject(tree: Tree, dir: string): Tree {
    const out: Tree = { ...tree };
    if (isMap(tree.services)) {
        out.services = Object.fromEntries(Object.entries(tree.services).map(([name, s]) => [name, isMap(s) ? rebaseService(s, dir) : s]));
    }
    if (tree.secrets !== undefined) out.secrets = rebaseFileSources(tree.secrets, dir);
    if (tree.configs !== undefined) out.configs = rebaseFileSources(tree.configs, dir);
    if (tree.volumes !== undefined) out.volumes = rebaseVolumes(tree.volumes, dir);
    return out;
}
