/**
 * Validation against the Compose JSON schema (compose-spec, draft 2020-12, shipped in
 * ./schema with its Apache-2.0 licence so the library works wherever it is installed).
 * Ajv reports every failed branch of every `oneOf`; the loader shows one error, the one a user
 * can act on: the deepest, and among equally deep ones an unknown key before a wrong type.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import { joinPath } from "../spec/errors";
import { ComposeError } from "./errors";
// The schema's validator, compiled when dockyard is built (tools/compose-validator.ts says why it is
// committed) with ajv's options allErrors, strict: false and verbose: compiling it here took a fifth of
// a second of every start.
import { validate as generated } from "./schema-validator";

const validator = generated as unknown as ValidateFunction;

/** Splits an ajv instancePath (`/services/web/ports/1`) into keys, numbers for array indexes. */
function segments(data: unknown, instancePath: string): (string | number)[] {
    const out: (string | number)[] = [];
    let node = data;
    for (const raw of instancePath.split("/").slice(1)) {
        const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        if (Array.isArray(node)) {
            out.push(Number(key));
            node = node[Number(key)];
        } else {
            out.push(key);
            node = (node as Record<string, unknown> | undefined)?.[key];
        }
    }
    return out;
}

function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
    let node = data;
    for (const k of path) node = (node as Record<string | number, unknown> | undefined)?.[k];
    return node;
}

/** Renders path segments the way errors show them. */
export function renderPath(path: readonly (string | number)[]): string {
    return path.reduce<string>((acc, k) => joinPath(acc, k), "");
}

const PREFERENCE = ["additionalProperties", "required", "enum", "const", "pattern", "minimum", "maximum", "type"];

function rank(e: ErrorObject): number {
    const i = PREFERENCE.indexOf(e.keyword);
    return i < 0 ? PREFERENCE.length : i;
}

/** Edit distance, to suggest the key a user probably meant. */
function distance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) d[0][j] = j;
    for (let i = 1; i <= a.length; i++) {
        for (let j = 1; j <= b.length; j++) {
            d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
    }
    return d[a.length][b.length];
}

function suggestion(key: string, parentSchema: unknown): string {
    const known = Object.keys((parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const best = known.map((k) => [k, distance(key, k)] as const).sort((a, b) => a[1] - b[1])[0];
    return best && best[1] <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean "${best[0]}"?)` : "";
}

/** The error a user can act on, as path, reason and value. */
function pick(data: unknown, errors: ErrorObject[]): { path: (string | number)[]; reason: string; value: unknown } {
    const located = errors.map((e) => ({ e, path: segments(data, e.instancePath) }));
    const depth = Math.max(...located.map((l) => l.path.length));
    const deepest = located.filter((l) => l.path.length === depth).sort((a, b) => rank(a.e) - rank(b.e));
    const { e, path } = deepest[0];
    const value = valueAt(data, path);
    switch (e.keyword) {
        case "additionalProperties": {
            const key = (e.params as { additionalProperty: string }).additionalProperty;
            const parent = path[path.length - 1];
            const isNameMap = path.length === 1 && ["services", "networks", "volumes", "secrets", "configs"].includes(String(parent));
            const reason = isNameMap
                ? `invalid name "${key}": use letters, digits, '.', '_' and '-'`
                : `unknown key "${key}"${suggestion(key, e.parentSchema)}`;
            return { path: [...path, key], reason, value: valueAt(data, [...path, key]) };
        }
        case "type": {
            // Several oneOf branches fail with "must be <type>" at the same place: list them all.
            const types = [...new Set(deepest.filter((l) => l.e.keyword === "type").flatMap((l) => [(l.e.params as { type: string | string[] }).type].flat()))];
            return { path, reason: `must be ${types.join(" or ")}`, value };
        }
        case "required":
            return { path, reason: `missing required key "${(e.params as { missingProperty: string }).missingProperty}"`, value: undefined };
        case "enum":
            return { path, reason: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).map((v) => JSON.stringify(v)).join(", ")}`, value };
        default:
            return { path, reason: e.message ?? "invalid value", value };
    }
}

/**
 * Validates one (interpolated) Compose file against the schema.
 * @throws ComposeError naming the file, path, line and value of the most useful error.
 */
export function validateComposeSchema(data: unknown, file: string, lineOf?: (path: readonly (string | number)[]) => number | undefined): void {
    if (validator(data)) return;
    const { path, reason, value } = pick(data, validator.errors ?? []);
    throw new ComposeError(reason, renderPath(path), value, file, lineOf?.(path));
}
