/** Shared test helpers: where the repo and ../shared are, output resolution, error assertions. */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../components/spec/errors";

/** The project directory (holds Pulumi.yaml), found from the compiled test file. */
export const REPO_ROOT = (() => {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const up = path.dirname(dir);
        if (up === dir) throw new Error("Pulumi.yaml not found above " + __dirname);
        dir = up;
    }
    return dir;
})();

/** ../shared beside the clone (corpus, Compose schema). */
export const SHARED_DIR = path.resolve(REPO_ROOT, "..", "shared");

/** The Compose corpus: `DOCKYARD_CORPUS`, else `../shared/corpus` beside the clone. */
export const CORPUS_DIR = process.env.DOCKYARD_CORPUS ? path.resolve(process.env.DOCKYARD_CORPUS) : path.join(SHARED_DIR, "corpus");

let corpusNoted = false;

/**
 * Whether the corpus is there. In a plain clone it is not: the corpus tests are skipped, with one
 * note saying how to run them. CI sets `DOCKYARD_REQUIRE_CORPUS=1`, and then a missing corpus fails.
 */
export function corpusAvailable(): boolean {
    if (fs.existsSync(path.join(CORPUS_DIR, "awesome-compose"))) return true;
    if (process.env.DOCKYARD_REQUIRE_CORPUS) throw new Error(`the Compose corpus is required (DOCKYARD_REQUIRE_CORPUS) but ${CORPUS_DIR} has no awesome-compose`);
    if (!corpusNoted) {
        corpusNoted = true;
        console.log(`note: no Compose corpus at ${CORPUS_DIR}: the corpus tests are skipped; run them with DOCKYARD_CORPUS=<dir of awesome-compose and dockprom>`);
    }
    return false;
}

/** `describe`, when the corpus is there; otherwise one skipped test saying why. */
export function describeWithCorpus(title: string, body: () => void): void {
    if (corpusAvailable()) {
        describe(title, body);
    } else {
        describe(title, () => {
            it("needs the Compose corpus (DOCKYARD_CORPUS)", function () {
                this.skip();
            });
        });
    }
}

/** Resolves an Output to its value (outside `apply`, so a failed assertion is not a timeout). */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((v) => { resolve(v); return v; }));
}

/** Asserts that `fn` throws a SpecError whose message names every one of `parts`. */
export function assertSpecError(fn: () => unknown, ...parts: string[]): SpecError {
    let caught: unknown;
    try {
        fn();
    } catch (e) {
        caught = e;
    }
    assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught === undefined ? "no error" : String(caught)}`);
    for (const p of parts) assert.ok(caught.message.includes(p), `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(p)}`);
    return caught;
}

/** Asserts that `fn` throws a SpecError at `path` about `value` (and, when given, with a reason matching `reason`). */
export function assertRefused(fn: () => unknown, path: string, value: unknown, reason?: RegExp): SpecError {
    let caught: unknown;
    try {
        fn();
    } catch (e) {
        caught = e;
    }
    assert.ok(caught instanceof SpecError, `expected a SpecError at ${path}, got ${caught === undefined ? "no error" : String(caught)}`);
    assert.strictEqual(caught.path, path);
    assert.deepStrictEqual(caught.value, value);
    if (reason) assert.match(caught.reason, reason);
    return caught;
}

/** The rendered resource called `name`; fails listing the names there are when it is missing. */
export function resourceNamed<R extends { name: string }>(resources: R[], name: string): R {
    const r = resources.find((x) => x.name === name);
    assert.ok(r, `no resource named ${name} among ${resources.map((x) => x.name).join(", ")}`);
    return r;
}
