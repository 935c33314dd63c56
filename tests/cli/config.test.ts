/**
 * `dockyard config`, through a spawned process: the normalized application dockyard understood
 * from Compose files (found and merged as `docker compose` does), as YAML or JSON, or only the
 * service names or images; secret contents masked; the exit codes of the other commands.
 */
import * as assert from "assert";
import * as YAML from "yaml";
import { dockyard, scratch } from "./run";

/** The secret comes from the environment, as Compose reads an `environment:` secret when it loads. */
const ENV = { ...process.env, TOKEN: "s3cr3t-value" };

describe("cli: dockyard config", () => {
    let work: ReturnType<typeof scratch>;
    before(() => {
        work = scratch({
            "compose.yaml": [
                "name: shop",
                "services:",
                "  web:",
                "    image: nginx:${TAG:-1.27}",
                "    command: nginx -g 'daemon off;'",
                "    ports: ['8080-8081:80-81']",
                "    secrets: [token]",
                "  db:",
                "    image: postgres:16",
                "    healthcheck: { test: pg_isready, interval: 1m30s }",
                "secrets:",
                "  token:",
                "    environment: TOKEN",
                "",
            ].join("\n"),
            "compose.override.yaml": "services:\n  web:\n    environment: { MODE: dev }\n",
            "bad.yaml": "services:\n  web:\n    image: x\n    ports: ['70000:80']\n",
        });
    });

    it("prints the normalized model as YAML: override merged, ports expanded, durations in ms, argv, secrets masked", async () => {
        const r = await dockyard(["config"], { cwd: work.dir, env: { ...ENV, TAG: "1.28" } });
        assert.strictEqual(r.code, 0, r.stderr);
        const spec = YAML.parse(r.stdout) as { name: string; services: Record<string, { image: string; command: string[]; environment: Record<string, string>; ports: { target: number; published: number }[]; healthcheck: { intervalMs: number } }>; secrets: Record<string, { content: string }> };
        assert.strictEqual(spec.name, "shop");
        assert.strictEqual(spec.services.web.image, "nginx:1.28");
        assert.deepStrictEqual(spec.services.web.command, ["nginx", "-g", "daemon off;"]);
        assert.deepStrictEqual(spec.services.web.environment, { MODE: "dev" });
        assert.deepStrictEqual(spec.services.web.ports.map((p) => [p.published, p.target]), [[8080, 80], [8081, 81]]);
        assert.strictEqual(spec.services.db.healthcheck.intervalMs, 90_000);
        assert.strictEqual(spec.secrets.token.content, "[secret]");
        assert.ok(!r.stdout.includes("s3cr3t-value"), "a secret's content is never printed");
    });

    it("--format json, --services and --images", async () => {
        const json = await dockyard(["config", "--format", "json"], { cwd: work.dir, env: ENV });
        assert.strictEqual(json.code, 0, json.stderr);
        assert.deepStrictEqual(Object.keys((JSON.parse(json.stdout) as { services: object }).services), ["web", "db"]);
        assert.deepStrictEqual((await dockyard(["config", "--services"], { cwd: work.dir, env: ENV })).stdout, "web\ndb\n");
        assert.deepStrictEqual((await dockyard(["config", "--images", "-f", "compose.yaml"], { cwd: work.dir, env: ENV })).stdout, "nginx:1.27\npostgres:16\n");
    });

    it("exits 1 on a wrong Compose file, naming it, and 2 on a usage error", async () => {
        const bad = await dockyard(["config", "-f", "bad.yaml"], { cwd: work.dir, env: ENV });
        assert.strictEqual(bad.code, 1, bad.stderr);
        assert.match(bad.stderr, /bad\.yaml:4: services\.web\.ports\[0\]/);
        assert.strictEqual((await dockyard(["config", "--format", "toml"], { cwd: work.dir, env: ENV })).code, 2);
        assert.strictEqual((await dockyard(["config", "--services", "--images"], { cwd: work.dir, env: ENV })).code, 2);
        const help = await dockyard(["config", "--help"], { cwd: work.dir, env: ENV });
        assert.strictEqual(help.code, 0);
        assert.match(help.stdout, /docker compose config/);
    });
});
