/**
 * The building blocks of the Compose key table (`./keys.ts`). A {@link Shape} says two things
 * about one Compose value: what it becomes in the model input (`read`), and how a path inside it
 * is told back in Compose terms (`node`, walked by `./paths.ts`). An {@link ObjectTable} lists,
 * per Compose mapping, every model input field with the Compose key it is read from, the Compose
 * keys dockyard does not model (each with a reason), and the AppSpec fields that are not simply
 * an input field of the same name (`resources`, `mounts`, `…Ms`, `…Bytes`).
 *
 * Reading is permissive: values were validated by the Compose schema, and whatever the table
 * cannot read is passed on for the normalizer to judge, with the path the user wrote.
 */
import { joinPath, shortText } from "../spec/errors";
import { shellWordsCut } from "../spec/shellwords";
import { getOwn, setOwn } from "../spec/records";
import { ComposeError, ComposeWarning, composeWarning } from "./errors";
import type { Lookup } from "./interpolate";

export type Tree = Record<string, unknown>;

/** A path segment: a key, or an index in a list. */
export type Seg = string | number;

/** What the converter needs besides the tree. */
export interface ConvertContext {
    /** Project name (already decided by the loader). */
    readonly name: string;
    /** Project directory: env files are found here. */
    readonly projectDir: string;
    /** The project environment (for `environment: [FOO]` and `build.args`). */
    readonly lookup: Lookup;
    /** File errors and warnings are reported against, for paths no single file owns. */
    readonly file?: string;
    /** Finds the file a Compose path came from. */
    readonly fileOf?: (path: string) => string | undefined;
    readonly warn: (warning: ComposeWarning) => void;
    /** Why an env file may not be read where it is, or undefined when it may. */
    readonly locationProblem?: (file: string) => string | undefined;
}

/** Where a value is read: its Compose path (rendered) and the conversion context. */
export interface Site {
    readonly path: string;
    readonly ctx: ConvertContext;
}

export function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** A Compose value: how it is read into the model input, and how paths inside it are translated. */
export interface Shape<V> {
    /** The model input value of what the user wrote at `site.path`; undefined leaves the field out. */
    readonly read: (value: unknown, site: Site) => V | undefined;
    readonly node: PathNode;
}

// ---------------------------------------------------------------------------------------------
// Path nodes: the structure `./paths.ts` walks to translate a model path into a Compose path.

/** A value whose inside is the user's own (a string, a number, a list or map passed on as written). */
export interface LeafNode {
    readonly kind: "leaf";
}

/** A Compose mapping with fixed keys. */
export interface ObjectNode {
    readonly kind: "object";
    readonly table: TableView;
}

/** A Compose list. */
export interface ListNode {
    readonly kind: "list";
    readonly item: PathNode;
    /**
     * How many entries of the model list one input entry becomes (ports and expose ranges are
     * expanded, `no-new-privileges` leaves `securityOpt`): model indices are mapped back to the
     * user's with it. Absent: one each.
     */
    readonly expand?: (inputItem: unknown) => number;
    /** The name a model entry stands for (`network`, `service`), to find it in a list of names. */
    readonly keyOf?: (modelItem: unknown) => string | undefined;
}

/** A Compose mapping whose keys the user chose (services, variables, networks of a service). */
export interface NamesNode {
    readonly kind: "names";
    readonly item: PathNode;
    /** The model keeps these entries in a list (`networks`, `dependsOn`, `extraHosts`): the name of its entry. */
    readonly keyOf?: (modelItem: unknown) => string | undefined;
    /** Entering an entry enters a service (routes relative to the service start there). */
    readonly service?: boolean;
}

/** A value Compose accepts in several forms (short string, list, mapping): the user's form decides. */
export interface EitherNode {
    readonly kind: "either";
    readonly list?: PathNode;
    readonly map?: PathNode;
}

/** A model value made of several Compose keys (service `resources`): each part routed on its own. */
export interface GroupNode {
    readonly kind: "group";
    readonly routes: Readonly<Record<string, Route>>;
    /** The mapping the routes' input paths start at (made while translating, not in tables). */
    readonly base: PathNode;
}

