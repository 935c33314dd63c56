/**
 * Paths in the names the user wrote. Errors of the normalizer are located in the model input
 * (`services.db.healthcheck.startPeriod`), findings of the targets in the AppSpec
 * (`services.web.resources.limits.pids`, `services.web.mounts[3]`, an expanded `ports[13]`); a
 * Compose user wrote `start_period`, `pids_limit` or `deploy.resources.limits.pids`, `tmpfs[0]`,
 * `ports[4]`. The translation walks the key table of `./keys.ts` (Compose names, and the routes
 * of AppSpec fields made from several keys) alongside what the user wrote, which `loadCompose`
 * keeps for every spec it returns (see {@link recordProvenance}): the form the user chose
 * (a short `"8080:80"` ends the path at the entry, a `KEY=VALUE` list is told by index), the
 * key a value came from (`scale` or `deploy.replicas`), and the user's own indices. Segments the
 * table does not know — names the user chose, the content of `x-*` extensions — stay as written.
 */
import { SpecError, joinPath } from "../spec/errors";
import type { AppInput } from "../spec/input";
import { getOwn, hasOwn } from "../spec/records";
import type { AppSpec } from "../spec/types";
import { ComposeError } from "./errors";
import { app } from "./keys";
import { Cursor, GroupNode, PathNode, Route, Seg, Step, Tree, Walker, isMap } from "./shapes";

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

/** Renders path segments the way errors show them: `services.web.ports[1]`. */
export function renderSegments(path: readonly Seg[]): string {
    return path.reduce<string>((acc, k) => joinPath(acc, k), "");
}

// ---------------------------------------------------------------------------------------------
// Provenance: what a spec loaded from Compose files was made from.

/** What `loadCompose` keeps of a spec's making, for paths in the user's terms. */
export interface Provenance {
    /** The merged Compose tree the spec was converted from (interpolated, profiles applied). */
    readonly tree: Tree;
    /** The model input it became. */
    readonly input: AppInput;
    /** The file (and line) a Compose path came from. */
    readonly blame?: (path: readonly Seg[]) => { readonly file: string; readonly line?: number };
}

/**
 * Keyed by the AppSpec and by each of its ServiceSpecs (which survive a copy of the AppSpec such
 * as `{ ...spec, source }`); nothing is added to the spec itself, so it stays a plain value.
 */
const PROVENANCE = new WeakMap<object, Provenance>();

/** Remembers what `spec` was made from (called by `loadCompose`). */
export function recordProvenance(spec: AppSpec, provenance: Provenance): void {
    PROVENANCE.set(spec, provenance);
    for (const s of Object.values(spec.services)) if (s !== null && typeof s === "object") PROVENANCE.set(s, provenance);
}

function provenanceOf(spec: AppSpec, path: readonly Seg[]): Provenance | undefined {
    const own = PROVENANCE.get(spec);
    if (own) return own;
    const s = path[0] === "services" && typeof path[1] === "string" ? getOwn(spec.services, path[1]) : undefined;
    return s !== undefined && s !== null && typeof s === "object" ? PROVENANCE.get(s) : undefined;
}

// ---------------------------------------------------------------------------------------------
// The walk

function child(v: unknown, k: Seg): unknown {
    if (typeof k === "number") return Array.isArray(v) ? v[k] : undefined;
    return isMap(v) ? getOwn(v, k) : undefined;
}

function commonPrefix(paths: readonly (readonly Seg[])[]): Seg[] {
    const out: Seg[] = [];
    for (let i = 0; paths.every((p) => i < p.length && p[i] === paths[0][i]); i++) out.push(paths[0][i]);
    return out;
}

/** The index of the user's entry that model entry `i` comes from, when each entry becomes `expand(entry)` model entries. */
function inputIndex(items: readonly unknown[], i: number, expand: (item: unknown) => number): number {
    let seen = 0;
    for (let j = 0; j < items.length; j++) {
        seen += expand(items[j]);
        if (i < seen) return j;
    }
    return items.length + (i - seen);
}

/** The index of the list entry that names `name`: `name` or `name=value` (a variable, a label), else `name:value` (an extra host); -1 when none does. */
function entryNamed(entries: readonly unknown[], name: string): number {
    const text = entries.map((e) => (typeof e === "string" || typeof e === "number" ? String(e) : undefined));
    const i = text.findIndex((t) => t === name || t?.startsWith(name + "="));
    return i >= 0 ? i : text.findIndex((t) => t?.startsWith(name + ":"));
}

