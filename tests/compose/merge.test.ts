import * as assert from "assert";
import * as path from "path";
import { enforceUnique, loadCompose, mergeCompose } from "../../components/compose";
import { REPO_ROOT, assertSpecError } from "../harness";
import { writeProject } from "./project";

const loadProjectFiles = (files: Record<string, string>) => ({ dir: writeProject(files) });
const FIXTURES = path.join(REPO_ROOT, "tests", "compose", "fixtures");
const load = (files: string | string[], options = {}) =>
    loadCompose(files, { projectName: "shop", env: {}, onWarning: () => undefined, ...options });

describe("compose/merge", () => {
    it("merges several files with the Compose rules", () => {
        const spec = load([path.join(FIXTURES, "merge/compose.yaml"), path.join(FIXTURES, "merge/compose.prod.yaml")]);
        const web = spec.services.web;
        assert.strictEqual(web.image, "shop/web:1.1");
        // command and healthcheck.test are replaced, not appended
        assert.deepStrictEqual(web.command, ["node", "server.js"]);
        assert.deepStrictEqual(web.healthcheck, { disable: false, test: ["CMD-SHELL", "wget -q -O- http://localhost/"], intervalMs: 30_000 });
        // map and list forms merge by key
        assert.deepStrictEqual(web.environment, { API_URL: "http://api", LOG_LEVEL: "warn", NODE_ENV: "production" });
        assert.deepStrictEqual(web.labels, { tier: "front", env: "prod" });
        // ports and expose append and de-duplicate; dns (string then list) appends
        assert.deepStrictEqual(web.ports, [
            { target: 80, published: 8080, protocol: "tcp", mode: "ingress" },
            { target: 443, published: 8443, protocol: "tcp", mode: "ingress" },
        ]);
        assert.deepStrictEqual(web.expose, [{ target: 9000, protocol: "tcp" }, { target: 9001, protocol: "tcp" }]);
        assert.deepStrictEqual(web.dns, ["1.1.1.1", "8.8.8.8"]);
        // volumes merge by container path, secrets by target
        assert.deepStrictEqual(web.mounts, [
            { type: "volume", source: "static", target: "/static", readOnly: false },
            { type: "bind", source: path.join(FIXTURES, "merge/prod-conf"), target: "/etc/web", readOnly: true, createHostPath: true, projectDir: path.join(FIXTURES, "merge") },
        ]);
        assert.deepStrictEqual(web.secrets, [{ source: "token", target: "/run/secrets/token", mode: 0o400 }]);
        // depends_on and networks: list and map forms merge as maps
        assert.deepStrictEqual(web.dependsOn, [{ service: "api", condition: "healthy", required: true, restart: false }]);
        assert.deepStrictEqual(web.networks, [{ network: "front", aliases: [] }, { network: "back", aliases: ["web-internal"] }]);
        // logging options merge when the driver is the same
        assert.deepStrictEqual(web.logging, { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } });
        // a service only partly defined in the override keeps its base
        assert.deepStrictEqual([spec.services.api.image, spec.services.api.healthcheck], ["shop/api:1.0", { disable: false, test: ["CMD", "true"] }]);
        assert.strictEqual(spec.source, `${path.join(FIXTURES, "merge/compose.yaml")}, ${path.join(FIXTURES, "merge/compose.prod.yaml")}`);
    });

    describe("mergeCompose", () => {
        const merge = (a: object, b: object) => enforceUnique(mergeCompose(a as Record<string, unknown>, b as Record<string, unknown>));
        it("replaces scalars and merges maps", () => {
            assert.deepStrictEqual(merge({ services: { a: { image: "x", restart: "no" } } }, { services: { a: { restart: "always" }, b: { image: "y" } } }), {
                services: { a: { image: "x", restart: "always" }, b: { image: "y" } },
            });
        });
        it("keeps the base when the override is null", () => {
            assert.deepStrictEqual(merge({ services: { a: { image: "x" } } }, { services: { a: { image: null } } }), { services: { a: { image: "x" } } });
        });
        it("turns build strings into contexts", () => {
            assert.deepStrictEqual(merge({ services: { a: { build: "./a" } } }, { services: { a: { build: { target: "dev" } } } }), {
                services: { a: { build: { context: "./a", target: "dev" } } },
            });
        });
        it("replaces logging when the driver changes", () => {
            assert.deepStrictEqual(
                merge({ services: { a: { logging: { driver: "json-file", options: { "max-size": "1m" } } } } }, { services: { a: { logging: { driver: "syslog" } } } }),
                { services: { a: { logging: { driver: "syslog" } } } },
            );
        });
        it("de-duplicates keyed lists in place, later wins", () => {
            assert.deepStrictEqual(
                merge(
                    { services: { a: { volumes: ["data:/data", "/tmp:/tmp"], cap_add: ["NET_ADMIN"], secrets: ["s"], configs: ["c"], tmpfs: "/run" } } },
                    { services: { a: { volumes: [{ type: "volume", source: "other", target: "/data" }], cap_add: ["NET_ADMIN", "SYS_TIME"], secrets: [{ source: "s", mode: 0o400 }], configs: [{ source: "c", target: "/c" }], tmpfs: ["/run", "/tmp2"] } } },
                ),
                { services: { a: {
                    volumes: [{ type: "volume", source: "other", target: "/data" }, "/tmp:/tmp"],
                    cap_add: ["NET_ADMIN", "SYS_TIME"],
                    secrets: [{ source: "s", mode: 0o400 }],
                    configs: [{ source: "c", target: "/c" }],
                    tmpfs: ["/run", "/tmp2"],
                } } },
            );
        });
        it("names the file and path when a value cannot override another", () => {
            const { dir } = loadProjectFiles({
                "a.yaml": "services: { web: { image: x } }\nnetworks: { n: { external: { name: shared } } }\n",
                "b.yaml": "networks: { n: { external: true } }\n",
            });
            assertSpecError(() => load([path.join(dir, "a.yaml"), path.join(dir, "b.yaml")]), `${dir}/b.yaml:1: networks.n.external`, "cannot override", "true");
        });
    });
});
