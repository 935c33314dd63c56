/**
 * What a target does with every field of the application model, as a table the compiler checks.
 *
 * Each target has a {@link SupportTable}: for every field of `ServiceSpec`, `NetworkSpec`,
 * `VolumeSpec` and `FileSourceSpec` (secrets and configs), and for every field of the structures
 * inside them (a service's resources, deploy settings, mounts, ports…), one {@link Decision}:
 *
 * - `mapped`: the target's converter uses the field; a structured field (an object, or a list of
 *   objects) gives a table for its own fields, so nothing inside it goes undecided either; an
 *   optional check reports the values the target refuses or approximates;
 * - `ignored`: the target drops the field, with the reason, which becomes a warning whenever the
 *   field is set;
 * - `refused`: the target cannot run an application that sets the field, with the reason, which
 *   becomes an error whenever the field is set;
 * - `inherent`: the field has no meaning on the target, or asks for what the target does anyway
 *   (`expose` where every port is reachable): nothing to map and nothing to say;
 * - `checked`: the decision depends on the value (and on the rest of the application), made by a
 *   check that returns the findings.
 *
 * The tables are mapped types with `-?` over `keyof` each model type, so a field added to the
 * model without a decision in every target's table does not compile. {@link supportFindings}
 * walks an application through a table and returns the findings, in description order: services
 * (each field in the order of its type), then networks, volumes, secrets and configs.
 */
import { joinPath, SpecError } from "../spec/errors";
import { AppSpec, FileSourceSpec, NetworkSpec, ServiceSpec, VolumeSpec } from "../spec/types";
import { Finding } from "./plan";

/** Where a value is while a table is walked. */
export interface SupportContext<O = unknown> {
    readonly app: AppSpec;
    /** The service being walked; undefined for networks, volumes, secrets and configs. */
    readonly service: ServiceSpec | undefined;
    /** The object that holds the value: the service for its fields, the mount for a mount's fields. */
    readonly owner: O;
    /** Model path of the value: `services.web.resources.cpuShares`, `services.web.mounts[2].mode`. */
    readonly path: string;
    /** Model path of {@link owner}: `services.web`, `services.web.mounts[2]`. */
    readonly ownerPath: string;
    /** A warning at `path` (the value's own by default). */
    warning(message: string, path?: string): Finding;
    /** An error at `path` (the value's own by default). */
    error(message: string, value?: unknown, path?: string): Finding;
}

/** Findings about one value: what the target refuses (errors) or ignores or approximates (warnings). */
export type Check<V, O = unknown> = (value: V, ctx: SupportContext<O>) => readonly Finding[];

/** A reason, fixed or told from the value. */
export type Reason<V, O = unknown> = string | ((value: V, ctx: SupportContext<O>) => string);

/** When a value counts as set: see {@link isSet} for the default. */
export type IsSet<V, O = unknown> = (value: V, ctx: SupportContext<O>) => boolean;

/**
 * The type a mapped field must give a table for: the object type of an object field, the element
 * type of a list of objects; `never` for scalars, lists of scalars and maps of user-chosen keys
 * (`environment`, `labels`, `ulimits`), which are mapped or not as a whole.
 */
export type Structure<V> = NonNullable<V> extends readonly (infer E)[]
    ? E extends object
        ? E
        : never
    : NonNullable<V> extends object
      ? string extends keyof NonNullable<V>
          ? never
          : NonNullable<V>
      : never;

/** A decision for every field of `T`; a missing or extra field does not compile. */
export type Table<T> = { readonly [K in keyof T]-?: Decision<T[K], T> };

/** One table per variant of a union told apart by `type` (mounts: `volume`, `bind`, `tmpfs`). */
export type VariantTables<E extends { readonly type: string }> = { readonly [T in E["type"]]: Table<Extract<E, { readonly type: T }>> };

/** The table of a structure: one per variant for a union told apart by `type`, else one. */
export type NestedTable<E> = [E] extends [{ readonly type: string }] ? VariantTables<E> : Table<E>;

export interface MappedScalar<V, O> {
    readonly kind: "mapped";
    readonly check?: Check<V, O>;
}

