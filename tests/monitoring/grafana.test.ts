/** Grafana provisioning follows Grafana's format: apiVersion 1, one default data source per org, valid dashboards. */
import * as assert from "assert";
import * as YAML from "yaml";
import { DATASOURCE_UID, grafanaFiles, monitoringApp } from "../../components/monitoring";
import { on } from "../targets/discovery";

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

    it("ships the same files in the application", () => {
        const app = monitoringApp({ grafana: { adminPassword: "pw" } }, on("docker"));
        const shipped = Object.fromEntries(app.services.grafana.configs.map((c) => [c.target, app.configs[c.source].content]));
        assert.deepStrictEqual(shipped, files);
    });
});