/** A model value no other node describes (`mounts`, made of `volumes` and `tmpfs`). */
export interface CustomNode {
    readonly kind: "custom";
    /** One model segment further. */
    readonly step: (seg: Seg, cur: Cursor, walker: Walker) => Step;
    /** Where the value itself is, when the path ends here. */
    readonly end: (cur: Cursor, walker: Walker) => readonly Seg[];
}

export type PathNode = LeafNode | ObjectNode | ListNode | NamesNode | EitherNode | GroupNode | CustomNode;

/** Where a translation is: the Compose path so far and, in lock-step, what the user wrote there, the input and the model values. */
export interface Cursor {
    readonly out: readonly Seg[];
    /** The user's value at `out` (after merging, interpolation and profiles); undefined when not written or not known. */
    readonly raw: unknown;
    /** The model input's value there. */
    readonly input: unknown;
    /** The AppSpec value at the model path read so far. */
    readonly model: unknown;
    /** Where an entry not found here comes from instead (`env_file` for a variable, `network_mode` for a dependency). */
    readonly alt?: (name: string | undefined) => readonly Seg[] | undefined;
}

/** One step of a translation: on to a node, or the final Compose path. */
export type Step = { readonly node: PathNode; readonly cur: Cursor } | { readonly done: readonly Seg[] };

/** What custom nodes may ask of the translation. */
export interface Walker {
    /** True when the user's values are known (the spec came from `loadCompose`). */
    readonly known: boolean;
    /** The service the path is in: its node and cursor. */
    service(): { readonly node: PathNode; readonly cur: Cursor } | undefined;
    /** Follows an input path (input field names and indices) from `node` at `cur`. */
    descend(node: PathNode, cur: Cursor, inputPath: readonly Seg[]): Step;
    /** Where a group of candidate input paths is: the one written, the common ancestor of several. */
    locate(node: PathNode, cur: Cursor, candidates: readonly (readonly Seg[])[]): readonly Seg[];
}

/**
 * How an AppSpec field that is not an input field of the same name is found in Compose:
 * `via` input paths (the first the user wrote; the first when none is), `self` (the field is the
 * object's own key: a network's `key`), `skip` (a wrapper the Compose file has not: `extensions`),
 * `group` (several keys, see {@link GroupNode}), or a custom node.
 */
export type Route =
    | { readonly via: readonly (readonly Seg[])[]; readonly fromService?: boolean }
    | { readonly self: true }
    | { readonly skip: true }
    | { readonly group: Readonly<Record<string, Route>>; readonly fromService?: boolean }
    | { readonly custom: CustomNode };

// ---------------------------------------------------------------------------------------------
// Tables

/** A model input field: the Compose key it is read from and how. */
export interface Field<V> {
    /** The Compose key. */
    readonly compose: string;
    readonly shape: Shape<V>;
    /** Reads the field from the whole Compose mapping instead of its own key (fields fed by several keys). */
    readonly from?: (parent: Tree, site: Site) => V | undefined;
    /** Other Compose keys of the same mapping `from` reads (`env_file` for `environment`). */
    readonly also?: readonly string[];
    /**
     * Where, relative to the mapping, a value comes from when it is not under the field's own key
     * (`env_file` for a variable the `environment` does not list): for the field (name undefined)
     * or one named entry of it.
     */
    readonly fallback?: (parent: Tree, name: string | undefined) => readonly Seg[] | undefined;
}

/** A Compose key dockyard has no place for. */
export interface NotModelled {
    /** Why: what the key does and why the model leaves it out. */
    readonly reason: string;
    /** Read without a warning: handled before conversion (`profiles`), or without effect where the app runs. */
    readonly silent?: boolean;
}

/** Every field of `T` but `x-*` extensions, each required to have an entry. */
export type Fields<T> = { readonly [K in keyof T as K extends `x-${string}` ? never : K]-?: Field<NonNullable<T[K]>> };

