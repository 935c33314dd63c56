/** Grafana provisioning follows Grafana's format: apiVersion 1, one default data source per org, valid dashboards. */
import * as assert from "assert";
import * as YAML from "yaml";
import { DATASOURCE_UID, ENGINE_JOB, engineDashboard, grafanaFiles, monitoringApp } from "../../components/monitoring";
import { on } from "../targets/discovery";
import { runTool, writeTempTree } from "./validator-tools";

interface Panel { id: number; type: string; title: string; datasource: unknown; targets: { expr: string; instant?: boolean; format?: string }[] }

/**
 * Every panel query of the dashboards as a recording rule: `promtool check rules` parses each
 * expression with Prometheus' own PromQL parser, so a typo in a dashboard fails here, not in Grafana.
 */
function checkQueries(dashboards: { uid: string; panels: Panel[] }[]): void {
    const rules = dashboards.flatMap((d) => d.panels.map((p) => ({ record: `dashboard:${d.uid.replace(/-/g, "_")}:panel_${p.id}`, expr: p.targets[0].expr })));
    const dir = writeTempTree({ "queries.yml": YAML.stringify({ groups: [{ name: "dashboards", rules }] }) });
    const r = runTool("promtool", ["check", "rules", "queries.yml"], dir);
    assert.strictEqual(r.code, 0, r.output);
    assert.match(r.output, new RegExp(`SUCCESS: ${rules.length} rules found`));
}

interface Datasource { name: string; orgId?: number; isDefault?: boolean; uid?: string; type: string; url: string }

describe("monitoring: Grafana provisioning", () => {
    const files = grafanaFiles();
    const datasources = YAML.parse(files["/etc/grafana/provisioning/datasources/prometheus.yml"]);
    const provider = YAML.parse(files["/etc/grafana/provisioning/dashboards/dockyard.yml"]);
    const dashboards = Object.entries(files).filter(([p]) => p.endsWith(".json")).map(([p, text]) => [p, JSON.parse(text)] as const);

    it("uses provisioning apiVersion 1", () => {
        assert.strictEqual(datasources.apiVersion, 1);
        assert.strictEqual(provider.apiVersion, 1);
    });

    it("has exactly one default data source per org: Prometheus", () => {
        const byOrg = new Map<number, Datasource[]>();
        for (const d of datasources.datasources as Datasource[]) {
            const org = d.orgId ?? 1;
            byOrg.set(org, [...(byOrg.get(org) ?? []), d]);
        }
        for (const [org, list] of byOrg) assert.strictEqual(list.filter((d) => d.isDefault).length, 1, `org ${org}`);
        assert.deepStrictEqual(datasources.datasources, [
            { name: "Prometheus", type: "prometheus", uid: DATASOURCE_UID, access: "proxy", orgId: 1, url: "http://prometheus:9090", isDefault: true, editable: false },
        ]);
    });

    it("points the dashboard provider at the generated dashboards", () => {
        assert.deepStrictEqual(provider.providers, [
            { name: "dockyard", orgId: 1, folder: "dockyard", type: "file", disableDeletion: true, allowUiUpdates: false, options: { path: "/etc/dockyard/dashboards" } },
        ]);
        for (const [p] of dashboards) assert.ok(p.startsWith("/etc/dockyard/dashboards/"), p);
    });

    it("generates two dashboards with unique uids, every panel querying the provisioned data source", () => {
        assert.deepStrictEqual(dashboards.map(([, d]) => [d.uid, d.title]), [["dockyard-containers", "Containers"], ["dockyard-hosts", "Hosts"]]);
        const uids = dashboards.map(([, d]) => d.uid);
        assert.strictEqual(new Set(uids).size, uids.length);
        for (const [, d] of dashboards) {
            assert.ok(d.panels.length > 0);
            const ids = d.panels.map((p: { id: number }) => p.id);
            assert.strictEqual(new Set(ids).size, ids.length, `${d.uid}: panel ids unique`);
            for (const p of d.panels) {
                assert.deepStrictEqual(p.datasource, { type: "prometheus", uid: DATASOURCE_UID });
                assert.ok(p.targets.every((t: { expr: string }) => t.expr.length > 0));
            }
        }
        assert.ok(dashboards[0][1].panels.every((p: { targets: { expr: string }[] }) => /container_/.test(p.targets[0].expr)), "containers: cAdvisor metrics");
        assert.ok(dashboards[1][1].panels.every((p: { targets: { expr: string }[] }) => /node_/.test(p.targets[0].expr)), "hosts: node-exporter metrics");
    });

    it("ships the same files in the application, the engine dashboard only with engine metrics", () => {
        const shipped = (engineMetrics: boolean) => {
            const app = monitoringApp({ grafana: { adminPassword: "pw" }, ...(engineMetrics ? { engineMetrics: {} } : {}) }, on("docker"));
            return Object.fromEntries(app.services.grafana.configs.map((c) => [c.target, app.configs[c.source].content]));
        };
        assert.deepStrictEqual(shipped(false), files);
        assert.deepStrictEqual(shipped(true), grafanaFiles({ engine: true }));
        assert.deepStrictEqual(Object.keys(grafanaFiles({ engine: true })).filter((p) => !(p in files)), ["/etc/dockyard/dashboards/docker-engine.json"]);
    });

    it("every panel query of the default dashboards parses (promtool)", () => checkQueries(dashboards.map(([, d]) => d)));

    describe("the Docker engine dashboard", () => {
        const d = JSON.parse(engineDashboard()) as { uid: string; title: string; panels: Panel[] };

        it("has its own uid, panel ids and grid, every panel on the provisioned data source", () => {
            assert.deepStrictEqual([d.uid, d.title], ["dockyard-docker-engine", "Docker engine"]);
            assert.ok(!dashboards.some(([, other]) => other.uid === d.uid));
            assert.deepStrictEqual(d.panels.map((p) => p.id), d.panels.map((_, i) => i + 1));
            for (const p of d.panels) {
                assert.deepStrictEqual(p.datasource, { type: "prometheus", uid: DATASOURCE_UID }, p.title);
                assert.strictEqual(p.targets.length, 1, p.title);
            }
        });

        it("every query parses (promtool) and selects the engine job, so go_ and process_ series are dockerd's", () => {
            checkQueries([d]);
            for (const p of d.panels) assert.ok(p.targets[0].expr.includes(`{job="${ENGINE_JOB}"}`), `${p.title}: ${p.targets[0].expr}`);
        });

        it("shows what dockerd exports: containers by state, the engine, container action latencies, process metrics", () => {
            const exprs = d.panels.map((p) => p.targets[0].expr).join("\n");
            for (const metric of ["engine_daemon_container_states_containers", "engine_daemon_engine_info", "engine_daemon_container_actions_seconds_bucket",
                "engine_daemon_events_total", "process_cpu_seconds_total", "process_resident_memory_bytes", "go_goroutines"]) {
                assert.ok(exprs.includes(metric), metric);
            }
        });

        it("the engine table is an instant query of the info metric's labels", () => {
            const table = d.panels.find((p) => p.type === "table")!;
            assert.deepStrictEqual([table.title, table.targets[0].instant, table.targets[0].format], ["Engines", true, "table"]);
            assert.match(table.targets[0].expr, /^engine_daemon_engine_info\{/);
        });
    });
});
