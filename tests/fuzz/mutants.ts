/**
 * Mutants of real inputs: Compose files of the shared corpus and the project's stack settings,
 * changed the ways careless or hostile users change them (type swaps, out-of-range numbers,
 * names that are Object built-ins, YAML bombs, deep nesting, special files, Windows paths,
 * broken env files holding passwords…). Each case is plain data (files to write, options), made
 * from its own seed, so a finding is reproduced from the seed alone.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Prng } from "./prng";

/** Planted in env files and secret files: must never show in an error or a warning. */
export const FILE_CANARY = "c4nary-file-s3cret-7f3a";
/** The deployer's passphrase in the worker's environment: must never show anywhere. */
export const PASSPHRASE_CANARY = "c4nary-passphrase-91be";
/** A stack's password setting: must never show in a message or unmasked in a rendered resource. */
export const SETTING_CANARY = "c4nary-setting-p4ss-5d0c";

/** A file of a case, relative to the case's project directory (`../x` is beside the project). */
export type CaseFile =
    | { readonly text: string }
    | { readonly fifo: true }
    | { readonly symlink: string }
    | { readonly dir: true }
    | { readonly sparse: number };

export interface ComposeCase {
    readonly kind: "compose";
    readonly id: number;
    readonly seed: number;
    /** Corpus file the mutant started from (relative to the corpus). */
    readonly origin: string;
    /** Corpus directory copied into the project first. */
    readonly copyFrom?: string;
    readonly mutations: string[];
    readonly files: Record<string, CaseFile>;
    /** Compose files given to the loader, relative to the project. */
    readonly composeFiles: string[];
    /** The loader's environment (the worker's process environment holds the passphrase canary). */
    readonly env: Record<string, string>;
    /** Also render the loaded app on every target. */
    readonly render: boolean;
}

export interface StackCase {
    readonly kind: "stack";
    readonly id: number;
    readonly seed: number;
    readonly origin: string;
    readonly stack: string;
    readonly mutations: string[];
    /** Project-qualified keys to raw values, as `dockyard render --stack` hands them to the program. */
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

export type FuzzCase = ComposeCase | StackCase;

type Tree = Record<string, unknown>;

const isMap = (v: unknown): v is Tree => v !== null && typeof v === "object" && !Array.isArray(v);

/** Names that are properties of every plain object. */
export const BUILTIN_NAMES = ["constructor", "__proto__", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf", "__defineGetter__", "propertyIsEnumerable"];

const ODD_NAMES = [...BUILTIN_NAMES, "0", "a.b", "-x", "x".repeat(300), "UPPER", "with space", "ünï", "default", "length", "prototype"];

/** Paths a Compose file may name where a file is read. */
const SPECIAL_PATHS = [
    "/dev/zero", "/dev/urandom", "/dev/null", "./fifo", "./zero-link", "./fifo-link", "/proc/self/environ", "/proc/self/status", "/etc/passwd",
    "/etc/shadow", "/etc/hostname", "/sys/kernel/mm/transparent_hugepage/enabled", "./adir", "./big.bin", "./outside-link", "../outside.txt",
    "C:\\secrets\\db.txt", "c:/data/x.env", "\\\\server\\share\\x", "nope/missing.env", "./secret.txt", "./bad.env", "./loop-link", "~/x.env", "",
    "./binary.bin",
];

const NUMBERS: unknown[] = [
    0, -1, 1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 2 ** 64, 2 ** 31, 1e-12, 65536, 1e9, "1e308", "99999999999999999999", "-0", "0x1F", "0o17", ".inf",
    "-.inf", ".nan", "Infinity", "NaN", "1e9", "  42  ", "4_2",
];

const SIZES: unknown[] = ["99999999999999999999g", "1e308", 2 ** 70, "9223372036854775807", "9223372036854775808b", "8e", "18446744073709551616", "1.5p", "0.1b", "-1m", "1e3m", "999999999999t"];
const DURATIONS: unknown[] = ["99999999999999999h", "1e308s", "9223372036s", "0.0000000001ns", "2562048h", "-5s", "1h1h1h", "1.5.5s", "99999999999999999999999999999ms", 1e308, "0", ""];

const SCALARS: unknown[] = [
    null, true, false, "", " ", "x", "yes", "80:80:80", "1-65535", "${A", "$${X}", "${A:?boom}", "${PULUMI_CONFIG_PASSPHRASE}", "~", "C:\\x",
    "../../etc/passwd", "/dev/zero", "a".repeat(5000), "\u0000", "ünïcödé", "constructor", "__proto__", "- x", ": y", "&a", "*b", "!reset",
];

/** A value of a random type. */
function randomValue(r: Prng, depth = 0): unknown {
    switch (r.int(depth > 2 ? 3 : 5)) {
        case 0:
            return r.pick(SCALARS);
        case 1:
            return r.pick(NUMBERS);
        case 2:
            return r.pick([...SIZES, ...DURATIONS]);
        case 3:
            return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
        default: {
            const out: Tree = {};
            for (let i = r.int(4); i > 0; i--) Object.defineProperty(out, r.pick(ODD_NAMES), { value: randomValue(r, depth + 1), enumerable: true, writable: true, configurable: true });
            return out;
        }
    }
}

/** Every path of `tree` with its value (bounded). */
function nodes(tree: unknown, at: (string | number)[] = [], out: [(string | number)[], unknown][] = []): [(string | number)[], unknown][] {
    if (out.length > 4000) return out;
    out.push([at, tree]);
    if (Array.isArray(tree)) tree.forEach((v, i) => nodes(v, [...at, i], out));
    else if (isMap(tree)) for (const [k, v] of Object.entries(tree)) nodes(v, [...at, k], out);
    return out;
}

function setAt(tree: Tree, at: (string | number)[], value: unknown): void {
    let node: unknown = tree;
    for (const k of at.slice(0, -1)) node = (node as Record<string | number, unknown>)[k];
    const last = at[at.length - 1];
    if (node !== null && typeof node === "object") Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true });
}

