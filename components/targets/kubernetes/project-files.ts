/**
 * Files of the project bound into a container (`./nginx.conf:/etc/nginx/conf.d/default.conf:ro`,
 * a small folder of configuration) → a ConfigMap per bind, mounted at the Compose target: a
 * single file through `subPath`, a folder as the whole ConfigMap. The nodes of a cluster do not
 * have the deployer's files, so a hostPath volume would name a path that exists only on the
 * machine that ran Pulumi; the content travels with the app instead.
 *
 * The files are read when the app is planned, before anything is created: a missing file, a
 * nested folder, binary content or more than a ConfigMap holds (1 MiB) is a SpecError naming the
 * Compose path (`services.web.volumes[0]`), the file and its size. Only files inside the project
 * directory (after resolving symbolic links) are read: a Compose file is somebody's text, and must
 * not carry the deployer's other files into a cluster.
 */
import * as fs from "fs";
import * as path from "path";
import type * as k8s from "@pulumi/kubernetes";
import { SpecError } from "../../spec/errors";
import { FileReadError, readRegularFile } from "../../spec/files";
import { AppSpec, BindMountSpec, MountSpec, ServiceSpec } from "../../spec/types";
import { keyedInput } from "../inputs";
import type { ConvertContext } from "./context";
import { appObjectLabels } from "./labels";
import { kubeName } from "./names";

/** What one ConfigMap holds: the API server refuses more than 1 MiB of data (MaxSecretSize). */
export const MAX_CONFIG_MAP_BYTES = 1024 * 1024;

/** A bind mount of a file of the project (see `BindMountSpec.projectDir`). */
export type ProjectBind = BindMountSpec & { readonly projectDir: string };

export function isProjectBind(m: MountSpec): m is ProjectBind {
    return m.type === "bind" && m.projectDir !== undefined;
}

/** One file of a project bind: its ConfigMap key (the file name), content and whether it is executable. */
export interface ProjectFile {
    readonly key: string;
    readonly content: string;
    readonly executable: boolean;
}

/** The content of one project bind: a single file (mounted by subPath) or a flat folder. */
export interface ProjectMount {
    readonly kind: "file" | "folder";
    readonly files: readonly ProjectFile[];
}

/** Project binds of an app, by {@link projectMountKey}. */
export type ProjectMounts = ReadonlyMap<string, ProjectMount>;

/** `<service>/<index of the mount>`: the plan key is `bind/<service>/<index>`. */
export function projectMountKey(service: string, index: number): string {
    return `${service}/${index}`;
}

/** Name of the ConfigMap of a project bind: `<service>-bind-<index>` (the service name is already a DNS label). */
export function bindConfigMapName(service: string, index: number): string {
    return `${kubeName(service)}-bind-${index}`;
}

/** ConfigMap data keys: what `kubectl create configmap --from-file` accepts as a file name. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

function sizeText(bytes: number): string {
    if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
    if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${bytes} bytes`;
}

function within(file: string, dir: string): boolean {
    const rel = path.relative(dir, file);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

const INSTEAD = "use a named volume for data, or bake the files into the image";

/**
 * Reads every project bind of every service of `app`, checked.
 * @throws SpecError at `services.<name>.volumes[<i>]` with the source as value
 */
export function readProjectMounts(app: AppSpec): Map<string, ProjectMount> {
    const out = new Map<string, ProjectMount>();
    for (const s of Object.values(app.services)) {
        s.mounts.forEach((m, i) => {
            if (isProjectBind(m)) out.set(projectMountKey(s.name, i), readProjectMount(s, m, i));
        });
    }
    return out;
}