/**
 * One translation. In `model` mode the path is an AppSpec path (`mounts`, `resources`, expanded
 * indices); in `input` mode a model input path (the normalizer's). `known` says whether the
 * user's tree is at hand; without it only names are translated and indices kept.
 */
class Translation implements Walker {
    private svc: { node: PathNode; cur: Cursor } | undefined;

    constructor(
        public readonly known: boolean,
        private mode: "model" | "input",
    ) {}

    public service(): { node: PathNode; cur: Cursor } | undefined {
        return this.svc;
    }

    public run(node: PathNode, path: readonly Seg[], cur: Cursor): Seg[] {
        let at: { node: PathNode; cur: Cursor } = { node, cur };
        for (let i = 0; i < path.length; i++) {
            const s = this.step(at.node, path[i], path.slice(i + 1), at.cur);
            if ("done" in s) return [...s.done];
            at = s;
        }
        return this.end(at.node, at.cur);
    }

    public descend(node: PathNode, cur: Cursor, inputPath: readonly Seg[]): Step {
        const mode = this.mode;
        this.mode = "input";
        try {
            let at: Step = { node, cur };
            for (let i = 0; i < inputPath.length && !("done" in at); i++) at = this.step(at.node, inputPath[i], inputPath.slice(i + 1), at.cur);
            return at;
        } finally {
            this.mode = mode;
        }
    }

    public locate(node: PathNode, cur: Cursor, candidates: readonly (readonly Seg[])[]): readonly Seg[] {
        const at = (p: readonly Seg[]): Seg[] => {
            const s = this.descend(node, cur, p);
            return "done" in s ? [...s.done] : this.end(s.node, s.cur);
        };
        const written = this.known ? candidates.filter((p) => this.written(node, cur, p)) : [];
        if (written.length === 0) return candidates.length === 1 ? at(candidates[0]) : commonPrefix(candidates.map(at));
        return written.length === 1 ? at(written[0]) : commonPrefix(written.map(at));
    }

    private written(node: PathNode, cur: Cursor, inputPath: readonly Seg[]): boolean {
        const s = this.descend(node, cur, inputPath);
        return !("done" in s) && s.cur.raw !== undefined && s.cur.raw !== null;
    }

    private end(node: PathNode, cur: Cursor): Seg[] {
        if (node.kind === "custom") return [...node.end(cur, this)];
        if (node.kind === "group") return this.groupEnd(node, cur);
        return [...cur.out];
    }

    /** A group's place: the one key of it the user wrote, the common ancestor of several, or the mapping holding it. */
    private groupEnd(node: GroupNode, cur: Cursor): Seg[] {
        if (!this.known) return [...cur.out];
        const leaves = (routes: Readonly<Record<string, Route>>): (readonly Seg[])[] =>
            Object.values(routes).flatMap((r) => ("via" in r ? r.via : "group" in r ? leaves(r.group) : []));
        const written = leaves(node.routes).filter((p) => this.written(node.base, cur, p));
        if (written.length === 0) return [...cur.out];
        const outs = written.map((p) => {
            const s = this.descend(node.base, cur, p);
            return "done" in s ? [...s.done] : [...s.cur.out];
        });
        return commonPrefix(outs);
    }

    private modelChild(cur: Cursor, seg: Seg): unknown {
        return this.mode === "model" ? child(cur.model, seg) : undefined;
    }

    private step(node: PathNode, seg: Seg, rest: readonly Seg[], cur: Cursor): Step {
        switch (node.kind) {
            case "leaf":
                return { done: this.inside(cur, [seg, ...rest]) };
            case "custom":
                return node.step(seg, cur, this);
            case "group": {
                const r = typeof seg === "string" ? getOwn(node.routes, seg) : undefined;
                return r ? this.route(node.base, r, seg, cur) : { done: this.groupEnd(node, cur) };
            }
            case "either": {
                let form: PathNode | undefined;
                if (this.known && cur.raw !== undefined && cur.raw !== null) {
                    // The form the user wrote decides; a short form (a string) ends the path at it.
                    form = Array.isArray(cur.raw) ? node.list : isMap(cur.raw) ? node.map : undefined;
                    if (!form) return { done: [...cur.out] };
                } else form = typeof seg === "number" ? (node.list ?? node.map) : (node.map ?? node.list);
                return form ? this.step(form, seg, rest, cur) : { done: [...cur.out, seg, ...rest] };
            }
            case "object":
                return this.objectStep(node, seg, rest, cur);
            case "list":
                return this.listStep(node, seg, rest, cur);
            case "names":
                return this.namesStep(node, seg, rest, cur);
        }
    }

