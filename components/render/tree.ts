/**
 * A render as `pulumi preview` shows a plan: the resources as a tree of parents and children, one
 * line each with its type, name and a few key inputs (image, ports, replicas, size), then the
 * stack's outputs. The full inputs are the JSON form's business.
 */
import { imageOfPlaceholder, RenderedProgram, RenderedResource, SECRET, UNKNOWN } from "./index";

type Inputs = Record<string, unknown>;

function get(v: unknown, ...path: (string | number)[]): unknown {
    let cur = v;
    for (const p of path) {
        if (cur === null || typeof cur !== "object") return undefined;
        cur = (cur as Record<string | number, unknown>)[p];
    }
    return cur;
}

function list(v: unknown): unknown[] {
    return Array.isArray(v) ? v : [];
}

/** An image as a reader knows it: a placeholder resolved to its name, a digest left off; nothing when unknown. */
function imageName(v: unknown): string | undefined {
    const named = imageOfPlaceholder(v);
    if (named !== undefined) return named;
    if (typeof v !== "string" || v === UNKNOWN || v === SECRET) return undefined;
    return v.replace(/@sha256:[0-9a-f]+$/, "");
}

function protocolSuffix(p: unknown): string {
    return typeof p === "string" && p.toLowerCase() !== "tcp" ? `/${p.toLowerCase()}` : "";
}

/** `8080:80`, `127.0.0.1:8080:80/udp`, `80` (a random host port). */
function dockerPort(p: unknown): string {
    const ip = get(p, "ip");
    const external = get(p, "external");
    const host = external !== undefined ? `${typeof ip === "string" && ip !== "0.0.0.0" ? `${ip}:` : ""}${external}:` : "";
    return `${host}${get(p, "internal")}${protocolSuffix(get(p, "protocol"))}`;
}

function swarmPort(p: unknown): string {
    const published = get(p, "publishedPort");
    return `${published !== undefined ? `${published}:` : ""}${get(p, "targetPort")}${protocolSuffix(get(p, "protocol"))}${get(p, "publishMode") === "host" ? " (host)" : ""}`;
}

function kubernetesPort(p: unknown): string {
    const target = get(p, "targetPort");
    const nodePort = get(p, "nodePort");
    return `${get(p, "port")}${target !== undefined && target !== get(p, "port") ? `:${target}` : ""}${protocolSuffix(get(p, "protocol"))}${nodePort !== undefined ? ` (node ${nodePort})` : ""}`;
}

function joined(label: string, values: (string | undefined)[]): string[] {
    const present = values.filter((v): v is string => v !== undefined && v !== "");
    return present.length ? [`${label} ${[...new Set(present)].join(", ")}`] : [];
}

function podImages(podSpec: unknown): string[] {
    return joined("image", [...list(get(podSpec, "initContainers")), ...list(get(podSpec, "containers"))].map((c) => imageName(get(c, "image"))));
}

const WORKLOADS = new Set(["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:batch/v1:Job"]);

