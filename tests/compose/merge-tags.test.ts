import * as assert from "assert";
import * as path from "path";
import { dropPaths, enforceUnique, loadCompose, mergeCompose, parseComposeYaml } from "../../components/compose";
import { REPO_ROOT } from "../harness";

const FIXTURES = path.join(REPO_ROOT, "tests", "compose", "fixtures", "tags");
const load = (...files: string[]) => loadCompose(files.map((f) => path.join(FIXTURES, f)), { projectName: "shop", env: {}, onWarning: () => undefined });

/** Merges Compose texts the way the loader does: drop the later file's tagged paths, then merge. */
function mergeTexts(...texts: string[]): Record<string, unknown> {
    return enforceUnique(
        texts.reduce<Record<string, unknown>>((merged, text) => {
            const y = parseComposeYaml(text, "/p/compose.yaml");
            return mergeCompose(dropPaths(merged, y.resets), y.data);
        }, {}),
    );
}

describe("compose/merge tags (!reset, !override)", () => {
    describe("merged trees", () => {
        it("!reset removes the earlier value, whatever its kind", () => {
            assert.deepStrictEqual(
                mergeTexts(
                    "services:\n  a:\n    image: x\n    build: ./a\n    ports: ['80:80']\n    environment: { A: '1' }\n    dns: 1.1.1.1\n",
                    "services:\n  a:\n    build: !reset null\n    ports: !reset []\n    environment: !reset {}\n    dns: !reset\n",
                ),
                { services: { a: { image: "x" } } },
            );
        });
        it("!override replaces instead of merging (sequences are not appended, mappings not merged)", () => {
            assert.deepStrictEqual(
                mergeTexts(
                    "services:\n  a:\n    image: x\n    ports: ['80:80', '443:443']\n    environment: { A: '1', B: '2' }\n    logging: { driver: json-file, options: { max-size: 1m } }\n",
                    "services:\n  a:\n    ports: !override ['8080:80']\n    environment: !override { C: '3' }\n    logging: !override { options: { max-file: '2' } }\n",
                ),
                { services: { a: { image: "x", ports: ["8080:80"], environment: { C: "3" }, logging: { options: { "max-file": "2" } } } } },
            );
        });
        it("without tags the same files merge", () => {
            assert.deepStrictEqual(
                mergeTexts("services:\n  a:\n    ports: ['80:80']\n    environment: { A: '1' }\n", "services:\n  a:\n    ports: ['8080:80']\n    environment: { C: '3' }\n"),
                { services: { a: { ports: ["80:80", "8080:80"], environment: ["A=1", "C=3"] } } },
            );
        });
        it("a key of a list-form environment can be reset from a mapping", () => {
            assert.deepStrictEqual(
                mergeTexts("services:\n  a:\n    environment: [A=1, B=2]\n", "services:\n  a:\n    environment:\n      B: !reset\n      C: '3'\n"),
                { services: { a: { environment: ["A=1", "C=3"] } } },
            );
        });
        it("!reset of a whole service or top-level resource removes it", () => {
            assert.deepStrictEqual(
                mergeTexts("services:\n  a: { image: x }\n  b: { image: y }\nvolumes:\n  data: {}\n", "services:\n  b: !reset null\nvolumes: !reset {}\n"),
                { services: { a: { image: "x" } } },
            );
        });
        it("a later file can set again what an earlier one reset", () => {
            assert.deepStrictEqual(
                mergeTexts("services:\n  a:\n    ports: ['80:80']\n", "services:\n  a:\n    ports: !reset []\n", "services:\n  a:\n    ports: ['81:81']\n"),
                { services: { a: { ports: ["81:81"] } } },
            );
        });
    });

    describe("loadCompose", () => {
        it("applies an override file's tags", () => {
            const spec = load("compose.yaml", "compose.override.yaml");
            const web = spec.services.web;
            assert.strictEqual(web.build, undefined);
            assert.strictEqual(web.image, "shop/web:1.0");
            assert.deepStrictEqual(web.ports, [{ target: 80, published: 8080, protocol: "tcp", mode: "ingress" }]);
            assert.deepStrictEqual(web.environment, {});
            assert.deepStrictEqual(web.labels, { tier: "back" });
            assert.deepStrictEqual(web.dns, []);
            // untagged keys still merge
            assert.deepStrictEqual(web.command, ["node", "server.js"]);
            const api = spec.services.api;
            assert.deepStrictEqual([api.ports, api.dependsOn, api.environment], [[], [], { MODE: "prod" }]);
        });
        it("without the override file the base is untouched", () => {
            const web = load("compose.yaml").services.web;
            assert.deepStrictEqual(web.build, { context: path.join(FIXTURES, "web"), args: { VERSION: "1" }, labels: {} });
            assert.strictEqual(web.ports.length, 2);
        });
        it("within one file a !reset key is absent and !override is an ordinary value (schema and types see plain values)", () => {
            const spec = load("single.yaml");
            assert.deepStrictEqual([spec.services.merged.image, spec.services.merged.ports, spec.services.merged.restart], ["shop/base:1", [], { policy: "always" }]);
            const own = spec.services.own;
            assert.deepStrictEqual([own.ports, own.expose, own.replicas, own.workingDir], [[], [{ target: 9000, protocol: "tcp" }], 2, "0644"]);
        });
        it("a service that extends another drops what the base gives to its tagged keys", () => {
            const child = load("single.yaml").services.child;
            assert.deepStrictEqual([child.image, child.ports, child.environment, child.labels], ["shop/base:1", [], { B: "2" }, { tier: "base" }]);
        });
    });
});
