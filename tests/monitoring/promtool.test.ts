/**
 * Validator tests: every generated prometheus.yml, the rule file and alertmanager.yml checked by
 * the real tools from Debian's `prometheus` and `prometheus-alertmanager` packages.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { defineApp } from "../../components/spec/normalize";
import { TargetKind } from "../../components/targets/target";
import {
    MonitoringSettings, RULES_FILE, alertRules, alertmanagerConfig, prometheusConfig, resolveSettings,
} from "../../components/monitoring";
import { REPO_ROOT } from "../harness";
import { runTool, writeTempTree } from "./validator-tools";
import { on } from "../targets/discovery";

const KINDS: TargetKind[] = ["docker", "swarm", "kubernetes"];

const shop = defineApp({
    name: "shop",
    services: {
        web: { image: "shop/web:1", labels: { "dev.dockyard.metrics.port": "8081", "dev.dockyard.metrics.path": "/internal/metrics" } },
        db: { image: "postgres:16" },
    },
});

function fullSettings(kind: TargetKind): MonitoringSettings {
    return {
        scrapeInterval: "30s",
        scrapeTimeout: "30s",
        evaluationInterval: "1m",
        retention: "30d",
        retentionSize: "20GB",
        prometheusPort: 9090,
        ...(kind !== "kubernetes"
            ? { engineMetrics: { port: 9323 } }
            : { kubernetesNamespaces: ["shop", "monitoring"], engineMetrics: { targets: ["docker-1.example:9323", "[fd00::5]:9323"] } }),
        scrapeTargets: [{ job: "api", service: "api", port: 9000, app: "billing" }, { job: "legacy", service: "legacy.v1", port: 8000, path: "/stats" }],
        apps: [shop],
        thresholds: { cpuPercent: 70, memoryPercent: 80, diskPercent: 75, targetDownFor: "5m", pressureFor: "10m", restartCount: 5, restartWindow: "1h" },
        alerting: {
            receivers: [{ name: "ops", webhookUrl: "https://hooks.example/ops" }, { name: "pager", webhookUrl: "https://hooks.example/pager", sendResolved: false }],
            routes: [{ receiver: "pager", matchers: ['severity="critical"'], continue: true }],
            groupBy: ["alertname"],
        },
        grafana: { adminPassword: "pw" },
    };
}

/** Rules in the rule file: the three default groups' six, plus the engine group's two with engine metrics. */
const CASES: [string, (kind: TargetKind) => MonitoringSettings, number][] = [
    ["defaults", () => ({ grafana: { adminPassword: "pw" } }), 6],
    ["every option", fullSettings, 8],
];

/**
 * Debian builds Prometheus without Kubernetes service discovery, so its promtool rejects
 * `kubernetes_sd_configs` as an unknown field. Only that rejection is tolerated: the file is then
 * checked again with each Kubernetes discovery swapped for a static target, which still checks
 * everything else (relabel regexes included).
 */
function withoutKubernetesSd(text: string): string {
    const doc = YAML.parse(text);
    const swap = (c: Record<string, unknown>) => {
        if (c.kubernetes_sd_configs) {
            delete c.kubernetes_sd_configs;
            c.static_configs = [{ targets: ["kubernetes-sd.invalid:1"] }];
        }
    };
    doc.scrape_configs.forEach(swap);
    doc.alerting.alertmanagers.forEach(swap);
    return YAML.stringify(doc);
}

function onlyUnknownField(output: string, field: string): boolean {
    const unknown = output.split("\n").filter((l) => /field \S+ not found in type/.test(l));
    return unknown.length > 0 && unknown.every((l) => l.includes(`field ${field} not found`));
}

describe("monitoring: promtool check config", () => {
    for (const kind of KINDS) {
        for (const [label, settings, rules] of CASES) {
            it(`accepts prometheus.yml on ${kind} (${label}) with its rule file`, () => {
                const cfg = resolveSettings(settings(kind));
                const config = prometheusConfig(cfg, on(kind));
                // Rule files are checked too, resolved against the config file's directory.
                const dir = writeTempTree({ "prometheus.yml": config, [RULES_FILE]: alertRules(cfg.thresholds, { engine: cfg.engineMetrics !== undefined }) });
                let r = runTool("promtool", ["check", "config", "prometheus.yml"], dir);
                if (r.code !== 0 && kind === "kubernetes" && onlyUnknownField(r.output, "kubernetes_sd_configs")) {
                    fs.writeFileSync(path.join(dir, "prometheus.yml"), withoutKubernetesSd(config));
                    r = runTool("promtool", ["check", "config", "prometheus.yml"], dir);
                }
                assert.strictEqual(r.code, 0, r.output);
                assert.match(r.output, /SUCCESS: 1 rule files found/);
                assert.match(r.output, new RegExp(`SUCCESS: ${rules} rules found`));
            });
        }
    }
});

describe("monitoring: promtool rules", () => {
    it("check rules accepts the rules with default and custom thresholds", () => {
        const dir = writeTempTree({
            "default.yml": alertRules(),
            "custom.yml": alertRules({ cpuPercent: 50.5, restartCount: 1, restartWindow: "1h30m", targetDownFor: "30s" }, { engine: true }),
        });
        const r = runTool("promtool", ["check", "rules", "default.yml", "custom.yml"], dir);
        assert.strictEqual(r.code, 0, r.output);
    });

    it("test rules: every alert fires when it should and stays quiet otherwise", () => {
        const tests = fs.readFileSync(path.join(REPO_ROOT, "tests", "monitoring", "alerts.promtool-test.yml"), "utf8");
        // Every group, the engine's included: the default groups are the same with or without it.
        const dir = writeTempTree({ "alerts.yml": alertRules({}, { engine: true }), "alerts.promtool-test.yml": tests });
        const r = runTool("promtool", ["test", "rules", "alerts.promtool-test.yml"], dir);
        assert.strictEqual(r.code, 0, r.output);
        // Each alert of the rule file has a unit test.
        const alerts = YAML.parse(alertRules({}, { engine: true })).groups.flatMap((g: { rules: { alert: string }[] }) => g.rules.map((x) => x.alert));
        const tested = new Set(YAML.parse(tests).tests.flatMap((t: { alert_rule_test: { alertname: string }[] }) => t.alert_rule_test.map((a) => a.alertname)));
        assert.deepStrictEqual(alerts.filter((a: string) => !tested.has(a)), []);
    });
});

describe("monitoring: amtool check-config", () => {
    /**
     * `url_file` arrived in Alertmanager 0.26; Debian 12's amtool is 0.25. Only that rejection is
     * tolerated, and the file is then checked with each url_file swapped for a placeholder url.
     */
    function check(text: string): void {
        const dir = writeTempTree({ "alertmanager.yml": text });
        let r = runTool("amtool", ["check-config", "alertmanager.yml"], dir);
        if (r.code !== 0 && onlyUnknownField(r.output, "url_file")) {
            fs.writeFileSync(path.join(dir, "alertmanager.yml"), text.replace(/url_file: .*/g, "url: https://webhook.invalid/"));
            r = runTool("amtool", ["check-config", "alertmanager.yml"], dir);
        }
        assert.strictEqual(r.code, 0, r.output);
    }

    it("accepts the config without receivers", () => check(alertmanagerConfig(resolveSettings({ grafana: { adminPassword: "pw" } }).alerting)));
    it("accepts the config with receivers and routes", () => check(alertmanagerConfig(resolveSettings(fullSettings("docker")).alerting)));
});