/** The few inputs that say what a resource is, by its type; nothing for types without such inputs. */
export function keyInputs(r: Pick<RenderedResource, "type" | "inputs">): string[] {
    const i: Inputs = r.inputs;
    switch (r.type) {
        case "pulumi:providers:docker":
            return joined("host", [get(i, "host") as string | undefined]);
        case "pulumi:providers:kubernetes":
            return [...joined("context", [get(i, "context") as string | undefined]), ...joined("namespace", [get(i, "namespace") as string | undefined])];
        case "docker:index/remoteImage:RemoteImage": {
            const context = get(i, "build", "remoteContext") ?? get(i, "build", "context");
            return [...joined("image", [imageName(get(i, "name"))]), ...(context !== undefined ? [`built from ${context}`] : [])];
        }
        case "docker:index/container:Container":
            return [...joined("image", [imageName(get(i, "image"))]), ...joined("ports", list(get(i, "ports")).map(dockerPort))];
        case "docker:index/service:Service": {
            const replicas = get(i, "mode", "replicated", "replicas");
            const mode = get(i, "mode", "global") === true ? ["global"] : replicas !== undefined ? [`replicas ${replicas}`] : [];
            return [...joined("image", [imageName(get(i, "taskSpec", "containerSpec", "image"))]), ...mode, ...joined("ports", list(get(i, "endpointSpec", "ports")).map(swarmPort))];
        }
        case "kubernetes:core/v1:Service":
            return [...joined("type", [get(i, "spec", "type") as string | undefined]), ...joined("ports", list(get(i, "spec", "ports")).map(kubernetesPort))];
        case "kubernetes:core/v1:PersistentVolumeClaim":
            return joined("size", [get(i, "spec", "resources", "requests", "storage") as string | undefined]);
        case "kubernetes:autoscaling/v2:HorizontalPodAutoscaler":
            return [`replicas ${get(i, "spec", "minReplicas") ?? 1}-${get(i, "spec", "maxReplicas")}`];
        case "kubernetes:batch/v1:CronJob":
            return [...joined("schedule", [get(i, "spec", "schedule") as string | undefined]), ...podImages(get(i, "spec", "jobTemplate", "spec", "template", "spec"))];
    }
    if (WORKLOADS.has(r.type)) {
        const replicas = get(i, "spec", "replicas");
        return [...podImages(get(i, "spec", "template", "spec")), ...(replicas !== undefined ? [`replicas ${replicas}`] : [])];
    }
    return joined("image", [imageName(get(i, "image"))]);
}

export interface TreeOptions {
    /** A root line above every resource, as `pulumi preview` shows the stack (e.g. `dockyard-dev`). */
    readonly root?: string;
}

/** The plan as text: the tree of resources, then the outputs, then the count. */
export function formatTree(rendered: RenderedProgram, options: TreeOptions = {}): string {
    const { resources } = rendered;
    // Parents are named by name only; the first resource of a name that has children is taken as the parent.
    const byName = new Map<string, number>();
    resources.forEach((r, n) => {
        if (!byName.has(r.name)) byName.set(r.name, n);
    });
    const children = new Map<number, number[]>();
    const roots: number[] = [];
    resources.forEach((r, n) => {
        const parent = r.parent !== undefined ? byName.get(r.parent) : undefined;
        if (parent === undefined || parent === n) roots.push(n);
        else children.set(parent, [...(children.get(parent) ?? []), n]);
    });

    const rows: [string, string, string][] = [];
    const walk = (n: number, prefix: string, branch: string) => {
        const r = resources[n];
        rows.push([`${prefix}${branch}${r.type}`, r.name, keyInputs(r).join("  ")]);
        const kids = children.get(n) ?? [];
        const next = prefix + (branch === "├─ " ? "│  " : branch === "└─ " ? "   " : "");
        kids.forEach((k, idx) => walk(k, next, idx === kids.length - 1 ? "└─ " : "├─ "));
    };
    if (options.root !== undefined) {
        rows.push(["pulumi:pulumi:Stack", options.root, ""]);
        roots.forEach((n, idx) => walk(n, "", idx === roots.length - 1 ? "└─ " : "├─ "));
    } else {
        roots.forEach((n) => walk(n, "", ""));
    }

    const typeWidth = Math.max(4, ...rows.map((r) => r[0].length));
    const nameWidth = Math.max(4, ...rows.map((r) => r[1].length));
    const line = (a: string, b: string, c: string) => `${a.padEnd(typeWidth)}  ${b.padEnd(nameWidth)}  ${c}`.trimEnd();
    const out = [line("Type", "Name", "Details"), ...rows.map(([a, b, c]) => line(a, b, c))];

    const outputs = Object.entries(rendered.outputs);
    if (outputs.length) {
        const width = Math.max(...outputs.map(([k]) => k.length));
        out.push("", "Outputs:", ...outputs.map(([k, v]) => `    ${(k + ":").padEnd(width + 1)} ${JSON.stringify(v)}`));
    }
    out.push("", `Resources: ${resources.length}`, "");
    return out.join("\n");
}
