import * as assert from "assert";
import { daemonJson, engineDrift, engineExpectations } from "../../components/daemon";
import { DockerHost } from "../../components/docker-host";
import { render } from "../../components/render";
import { SwarmCluster } from "../../components/swarm-cluster";
import { assertSpecError } from "../harness";

/** What dockerd 20.10 reports (`docker info --format '{{json .}}'`, the fields read back) for the configuration below. */
const INFO = {
    ID: "X",
    LiveRestoreEnabled: true,
    Labels: ["zone=a", "role=db"],
    LoggingDriver: "local",
    Driver: "overlay2",
    DockerRootDir: "/srv/docker/100000.100000",
    ExperimentalBuild: false,
    SecurityOptions: ["name=seccomp,profile=default", "name=userns"],
    RegistryConfig: {
        InsecureRegistryCIDRs: ["10.0.0.0/8", "127.0.0.0/8"],
        IndexConfigs: { "docker.io": { Secure: true }, "registry.lan:5000": { Secure: false } },
        Mirrors: ["https://mirror.example/"],
    },
};
const BRIDGE = { Name: "bridge", Options: { "com.docker.network.bridge.enable_icc": "false" }, IPAM: { Config: [{ Subnet: "172.26.0.0/16", Gateway: "172.26.0.1" }] } };
const CONFIG = {
    liveRestore: true, labels: { zone: "a", role: "db" }, logDriver: "local", storageDriver: "overlay2", dataRoot: "/srv/docker", experimental: false,
    usernsRemap: "default", registryMirrors: ["https://mirror.example"], insecureRegistries: ["10.0.0.0/8", "registry.lan:5000"], icc: false, bip: "172.26.0.1/16",
};

describe("daemon/readback", () => {
    const expected = engineExpectations(daemonJson(CONFIG).json);

    it("reads back every setting the engine reports, and only the ones set", () => {
        assert.deepStrictEqual(expected.map((e) => e.key), ["live-restore", "labels", "log-driver", "storage-driver", "data-root", "experimental", "userns-remap", "registry-mirrors", "insecure-registries", "icc", "bip"]);
        assert.deepStrictEqual(engineExpectations(daemonJson({ icc: true, userlandProxy: false, metricsAddr: "127.0.0.1:9323" }).json).map((e) => e.key), ["icc"]);
        assert.deepStrictEqual(engineExpectations({}), []);
    });

    it("finds no drift in a report of the same settings, in the engine's own forms (sorted labels, mirror URLs ending in /, the userns root below data-root)", () => {
        assert.deepStrictEqual(engineDrift(INFO, BRIDGE, expected), []);
    });

    it("names each setting the engine runs otherwise, with what it reports and whether a restart is needed", () => {
        const info = {
            ...INFO,
            LiveRestoreEnabled: false,
            Labels: ["zone=b"],
            DockerRootDir: "/var/lib/docker",
            RegistryConfig: { ...INFO.RegistryConfig, IndexConfigs: { "docker.io": { Secure: true } } },
        };
        const drift = engineDrift(info, { ...BRIDGE, Options: { "com.docker.network.bridge.enable_icc": "true" } }, expected);
        assert.deepStrictEqual(drift.map((d) => [d.key, d.restart]), [["live-restore", false], ["labels", false], ["data-root", true], ["insecure-registries", false], ["icc", true]]);
        assert.deepStrictEqual(drift[1], { key: "labels", want: ["role=db", "zone=a"], got: ["zone=b"], restart: false });
        assert.deepStrictEqual(drift[3].got, { InsecureRegistryCIDRs: ["10.0.0.0/8", "127.0.0.0/8"], insecureIndexes: [] });
    });

    it("does not judge bridge settings on an engine without a default bridge or while live-restore keeps it for running containers, and reports a missing field as null", () => {
        const iccOn = { ...BRIDGE, Options: { "com.docker.network.bridge.enable_icc": "true" } };
        assert.deepStrictEqual(engineDrift(INFO, undefined, expected), []);
        assert.deepStrictEqual(engineDrift({ ...INFO, ContainersRunning: 2 }, iccOn, expected), []);
        assert.deepStrictEqual(engineDrift({ ...INFO, ContainersRunning: 0 }, iccOn, expected).map((d) => d.key), ["icc"]);
        assert.deepStrictEqual(engineDrift({ ...INFO, LiveRestoreEnabled: false, ContainersRunning: 2 }, iccOn, expected).map((d) => d.key), ["live-restore", "icc"]);
        const drift = engineDrift({}, undefined, engineExpectations(daemonJson({ logDriver: "local" }).json));
        assert.deepStrictEqual(drift, [{ key: "log-driver", want: "local", got: null, restart: true }]);
    });
});

