/**
 * `dockyard diff`: two renders compared resource by resource — matched by type and name, as Pulumi
 * matches a resource to its state — and property by property, shown as `pulumi preview --diff`
 * shows a plan: `+` create, `-` delete, `~` update, `old => new`.
 *
 * The structural part (objects by key, recursion, pairing of changed list elements) is written here:
 * rendered inputs are plain JSON, and what is wanted is a tree of changes keyed by property path in
 * Pulumi's shape, which no text-diff library produces (jsdiff's diffJson, for one, compares the
 * serialized lines). The sequence alignment underneath is jsdiff's: `diffArrays` for list elements
 * (an entry inserted into a list shows as one `+`, not as every later element changed) and
 * `structuredPatch` for multi-line strings (configuration files, scripts) as unified-diff hunks.
 */
import { diffArrays, structuredPatch } from "diff";
import { isDeepStrictEqual } from "util";
import type { RenderedProgram, RenderedResource } from "../components/render";

/** A property path: object keys and list indexes. */
export type PropertyPath = (string | number)[];

/** How one value changed; `same` values are left out of every diff. */
export type ValueDiff =
    | { readonly kind: "add"; readonly new: unknown }
    | { readonly kind: "delete"; readonly old: unknown }
    | { readonly kind: "update"; readonly old: unknown; readonly new: unknown }
    /** A multi-line string: `update` plus its line diff. */
    | { readonly kind: "text"; readonly old: string; readonly new: string }
    | { readonly kind: "object"; readonly entries: readonly (readonly [string, ValueDiff])[] }
    /** List elements by index: the old index for deleted and changed elements, the new one for added ones. */
    | { readonly kind: "list"; readonly entries: readonly (readonly [number, ValueDiff])[] };

/** Differences of `a` and `b`, or undefined when they are the same. */
export function diffValues(a: unknown, b: unknown): ValueDiff | undefined {
    if (isDeepStrictEqual(a, b)) return undefined;
    if (a === undefined) return { kind: "add", new: b };
    if (b === undefined) return { kind: "delete", old: a };
    if (Array.isArray(a) && Array.isArray(b)) return { kind: "list", entries: diffLists(a, b) };
    if (isObject(a) && isObject(b)) {
        const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
        const entries: [string, ValueDiff][] = [];
        for (const k of keys) {
            const d = diffValues(a[k], b[k]);
            if (d) entries.push([k, d]);
        }
        return { kind: "object", entries };
    }
    if (typeof a === "string" && typeof b === "string" && (a.includes("\n") || b.includes("\n"))) return { kind: "text", old: a, new: b };
    return { kind: "update", old: a, new: b };
}