    /** Inside a value passed on as written: as deep as the user's value goes (all of it when unknown). */
    private inside(cur: Cursor, path: readonly Seg[]): Seg[] {
        if (!this.known) return [...cur.out, ...path];
        const out = [...cur.out];
        let raw = cur.raw;
        for (const seg of path) {
            const next = child(raw, seg);
            if (next === undefined) break;
            out.push(seg);
            raw = next;
        }
        return out;
    }

    private objectStep(node: Extract<PathNode, { kind: "object" }>, seg: Seg, rest: readonly Seg[], cur: Cursor): Step {
        if (typeof seg === "number" || (this.known && cur.raw !== undefined && cur.raw !== null && !isMap(cur.raw))) {
            return { done: this.known ? [...cur.out] : [...cur.out, seg, ...rest] };
        }
        // Extension content is the user's own: never renamed.
        if (seg.startsWith("x-")) return { done: [...cur.out, seg, ...rest] };
        const table = node.table;
        if (this.mode === "model") {
            const r = getOwn(table.model, seg);
            if (r) return this.route(node, r, seg, cur);
        }
        const key = hasOwn(table.fields, seg) ? seg : table.byCompose.get(seg);
        if (key === undefined) return { done: [...cur.out, seg, ...rest] };
        const field = table.fields[key];
        const parent = cur.raw;
        const alt = this.known && field.fallback && isMap(parent)
            ? (name: string | undefined) => {
                  const p = field.fallback!(parent, name);
                  return p ? [...cur.out, ...p] : undefined;
              }
            : undefined;
        const raw = child(parent, field.compose);
        if (this.known && (raw === undefined || raw === null) && alt) {
            const a = alt(undefined);
            if (a) return { done: a };
        }
        return {
            node: field.shape.node,
            cur: { out: [...cur.out, field.compose], raw, input: child(cur.input, key), model: this.modelChild(cur, seg), ...(alt ? { alt } : {}) },
        };
    }

    /** Follows an AppSpec field's route from the mapping `base` (or the service). */
    private route(base: PathNode, r: Route, seg: Seg, cur: Cursor): Step {
        const model = this.modelChild(cur, seg);
        if ("self" in r) return { done: [...cur.out] };
        if ("skip" in r) return { node: base, cur: { ...cur, model } };
        if ("custom" in r) return { node: r.custom, cur: { ...cur, model } };
        const from = r.fromService ? this.svc : { node: base, cur };
        if (!from) return { done: [...cur.out] };
        if ("group" in r) return { node: { kind: "group", routes: r.group, base: from.node }, cur: { ...from.cur, model } };
        const path = (this.known && r.via.find((p) => this.written(from.node, from.cur, p))) || r.via[0];
        const s = this.descend(from.node, from.cur, path);
        return "done" in s ? s : { node: s.node, cur: { ...s.cur, model } };
    }

    private listStep(node: Extract<PathNode, { kind: "list" }>, seg: Seg, rest: readonly Seg[], cur: Cursor): Step {
        if (typeof seg === "string") {
            // A name in a list: a network or service listed by name, a KEY=VALUE entry.
            if (!this.known) return { done: [...cur.out, seg, ...rest] };
            const j = Array.isArray(cur.raw) ? entryNamed(cur.raw, seg) : -1;
            if (j >= 0) return { done: [...cur.out, j] };
            return { done: cur.alt?.(seg) ?? [...cur.out] };
        }
        const model = this.modelChild(cur, seg);
        const j = this.mode === "model" && node.expand && Array.isArray(cur.input) ? inputIndex(cur.input, seg, node.expand) : seg;
        if (this.known && !(Array.isArray(cur.raw) && j < cur.raw.length)) {
            // Not among the user's entries: added by the model (a dependency implied by network_mode).
            const a = cur.alt?.(node.keyOf?.(model));
            if (a) return { done: a };
            if (Array.isArray(cur.raw)) return { done: [...cur.out] };
        }
        return { node: node.item, cur: { out: [...cur.out, j], raw: child(cur.raw, j), input: child(cur.input, j), model } };
    }