export interface ObjectTable<T> {
    readonly fields: Fields<T>;
    readonly notModelled?: Readonly<Record<string, NotModelled>>;
    /** `x-*` keys are kept in the input as written (for targets that read them); otherwise dropped. */
    readonly extensions?: boolean;
    /** AppSpec fields found other than by an input field of their name. */
    readonly model?: Readonly<Record<string, Route>>;
}

/** An {@link ObjectTable} with its type erased, as nodes hold it. */
export interface TableView {
    readonly fields: Readonly<Record<string, Field<unknown>>>;
    readonly notModelled: Readonly<Record<string, NotModelled>>;
    readonly extensions: boolean;
    readonly model: Readonly<Record<string, Route>>;
    /** Model input field name by Compose key. */
    readonly byCompose: ReadonlyMap<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Shapes

const LEAF: LeafNode = { kind: "leaf" };

/** A value passed on as written (the normalizer checks it): `null` leaves the field out. */
export function given<T>(node: PathNode = LEAF): Shape<T> {
    return { node, read: (v) => (v === undefined || v === null ? undefined : (v as T)) };
}

export const text = given<string>();

/**
 * A `command` or `entrypoint`: a list as written, or a string Compose splits into words (see
 * spec/shellwords). Compose stops at an unquoted `;`, `&`, `|`, `<` or `>` and silently drops the
 * rest (`migrate && serve` runs `migrate`); dockyard runs the same, and says so.
 */
export const commandLine: Shape<string | string[]> = {
    node: LEAF,
    read: (v, site) => {
        if (v === undefined || v === null) return undefined;
        if (typeof v === "string") {
            const cut = shellWordsCut(v);
            if (cut !== undefined) {
                site.ctx.warn(composeWarning(
                    `Compose runs a command string only up to an unquoted ; & | < or >: "${shortText(cut, 80)}" is dropped, as docker compose drops it; write ["sh", "-c", "…"] to run the whole line`,
                    site.path, site.ctx.fileOf?.(site.path) ?? site.ctx.file));
            }
        }
        return v as string | string[];
    },
};

/** A string, whatever scalar was written (`user: 1000`). */
export const stringValue: Shape<string> = { node: LEAF, read: (v) => (v === undefined || v === null ? undefined : String(v)) };

/** A whole number written as a string (from interpolation) becomes a number; anything else is left for the normalizer to judge. */
export const int: Shape<number> = {
    node: LEAF,
    read: (v) => {
        if (v === undefined || v === null) return undefined;
        if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
        return v as number;
    },
};

/** A number written as a string becomes a number (`cpus: "0.5"`). */
export const num: Shape<number | string> = {
    node: LEAF,
    read: (v) => {
        if (v === undefined || v === null) return undefined;
        if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
        return v as number | string;
    },
};

/** Booleans as compose-go reads them, including `"yes"`/`"false"` strings from interpolation. */
export const bool: Shape<boolean> = {
    node: LEAF,
    read: (v, site) => {
        if (v === undefined || v === null) return undefined;
        if (typeof v === "boolean") return v;
        const s = String(v).toLowerCase();
        if (["true", "yes", "y", "on", "1"].includes(s)) return true;
        if (["false", "no", "n", "off", "0"].includes(s)) return false;
        throw new ComposeError("must be true or false", site.path, v, site.ctx.fileOf?.(site.path) ?? site.ctx.file);
    },
};

/** A list of strings, or one string for a list of one. */
export function strings(options: Pick<ListNode, "expand"> = {}): Shape<string[]> {
    return {
        node: { kind: "either", list: { kind: "list", item: LEAF, ...options } },
        read: (v) => (v === undefined || v === null ? undefined : (Array.isArray(v) ? v : [v]).map(String)),
    };
}

/** A map, or a list of `KEY=VALUE` strings (environment, labels…): passed on as written. */
export function mapOrList<T>(): Shape<T> {
    return given<T>({ kind: "either", list: { kind: "list", item: LEAF }, map: { kind: "names", item: LEAF } });
}

/** A mapping with fixed keys, read field by field; keys the table does not know are warned about and left out. */
export function object<T>(table: ObjectTable<T>): Shape<T> {
    const fields = table.fields as unknown as Readonly<Record<string, Field<unknown>>>;
    const view: TableView = {
        fields,
        notModelled: table.notModelled ?? {},
        extensions: table.extensions ?? false,
        model: table.model ?? {},
        byCompose: new Map(Object.entries(fields).map(([key, f]) => [f.compose, key])),
    };
    const known = new Set<string>(Object.values(fields).flatMap((f) => [f.compose, ...(f.also ?? [])]));
    return {
        node: { kind: "object", table: view },
        read: (value, site) => {
            if (!isMap(value)) return undefined;
            for (const key of Object.keys(value)) {
                if (known.has(key) || key.startsWith("x-") || getOwn(view.notModelled, key)?.silent) continue;
                const p = joinPath(site.path, key);
                site.ctx.warn(composeWarning(`"${key}" is not supported by dockyard and is ignored`, p, site.ctx.fileOf?.(p) ?? site.ctx.file));
            }
            const out: Tree = {};
            for (const [key, f] of Object.entries(fields)) {
                const v = f.from ? f.from(value, site) : f.shape.read(getOwn(value, f.compose), { path: joinPath(site.path, f.compose), ctx: site.ctx });
                if (v !== undefined && v !== null) out[key] = v;
            }
            if (view.extensions) for (const [k, v] of Object.entries(value)) if (k.startsWith("x-")) setOwn(out, k, v);
            return out as T;
        },
    };
}

/** A list, entry by entry; an entry the item shape cannot read is passed on as written. */
export function list<T>(item: Shape<T>, options: Pick<ListNode, "expand" | "keyOf"> = {}): Shape<T[]> {
    return {
        node: { kind: "list", item: item.node, ...options },
        read: (v, site) => (Array.isArray(v) ? v.map((x, i) => (item.read(x, { path: joinPath(site.path, i), ctx: site.ctx }) ?? x) as T) : undefined),
    };
}

/**
 * A mapping of names the user chose to entries. An entry the item shape cannot read (`back:` with
 * no body) becomes `otherwise`: null, or the item read from an empty mapping.
 */
export function names<T, O extends null | T = T>(
    item: Shape<T>,
    options: Pick<NamesNode, "keyOf" | "service"> & { readonly otherwise?: "null" | "empty" } = {},
): Shape<Record<string, T | O>> {
    const { otherwise, ...node } = options;
    return {
        node: { kind: "names", item: item.node, ...node },
        read: (v, site) => {
            if (!isMap(v)) return undefined;
            const out: Record<string, T | O> = {};
            for (const [k, x] of Object.entries(v)) {
                const s = { path: joinPath(site.path, k), ctx: site.ctx };
                const r = item.read(x, s) ?? (otherwise === "null" ? null : otherwise === "empty" ? item.read({}, s) : x);
                setOwn(out, k, r as T | O);
            }
            return out;
        },
    };
}

/** A value of several forms, read by the form the user wrote: a scalar (short syntax), a list or a mapping. */
export function either<S = never, L = never, M = never>(forms: { readonly scalar?: Shape<S>; readonly list?: Shape<L>; readonly map?: Shape<M> }): Shape<S | L | M> {
    return {
        node: { kind: "either", ...(forms.list ? { list: forms.list.node } : {}), ...(forms.map ? { map: forms.map.node } : {}) },
        read: (v, site) => {
            if (v === undefined || v === null) return undefined;
            const form = Array.isArray(v) ? forms.list : isMap(v) ? forms.map : forms.scalar;
            return form?.read(v, site);
        },
    };
}

/** A shape whose value is computed by `read` but whose paths are those of `like`. */
export function computed<V>(like: Shape<unknown>, read: Shape<V>["read"]): Shape<V> {
    return { node: like.node, read };
}
