/**
 * Device syntax (Compose `devices`), read the way compose-go reads it:
 *
 *   "/dev/kmsg"                 → /dev/kmsg at /dev/kmsg, permissions rwm
 *   "/dev/sda:/dev/xvda"        → /dev/sda at /dev/xvda, rwm
 *   "/dev/sda:/dev/xvda:r"      → read only
 *   { source, target, permissions }
 *
 * More than three `:`-separated parts is ambiguous (a host path with a colon) and, as in Compose,
 * needs the long form. CDI device names (`vendor.com/class=name`) are refused with a clear message:
 * no target maps them yet.
 */
import { SpecError } from "./errors";
import type { DeviceInput } from "./input";
import { DeviceSpec } from "./types";

/** Docker's cgroup permission letters (`r`ead, `w`rite, `m`knod), each at most once. */
const PERMISSIONS_RE = /^(?!.*(.).*\1)[rwm]{1,3}$/;
/** A CDI qualified device name: `vendor.com/class=name`. */
const CDI_RE = /^[a-z0-9][a-z0-9.-]*\.[a-z]+\/[a-zA-Z0-9][a-zA-Z0-9_.-]*=[a-zA-Z0-9_.:-]+$/;

function absolute(path: string | undefined, where: string, what: string, whole: unknown): string {
    if (typeof path !== "string" || !path.startsWith("/")) throw new SpecError(`the ${what} of a device must be an absolute path such as /dev/ttyUSB0`, where, whole);
    return path;
}

/** Parses one entry of `devices`. */
export function parseDevice(value: string | DeviceInput, where: string): DeviceSpec {
    let source: string | undefined;
    let target: string | undefined;
    let permissions: string | undefined;
    if (typeof value === "string") {
        if (CDI_RE.test(value)) {
            throw new SpecError("CDI device names are not supported by dockyard yet; map the device node by its path (/dev/...)", where, value);
        }
        const parts = value.split(":");
        if (parts.length > 3) throw new SpecError("confusing device mapping: use the long form { source, target, permissions }", where, value);
        [source, target, permissions] = parts;
    } else if (typeof value === "object" && value !== null) {
        ({ source, target, permissions } = value);
    } else {
        throw new SpecError('a device must be "HOST_PATH[:CONTAINER_PATH[:PERMISSIONS]]" or { source, target, permissions }', where, value);
    }
    const hostPath = absolute(source, where, "host path", value);
    const containerPath = target === undefined || target === "" ? hostPath : absolute(target, where, "container path", value);
    const perms = permissions === undefined || permissions === "" ? "rwm" : permissions;
    if (!PERMISSIONS_RE.test(perms)) throw new SpecError('device permissions must be some of "r", "w" and "m", such as "rw" or "rwm"', where, value);
    return { hostPath, containerPath, permissions: perms };
}