    private namesStep(node: Extract<PathNode, { kind: "names" }>, seg: Seg, rest: readonly Seg[], cur: Cursor): Step {
        let name: string;
        let model: unknown;
        if (typeof seg === "number") {
            // The model keeps these entries in a list (`networks[0]`): the entry's name.
            model = this.modelChild(cur, seg);
            const key = this.mode === "model" ? node.keyOf?.(model) : undefined;
            if (key === undefined) return { done: this.known ? [...cur.out] : [...cur.out, seg, ...rest] };
            name = key;
        } else {
            name = seg;
            model = this.mode === "model" && Array.isArray(cur.model) && node.keyOf
                ? cur.model.find((e) => node.keyOf!(e) === seg)
                : this.modelChild(cur, seg);
        }
        if (this.known && !(isMap(cur.raw) && hasOwn(cur.raw, name))) {
            const a = cur.alt?.(name);
            if (a) return { done: a };
        }
        const next: Cursor = { out: [...cur.out, name], raw: child(cur.raw, name), input: child(cur.input, name), model };
        if (node.service) this.svc = { node: node.item, cur: next };
        return { node: node.item, cur: next };
    }
}

function translate(path: readonly Seg[], mode: "model" | "input", provenance: Provenance | undefined, spec?: AppSpec): Seg[] {
    const t = new Translation(provenance !== undefined, mode);
    return t.run(app.node, path, { out: [], raw: provenance?.tree, input: provenance?.input, model: mode === "model" ? spec : undefined });
}

// ---------------------------------------------------------------------------------------------
// API

/**
 * The Compose path of a model input path, by the key table alone (`services.db.healthcheck.startPeriod`
 * → `services.db.healthcheck.start_period`, `services.web.replicas` → `services.web.scale`).
 */
export function composePath(path: readonly (string | number)[]): (string | number)[] {
    return translate(path, "input", undefined);
}

/** The Compose path of a model input path (the normalizer's errors), in the user's forms and indices. */
export function inputLocation(path: readonly Seg[], provenance: Provenance): Seg[] {
    return translate(path, "input", provenance);
}

/** Where a model path is in the Compose files: the path the user wrote and, when known, the file and line. */
export interface ComposeSite {
    /** The Compose path, e.g. `services.web.deploy.resources.limits.pids`, `services.web.tmpfs[0]`. */
    readonly path: string;
    /** The file the value came from (of several merged files, the one that set it). */
    readonly file?: string;
    /** Its line in that file. */
    readonly line?: number;
}

/**
 * Where an AppSpec path (a target's finding: `services.web.resources.cpuShares`,
 * `services.web.mounts[2]`, `services.web.ports[13]`) is in the Compose files `spec` was loaded
 * from: the keys and indices the user wrote, and the file and line. For a spec that does not
 * come from `loadCompose`, the keys are translated by the table and the indices kept.
 */
export function composeSite(spec: AppSpec, modelPath: string): ComposeSite {
    const parsed = parsePath(modelPath);
    const provenance = provenanceOf(spec, parsed);
    const p = translate(parsed, "model", provenance, spec);
    const where = provenance?.blame?.(p);
    return { path: renderSegments(p), ...(where ? { file: where.file, ...(where.line !== undefined ? { line: where.line } : {}) } : {}) };
}

/**
 * The Compose path the user wrote for an AppSpec path: `services.web.resources.limits.pids` →
 * `services.web.pids_limit` or `services.web.deploy.resources.limits.pids` (whichever the file
 * says), `services.web.mounts[3]` → `services.web.tmpfs[0]`, an expanded `services.web.ports[13]`
 * → `services.web.ports[4]`; `x-*` content as written.
 */
export function composeLocation(spec: AppSpec, modelPath: string): string {
    return composeSite(spec, modelPath).path;
}

/**
 * A SpecError raised after loading (by a target that cannot run what the file asks for), told in
 * the file's terms: the Compose key names and the file. With the spec, the user's own keys and
 * indices, and the file and line the value came from. Errors that already name a file stay.
 */
export function inComposeTerms(e: SpecError, file: string, spec?: AppSpec): SpecError {
    if (e.file) return e;
    if (spec) {
        const site = composeSite(spec, e.path);
        return new ComposeError(e.reason, site.path, e.value, site.file ?? file, site.line);
    }
    return new ComposeError(e.reason, renderSegments(translate(parsePath(e.path), "model", undefined)), e.value, file);
}
