/**
 * Engine metrics end to end, on real engines: a dockerd of the test's own (tests/e2e/dockerd.ts)
 * serves its metrics endpoint; every metric the dashboard and the engine rules use is one it
 * exports; and the Monitoring component, deployed with Pulumi on the machine's engine with
 * `engineMetrics` on, runs a real Prometheus (Debian's binary in a stand-in image; no registry is
 * reachable) that scrapes that endpoint the way a Docker host's does: from a bridge container,
 * through `host.docker.internal` mapped to the host gateway, with the engine's metrics-addr on the
 * default bridge's gateway address.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { alertRules, engineDashboard, DEFAULT_IMAGES, ENGINE_JOB } from "../../components/monitoring";
import { docker, inspect, removeApps, run, Stack } from "./engine";
import { freePort } from "./checks";
import { TestDockerd } from "./dockerd";
import { ensureStandins } from "./images";

const APP = "enginemetrics";
const PROMETHEUS_IMAGE = "dockyard-e2e/prometheus-debian:e2e";
const GRAFANA_PASSWORD = "e2e-S3cret-pw";

async function get(url: string, timeoutMs = 5000): Promise<string> {
    const r = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await r.text();
    if (r.status !== 200) throw new Error(`GET ${url}: ${r.status} ${body.slice(0, 300)}`);
    return body;
}

/** Retries `attempt` until it returns a value (not undefined) or `timeoutMs` passes; the last error is in the failure. */
async function eventually<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
    const end = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < end) {
        try {
            const v = await attempt();
            if (v !== undefined) return v;
        } catch (e) {
            last = String(e);
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`${what} within ${timeoutMs / 1000} s${last ? `: ${last}` : ""}`);
}

/** Metric names in the text exposition format. */
function exported(text: string): Set<string> {
    return new Set(text.split("\n").filter((l) => l !== "" && !l.startsWith("#")).map((l) => /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(l)![0]));
}

/** The metrics the dashboard and the engine rules select from the engine job (Prometheus' own `up` aside). */
function usedMetrics(): string[] {
    const exprs = [
        ...JSON.parse(engineDashboard()).panels.map((p: { targets: { expr: string }[] }) => p.targets[0].expr),
        alertRules({}, { engine: true }),
    ].join("\n");
    const names = [...exprs.matchAll(new RegExp(`([a-zA-Z_:][a-zA-Z0-9_:]*)\\{job="${ENGINE_JOB}"\\}`, "g"))].map((m) => m[1]);
    return [...new Set(names)].filter((n) => n !== "up").sort();
}

/**
 * A real Prometheus: Debian's binary on the stand-ins' base, laid out as prom/prometheus is
 * (entrypoint /bin/prometheus), with the libraries and the loader it is linked against at their paths.
 */
function buildPrometheusImage(): void {
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-prometheus-image-"));
    try {
        const root = path.join(ctx, "root");
        const copy = (from: string, to: string) => {
            fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
            fs.copyFileSync(fs.realpathSync(from), path.join(root, to));
        };
        copy("/usr/bin/prometheus", "/bin/prometheus");
        for (const lib of run("ldd", ["/usr/bin/prometheus"]).stdout.match(/\/\S+/g) ?? []) copy(lib, lib);
        fs.chmodSync(path.join(root, "bin", "prometheus"), 0o755);
        fs.writeFileSync(path.join(ctx, "Dockerfile"), 'FROM dockyard-standin:base\nCOPY root/ /\nENTRYPOINT ["/bin/prometheus"]\n');
        docker(["build", "-q", "--label", "dev.dockyard.standin=real-prometheus", "-t", PROMETHEUS_IMAGE, ctx], { timeoutMs: 120_000 });
    } finally {
        fs.rmSync(ctx, { recursive: true, force: true });
    }
}

function program(o: { enginePort: number; prometheusPort: number; grafanaPort: number }): string {
    return `
import { DockerHost, Monitoring } from "./components";

const host = new DockerHost("host");
const m = new Monitoring("${APP}", {
    target: host.target,
    name: "${APP}",
    engineMetrics: { port: ${o.enginePort} },
    prometheusPort: ${o.prometheusPort},
    scrapeInterval: "2s",
    scrapeTimeout: "2s",
    evaluationInterval: "2s",
    images: { prometheus: "${PROMETHEUS_IMAGE}" },
    grafana: { port: ${o.grafanaPort}, adminPassword: "${GRAFANA_PASSWORD}" },
});
export const prometheusUrl = m.prometheusUrl;
`;
}

