import * as assert from "assert";
import * as path from "path";
import { rebaseProject } from "../../components/compose/rebase";
import { loadProject } from "./project";

const REMOTE = [
    "https://github.com/docker/rootfs.git#main",
    "git@github.com:org/repo.git#v1:sub",
    "https://example.com/context.tar.gz",
    "http://example.com/Dockerfile",
    "git://example.com/repo.git",
    "ssh://git@example.com/repo.git",
    "github.com/org/repo",
];

describe("compose/rebase", () => {
    it("makes a project's relative host paths absolute, keeping remote contexts, names, absolute and ~ paths", () => {
        assert.deepStrictEqual(
            rebaseProject(
                {
                    services: {
                        a: {
                            build: { context: "git@github.com:org/repo.git", dockerfile: "Dockerfile" },
                            volumes: ["./data:/data", "../up:/up:ro", "named:/named", "/abs:/abs", "~/home:/home", { type: "bind", source: "conf", target: "/conf" }, { type: "volume", source: "v", target: "/v" }],
                            env_file: ["a.env", { path: "./b.env", format: "raw" }],
                        },
                        b: { build: "./b" },
                        c: { build: { dockerfile: "x" } },
                        d: { env_file: "d.env", image: "d" },
                    },
                    secrets: { s: { file: "./s.txt" }, e: { external: true } },
                    configs: { c: { file: "/etc/c" } },
                    volumes: { bound: { driver_opts: { type: "none", o: "bind", device: "./dev" } }, other: { driver: "nfs", driver_opts: { o: "bind", device: "./x" } } },
                    networks: { n: {} },
                },
                "/p/sub",
            ),
            {
                services: {
                    a: {
                        build: { context: "git@github.com:org/repo.git", dockerfile: "Dockerfile" },
                        volumes: ["/p/sub/data:/data", "/p/up:/up:ro", "named:/named", "/abs:/abs", "~/home:/home", { type: "bind", source: "/p/sub/conf", target: "/conf" }, { type: "volume", source: "v", target: "/v" }],
                        env_file: ["/p/sub/a.env", { path: "/p/sub/b.env", format: "raw" }],
                    },
                    b: { build: "/p/sub/b" },
                    c: { build: { dockerfile: "x", context: "/p/sub" } },
                    d: { env_file: ["/p/sub/d.env"], image: "d" },
                },
                secrets: { s: { file: "/p/sub/s.txt" }, e: { external: true } },
                configs: { c: { file: "/etc/c" } },
                volumes: { bound: { driver_opts: { type: "none", o: "bind", device: "/p/sub/dev" } }, other: { driver: "nfs", driver_opts: { o: "bind", device: "./x" } } },
                networks: { n: {} },
            },
        );
    });

    it("build contexts that are Git or HTTP URLs are kept as written, short and long form", () => {
        const services = REMOTE.map((url, i) => `  s${i}:\n    build: ${i % 2 ? `{ context: "${url}" }` : `"${url}"`}\n`).join("");
        const { spec, dir } = loadProject({ "compose.yaml": `services:\n${services}  local:\n    build: ./local\n` });
        assert.deepStrictEqual(REMOTE.map((_, i) => spec.services[`s${i}`].build?.context), REMOTE);
        assert.strictEqual(spec.services.local.build?.context, path.join(dir, "local"));
        assert.strictEqual(spec.services.s0.image, "app-s0");
    });

    it("a remote context survives extends from a file in another directory", () => {
        const { spec, dir } = loadProject({
            "compose.yaml": "services:\n  a:\n    extends: { file: common/base.yaml, service: base }\n  b:\n    extends: { file: common/base.yaml, service: local }\n",
            "common/base.yaml": "services:\n  base:\n    build: git@github.com:org/repo.git#main\n  local:\n    build: ./ctx\n",
        });
        assert.deepStrictEqual([spec.services.a.build?.context, spec.services.b.build?.context], ["git@github.com:org/repo.git#main", path.join(dir, "common", "ctx")]);
    });
});