describe("DockerHost and SwarmCluster with a daemon configuration", () => {
    it("applies the file through a command on the engine's machine, reads it back, and makes the provider wait for it", async () => {
        const rs = await render(() => new DockerHost("edge", { host: "unix:///run/edge.sock", daemon: { config: { liveRestore: true, icc: false } } }));
        const by = Object.fromEntries(rs.map((r) => [r.name, r]));
        assert.deepStrictEqual(rs.map((r) => `${r.type} ${r.name}`).sort(), [
            "command:local:Command edge-daemon-apply",
            "dockyard:daemon:DockerDaemon edge-daemon",
            "dockyard:index:DockerHost edge",
            "pulumi-nodejs:dynamic/dockyard:EngineSettings edge-daemon-settings",
            "pulumi:providers:docker edge-provider",
        ]);
        const apply = by["edge-daemon-apply"].inputs;
        assert.strictEqual(apply.stdin, '{\n  "icc": false,\n  "live-restore": true\n}\n');
        assert.strictEqual(apply.update, apply.create);
        assert.match(apply.create as string, /f=\/etc\/docker\/daemon\.json/);
        assert.match(apply.create as string, /docker -H unix:\/\/\/run\/edge\.sock info/);
        assert.match(apply.create as string, /systemctl restart docker/);
        const settings = by["edge-daemon-settings"].inputs;
        assert.strictEqual(settings.host, "unix:///run/edge.sock");
        assert.deepStrictEqual(settings.settings, { "live-restore": true, icc: "false" });
        assert.deepStrictEqual(by["edge-provider"].dependsOn, ["edge-daemon-apply"]);
    });

    it("writes the file over SSH for an ssh:// engine", async () => {
        const rs = await render(() => new DockerHost("far", { host: "ssh://ops@10.0.0.7:2222", daemon: { config: { icc: false }, sudo: true } }));
        const apply = rs.find((r) => r.name === "far-daemon-apply")!;
        assert.strictEqual(apply.type, "command:remote:Command");
        assert.deepStrictEqual({ host: (apply.inputs.connection as Record<string, unknown>).host, user: (apply.inputs.connection as Record<string, unknown>).user, port: (apply.inputs.connection as Record<string, unknown>).port }, { host: "10.0.0.7", user: "ops", port: 2222 });
        assert.match(apply.inputs.create as string, /^sudo -n env DOCKYARD_DAEMON_FORCE=/);
    });

    it("refuses a wrong daemon argument before anything is registered", async () => {
        let rs = await render(() => {
            try {
                new DockerHost("edge", { host: "unix:///run/edge.sock", daemon: { config: { icc: "off" as unknown as boolean } } });
            } catch (e) {
                assertSpecError(() => { throw e; }, "dockerHost.daemon.config.icc", '"off"');
            }
        });
        assert.deepStrictEqual(rs, []);
        rs = await render(() => {
            try {
                new DockerHost("edge", { host: "tcp://127.0.0.1:2375", daemon: { config: {} } });
            } catch (e) {
                assertSpecError(() => { throw e; }, "dockerHost.daemon.connection", "over SSH");
            }
        });
        assert.deepStrictEqual(rs, []);
    });

    it("configures a swarm node's engine before it forms or joins the swarm, warning that live-restore does not cover services", async () => {
        const warnings: string[] = [];
        const rs = await render(() => SwarmCluster.singleNode("dev", { daemon: { config: { liveRestore: true } } }), { onWarning: (w) => warnings.push(w.message) });
        assert.deepStrictEqual(warnings, ["managers[0].daemon.config.liveRestore: live-restore keeps standalone containers running across a dockerd restart; swarm services' tasks are still stopped and rescheduled"]);
        const by = Object.fromEntries(rs.map((r) => [r.name, r]));
        assert.ok(by["dev-daemon-local-apply"], rs.map((r) => r.name).join(", "));
        assert.deepStrictEqual(by["dev-init-local"].dependsOn, ["dev-daemon-local-apply"]);
        assertSpecError(() => new SwarmCluster("x", { managers: [{ name: "m", address: "10.0.0.1", connection: { host: "10.0.0.1" }, daemon: { config: { icc: 1 as unknown as boolean } } }] }), "managers[0].daemon.config.icc");
    });
});

describe("the CIS pack judges the daemon.json DockerHost writes", () => {
    it("finds the apply command by its stdin and judges the 2.x rules on it, opt-outs from its labels", async () => {
        // Required here, not imported: policy/ is the pack, compiled beside the components.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { judgeAll } = require("../../policy/judge") as typeof import("../../policy/judge");
        const verdicts = async (config: object) => {
            const rs = await render(() => new DockerHost("edge", { host: "unix:///run/edge.sock", daemon: { config } }));
            const apply = rs.find((r) => r.name === "edge-daemon-apply")!;
            return judgeAll(apply.type, apply.inputs);
        };
        const loose = await verdicts({ liveRestore: false });
        assert.match(loose.get("2.2")!.violations.join("\n"), /icc is not set/);
        assert.match(loose.get("2.15")!.violations.join("\n"), /live-restore is not true/);
        const strict = await verdicts({ icc: false, liveRestore: true, noNewPrivileges: true, userlandProxy: false, usernsRemap: "default", logDriver: "syslog", defaultUlimits: { nofile: 1024 } });
        assert.deepStrictEqual([...strict.entries()].filter(([, v]) => v.violations.length > 0).map(([id]) => id), []);
        const skipped = await verdicts({ labels: { "dev.dockyard.cis.skip.2.2": "containers of this host talk on the default bridge by design" } });
        assert.deepStrictEqual(skipped.get("2.2")!.violations, []);
        assert.strictEqual(skipped.get("2.2")!.skipped, "containers of this host talk on the default bridge by design");
    });
});
