/**
 * Volume syntax: Compose short (`db:/var/lib/mysql:ro`, `./conf:/etc/nginx`, `/data`) and long
 * forms, and the service-level `tmpfs` list, normalized to MountSpec.
 */
import * as os from "os";
import * as path from "path";
import { SpecError } from "./errors";
import { parseBytes } from "./units";
import { MountSpec } from "./types";

/** Long-form mount, as a TypeScript caller (or a Compose file, after key conversion) writes it. */
export interface MountInput {
    readonly type: "volume" | "bind" | "tmpfs";
    readonly source?: string;
    readonly target: string;
    readonly readOnly?: boolean;
    readonly bind?: { readonly propagation?: string; readonly createHostPath?: boolean; readonly selinux?: string };
    readonly volume?: { readonly nocopy?: boolean; readonly subpath?: string };
    readonly tmpfs?: { readonly size?: number | string; readonly mode?: number | string };
}

/** Where relative and `~` bind sources are resolved. */
export interface PathContext {
    /** Project directory: relative bind sources are resolved against it. */
    readonly projectDir: string;
    /** Home directory for `~/` sources. @default os.homedir() */
    readonly homeDir?: string;
}

const PROPAGATIONS = ["private", "rprivate", "shared", "rshared", "slave", "rslave"];

function isPath(source: string): boolean {
    return source.startsWith(".") || source.startsWith("/") || source.startsWith("~") || /^[A-Za-z]:[\\/]/.test(source);
}

/** A Windows path as a bind source: `C:\data`, `\\server\share`, or `c:/data` followed by a container path (`d:/d` alone is volume d at /d). */
function isWindowsSource(value: string, short: boolean): boolean {
    if (/^([A-Za-z]:\\|\\\\)/.test(value)) return true;
    return short ? /^[A-Za-z]:\/[^:]*:\//.test(value) : /^[A-Za-z]:\//.test(value);
}

function refuseWindowsPath(source: string, where: string, whole: unknown, short = false): void {
    if (isWindowsSource(source, short)) {
        throw new SpecError("a Windows path: the containers run on a Linux host, so a bind mount names a path there, such as /srv/data or ./data", where, whole);
    }
}

/** A host path made absolute: `~` and `~/…` in the home directory, a relative one in the project directory. */
export function resolveHostPath(source: string, ctx: PathContext): string {
    if (source === "~" || source.startsWith("~/")) return path.join(ctx.homeDir ?? os.homedir(), source.slice(1));
    return path.resolve(ctx.projectDir, source);
}

/**
 * The project directory when a bind source is a file of the project (see `BindMountSpec.projectDir`):
 * written relative or `~`, or inside the project directory. A project directory of `/` (a
 * program run from the root) holds every path, so there only written relative paths count.
 */
export function projectOf(written: string, resolved: string, ctx: PathContext): string | undefined {
    if (!path.isAbsolute(written)) return ctx.projectDir;
    const project = path.resolve(ctx.projectDir);
    if (project === path.parse(project).root) return undefined;
    const rel = path.relative(project, resolved);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel)) ? ctx.projectDir : undefined;
}

/** A container path cleaned as Go's `path.Clean` does (compose-go cleans mount targets): `/etc/pihole/` is `/etc/pihole`. */
export function cleanTarget(target: string): string {
    if (target === "") return target;
    const clean = path.posix.normalize(target);
    return clean.length > 1 && clean.endsWith("/") ? clean.slice(0, -1) : clean;
}

function checkTarget(target: unknown, where: string, whole: unknown): string {
    if (typeof target !== "string" || !target.startsWith("/")) {
        throw new SpecError("a mount target must be an absolute path in the container", where, whole);
    }
    return cleanTarget(target);
}

/** Parses one `volumes` entry of a service. */
export function parseMount(value: string | MountInput, where: string, ctx: PathContext): MountSpec {
    if (typeof value === "object" && value !== null) return parseLongMount(value, where, ctx);
    if (typeof value !== "string" || value === "") throw new SpecError("a volume must be a string such as \"data:/var/lib/data\" or an object", where, value);
    refuseWindowsPath(value, where, value, true);
    const parts = value.split(":");
    // Compose rejects ":/data" and "a::/b" (typically an unset variable before the colon)
    // instead of guessing an anonymous volume.
    if (parts.length > 1 && parts.includes("")) {
        throw new SpecError("empty section between colons in volume; is a variable before ':' unset?", where, value);
    }
    let source: string | undefined;
    let target: string;
    let modes: string[] = [];
    if (parts.length === 1) {
        target = parts[0];
    } else if (parts.length === 2) {
        // "/data:ro" is not a thing; two parts are SOURCE:TARGET.
        [source, target] = parts;
    } else if (parts.length === 3) {
        [source, target] = parts;
        modes = parts[2].split(",");
    } else {
        throw new SpecError("too many ':' in volume; use SOURCE:TARGET[:MODE]", where, value);
    }
    target = checkTarget(target, where, value);
    let readOnly = false;
    let selinux: "z" | "Z" | undefined;
    let noCopy = false;
    let propagation: string | undefined;
    for (const mode of modes) {
        if (mode === "ro") readOnly = true;
        else if (mode === "rw") readOnly = false;
        else if (mode === "z" || mode === "Z") selinux = mode;
        else if (mode === "nocopy") noCopy = true;
        else if (PROPAGATIONS.includes(mode)) propagation = mode;
        else throw new SpecError(`unknown volume mode "${mode}": use ro, rw, z, Z, nocopy or a propagation mode`, where, value);
    }
    if (source === undefined || source === "") return { type: "volume", target, readOnly };
    if (isPath(source)) {
        const resolved = resolveHostPath(source, ctx);
        const projectDir = projectOf(source, resolved, ctx);
        return {
            type: "bind",
            source: resolved,
            target,
            readOnly,
            createHostPath: true,
            ...(propagation ? { propagation: propagation as never } : {}),
            ...(selinux ? { selinux } : {}),
            ...(projectDir !== undefined ? { projectDir } : {}),
        };
    }
    return { type: "volume", source, target, readOnly, ...(noCopy ? { noCopy } : {}) };
}