function services(tree: Tree): Tree {
    if (!isMap(tree.services)) tree.services = { s: { image: "nginx" } };
    const s = tree.services as Tree;
    if (Object.keys(s).length === 0) s.s = { image: "nginx" };
    return s;
}

function someService(tree: Tree, r: Prng): Tree {
    const all = services(tree);
    const name = r.pick(Object.keys(all));
    if (!isMap(all[name])) all[name] = { image: "nginx" };
    return all[name] as Tree;
}

function topLevel(tree: Tree, key: string): Tree {
    if (!isMap(tree[key])) tree[key] = {};
    return tree[key] as Tree;
}

/** Renames a key of `map`, keeping its place, and returns the new name. */
function renameKey(map: Tree, from: string, to: string): void {
    const entries = Object.entries(map);
    for (const k of Object.keys(map)) delete map[k];
    for (const [k, v] of entries) Object.defineProperty(map, k === from ? to : k, { value: v, enumerable: true, writable: true, configurable: true });
}

/** What a mutation may add besides the tree: raw YAML appended, files, env. */
interface Extras {
    raw: string[];
    files: Record<string, CaseFile>;
    env: Record<string, string>;
    /** Text replacements applied to the serialized file (placeholder → raw YAML). */
    placeholders: Record<string, string>;
    extraComposeFiles: string[];
}

type TreeMutation = (tree: Tree, r: Prng, x: Extras) => string;

let placeholderCount = 0;
function placeholder(x: Extras, raw: string): string {
    const token = `@@RAW${placeholderCount++}@@`;
    x.placeholders[token] = raw;
    return token;
}

function nestedFlow(r: Prng, depth: number): string {
    const open = r.chance(0.5) ? "[" : "{a: ";
    const close = open === "[" ? "]" : "}";
    return open.repeat(depth) + "x" + close.repeat(depth);
}

