/**
 * Compose profiles: a service that lists `profiles` runs only when one of them is active; a
 * service without `profiles` always runs. A running service that needs a left-out one is an
 * error that says which profile would bring it in.
 */
import { joinPath } from "../spec/errors";
import { hasOwn, setOwn } from "../spec/records";
import { ComposeError } from "./errors";

type Tree = Record<string, unknown>;

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function profilesOf(s: unknown): string[] {
    return isMap(s) && Array.isArray(s.profiles) ? s.profiles.map(String) : [];
}

/** True when a service runs with the `active` profiles (`"*"` activates all). */
export function isEnabled(service: unknown, active: readonly string[]): boolean {
    const own = profilesOf(service);
    return own.length === 0 || active.includes("*") || own.some((p) => active.includes(p));
}

/**
 * Leaves out the services of inactive profiles. Dependencies on a left-out service with
 * `required: false` are dropped.
 * @throws ComposeError when an enabled service depends on (or shares the network of) a left-out one.
 */
export function selectProfiles(services: Tree, active: readonly string[], fileOf: (path: string) => string | undefined): Tree {
    const enabled = new Set(Object.keys(services).filter((name) => isEnabled(services[name], active)));
    const out: Tree = {};
    const leftOut = (dep: string) => !enabled.has(dep) && hasOwn(services, dep);
    const explain = (name: string, dep: string, how: string, where: string, value: unknown): ComposeError =>
        new ComposeError(
            `service "${name}" ${how} service "${dep}", which is left out because none of its profiles (${profilesOf(services[dep]).join(", ")}) is active; ` +
                `activate one of them with the profiles option or COMPOSE_PROFILES`,
            where,
            value,
            fileOf(where),
        );
    for (const name of enabled) {
        const s = services[name] as Tree;
        const where = joinPath("services", name);
        let service = s;
        const deps = s.depends_on;
        if (Array.isArray(deps)) {
            const dep = deps.map(String).find(leftOut);
            if (dep !== undefined) throw explain(name, dep, "depends on", `${where}.depends_on`, dep);
        } else if (isMap(deps)) {
            const kept: Tree = {};
            for (const [dep, cond] of Object.entries(deps)) {
                if (!leftOut(dep)) setOwn(kept, dep, cond);
                else if (!isMap(cond) || (cond.required !== false && cond.required !== "false")) {
                    throw explain(name, dep, "depends on", joinPath(`${where}.depends_on`, dep), dep);
                }
            }
            service = { ...s, depends_on: kept };
        }
        const mode = typeof s.network_mode === "string" ? s.network_mode : "";
        if (mode.startsWith("service:") && leftOut(mode.slice("service:".length))) {
            throw explain(name, mode.slice("service:".length), "shares the network of", `${where}.network_mode`, mode);
        }
        setOwn(out, name, service);
    }
    return out;
}