function parseLongMount(value: MountInput, where: string, ctx: PathContext): MountSpec {
    const target = checkTarget(value.target, `${where}.target`, value.target);
    const readOnly = value.readOnly ?? false;
    switch (value.type) {
        case "volume":
            return {
                type: "volume",
                ...(value.source ? { source: value.source } : {}),
                target,
                readOnly,
                ...(value.volume?.nocopy ? { noCopy: true } : {}),
                ...(value.volume?.subpath ? { subpath: value.volume.subpath } : {}),
            };
        case "bind": {
            if (!value.source) throw new SpecError("a bind mount needs a source path on the host", `${where}.source`, value.source);
            if (typeof value.source !== "string") throw new SpecError("a bind mount's source must be a path", `${where}.source`, value.source);
            refuseWindowsPath(value.source, `${where}.source`, value.source);
            const propagation = value.bind?.propagation;
            if (propagation !== undefined && !PROPAGATIONS.includes(propagation)) {
                throw new SpecError(`unknown bind propagation: use one of ${PROPAGATIONS.join(", ")}`, `${where}.bind.propagation`, propagation);
            }
            const selinux = value.bind?.selinux;
            if (selinux !== undefined && selinux !== "z" && selinux !== "Z") {
                throw new SpecError('bind selinux must be "z" or "Z"', `${where}.bind.selinux`, selinux);
            }
            const resolved = resolveHostPath(value.source, ctx);
            const projectDir = projectOf(value.source, resolved, ctx);
            return {
                type: "bind",
                source: resolved,
                target,
                readOnly,
                // docker compose creates a missing host path for the long syntax too, unless
                // `create_host_path: false` says otherwise (compose-go's default since #836).
                createHostPath: value.bind?.createHostPath ?? true,
                ...(propagation ? { propagation: propagation as never } : {}),
                ...(selinux ? { selinux } : {}),
                ...(projectDir !== undefined ? { projectDir } : {}),
            };
        }
        case "tmpfs": {
            // A size of 0 is no size (compose-go leaves it unset): the runtime's default.
            const sizeBytes = value.tmpfs?.size !== undefined ? parseBytes(value.tmpfs.size, `${where}.tmpfs.size`) : undefined;
            return {
                type: "tmpfs",
                target,
                ...(sizeBytes ? { sizeBytes } : {}),
                ...(value.tmpfs?.mode !== undefined ? { mode: parseMode(value.tmpfs.mode, `${where}.tmpfs.mode`) } : {}),
            };
        }
        default:
            throw new SpecError('unsupported mount type: use "volume", "bind" or "tmpfs"', `${where}.type`, (value as { type: unknown }).type);
    }
}

/** Parses a file mode: a number (0o644 or 420) or an octal string ("0644"). */
export function parseMode(value: unknown, where: string): number {
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0o7777) return value;
    if (typeof value === "string" && /^0?[0-7]{1,4}$/.test(value)) return parseInt(value, 8);
    throw new SpecError('a file mode must be a number such as 0o644 or an octal string such as "0644"', where, value);
}

/**
 * Parses one service-level `tmpfs` entry: `/run` or `/run:size=64m,mode=1777,uid=1000`. `size` and
 * `mode` are parsed; every other option (`uid`, `gid`, `exec`, `noexec`, `nr_inodes`…) is kept as
 * written in `options`, for the targets that can pass it on (Docker's `--tmpfs` takes them all).
 */
export function parseTmpfs(value: string, where: string): MountSpec {
    const [written0, written] = value.split(/:(.*)/s);
    const target = checkTarget(written0, where, value);
    let sizeBytes: number | undefined;
    let mode: number | undefined;
    const options: string[] = [];
    for (const opt of (written ?? "").split(",").filter((o) => o)) {
        const [k, v] = opt.split("=");
        if (k === "size") sizeBytes = parseBytes(v, where);
        else if (k === "mode") mode = parseMode(v, where);
        else options.push(opt);
    }
    return {
        type: "tmpfs",
        target,
        ...(sizeBytes !== undefined ? { sizeBytes } : {}),
        ...(mode !== undefined ? { mode } : {}),
        ...(options.length > 0 ? { options } : {}),
    };
}