const TREE_MUTATIONS: Record<string, TreeMutation> = {
    typeSwap(tree, r) {
        const all = nodes(tree).filter(([p]) => p.length > 0);
        const [at] = r.pick(all);
        setAt(tree, at, randomValue(r));
        return `typeSwap ${at.join(".")}`;
    },
    numberEdge(tree, r) {
        const all = nodes(tree).filter(([p, v]) => p.length > 0 && (typeof v === "number" || (typeof v === "string" && /\d/.test(v))));
        if (all.length === 0) return "numberEdge (none)";
        const [at, v] = r.pick(all);
        const pool = typeof v === "string" && /[smh]$/.test(v) ? DURATIONS : typeof v === "string" && /[kmgb]$/i.test(v) ? SIZES : NUMBERS;
        setAt(tree, at, r.pick(pool));
        return `numberEdge ${at.join(".")}`;
    },
    oddName(tree, r) {
        const kind = r.pick(["services", "networks", "volumes", "secrets", "configs"]);
        const map = kind === "services" ? services(tree) : topLevel(tree, kind);
        const name = r.pick(ODD_NAMES);
        const keys = Object.keys(map);
        if (keys.length > 0 && r.chance(0.6)) {
            const from = r.pick(keys);
            renameKey(map, from, name);
            // Sometimes the references follow.
            if (r.chance(0.7)) {
                for (const s of Object.values(services(tree))) {
                    if (!isMap(s)) continue;
                    for (const key of ["depends_on", "networks", "secrets", "configs", "volumes"]) {
                        const v = s[key];
                        if (Array.isArray(v)) s[key] = v.map((e) => (e === from ? name : typeof e === "string" && e.startsWith(`${from}:`) ? name + e.slice(from.length) : e));
                        else if (isMap(v) && Object.prototype.hasOwnProperty.call(v, from)) renameKey(v, from, name);
                    }
                }
            }
        } else if (kind === "services") {
            setAt(map, [name], { image: "nginx", ...(r.chance(0.5) ? { depends_on: [r.pick(ODD_NAMES)] } : {}) });
        } else {
            setAt(map, [name], kind === "secrets" || kind === "configs" ? { file: "./secret.txt" } : {});
            const s = someService(tree, r);
            const ref = kind === "volumes" ? `${name}:/data` : name;
            const key = kind;
            s[key] = [...(Array.isArray(s[key]) ? (s[key] as unknown[]) : []), ref];
        }
        // Names of dependencies, networks and extends that are built-ins without being defined.
        if (r.chance(0.3)) {
            const s = someService(tree, r);
            const which = r.pick(["depends_on", "extends", "networks", "network_mode", "secrets", "configs", "volumes_ref"]);
            const n = r.pick(BUILTIN_NAMES);
            if (which === "depends_on") s.depends_on = r.chance(0.5) ? [n] : { [n]: { condition: "service_healthy", required: r.chance(0.5) } };
            else if (which === "extends") s.extends = r.chance(0.5) ? n : { service: n };
            else if (which === "networks") s.networks = r.chance(0.5) ? [n] : { [n]: null };
            else if (which === "network_mode") s.network_mode = `service:${n}`;
            else if (which === "volumes_ref") s.volumes = [`${n}:/data`];
            else s[which] = [n];
        }
        return `oddName ${kind} ${JSON.stringify(name).slice(0, 40)}`;
    },
    builtinKeys(tree, r) {
        // Names of Object.prototype as keys of the maps users fill: labels, options, variables…
        const s = someService(tree, r);
        const key = r.pick(BUILTIN_NAMES);
        const value = r.pick(["x", "1", "true", ""]);
        const where = r.int(12);
        const add = (map: unknown): Tree => {
            const m: Tree = isMap(map) ? map : {};
            setAt(m, [key], value);
            return m;
        };
        switch (where) {
            case 0: s.labels = add(s.labels); break;
            case 1: s.environment = add(s.environment); break;
            case 2: s.sysctls = add({}); break;
            case 3: s.logging = { driver: "json-file", options: add({}) }; break;
            case 4: s.deploy = { ...(isMap(s.deploy) ? s.deploy : {}), labels: add({}) }; break;
            case 5: s.build = { context: ".", args: add({}) }; break;
            case 6: s.extra_hosts = add({}); setAt(s.extra_hosts as Tree, [key], "10.0.0.1"); break;
            case 7: s.ulimits = add({}); setAt(s.ulimits as Tree, [key], 1024); break;
            case 8: s["x-kubernetes"] = { serviceAnnotations: add({}) }; break;
            case 9: setAt(topLevel(tree, "networks"), ["n"], { driver_opts: add({}), labels: add({}) }); s.networks = ["n"]; break;
            case 10: setAt(topLevel(tree, "volumes"), ["v"], { driver_opts: add({}), labels: add({}) }); s.volumes = ["v:/v"]; break;
            default: s.deploy = { placement: { constraints: [`node.labels.${key}==x`, `node.platform.arch==${key}`] } };
        }
        return `builtinKeys ${where} ${key}`;
    },
    dangerousValue(tree, r) {
        const s = someService(tree, r);
        const pick = r.int(24);
        switch (pick) {
            case 0: s.ports = [r.pick(["1-65535:1-65535", "0.0.0.0:1-60000:1-60000/udp", "1000-30000:1000-30000", "1-65535"])]; break;
            case 1: s.ports = [r.pick(["80:80:80", "not an ip:80:80", "999.1.1.1:80:80", "[::1]:80:80", "[zz]:80:80", "65536:80", "80:80/tcp/udp", ":80"])]; break;
            case 2: s.ports = [{ target: 80, published: r.pick([80, "80", "1-65535", 0, 70000]), host_ip: r.pick(["not an ip", "127.0.0.1", "::1", "", "1.2.3"]) }]; break;
            case 3: s.expose = [r.pick(["1-65535", "0", 65536, "1-1000", "80/xyz"])]; break;
            case 4: s.deploy = { ...(isMap(s.deploy) ? s.deploy : {}), replicas: r.pick([1e9, 2 ** 31, -1, 1e308, "1e9", 100000]) }; break;
            case 5: s.scale = r.pick([1e9, 2 ** 31, 1e308, "1e9", 5000]); break;
            case 6: s.cpus = r.pick([1e308, "1e308", 1e-12, -0.5, "Infinity", 1e10, 0.0000001]); break;
            case 7: s[r.pick(["mem_limit", "shm_size", "memswap_limit", "mem_reservation"])] = r.pick(SIZES); break;
            case 8: s.deploy = { resources: { limits: { cpus: r.pick(["1e308", 1e308, "0.000000001"]), memory: r.pick(SIZES) }, reservations: { memory: r.pick(SIZES) } } }; break;
            case 9: s.healthcheck = { test: "true", interval: r.pick(DURATIONS), timeout: r.pick(DURATIONS), start_period: r.pick(DURATIONS), retries: r.pick(NUMBERS) }; break;
            case 10: s.stop_grace_period = r.pick(DURATIONS); break;
            case 11: s.ulimits = r.chance(0.5) ? { nofile: r.pick(NUMBERS) } : { nofile: { soft: r.pick(NUMBERS), hard: r.pick(NUMBERS) } }; break;
            case 12: s[r.pick(["pids_limit", "cpu_shares"])] = r.pick(NUMBERS); break;
            case 13: s.environment = r.chance(0.5) ? ["PULUMI_CONFIG_PASSPHRASE", "DB_PASSWORD=hunter2", "API_KEY"] : { X: "${PULUMI_CONFIG_PASSPHRASE}", MYSQL_PASSWORD: "literal-pass", MYSQL_PASSWORD_FILE: "/run/secrets/x" }; break;
            case 14: s.volumes = [r.pick(["C:\\data:/data", "c:/data:/data:ro", "\\\\srv\\share:/x", "/proc:/host/proc:ro", "./x:relative", "a:b:c:d"])]; break;
            case 15: s.volumes = [{ type: "bind", source: r.pick(["C:\\data", "/dev/zero", "", "~"]), target: r.pick(["/data", "data", ""]) }]; break;
            case 16: s.deploy = { update_config: { parallelism: r.pick(NUMBERS), delay: r.pick(DURATIONS), max_failure_ratio: r.pick(NUMBERS) }, restart_policy: { max_attempts: r.pick(NUMBERS), window: r.pick(DURATIONS) } }; break;
            case 17: s.extra_hosts = [r.pick(["host:not-an-ip", "host", "a=b=c", ":1.2.3.4"])]; break;
            case 18: s.tmpfs = [r.pick(["/run:size=99999999999999999999g", "/run:mode=99999", "relative", "/run:size=1e308"])]; break;
            case 19: s.devices = [r.pick(["/dev/zero:/dev/zero", "C:\\dev", "a:b:c:d"])]; break;
            case 20: s.healthcheck = { test: r.pick([["CMD"], [], "", ["NONE", "x"], ["CMD-SHELL"]]) }; break;
            case 21: s["x-kubernetes"] = randomValue(r); break;
            case 22: s.logging = { driver: "json-file", options: randomValue(r) }; break;
            default: s.mac_address = r.pick(["zz:zz", "02:42:ac:11:00:02", ""]); break;
        }
        return `dangerousValue ${pick}`;
    },
    specialFile(tree, r) {
        const p = r.pick(SPECIAL_PATHS);
        const where = r.int(7);
        switch (where) {
            case 0: someService(tree, r).env_file = r.chance(0.5) ? p : [{ path: p, required: r.chance(0.5), ...(r.chance(0.3) ? { format: "raw" } : {}) }]; break;
            case 1:
            case 2: {
                const kind = where === 1 ? "secrets" : "configs";
                setAt(topLevel(tree, kind), ["fz"], { file: p });
                const s = someService(tree, r);
                s[kind] = [...(Array.isArray(s[kind]) ? (s[kind] as unknown[]) : []), "fz"];
                break;
            }
            case 3: tree.include = [r.chance(0.5) ? p : { path: p, ...(r.chance(0.5) ? { env_file: r.pick(SPECIAL_PATHS) } : {}) }]; break;
            case 4: someService(tree, r).extends = { service: "s", file: p }; break;
            case 5: someService(tree, r).build = { context: ".", dockerfile: p }; break;
            default: {
                setAt(topLevel(tree, "secrets"), ["fz"], { environment: r.pick(["PULUMI_CONFIG_PASSPHRASE", "HOME", "UNSET_VAR"]) });
                setAt(topLevel(tree, "configs"), ["fz"], { environment: "PULUMI_CONFIG_PASSPHRASE" });
                const s = someService(tree, r);
                s.secrets = ["fz"];
                s.configs = ["fz"];
            }
        }
        return `specialFile ${where} ${p}`;
    },
    secretContent(tree, r) {
        const value = r.pick([{ pw: FILE_CANARY }, [FILE_CANARY], FILE_CANARY, 42, null]);
        setAt(topLevel(tree, r.pick(["secrets", "configs"])), ["inline"], { content: value, ...(r.chance(0.3) ? { file: "./secret.txt" } : {}) });
        const s = someService(tree, r);
        s.secrets = ["inline"];
        if (r.chance(0.5)) s.environment = { DB_PASSWORD: r.pick([{ nested: FILE_CANARY }, [FILE_CANARY], FILE_CANARY]) };
        return "secretContent";
    },
    envFile(tree, r) {
        someService(tree, r).env_file = r.chance(0.7) ? "./bad.env" : [{ path: "./bad.env", format: "raw" }];
        return "envFile bad.env";
    },
    deepNesting(tree, r, x) {
        const depth = r.pick([50, 200, 1000, 3000, 10000, 30000]);
        const s = someService(tree, r);
        s[r.pick(["labels", "environment", "x-deep", "command", "ports"])] = placeholder(x, nestedFlow(r, depth));
        return `deepNesting ${depth}`;
    },
    deepBlock(tree, r, x) {
        const depth = r.pick([100, 1000, 5000]);
        const lines: string[] = [];
        for (let i = 0; i < depth; i++) lines.push(`${" ".repeat(i)}k${i}:`);
        lines.push(`${" ".repeat(depth)}v`);
        x.raw.push(`x-deep:\n${lines.map((l) => "  " + l).join("\n")}`);
        return `deepBlock ${depth}`;
    },
    nestedInterpolation(tree, r) {
        const depth = r.pick([10, 100, 1000, 3000, 20000]);
        const op = r.pick([":-", "-", ":+", "+", ":?", "?"]);
        someService(tree, r).image = `\${A${op}`.repeat(depth) + "x" + "}".repeat(r.chance(0.9) ? depth : depth - 1);
        return `nestedInterpolation ${depth} ${op}`;
    },
    longString(tree, r) {
        const n = r.pick([1e4, 1e5, 1e6]);
        someService(tree, r)[r.pick(["image", "command", "hostname", "x-long"])] = r.pick(["a", "$", "${A}", "$$", "\\"]).repeat(n);
        return `longString ${n}`;
    },
    extendsChain(tree, r) {
        const n = r.pick([10, 100, 1000, 3000]);
        const all = services(tree);
        all.c0 = { image: "nginx", environment: ["A=1"], ports: ["80"] };
        for (let i = 1; i < n; i++) all[`c${i}`] = { extends: r.chance(0.02) ? { service: `c${r.int(n)}` } : `c${i - 1}`, environment: [`V${i % 7}=${i}`] };
        return `extendsChain ${n}`;
    },
    extendsCycle(tree, r) {
        const all = services(tree);
        const n = r.range(1, 4);
        for (let i = 0; i < n; i++) all[`e${i}`] = { image: "x", extends: `e${(i + 1) % n}` };
        return `extendsCycle ${n}`;
    },
    aliasBomb(tree, r, x) {
        const width = r.range(5, 12);
        const levels = r.range(4, 9);
        const tagged = r.chance(0.5);
        const lines = [`x-b0: &b0 ${tagged ? "{k: !reset [a]}" : "[a, b]"}`];
        for (let i = 1; i <= levels; i++) lines.push(`x-b${i}: &b${i} [${Array(width).fill(`*b${i - 1}`).join(", ")}]`);
        if (r.chance(0.5)) someService(tree, r).labels = placeholder(x, `*b${levels}`);
        x.raw.push(lines.join("\n"));
        return `aliasBomb ${width}^${levels}${tagged ? " tagged" : ""}`;
    },
    mergeKeyBomb(tree, r, x) {
        const width = r.range(5, 10);
        const levels = r.range(4, 8);
        const lines = ["x-m0: &m0 {a: 1}"];
        for (let i = 1; i <= levels; i++) lines.push(`x-m${i}: &m${i}\n  <<: [${Array(width).fill(`*m${i - 1}`).join(", ")}]\n  k${i}: v`);
        x.raw.push(lines.join("\n"));
        return `mergeKeyBomb ${width}^${levels}`;
    },
    selfAlias(tree, r, x) {
        x.raw.push(r.pick(["x-self: &s [*s]", "x-self: &s {a: *s}", "x-self: &s\n  a:\n    b: *s", "x-self: &s !reset [*s]", "x-self: &s\n  <<: *s", "x-u: *undefined"]));
        return "selfAlias";
    },
    duplicateHostPort(tree, r) {
        const all = services(tree);
        const names = Object.keys(all);
        const port = r.pick(["8080:80", "127.0.0.1:8080:80", "8080:80/udp", "[::1]:8080:80"]);
        const a = all[names[0]];
        if (isMap(a)) a.ports = [port];
        const other = names.length > 1 ? names[1] : "dup";
        if (!isMap(all[other])) all[other] = { image: "nginx" };
        (all[other] as Tree).ports = [r.pick(["8080:81", "0.0.0.0:8080:81", "8080:81/udp", "127.0.0.2:8080:80", "8081:80"])];
        return `duplicateHostPort ${port}`;
    },
    overrideFile(tree, r, x) {
        // A second file merged on top, with tags and odd names.
        const second: Tree = { services: {} };
        const name = r.chance(0.5) ? r.pick(Object.keys(services(tree))) : r.pick(ODD_NAMES);
        setAt(second.services as Tree, [name], r.chance(0.5) ? { image: "nginx", ports: placeholder(x, "!reset []") } : randomValue(r));
        x.files["compose.override.yaml"] = { text: YAML.stringify(second, { aliasDuplicateObjects: false }) };
        x.extraComposeFiles.push("compose.override.yaml");
        return `overrideFile ${JSON.stringify(name).slice(0, 30)}`;
    },
    tags(tree, r, x) {
        const s = someService(tree, r);
        s[r.pick(["ports", "environment", "volumes", "image", "build"])] = placeholder(x, r.pick(["!reset null", "!override [\"80:80\"]", "!reset", "!override {}", "!!binary aGVsbG8=", "!!set {a, b}", "!!omap [a: 1]", "!unknown x", "!!timestamp 2001-12-14", "!!float 1e400"]));
        return "tags";
    },
};