export interface MappedStructure<V, O> {
    readonly kind: "mapped";
    /** Decisions for the fields of the object (or of each element of the list). */
    readonly fields: NestedTable<Structure<V>>;
    /** Path segment of a list element: its key (`networks.back`) instead of its index (`mounts[2]`). */
    readonly key?: (element: Structure<V>) => string;
    /**
     * Tells the warnings of the `ignored` fields inside as one warning at this field, from their
     * paths relative to it (`limits.pids, shmSizeBytes`).
     */
    readonly group?: (fields: string[]) => string;
    /** Runs on the whole value, after the fields. */
    readonly check?: Check<V, O>;
}

export type Mapped<V, O = unknown> = [Structure<V>] extends [never] ? MappedScalar<V, O> : MappedStructure<V, O>;

export interface Ignored<V, O = unknown> {
    readonly kind: "ignored";
    readonly reason: Reason<V, O>;
    readonly isSet?: IsSet<V, O>;
}

export interface Refused<V, O = unknown> {
    readonly kind: "refused";
    readonly reason: Reason<V, O>;
    readonly isSet?: IsSet<V, O>;
}

export interface Inherent {
    readonly kind: "inherent";
    readonly reason: string;
}

export interface Checked<V, O = unknown> {
    readonly kind: "checked";
    /** What decides, for a reader of the table. */
    readonly about: string;
    readonly check: Check<V, O>;
}

/** What a target does with one field of the model (see the module's comment). */
export type Decision<V, O = unknown> = Mapped<V, O> | Ignored<V, O> | Refused<V, O> | Inherent | Checked<V, O>;

export type DecisionKind = Decision<unknown>["kind"];

export type ServiceSupport = Table<ServiceSpec>;
export type NetworkSupport = Table<NetworkSpec>;
export type VolumeSupport = Table<VolumeSpec>;
export type FileSourceSupport = Table<FileSourceSpec>;

/** A target's decisions for every field of the model. */
export interface SupportTable {
    readonly services: ServiceSupport;
    readonly networks: NetworkSupport;
    readonly volumes: VolumeSupport;
    readonly secrets: FileSourceSupport;
    readonly configs: FileSourceSupport;
}

// ---------------------------------------------------------------------------------------------
// Constructors

/** The target maps the field (a scalar, a list of scalars or a map). */
export const MAPPED = { kind: "mapped" } as const;

/** The target maps the field; `check` reports the values it refuses or approximates. */
export function mapped<V, O>(check: Check<V, O>): MappedScalar<V, O> {
    return { kind: "mapped", check };
}

/** The target maps the structured field; `fields` decides each of its own fields. */
export function fields<V, O>(
    table: NestedTable<Structure<V>>,
    options: Pick<MappedStructure<V, O>, "key" | "group" | "check"> = {},
): MappedStructure<V, O> {
    return { kind: "mapped", fields: table, ...options };
}

/** The target drops the field: a warning with `reason` when it is set. */
export function ignored<V, O>(reason: Reason<V, O>, when?: IsSet<V, O>): Ignored<V, O> {
    return { kind: "ignored", reason, ...(when ? { isSet: when } : {}) };
}

/** The target cannot run what sets the field: an error with `reason` when it is set. */
export function refused<V, O>(reason: Reason<V, O>, when?: IsSet<V, O>): Refused<V, O> {
    return { kind: "refused", reason, ...(when ? { isSet: when } : {}) };
}

/** The field means nothing on the target, or asks for what it does anyway. */
export function inherent(reason: string): Inherent {
    return { kind: "inherent", reason };
}

/** The decision depends on the value: `check` makes it. */
export function checked<V, O>(about: string, check: Check<V, O>): Checked<V, O> {
    return { kind: "checked", about, check };
}

/**
 * Whether a value counts as set when a decision gives no `isSet`: not undefined, null or false,
 * and not an empty list or map.
 */
export function isSet(value: unknown): boolean {
    if (value === undefined || value === null || value === false) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "object" && isPlainObject(value)) return Object.keys(value).length > 0;
    return true;
}

