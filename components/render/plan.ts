/**
 * A target's plan as plain data, for `dockyard render --plan` and tests: what the target would
 * create, in order, with every argument, without the Pulumi runtime (no mocks, no engine). Values
 * that exist only after creation are shown as what they are (`(image/web.imageId)`), secrets as
 * `[secret]`.
 */
import * as pulumi from "@pulumi/pulumi";
import { EndpointsPlan, Finding, Plan, PlannedNames, Ref } from "../targets/plan";
import { SECRET } from "./index";

export interface PrintedResource {
    readonly key: string;
    readonly type: string;
    readonly name: string;
    /** Keys of the planned resources it is created after (explicit, and those its arguments refer to). */
    readonly after: string[];
    readonly options?: Record<string, unknown>;
    /** An existing object read, not created. */
    readonly lookup?: true;
    readonly args: unknown;
}

export interface PrintedPlan {
    readonly target: string;
    readonly app: string;
    readonly findings: { readonly level: string; readonly path: string; readonly message: string }[];
    readonly names: PlannedNames;
    readonly resources: PrintedResource[];
    readonly endpoints: EndpointsPlan;
}

/** The value of an output outside a deployment (every plan value is known: no engine is asked). */
export function valueOf(o: pulumi.Output<unknown>): Promise<unknown> {
    return new Promise((resolve) => {
        o.apply((v) => {
            resolve(v);
            return v;
        });
    });
}

async function printable(value: unknown): Promise<unknown> {
    if (value instanceof Ref) return value.toString();
    if (pulumi.Output.isInstance(value)) {
        if (await pulumi.isSecret(value)) return SECRET;
        return printable(await valueOf(value));
    }
    if (value instanceof Promise) return printable(await value);
    if (Array.isArray(value)) return Promise.all(value.map(printable));
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
        const v = (value as Record<string, unknown>)[k];
        if (v !== undefined) out[k] = await printable(v);
    }
    return out;
}

/**
 * `plan` as plain data. `tell` says where a finding is in the user's terms (Compose keys and file
 * for a Compose app); by default the model path.
 */
export async function printPlan(plan: Plan, tell: (f: Finding) => string = (f) => f.path): Promise<PrintedPlan> {
    const { refsIn } = await import("../targets/materialize");
    return {
        target: plan.target,
        app: plan.app,
        findings: plan.findings.map((f) => ({ level: f.level, path: tell(f), message: f.message })),
        names: plan.names,
        resources: await Promise.all(
            plan.resources.map(async (r) => ({
                key: r.key,
                type: r.type,
                name: r.name,
                after: [...new Set([...r.dependsOn, ...refsIn(r.args)])],
                ...(r.options ? { options: { ...r.options } } : {}),
                ...(r.lookup ? { lookup: true as const } : {}),
                args: await printable(r.args),
            })),
        ),
        endpoints: plan.endpoints,
    };
}

/** A printed plan as text: findings, then each resource with its key, and the names it gives. */
export function planText(p: PrintedPlan): string {
    const lines = [`plan of ${p.app} on ${p.target}: ${p.resources.length} resources`];
    for (const f of p.findings) lines.push(`${f.level}: ${f.path}: ${f.message}`);
    const width = Math.max(0, ...p.resources.map((r) => r.type.length));
    for (const r of p.resources) {
        const after = r.after.length ? `  after ${r.after.join(", ")}` : "";
        lines.push(`${r.lookup ? "?" : "+"} ${r.type.padEnd(width)}  ${r.name}  [${r.key}]${after}`);
    }
    lines.push("names:");
    for (const [kind, byKey] of Object.entries(p.names)) {
        for (const [key, name] of Object.entries(byKey as Record<string, string | string[]>)) lines.push(`  ${kind}.${key}: ${Array.isArray(name) ? name.join(", ") : name}`);
    }
    return lines.join("\n") + "\n";
}