/** Mutations of the serialized text. */
const TEXT_MUTATIONS: Record<string, (text: string, r: Prng) => string> = {
    deleteLine(text, r) {
        const lines = text.split("\n");
        lines.splice(r.int(lines.length), 1);
        return lines.join("\n");
    },
    duplicateLine(text, r) {
        const lines = text.split("\n");
        const i = r.int(lines.length);
        lines.splice(i, 0, lines[i]);
        return lines.join("\n");
    },
    reindent(text, r) {
        const lines = text.split("\n");
        const i = r.int(lines.length);
        lines[i] = r.pick(["", " ", "\t", "    ", "   "]) + lines[i].trimStart();
        return lines.join("\n");
    },
    insertChar(text, r) {
        const i = r.int(text.length + 1);
        return text.slice(0, i) + r.pick([":", "-", "[", "{", "&", "*", "!", "\t", "\u0000", "'", '"', "#", "%", "@", "`", "|", ">", "\ufeff", "\r", "?", ",", "}", "]", "$", "${", "\\"]) + text.slice(i);
    },
    truncate(text, r) {
        return text.slice(0, r.int(text.length));
    },
    bom(text) {
        return "\ufeff" + text;
    },
    crlf(text) {
        return text.replace(/\n/g, "\r\n");
    },
};