function isObject(v: unknown): v is Record<string, unknown> {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

function diffLists(a: unknown[], b: unknown[]): [number, ValueDiff][] {
    const entries: [number, ValueDiff][] = [];
    let i = 0; // index in a
    let j = 0; // index in b
    const parts = diffArrays(a, b, { comparator: isDeepStrictEqual });
    for (let p = 0; p < parts.length; p++) {
        const part = parts[p];
        if (!part.added && !part.removed) {
            i += part.count;
            j += part.count;
            continue;
        }
        // A removed run next to an added run: element k of one replaced by element k of the other, shown as a change of it.
        const next = parts[p + 1];
        const removed = part.removed ? part : next?.removed ? next : undefined;
        const added = part.added ? part : next?.added ? next : undefined;
        if (removed && added) p++;
        const paired = Math.min(removed?.count ?? 0, added?.count ?? 0);
        for (let k = 0; k < paired; k++) entries.push([i + k, diffValues(a[i + k], b[j + k])!]);
        for (let k = paired; k < (removed?.count ?? 0); k++) entries.push([i + k, { kind: "delete", old: a[i + k] }]);
        for (let k = paired; k < (added?.count ?? 0); k++) entries.push([j + k, { kind: "add", new: b[j + k] }]);
        i += removed?.count ?? 0;
        j += added?.count ?? 0;
    }
    return entries;
}

/** One resource of either side that is not the same on both. */
export type ResourceDiff =
    | { readonly op: "create" | "delete"; readonly type: string; readonly name: string; readonly parent?: string; readonly inputs: Record<string, unknown>; readonly dependsOn: string[] }
    | {
          readonly op: "update";
          readonly type: string;
          readonly name: string;
          readonly parent?: string;
          /** Input changes; absent when only the parent or the dependencies changed. */
          readonly inputs?: ValueDiff;
          readonly parentChange?: { readonly old?: string; readonly new?: string };
          readonly dependsOnChange?: { readonly added: string[]; readonly removed: string[] };
      };

export interface RenderDiff {
    /** Creates and updates in the order of the second render, then deletes in the order of the first. */
    readonly resources: ResourceDiff[];
    readonly summary: { readonly create: number; readonly update: number; readonly delete: number; readonly same: number };
    /** Changes of the stack outputs, when there are any. */
    readonly outputs?: ValueDiff;
}

/** Whether a diff found nothing: no resource and no output differs. */
export function isEqual(diff: RenderDiff): boolean {
    return diff.resources.length === 0 && diff.outputs === undefined;
}

/** Compares two renders, their resources and their stack outputs. */
export function diffPrograms(from: RenderedProgram, to: RenderedProgram): RenderDiff {
    const diff = diffRenders(from.resources, to.resources);
    const outputs = diffValues(from.outputs, to.outputs);
    return outputs ? { ...diff, outputs } : diff;
}

/** The key a resource is matched by: its type and name (a second one of both, which Pulumi would refuse, gets a count). */
function keyed(resources: RenderedResource[]): Map<string, RenderedResource> {
    const map = new Map<string, RenderedResource>();
    for (const r of resources) {
        let key = `${r.type}::${r.name}`;
        for (let n = 2; map.has(key); n++) key = `${r.type}::${r.name}#${n}`;
        map.set(key, r);
    }
    return map;
}

/** Compares the resources of two renders, `from` and `to`. */
export function diffRenders(from: RenderedResource[], to: RenderedResource[]): RenderDiff {
    const before = keyed(from);
    const after = keyed(to);
    const resources: ResourceDiff[] = [];
    let same = 0;
    const parentOf = (r: RenderedResource) => (r.parent !== undefined ? { parent: r.parent } : {});
    for (const [key, b] of after) {
        const a = before.get(key);
        if (!a) {
            resources.push({ op: "create", type: b.type, name: b.name, ...parentOf(b), inputs: b.inputs, dependsOn: b.dependsOn });
            continue;
        }
        const inputs = diffValues(a.inputs, b.inputs);
        const oldDeps = new Set(a.dependsOn);
        const newDeps = new Set(b.dependsOn);
        const added = b.dependsOn.filter((d) => !oldDeps.has(d));
        const removed = a.dependsOn.filter((d) => !newDeps.has(d));
        const parentChanged = a.parent !== b.parent;
        if (!inputs && !added.length && !removed.length && !parentChanged) {
            same++;
            continue;
        }
        resources.push({
            op: "update",
            type: b.type,
            name: b.name,
            ...parentOf(b),
            ...(inputs ? { inputs } : {}),
            ...(parentChanged ? { parentChange: { ...(a.parent !== undefined ? { old: a.parent } : {}), ...(b.parent !== undefined ? { new: b.parent } : {}) } } : {}),
            ...(added.length || removed.length ? { dependsOnChange: { added, removed } } : {}),
        });
    }
    for (const [key, a] of before) {
        if (!after.has(key)) resources.push({ op: "delete", type: a.type, name: a.name, ...parentOf(a), inputs: a.inputs, dependsOn: a.dependsOn });
    }
    const count = (op: ResourceDiff["op"]) => resources.filter((r) => r.op === op).length;
    return { resources, summary: { create: count("create"), update: count("update"), delete: count("delete"), same } };
}

/** One leaf change, for the JSON form: where, and the values on each side. */
export interface PropertyChange {
    readonly path: PropertyPath;
    /** The path as one string: `ports[0].external`. */
    readonly property: string;
    readonly op: "add" | "delete" | "update";
    readonly old?: unknown;
    readonly new?: unknown;
}

export function propertyPath(path: PropertyPath): string {
    return path.map((p, i) => (typeof p === "number" ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? `${i ? "." : ""}${p}` : `[${JSON.stringify(p)}]`)).join("");
}

/** The leaves of a ValueDiff, each with its full path. */
export function flatten(d: ValueDiff, path: PropertyPath = []): PropertyChange[] {
    const leaf = (op: PropertyChange["op"], values: { old?: unknown; new?: unknown }): PropertyChange[] => [{ path, property: propertyPath(path), op, ...values }];
    switch (d.kind) {
        case "add":
            return leaf("add", { new: d.new });
        case "delete":
            return leaf("delete", { old: d.old });
        case "update":
        case "text":
            return leaf("update", { old: d.old, new: d.new });
        case "object":
        case "list":
            return d.entries.flatMap(([k, v]) => flatten(v, [...path, k]));
    }
}

/** The JSON form of a diff: resources with their changes as flat property paths. */
export function diffJson(from: string, to: string, diff: RenderDiff): unknown {
    return {
        from,
        to,
        equal: isEqual(diff),
        summary: diff.summary,
        resources: diff.resources.map((r) =>
            r.op === "update"
                ? {
                      op: r.op,
                      type: r.type,
                      name: r.name,
                      ...(r.parent !== undefined ? { parent: r.parent } : {}),
                      changes: r.inputs ? flatten(r.inputs) : [],
                      ...(r.parentChange ? { parentChange: r.parentChange } : {}),
                      ...(r.dependsOnChange ? { dependsOnChange: r.dependsOnChange } : {}),
                  }
                : r,
        ),
        outputs: diff.outputs ? flatten(diff.outputs) : [],
    };
}

// ---- text, as `pulumi preview --diff` prints it ----

const INDENT = "    ";
const MARK = { add: "+", delete: "-", update: "~" } as const;

function scalar(v: unknown): string {
    return v === undefined ? "undefined" : JSON.stringify(v);
}

const INLINE_WIDTH = 80;

/** A value on one line, `{ label: "a", value: "b" }`, or undefined when it holds a multi-line string. */
function inline(v: unknown): string | undefined {
    if (Array.isArray(v)) {
        const items = v.map(inline);
        return items.every((x) => x !== undefined) ? `[${items.join(", ")}]` : undefined;
    }
    if (isObject(v)) {
        const items = Object.entries(v).map(([k, x]) => {
            const value = inline(x);
            return value === undefined ? undefined : `${/^[A-Za-z_$][\w$-]*$/.test(k) ? k : JSON.stringify(k)}: ${value}`;
        });
        return items.every((x) => x !== undefined) ? (items.length ? `{ ${items.join(", ")} }` : "{}") : undefined;
    }
    return typeof v === "string" && v.includes("\n") ? undefined : scalar(v);
}

/** A whole value, as the lines that follow `key: ` (the first is on the key's line), every line marked with `mark`. */
function valueLines(v: unknown, mark: string, indent: string): string[] {
    const short = inline(v);
    if (short !== undefined && (short.length <= INLINE_WIDTH || (!Array.isArray(v) && !isObject(v)))) return [short];
    if (Array.isArray(v)) {
        if (v.length === 0) return ["[]"];
        return ["[", ...v.flatMap((x, i) => entryLines(`[${i}]`, x, mark, indent + INDENT)), `  ${indent}]`];
    }
    if (isObject(v)) {
        const keys = Object.keys(v);
        if (keys.length === 0) return ["{}"];
        return ["{", ...keys.flatMap((k) => entryLines(k, v[k], mark, indent + INDENT)), `  ${indent}}`];
    }
    if (typeof v === "string" && v.includes("\n")) {
        const lines = v.replace(/\n$/, "").split("\n");
        return [v.endsWith("\n") ? "|" : "|-", ...lines.map((l) => `${mark} ${indent}${INDENT}${l}`.trimEnd())];
    }
    return [scalar(v)];
}

function entryLines(key: string, v: unknown, mark: string, indent: string): string[] {
    const [first, ...rest] = valueLines(v, mark, indent);
    return [`${mark} ${indent}${key}: ${first}`, ...rest];
}

function diffLines(key: string, d: ValueDiff, indent: string): string[] {
    switch (d.kind) {
        case "add":
            return entryLines(key, d.new, MARK.add, indent);
        case "delete":
            return entryLines(key, d.old, MARK.delete, indent);
        case "update": {
            const simple = (v: unknown) => !isObject(v) && !Array.isArray(v);
            if (simple(d.old) && simple(d.new)) return [`${MARK.update} ${indent}${key}: ${scalar(d.old)} => ${scalar(d.new)}`];
            return [...entryLines(key, d.old, MARK.delete, indent), ...entryLines(key, d.new, MARK.add, indent)];
        }
        case "text": {
            const patch = structuredPatch("", "", d.old.endsWith("\n") ? d.old : d.old + "\n", d.new.endsWith("\n") ? d.new : d.new + "\n", undefined, undefined, { context: 2 });
            const lines = [`${MARK.update} ${indent}${key}: (text)`];
            for (const h of patch.hunks) {
                lines.push(`  ${indent}${INDENT}@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
                for (const l of h.lines) if (!l.startsWith("\\")) lines.push(`${l[0] === " " ? " " : l[0]} ${indent}${INDENT}${l.slice(1)}`.trimEnd());
            }
            return lines;
        }
        case "object":
        case "list": {
            const [open, close] = d.kind === "object" ? ["{", "}"] : ["[", "]"];
            const entries = d.entries as readonly (readonly [string | number, ValueDiff])[];
            return [
                `${MARK.update} ${indent}${key}: ${open}`,
                ...entries.flatMap(([k, v]) => diffLines(typeof k === "number" ? `[${k}]` : k, v, indent + INDENT)),
                `  ${indent}${close}`,
            ];
        }
    }
}

function resourceHeader(r: ResourceDiff): string {
    const mark = MARK[r.op === "create" ? "add" : r.op === "delete" ? "delete" : "update"];
    return `${mark} ${r.type}  ${r.name}${r.parent !== undefined ? `  (parent ${r.parent})` : ""}  (${r.op})`;
}

/** The text form: each resource that differs with its property changes, then a summary. */
export function formatDiff(from: string, to: string, diff: RenderDiff): string {
    const out: string[] = [`dockyard diff: ${from} => ${to}`, ""];
    for (const r of diff.resources) {
        out.push(resourceHeader(r));
        const indent = INDENT;
        if (r.op === "update") {
            if (r.parentChange) out.push(`  ${indent}[parent: ${scalar(r.parentChange.old)} => ${scalar(r.parentChange.new)}]`);
            if (r.dependsOnChange) out.push(`  ${indent}[dependsOn: ${[...r.dependsOnChange.added.map((d) => `+${d}`), ...r.dependsOnChange.removed.map((d) => `-${d}`)].join(", ")}]`);
            if (r.inputs?.kind === "object") out.push(...r.inputs.entries.flatMap(([k, v]) => diffLines(k, v, indent)));
        } else {
            const mark = r.op === "create" ? MARK.add : MARK.delete;
            out.push(...Object.entries(r.inputs).flatMap(([k, v]) => entryLines(k, v, mark, indent)));
            if (r.dependsOn.length) out.push(`  ${indent}[dependsOn: ${r.dependsOn.join(", ")}]`);
        }
        out.push("");
    }
    if (diff.outputs?.kind === "object") {
        out.push("Outputs:", ...diff.outputs.entries.flatMap(([k, v]) => diffLines(k, v, "    ")), "");
    }
    const s = diff.summary;
    out.push(
        "Resources:",
        ...(s.create ? [`    + ${s.create} to create`] : []),
        ...(s.update ? [`    ~ ${s.update} to update`] : []),
        ...(s.delete ? [`    - ${s.delete} to delete`] : []),
        `    ${s.same} unchanged`,
        "",
    );
    return out.join("\n");
}
