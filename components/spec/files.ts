/**
 * Reading the files a description names (Compose files, env files, secret and config files):
 * regular files only, never more than a size limit, so that a name such as `/dev/zero`,
 * `/dev/urandom` or a FIFO is refused instead of read forever. And where such a file may be:
 * a Compose file is somebody else's text, so its secret, config and env files must lie in the
 * project (after resolving symlinks) and outside the system's `/proc`, `/sys`, `/dev` and
 * `/etc`, unless the deployer lists their directory.
 */
import * as fs from "fs";
import * as path from "path";

/** Largest Compose file read. */
export const MAX_COMPOSE_FILE_BYTES = 8 * 1024 * 1024;
/** Largest env file read. */
export const MAX_ENV_FILE_BYTES = 1024 * 1024;
/** Largest secret or config file read (Kubernetes refuses Secrets and ConfigMaps over 1 MiB). */
export const MAX_FILE_SOURCE_BYTES = 1024 * 1024;

/** Why a file could not be read, as a short phrase that follows the file's name. */
export class FileReadError extends Error {
    constructor(
        /** `missing`, `directory`, `special` (device, FIFO, socket), `too-large` or `unreadable`. */
        public readonly kind: "missing" | "directory" | "special" | "too-large" | "unreadable",
        /** What is wrong, such as "not found" or "is a FIFO, not a regular file". */
        public readonly reason: string,
    ) {
        super(reason);
        this.name = "FileReadError";
    }
}

function special(st: fs.Stats): string {
    if (st.isFIFO()) return "a FIFO (named pipe)";
    if (st.isCharacterDevice()) return "a character device";
    if (st.isBlockDevice()) return "a block device";
    if (st.isSocket()) return "a socket";
    return "not a regular file";
}

function fromErrno(e: unknown): FileReadError {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return new FileReadError("missing", "not found");
    if (code === "EACCES" || code === "EPERM") return new FileReadError("unreadable", "cannot be read (permission denied)");
    if (code === "ELOOP") return new FileReadError("unreadable", "cannot be read (a loop of symbolic links)");
    if (code === "EISDIR") return new FileReadError("directory", "is a directory, not a file");
    return new FileReadError("unreadable", `cannot be read (${code ?? "error"})`);
}

function sizeText(bytes: number): string {
    return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

/**
 * Reads a regular file as UTF-8, refusing directories, devices, FIFOs and sockets (checked
 * before opening, and again on the open descriptor) and files over `maxBytes` (counted while
 * reading: files in /proc claim a size of 0).
 * @throws FileReadError
 */
export function readRegularFile(file: string, maxBytes: number): string {
    let st: fs.Stats;
    try {
        st = fs.statSync(file);
    } catch (e) {
        throw fromErrno(e);
    }
    if (st.isDirectory()) throw new FileReadError("directory", "is a directory, not a file");
    if (!st.isFile()) throw new FileReadError("special", `is ${special(st)}, not a regular file`);
    if (st.size > maxBytes) throw new FileReadError("too-large", `is larger than ${sizeText(maxBytes)}`);
    let fd: number;
    try {
        // O_NONBLOCK: should the name have become a FIFO since the stat, opening it does not wait for a writer.
        fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    } catch (e) {
        throw fromErrno(e);
    }
    try {
        const fst = fs.fstatSync(fd);
        if (!fst.isFile()) throw new FileReadError("special", `is ${special(fst)}, not a regular file`);
        const chunks: Buffer[] = [];
        let total = 0;
        const buffer = Buffer.alloc(64 * 1024);
        for (;;) {
            let n: number;
            try {
                n = fs.readSync(fd, buffer, 0, buffer.length, null);
            } catch (e) {
                throw fromErrno(e);
            }
            if (n === 0) break;
            total += n;
            if (total > maxBytes) throw new FileReadError("too-large", `is larger than ${sizeText(maxBytes)}`);
            chunks.push(Buffer.from(buffer.subarray(0, n)));
        }
        return Buffer.concat(chunks, total).toString("utf8");
    } finally {
        fs.closeSync(fd);
    }
}

/** True for a Windows path with a drive letter (`C:\data`, `d:/x`). */
export function isWindowsPath(p: string): boolean {
    return /^[A-Za-z]:[\\/]/.test(p) || /^\\\\/.test(p);
}

/** Directories whose files describe or control the machine itself. */
export const SYSTEM_DIRS: readonly string[] = ["/proc", "/sys", "/dev", "/etc"];

function within(file: string, dir: string): boolean {
    const rel = path.relative(dir, file);
    return rel === "" || (!rel.startsWith("..") && !path.isAbsolute(rel));
}

function real(p: string): string {
    try {
        return fs.realpathSync.native(p);
    } catch {
        return path.resolve(p);
    }
}

/**
 * Whether a file named by a Compose file may be read: after resolving symbolic links, it must
 * lie in `projectDir` or in one of `allowed`, and not under /proc, /sys, /dev or /etc unless the
 * directory that admits it is itself there (listing `/` does not open `/etc`).
 * @returns undefined when it may, else why not (a phrase that follows the file's name).
 */
export function fileLocationProblem(file: string, projectDir: string, allowed: readonly string[] = []): string | undefined {
    const target = real(file);
    const roots = [projectDir, ...allowed].map(real);
    const admitting = roots.filter((root) => within(target, root));
    const system = SYSTEM_DIRS.find((dir) => within(target, dir));
    if (system !== undefined && !admitting.some((root) => within(root, system))) {
        return `${target !== path.resolve(file) ? `resolves to ${target}, which ` : ""}is under ${system}, where a Compose file may not read; list the directory in the allowedPaths option to allow it`;
    }
    if (admitting.length === 0) {
        return `${target !== path.resolve(file) ? `resolves to ${target}, which ` : ""}is outside the project directory ${projectDir}; list its directory in the allowedPaths option to allow it`;
    }
    return undefined;
}