function badEnvFile(r: Prng): string {
    const lines = [
        `DB_PASSWORD=${FILE_CANARY}`,
        `export API_TOKEN="${FILE_CANARY}"`,
        `BROKEN LINE ${FILE_CANARY}`,
        `'${FILE_CANARY}`,
        `PASS="${FILE_CANARY}`,
        `X=\${${FILE_CANARY}`,
        `Y=\${UNSET:?set Y before deploying}`,
        `=${FILE_CANARY}`,
        `OK=1`,
        `Z=\${A:-${"${A:-".repeat(200)}x${"}".repeat(200)}}`,
        `${FILE_CANARY}`,
        "\u0000\u0001",
    ];
    return Array.from({ length: r.range(1, 5) }, () => r.pick(lines)).join(r.chance(0.2) ? "\r\n" : "\n") + "\n";
}

/** Files every case directory has, for mutants to point at. */
function caseFiles(r: Prng): Record<string, CaseFile> {
    return {
        "fifo": { fifo: true },
        "zero-link": { symlink: "/dev/zero" },
        "fifo-link": { symlink: "./fifo" },
        "outside-link": { symlink: "/etc/hostname" },
        "loop-link": { symlink: "./loop-link" },
        "adir": { dir: true },
        "big.bin": { sparse: 64 * 1024 * 1024 },
        "binary.bin": { text: "\u0000\u0001\u0002ELF\u0000" + FILE_CANARY },
        "secret.txt": { text: `${FILE_CANARY}\n` },
        "bad.env": { text: badEnvFile(r) },
        "../outside.txt": { text: `${FILE_CANARY}\n` },
    };
}