describe("engine metrics on a real Docker engine", function () {
    let engine: TestDockerd | undefined;
    let stack: Stack | undefined;
    let enginePort = 0;

    before(async function () {
        if (!fs.existsSync("/usr/bin/prometheus")) throw new Error("the real Prometheus is needed: scripts/install-system-deps.sh installs Debian's prometheus");
        enginePort = await freePort();
        engine = new TestDockerd({ name: "metrics", args: ["--metrics-addr", `127.0.0.1:${enginePort}`] });
        engine.start();
    });

    after(function () {
        stack?.destroyAndClose();
        removeApps([APP]);
        engine?.cleanup();
        docker(["image", "rm", PROMETHEUS_IMAGE], { allowFail: true });
    });

    it("the engine's metrics endpoint answers with its engine_daemon_* metrics", async function () {
        const text = await get(`http://127.0.0.1:${enginePort}/metrics`);
        const info = JSON.parse(engine!.docker(["info", "--format", "{{json .}}"]).stdout);
        const infoLine = text.split("\n").find((l) => l.startsWith("engine_daemon_engine_info{"));
        assert.ok(infoLine, "engine_daemon_engine_info is exported");
        assert.ok(infoLine.includes(`daemon_id="${info.ID}"`) && infoLine.includes(`version="${info.ServerVersion}"`), infoLine);
        for (const state of ["running", "paused", "stopped"]) {
            assert.match(text, new RegExp(`^engine_daemon_container_states_containers\\{state="${state}"\\} 0$`, "m"), state);
        }
        assert.match(text, /^engine_daemon_container_actions_seconds_count\{action="create"\} /m);
    });

    it("every metric the engine dashboard and the engine rules select is one dockerd exports", async function () {
        // (dockerd 20.10 does not export engine_daemon_network_actions_seconds, even after a network is created and removed.)
        const names = exported(await get(`http://127.0.0.1:${enginePort}/metrics`));
        const used = usedMetrics();
        assert.ok(used.length >= 10, used.join(", "));
        assert.deepStrictEqual(used.filter((m) => !names.has(m)), [], `exported: ${[...names].join(" ")}`);
    });

    it("Monitoring with engineMetrics, on the machine's engine: a real Prometheus scrapes the engine through the host gateway", async function () {
        // As on a Docker host with engine metrics: metrics-addr on the default bridge's gateway.
        const gateway: string = inspect("network", "bridge").IPAM.Config[0].Gateway;
        engine!.restart(["--metrics-addr", `${gateway}:${enginePort}`]);
        await get(`http://${gateway}:${enginePort}/metrics`);
        assert.strictEqual(await fetch(`http://127.0.0.1:${enginePort}/metrics`, { signal: AbortSignal.timeout(3000) }).then(() => "answers", () => "closed"), "closed",
            "the restarted engine listens on the gateway only");

        removeApps([APP]);
        ensureStandins([DEFAULT_IMAGES.alertmanager, DEFAULT_IMAGES.grafana, DEFAULT_IMAGES.cadvisor, DEFAULT_IMAGES.nodeExporter]);
        buildPrometheusImage();
        const prometheusPort = await freePort();
        const grafanaPort = await freePort();
        stack = new Stack({ stack: "engine-metrics", configFrom: "dev", program: program({ enginePort, prometheusPort, grafanaPort }) });
        stack.up();
        const api = `http://127.0.0.1:${prometheusPort}/api/v1`;

        // The configuration Prometheus runs with names the job and its target.
        const config = JSON.parse(await eventually("Prometheus answers", () => get(`${api}/status/config`), 60_000)).data.yaml as string;
        assert.match(config, /job_name: docker-engine/);
        assert.match(config, new RegExp(`- host\\.docker\\.internal:${enginePort}`));

        // The engine is scraped: up == 1, from inside the container, through host.docker.internal.
        const target = await eventually("the docker-engine target is up", async () => {
            const targets = JSON.parse(await get(`${api}/targets`)).data.activeTargets as { labels: Record<string, string>; scrapeUrl: string; health: string; lastError: string }[];
            const t = targets.find((x) => x.labels.job === ENGINE_JOB);
            if (t === undefined) throw new Error(`no ${ENGINE_JOB} target among ${targets.map((x) => x.labels.job).join(", ")}`);
            if (t.health !== "up") throw new Error(`${t.scrapeUrl}: ${t.health} ${t.lastError}`);
            return t;
        }, 90_000);
        assert.strictEqual(target.scrapeUrl, `http://host.docker.internal:${enginePort}/metrics`);
        const up = JSON.parse(await get(`${api}/query?query=${encodeURIComponent(`up{job="${ENGINE_JOB}"}`)}`)).data.result;
        assert.deepStrictEqual(up.map((r: { value: [number, string] }) => r.value[1]), ["1"]);

        // It is the test's engine that is scraped (the machine's has no metrics endpoint).
        const info = JSON.parse(engine!.docker(["info", "--format", "{{json .}}"]).stdout);
        const engines = JSON.parse(await get(`${api}/query?query=${encodeURIComponent(`engine_daemon_engine_info{job="${ENGINE_JOB}"}`)}`)).data.result;
        assert.deepStrictEqual(engines.map((r: { metric: Record<string, string> }) => r.metric.daemon_id), [info.ID]);

        // The real Prometheus loaded the engine rules; once the engine's up series exists, EngineMetricsMissing
        // (pending from the evaluations before the first scrape) goes quiet.
        type Group = { name: string; rules: { name: string; health: string; state?: string }[] };
        const engineGroup = await eventually("EngineMetricsMissing is inactive", async () => {
            const g = (JSON.parse(await get(`${api}/rules`)).data.groups as Group[]).find((x) => x.name === "docker-engine");
            if (g === undefined) throw new Error("no docker-engine rule group");
            return g.rules[0].state === "inactive" ? g : undefined;
        }, 30_000);
        assert.deepStrictEqual(engineGroup.rules.map((r) => [r.name, r.health]), [["EngineMetricsMissing", "ok"], ["EngineHealthcheckErrors", "ok"]]);

        // Grafana was given the engine dashboard.
        const grafana = inspect("container", `${APP}-grafana-1`);
        assert.ok(grafana.State.Running);
        const dashboard = docker(["exec", `${APP}-grafana-1`, "cat", "/etc/dockyard/dashboards/docker-engine.json"]);
        assert.strictEqual(JSON.parse(dashboard).uid, "dockyard-docker-engine");
    });
});
