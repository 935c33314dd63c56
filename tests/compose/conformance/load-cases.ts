/**
 * Table tests transcribed from compose-go (github.com/compose-spec/compose-go, v2): the inputs a
 * Go test gives the loader and the results it asserts, run through dockyard's `loadCompose`.
 *
 * A case names its Go test (`go`). `files` is written to a fresh directory and `compose.yaml` is
 * loaded (or the files `load` lists, merged in order). A case either expects a spec (`expect`,
 * assertions on the AppSpec in dockyard's model terms) or an error (`error`, parts of the message).
 *
 * Where dockyard decides to differ from compose-go, the case goes in a `DIFFERS` table with the
 * reason; there `expect`/`error` state what dockyard does instead, so that a change of behaviour
 * shows up in the tests as well.
 */
import * as assert from "assert";
import * as path from "path";
import { ComposeWarning, LoadComposeOptions, loadCompose } from "../../../components/compose";
import { SpecError } from "../../../components/spec/errors";
import { AppSpec } from "../../../components/spec/types";
import { writeProject } from "../project";

/** What a case's assertions get besides the spec: the project directory and the warnings. */
export interface Run {
    readonly dir: string;
    readonly warnings: string[];
}

export interface LoadCase {
    /** The compose-go test it is transcribed from: `file.go TestName` (and the subtest). */
    readonly go: string;
    /** What is checked, in a few words. */
    readonly name: string;
    /** Files of the project, relative path → content. */
    readonly files: Readonly<Record<string, string>>;
    /** The Compose files loaded, in order. @default ["compose.yaml"] */
    readonly load?: readonly string[];
    /** The environment. @default {} */
    readonly env?: Readonly<Record<string, string>>;
    /**
     * Further loader options; the project name is "app" unless `options.projectName` says otherwise
     * (null: none given). A relative `workingDir`, `homeDir` or `allowedPaths` entry is in the
     * project's directory. The home directory is /home/u unless `homeDir` says otherwise.
     */
    readonly options?: Omit<LoadComposeOptions, "projectName"> & { readonly projectName?: string | null };
    /** Assertions on the loaded spec. */
    readonly expect?: (spec: AppSpec, run: Run) => void;
    /** The load fails with a SpecError whose message contains each of these. */
    readonly error?: readonly string[];
}

export interface DiffersCase extends LoadCase {
    /** Why dockyard does not do what the Go test asserts. `expect`/`error` are dockyard's behaviour. */
    readonly reason: string;
}

/** Loads a case's project. */
export function loadCase(c: LoadCase): { spec: AppSpec; run: Run } {
    const dir = writeProject(c.files as Record<string, string>);
    const warnings: string[] = [];
    const { projectName, workingDir, allowedPaths, homeDir, ...options } = c.options ?? {};
    const spec = loadCompose((c.load ?? ["compose.yaml"]).map((f) => path.join(dir, f)), {
        ...(projectName === null ? {} : { projectName: projectName ?? "app" }),
        env: { ...(c.env ?? {}) },
        homeDir: homeDir === undefined ? "/home/u" : path.resolve(dir, homeDir),
        onWarning: (w: ComposeWarning) => warnings.push(w.message),
        // A relative working directory is one of the project's.
        ...(workingDir !== undefined ? { workingDir: path.resolve(dir, workingDir) } : {}),
        ...(allowedPaths !== undefined ? { allowedPaths: allowedPaths.map((p) => path.resolve(dir, p)) } : {}),
        ...options,
    });
    return { spec, run: { dir, warnings } };
}

function runCase(c: LoadCase): void {
    if (c.error) {
        let caught: unknown;
        try {
            loadCase(c);
        } catch (e) {
            caught = e;
        }
        assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught === undefined ? "no error" : String((caught as Error)?.stack ?? caught)}`);
        for (const part of c.error) assert.ok(caught.message.includes(part), `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(part)}`);
        return;
    }
    const { spec, run } = loadCase(c);
    c.expect?.(spec, run);
}

/** Registers the cases of a table as mocha tests, one per case. */
export function loadCases(title: string, cases: readonly LoadCase[], differs: readonly DiffersCase[] = []): void {
    describe(title, () => {
        for (const c of cases) it(`${c.go}: ${c.name}`, () => runCase(c));
        describe("DIFFERS (dockyard decides otherwise)", () => {
            for (const c of differs) {
                it(`${c.go}: ${c.name}`, () => {
                    assert.ok(c.reason.length > 20, "a differing case says why");
                    runCase(c);
                });
            }
        });
    });
}

/**
 * Asserts that `actual` has every key of `expected` with the same value: objects compared key by
 * key, arrays entry by entry (of the same length), anything else with deepStrictEqual.
 */
export function assertSubset(actual: unknown, expected: unknown, where = ""): void {
    if (Array.isArray(expected)) {
        assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where || "value"}: ${JSON.stringify(actual)} does not have the ${expected.length} entries of ${JSON.stringify(expected)}`);
        expected.forEach((e, i) => assertSubset(actual[i], e, `${where}[${i}]`));
        return;
    }
    if (expected !== null && typeof expected === "object") {
        assert.ok(actual !== null && typeof actual === "object", `${where || "value"}: expected an object, got ${JSON.stringify(actual)}`);
        for (const [k, v] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[k], v, where ? `${where}.${k}` : k);
        return;
    }
    assert.deepStrictEqual(actual, expected, `${where || "value"}: ${JSON.stringify(actual)} is not ${JSON.stringify(expected)}`);
}