/** Compose files of the corpus: [file relative to the corpus, its directory]. */
export function corpusFiles(corpusDir: string): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
            const p = path.join(dir, e.name);
            if (e.isDirectory()) walk(p);
            else if (/^(docker-)?compose[\w.-]*\.ya?ml$/.test(e.name)) out.push(path.relative(corpusDir, p));
        }
    };
    walk(corpusDir);
    return out;
}

/** One Compose mutant. */
export function composeCase(id: number, seed: number, corpusDir: string, corpus: readonly string[], render: boolean): ComposeCase {
    const r = new Prng(seed);
    const origin = r.pick(corpus);
    const text = fs.readFileSync(path.join(corpusDir, origin), "utf8");
    let tree: Tree;
    try {
        tree = (YAML.parse(text) as Tree) ?? {};
    } catch {
        tree = {};
    }
    const x: Extras = { raw: [], files: caseFiles(r), env: {}, placeholders: {}, extraComposeFiles: [] };
    const mutations: string[] = [];
    // One case in three keeps to mutations a valid file survives, so that targets see them too.
    const names = r.chance(0.33) ? ["oddName", "builtinKeys", "duplicateHostPort", "tags"] : Object.keys(TREE_MUTATIONS);
    const count = r.pick([1, 1, 1, 2, 2, 3]);
    for (let i = 0; i < count; i++) {
        const name = r.pick(names);
        try {
            mutations.push(TREE_MUTATIONS[name](tree, r, x));
        } catch (e) {
            mutations.push(`${name} (skipped: ${(e as Error).message})`);
        }
    }
    let out = YAML.stringify(tree, { aliasDuplicateObjects: false, lineWidth: 0 });
    for (const [token, raw] of Object.entries(x.placeholders)) out = out.split(`"${token}"`).join(raw).split(token).join(raw);
    if (x.raw.length) out += x.raw.join("\n") + "\n";
    if (r.chance(0.25)) {
        const name = r.pick(Object.keys(TEXT_MUTATIONS));
        out = TEXT_MUTATIONS[name](out, r);
        mutations.push(`text ${name}`);
    }
    const env: Record<string, string> = { A: r.pick(["", "1", "x"]), ...(r.chance(0.5) ? { COMPOSE_PROFILES: r.pick(["*", "debug", "constructor", ""]) } : {}), ...x.env };
    return {
        kind: "compose",
        id,
        seed,
        origin,
        copyFrom: path.dirname(path.join(corpusDir, origin)),
        mutations,
        files: { ...x.files, "compose.yaml": { text: out } },
        composeFiles: ["compose.yaml", ...x.extraComposeFiles],
        env,
        render,
    };
}

