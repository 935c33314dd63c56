/**
 * The inputs of a component built for another language's program (see provider.ts): they arrive
 * from the engine as values in which any part may be an Output (a value from another resource,
 * a secret, unknown during a preview). dockyard plans an application before anything exists, so
 * what it plans from must be known then: {@link resolveInputs} turns the inputs into plain values,
 * except where the TypeScript API itself takes a `pulumi.Input` (a password, TLS material), which
 * stay Outputs, secrecy and all.
 */
import * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../spec/errors";

/** Plain values (Outputs only at the kept paths), and the resources they came from (for dependencies). */
export interface Resolved<T = unknown> {
    readonly value: T;
    readonly dependencies: pulumi.Resource[];
}

/** Output internals the SDK uses itself (output.ts): whether the value is known, and its resources. */
interface OutputInternals {
    readonly isKnown: Promise<boolean>;
    promise(withUnknowns?: boolean): Promise<unknown>;
    resources(): Set<pulumi.Resource>;
}

/**
 * `value` with every Output awaited, except at paths `keep` accepts (kept as Outputs). An unknown
 * value where a plain one is needed is refused: the error names the path, e.g. `runtime.docker.host`.
 */
export async function resolveInputs(value: unknown, keep: (path: string) => boolean, path = ""): Promise<Resolved> {
    const dependencies: pulumi.Resource[] = [];
    const walk = async (v: unknown, at: string): Promise<unknown> => {
        if (pulumi.Output.isInstance(v)) {
            const o = v as unknown as OutputInternals;
            dependencies.push(...o.resources());
            if (keep(at)) return v;
            if (!(await o.isKnown)) throw unknownInput(at);
            return walk(await o.promise(true), at);
        }
        if (pulumi.isUnknown(v)) {
            if (keep(at)) return v;
            throw unknownInput(at);
        }
        if (keep(at) && v !== undefined && v !== null) return v;
        if (Array.isArray(v)) return Promise.all(v.map((e, i) => walk(e, `${at}[${i}]`)));
        if (pulumi.Resource.isInstance(v)) {
            throw new SpecError("a resource cannot be passed here: pass the data it outputs (for example a DockerHost's `runtime`)", at || "(inputs)");
        }
        if (v !== null && typeof v === "object") {
            const out: Record<string, unknown> = {};
            for (const [k, e] of Object.entries(v)) out[k] = await walk(e, at ? `${at}.${k}` : k);
            return out;
        }
        return v;
    };
    const resolved = await walk(value, path);
    return { value: resolved, dependencies };
}

function unknownInput(path: string): SpecError {
    return new SpecError(
        "must be known before anything is deployed (dockyard plans the application first), but it is the output of a resource that does not exist yet: pass a plain value, or deploy that resource first",
        path || "(inputs)",
    );
}

/** Whether `path` is one of `paths`, where `*` stands for any list index or map key. */
export function pathMatcher(paths: readonly string[]): (path: string) => boolean {
    const patterns = paths.map((p) => new RegExp(`^${p.split("*").map(escape).join("[^.\\]]+")}$`));
    return (path) => patterns.some((p) => p.test(path.replace(/\[(\d+)\]/g, ".$1")));
}

function escape(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
