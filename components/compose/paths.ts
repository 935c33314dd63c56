/**
 * Error paths in the names the user wrote. The normalizer reports camelCase paths
 * (`services.db.healthcheck.startPeriod`); a Compose user wrote `start_period`. Only field names
 * are translated: the segment after `environment`, `labels`, `depends_on`… is a name the user
 * chose (a service, a variable) and stays as written.
 */
import { SpecError, joinPath } from "../spec/errors";
import { ComposeError } from "./errors";

/** Splits a rendered path (`services."my.svc".ports[1]`) into keys and indexes. */
export function parsePath(text: string): (string | number)[] {
    const out: (string | number)[] = [];
    const re = /\.?(?:([A-Za-z_][A-Za-z0-9_-]*)|"((?:[^"\\]|\\.)*)"|\[(\d+)\]|([^.[]+))/gy;
    for (let m = re.exec(text); m && m[0] !== ""; m = re.exec(text)) {
        if (m[1] !== undefined) out.push(m[1]);
        else if (m[2] !== undefined) out.push(JSON.parse(`"${m[2]}"`) as string);
        else if (m[3] !== undefined) out.push(Number(m[3]));
        else out.push(m[4]);
    }
    return out;
}

/** Fields whose next segment is a user-chosen name. */
const NAMED_CHILDREN = new Set([
    "environment", "labels", "sysctls", "ulimits", "dependsOn", "networks", "extraHosts", "args", "options", "driverOpts", "auxAddresses",
    "services", "volumes", "secrets", "configs",
]);

/** Model fields whose Compose name is not simply snake_case. */
const RENAMED: Record<string, string> = { replicas: "scale" };

function snake(key: string): string {
    return key.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());
}

/** Translates a normalizer path to the Compose names of the same place. */
export function composePath(path: readonly (string | number)[]): (string | number)[] {
    const out: (string | number)[] = [];
    let named = false;
    path.forEach((seg, i) => {
        if (typeof seg === "number") {
            out.push(seg);
            named = false;
            return;
        }
        if (named) {
            out.push(seg);
            named = false;
            return;
        }
        // `volumes` names volumes at the top level but is a list in a service.
        named = NAMED_CHILDREN.has(seg) && !(seg === "volumes" && i > 0);
        // `replicas` of a service is Compose's `scale`; `deploy.replicas` keeps its name.
        const renamed = i === 2 && path[0] === "services" ? RENAMED[seg] : undefined;
        out.push(renamed ?? snake(seg));
    });
    return out;
}

/**
 * A SpecError raised after loading (by a target that cannot run what the file asks for), told in
 * the file's terms: the Compose key names and the file. Errors that already name a file stay.
 */
export function inComposeTerms(e: SpecError, file: string): SpecError {
    if (e.file) return e;
    const p = composePath(parsePath(e.path)).reduce<string>((acc, k) => joinPath(acc, k), "");
    return new ComposeError(e.reason, p, e.value, file);
}