/** The file or flat folder of one project bind. */
export function readProjectMount(s: ServiceSpec, m: ProjectBind, index: number): ProjectMount {
    const where = `services.${s.name}.volumes[${index}]`;
    const fail = (reason: string): never => {
        throw new SpecError(`service "${s.name}" binds the project path ${m.source} at ${m.target}, which ${reason}`, where, m.source);
    };
    let real: string;
    try {
        real = fs.realpathSync.native(m.source);
    } catch {
        // Compose creates a missing bind source as an empty folder; there is nothing to carry here.
        return fail(`does not exist. On Kubernetes a file of the project becomes a ConfigMap, so it must exist when the app is planned; ${INSTEAD}`);
    }
    let project: string;
    try {
        project = fs.realpathSync.native(m.projectDir);
    } catch {
        project = path.resolve(m.projectDir);
    }
    if (!within(real, project)) {
        const resolved = real !== path.resolve(m.source) ? `resolves to ${real}, which ` : "";
        fail(`${resolved}lies outside the project directory ${m.projectDir}. On Kubernetes only files of the project are carried into the cluster (as ConfigMaps); ` +
            "copy it into the project, or give an absolute host path with allowHostPath");
    }
    const st = fs.statSync(real);
    const tooLarge = (what: string, bytes: number): never =>
        fail(`${what} ${sizeText(bytes)}, more than a ConfigMap holds (1 MiB); ${INSTEAD}`);
    const readOne = (file: string, name: string, budget: number): ProjectFile => {
        const fst = fs.statSync(file);
        if (fst.size > budget) tooLarge(file === real ? "is" : `holds ${name} of`, fst.size);
        let content: string;
        try {
            content = readRegularFile(file, budget);
        } catch (e) {
            if (!(e instanceof FileReadError)) throw e;
            if (e.kind === "too-large") return tooLarge(file === real ? "is more than" : `holds ${name}, more than`, budget);
            return fail(file === real ? e.reason : `holds ${name}, which ${e.reason}`);
        }
        // A ConfigMap's `data` is UTF-8 text; the decoder marks bytes that are not with U+FFFD.
        if (content.includes("\u0000") || content.includes("\uFFFD")) {
            fail(`${file === real ? "is" : `holds ${name}, which is`} binary (not UTF-8 text); a file of the project becomes a ConfigMap, which holds text. ${INSTEAD}`);
        }
        return { key: name, content, executable: (fst.mode & 0o111) !== 0 };
    };

    if (st.isFile()) {
        const base = path.basename(m.target) || "content";
        const key = DATA_KEY.test(base) ? base : base.replace(/[^-._a-zA-Z0-9]/g, "_");
        return { kind: "file", files: [readOne(real, key, MAX_CONFIG_MAP_BYTES)] };
    }
    if (!st.isDirectory()) return fail("is not a regular file or a folder");
    const files: ProjectFile[] = [];
    let total = 0;
    for (const name of fs.readdirSync(real).sort()) {
        const file = path.join(real, name);
        let fst: fs.Stats;
        let fileReal: string;
        try {
            fst = fs.statSync(file);
            fileReal = fs.realpathSync.native(file);
        } catch {
            return fail(`holds ${name}, a symbolic link to a missing file`);
        }
        if (fst.isDirectory()) {
            fail(`is a folder with a folder in it (${name}); a folder of the project becomes one ConfigMap, which holds the files of a flat folder only. ` +
                `Bind the inner folders one by one, or ${INSTEAD}`);
        }
        if (!within(fileReal, project)) fail(`holds ${name}, which resolves to ${fileReal}, outside the project directory ${m.projectDir}`);
        if (!DATA_KEY.test(name)) fail(`holds a file named "${name}"; ConfigMap keys, and so file names, may hold only letters, digits, '-', '_' and '.'`);
        if (total + fst.size > MAX_CONFIG_MAP_BYTES) tooLarge("holds files of", total + fst.size);
        const f = readOne(file, name, MAX_CONFIG_MAP_BYTES - total);
        total += Buffer.byteLength(f.content, "utf8");
        files.push(f);
    }
    return { kind: "folder", files };
}

/**
 * The pod volume of a project bind: its ConfigMap, executable files kept executable (a
 * ConfigMap's files are 0644 unless an item says otherwise).
 */
export function projectBindVolume(service: string, index: number, pm: ProjectMount): k8s.types.input.core.v1.ConfigMapVolumeSource {
    const exec = pm.files.some((f) => f.executable);
    return {
        name: bindConfigMapName(service, index),
        ...(exec ? { items: pm.files.map((f) => ({ key: f.key, path: f.key, ...(f.executable ? { mode: 0o755 } : {}) })) } : {}),
    };
}

/** The ConfigMap of one project bind, in the app's namespace. */
export function toBindConfigMap(ctx: ConvertContext, service: string, index: number, pm: ProjectMount): k8s.types.input.core.v1.ConfigMap {
    const data: Record<string, string> = Object.create(null);
    for (const f of pm.files) data[f.key] = f.content;
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: bindConfigMapName(service, index), namespace: ctx.namespace, labels: appObjectLabels(ctx) },
        data: keyedInput({ ...data }),
    };
}