// ---------------------------------------------------------------------------------------------
// Stack settings

const STACK_VALUES = ["", "-1", "0", "1", "99999999", "1e308", "abc", "true", "false", "null", "512", "99999999999999999999g", "0.0000001", " 8080", "8080 ", "0x50", "{}", "Infinity", "lots", "1e9", "1.5", "512m", "-5", "9999999999999999999999h", "15d", "5GB", "3000", "8080", "9090", "9443", "x".repeat(3000)];

/** One stack-settings mutant, from one of the project's stack files. */
export function stackCase(id: number, seed: number, stackDir: string, keys: readonly string[], secretKeys: readonly string[]): StackCase {
    const r = new Prng(seed);
    const stack = r.pick(["dev", "staging", "prod"]);
    const file = YAML.parse(fs.readFileSync(path.join(stackDir, `Pulumi.${stack}.yaml`), "utf8")) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    for (const [k, v] of Object.entries(file.config ?? {})) config[k] = String(v);
    const secrets = new Set<string>();
    const mutations: string[] = [];
    const count = r.range(1, 3);
    for (let i = 0; i < count; i++) {
        const what = r.int(8);
        const key = `dockyard:${r.pick(keys)}`;
        switch (what) {
            case 0:
            case 1:
                config[key] = r.pick(STACK_VALUES);
                mutations.push(`value ${key}=${JSON.stringify(config[key]).slice(0, 30)}`);
                break;
            case 2: {
                const existing = Object.keys(config);
                const from = r.pick(existing.length ? existing : ["dockyard:runtime"]);
                const to = r.pick(["dockyrd:", "Dockyard:", "dockyard:x", "dockyard-", "docker:", "kubernetes:", "foo:", ":", "dockyard:dockyard:", ""]) + from.split(":").pop();
                config[to] = config[from] ?? "docker";
                delete config[from];
                mutations.push(`rename ${from} -> ${to}`);
                break;
            }
            case 3:
                secrets.add(key);
                config[key] ??= r.pick(["encrypted-value-not-decrypted", "8080", "docker"]);
                mutations.push(`secure ${key}`);
                break;
            case 4: {
                const secret = `dockyard:${r.pick(secretKeys)}`;
                config[secret] = r.pick(["", "x", "ab", SETTING_CANARY, `${SETTING_CANARY}\n`, " "]);
                if (r.chance(0.8)) secrets.add(secret);
                mutations.push(`secret ${secret} (${secrets.has(secret) ? "secure" : "plain"}) length ${config[secret].length}`);
                break;
            }
            case 5: {
                const port = r.pick(["8080", "3000", "9090", "9443", "80"]);
                for (const k of ["wordpressPort", "grafanaPort", "prometheusPort", "portainerPort"]) if (r.chance(0.5)) config[`dockyard:${k}`] = port;
                config["dockyard:monitoring"] = "true";
                mutations.push(`samePort ${port}`);
                break;
            }
            case 6:
                delete config[key];
                mutations.push(`delete ${key}`);
                break;
            default:
                config[r.pick(["dockyard:wordpressMemory", "dockyard:wordpressCpus", "dockyard:dbMemory", "dockyard:dbCpuReservation", "dockyard:wordpressMemoryReservation", "dockyard:dbVolumeSize", "dockyard:retention", "dockyard:retentionSize"])] =
                    r.pick([...SIZES.map(String), ...DURATIONS.map(String), "1e308", "0", "-1", "lots", "2", "512m", "1Gi"]);
                mutations.push("resources");
        }
    }
    return { kind: "stack", id, seed, origin: `stacks/Pulumi.${stack}.yaml`, stack, mutations, config, secretKeys: [...secrets] };
}