function isPlainObject(value: object): boolean {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

// ---------------------------------------------------------------------------------------------
// Walking

/** The decision of any field, as the walker reads it. */
interface AnyDecision {
    readonly kind: DecisionKind;
    readonly check?: Check<unknown, unknown>;
    readonly fields?: AnyTable;
    readonly key?: (element: unknown) => string;
    readonly group?: (fields: string[]) => string;
    readonly reason?: Reason<unknown, unknown>;
    readonly isSet?: IsSet<unknown, unknown>;
    readonly about?: string;
}

type AnyTable = Readonly<Record<string, AnyDecision | Readonly<Record<string, AnyDecision>>>>;

class Context implements SupportContext<unknown> {
    constructor(
        public readonly app: AppSpec,
        public readonly service: ServiceSpec | undefined,
        public readonly owner: unknown,
        public readonly ownerPath: string,
        public readonly path: string,
    ) {}

    public warning(message: string, path: string = this.path): Finding {
        return { path, level: "warning", message };
    }

    public error(message: string, value?: unknown, path: string = this.path): Finding {
        return { path, level: "error", message, ...(value !== undefined ? { value } : {}) };
    }
}

/** Warnings made by `ignored` decisions, which a `group` may merge. */
const fromIgnored = new WeakSet<Finding>();

/** The table for one element: its variant's when `fields` is a table per variant. */
function tableFor(fields: AnyTable, element: unknown): Readonly<Record<string, AnyDecision>> {
    const type = (element as { type?: unknown }).type;
    if (typeof type === "string" && Object.prototype.hasOwnProperty.call(fields, type)) {
        const entry = fields[type] as { kind?: unknown };
        // A table's entries are decisions (with a `kind`); a table per variant holds tables.
        if (typeof entry.kind !== "string") return entry as Readonly<Record<string, AnyDecision>>;
    }
    return fields as Readonly<Record<string, AnyDecision>>;
}

function runCheck(check: Check<unknown, unknown>, value: unknown, at: Context): readonly Finding[] {
    try {
        return check(value, at);
    } catch (e) {
        // Checks may reuse a converter that throws; its error is a finding like the others.
        if (!(e instanceof SpecError)) throw e;
        return [at.error(e.reason, e.value, e.path)];
    }
}

function walkTable(table: Readonly<Record<string, AnyDecision>>, owner: object, app: AppSpec, service: ServiceSpec | undefined, ownerPath: string, out: Finding[]): void {
    for (const key of Object.keys(table)) {
        const value = (owner as Record<string, unknown>)[key];
        decide(table[key], value, new Context(app, service, owner, ownerPath, `${ownerPath}.${key}`), out);
    }
}

function decide(d: AnyDecision, value: unknown, at: Context, out: Finding[]): void {
    switch (d.kind) {
        case "inherent":
            return;
        case "ignored":
        case "refused": {
            if (!(d.isSet ? d.isSet(value, at) : isSet(value))) return;
            const message = typeof d.reason === "function" ? d.reason(value, at) : d.reason!;
            if (d.kind === "refused") {
                out.push(at.error(message, value));
            } else {
                const f = at.warning(message);
                fromIgnored.add(f);
                out.push(f);
            }
            return;
        }
        case "checked":
            out.push(...runCheck(d.check!, value, at));
            return;
        case "mapped": {
            const start = out.length;
            if (d.fields && value !== undefined && value !== null) {
                if (Array.isArray(value)) {
                    value.forEach((element: object, i) => {
                        const path = d.key ? joinPath(at.path, d.key(element)) : `${at.path}[${i}]`;
                        walkTable(tableFor(d.fields!, element), element, at.app, at.service, path, out);
                    });
                } else {
                    walkTable(tableFor(d.fields, value), value, at.app, at.service, at.path, out);
                }
            }
            if (d.group) group(out, start, at, d.group);
            if (d.check) out.push(...runCheck(d.check, value, at));
            return;
        }
    }
}

/** Replaces the `ignored` warnings from `start` on that lie inside `at` by one warning at `at`, where the first was. */
function group(out: Finding[], start: number, at: Context, tell: (fields: string[]) => string): void {
    const inside = (f: Finding) => fromIgnored.has(f) && f.path.startsWith(`${at.path}.`);
    const added = out.slice(start);
    const first = added.findIndex(inside);
    if (first < 0) return;
    const names = added.filter(inside).map((f) => f.path.slice(at.path.length + 1));
    const rest = added.filter((f) => !inside(f));
    // Every finding before the first grouped one stays, so the merged warning goes at the same index.
    rest.splice(first, 0, at.warning(tell(names)));
    out.splice(start, added.length, ...rest);
}

/**
 * The findings of `app` on a target with `table`: every refused or ignored field that is set and
 * every check's findings, services first (in description order, each field in the order of the
 * table), then networks, volumes, secrets and configs.
 */
export function supportFindings(app: AppSpec, table: SupportTable): Finding[] {
    const out: Finding[] = [];
    const walk = <T extends object>(kind: "services" | "networks" | "volumes" | "secrets" | "configs", t: Table<T>, entries: Record<string, T>): void => {
        for (const [key, value] of Object.entries(entries)) {
            walkTable(t as unknown as Readonly<Record<string, AnyDecision>>, value, app, kind === "services" ? (value as unknown as ServiceSpec) : undefined, joinPath(kind, key), out);
        }
    };
    walk("services", table.services, app.services);
    walk("networks", table.networks, app.networks);
    walk("volumes", table.volumes, app.volumes);
    walk("secrets", table.secrets, app.secrets);
    walk("configs", table.configs, app.configs);
    return out;
}

/** One decision of a table, for documentation and tests. */
export interface DecisionEntry {
    /**
     * The field, without user-chosen names or indices: `services.resources.limits.pids`,
     * `services.mounts.tmpfs.mode` (the variant of a union names itself), `networks.ipam.config.subnet`.
     */
    readonly field: string;
    readonly kind: DecisionKind;
    /** The reason of an `ignored`, `refused` or `inherent` decision (when it is fixed), or what a check decides. */
    readonly about?: string;
}

/** Every decision of `table`, nested fields after the field that holds them. */
export function decisionsOf(table: SupportTable): DecisionEntry[] {
    const out: DecisionEntry[] = [];
    const visit = (t: Readonly<Record<string, AnyDecision>>, prefix: string): void => {
        for (const [key, d] of Object.entries(t)) {
            const field = `${prefix}.${key}`;
            const about = d.kind === "checked" ? d.about : typeof d.reason === "string" ? d.reason : undefined;
            out.push({ field, kind: d.kind, ...(about !== undefined ? { about } : {}) });
            if (d.kind === "mapped" && d.fields) {
                const first = Object.values(d.fields)[0] as { kind?: unknown } | undefined;
                if (first && typeof first.kind !== "string") {
                    for (const [variant, vt] of Object.entries(d.fields)) visit(vt as Readonly<Record<string, AnyDecision>>, `${field}.${variant}`);
                } else {
                    visit(d.fields as Readonly<Record<string, AnyDecision>>, field);
                }
            }
        }
    };
    for (const kind of ["services", "networks", "volumes", "secrets", "configs"] as const) {
        visit(table[kind] as unknown as Readonly<Record<string, AnyDecision>>, kind);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers for the tables

/** True when `s` joins a namespace (network, PID, IPC) of service `other` (`service:<other>`). */
export function joinsNamespaceOf(s: ServiceSpec, other: string): boolean {
    return [s.networkMode, s.pid, s.ipc].includes(`service:${other}`);
}

/** Where the services of `app` use secret or config `key`: `services.web.secrets[0]`… */
export function usesOf(app: AppSpec, kind: "secrets" | "configs", key: string): { readonly service: ServiceSpec; readonly path: string }[] {
    return Object.values(app.services).flatMap((s) =>
        s[kind].flatMap((r, i) => (r.source === key ? [{ service: s, path: `${joinPath(joinPath("services", s.name), kind)}[${i}]` }] : [])));
}

/** Directories every node has, which node agents bind-mount: no warning that they might be missing. */
const SYSTEM_DIRS = ["/proc", "/sys", "/dev", "/run", "/var/run", "/var/lib/docker", "/var/log", "/etc", "/usr", "/lib", "/boot"];

/** True for `/` and the host paths under {@link SYSTEM_DIRS}. */
export function isSystemPath(source: string): boolean {
    return source === "/" || SYSTEM_DIRS.some((d) => source === d || source.startsWith(`${d}/`));
}
