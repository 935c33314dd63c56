/**
 * daemon.json for real: `DockerHost`'s `daemon` argument configures a second dockerd of the
 * test's own (tests/e2e/dockerd.ts, with iptables, so that icc is enforced) through the real CLI, the command provider and the
 * dynamic read-back; the engine's own behaviour shows each setting applied.
 */
import * as assert from "assert";
import * as fs from "fs";
import { ensureStandins } from "./images";
import { Stack, waitFor } from "./engine";
import { TestDockerd } from "./dockerd";

const IMAGE = "nginx:alpine";

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { DockerHost } from "./components/docker-host";
const c = new pulumi.Config("e2e");
const host = new DockerHost("second", {
    host: c.require("host"),
    daemon: { config: c.requireObject("config"), configFile: c.require("configFile"), control: c.requireObject("control"), timeoutSeconds: 30 },
});
export const daemonJson = host.daemon!.text;
`;

describe("daemon.json on a second dockerd", function () {
    this.timeout(15 * 60_000);
    let d: TestDockerd;
    /** `docker -H <the test engine> …`, stdout trimmed. */
    const dk = (args: readonly string[], o: { allowFail?: boolean; timeoutMs?: number } = {}): string => d.docker(args, o).stdout.trim();
    const pidNow = (): string => String(d.pid);
    let stack: Stack;

    const info = (): { LiveRestoreEnabled: boolean; Labels: string[] } => JSON.parse(dk(["info", "--format", "{{json .}}"]));
    const setConfig = (config: object): void => stack.setConfig("e2e:config", JSON.stringify(config));
    /** Whether a container on `network` reaches the one called `server` at `ip` (by default, its address on the default bridge). */
    const reaches = (ip = dk(["inspect", "-f", "{{.NetworkSettings.IPAddress}}", "server"]), network = "bridge"): boolean => {
        // busybox nc, not wget: Debian's static busybox wget crashes on its service lookup in these images.
        const out = dk(["run", "--rm", "--network", network, "--entrypoint", "sh", IMAGE, "-c", `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} 80`], { allowFail: true, timeoutMs: 60_000 });
        return out.includes("dockyard stand-in");
    };

    before(() => {
        ensureStandins([IMAGE]);
        d = new TestDockerd({ name: "daemon", iptables: true });
        d.start();
        d.load([IMAGE]);
        stack = new Stack({ stack: "daemon", configFrom: "dev", program: PROGRAM });
        stack.setConfig("e2e:host", d.host);
        stack.setConfig("e2e:configFile", d.configFile);
        stack.setConfig("e2e:control", JSON.stringify({ kind: "process", pidFile: d.pidFile, logFile: d.logFile, start: d.startCommand() }));
    });

    after(() => {
        stack?.destroyAndClose();
        d?.cleanup();
    });

    it("writes daemon.json and restarts dockerd; docker info shows the settings; nothing to change after", () => {
        setConfig({ liveRestore: true, labels: { stage: "one" } });
        const pid = pidNow();
        stack.up();
        assert.notStrictEqual(pidNow(), pid, "the first file replaces dockerd's own: restarted");
        assert.strictEqual(fs.readFileSync(d.configFile, "utf8"), '{\n  "labels": [\n    "stage=one"\n  ],\n  "live-restore": true\n}\n');
        assert.strictEqual(fs.readFileSync(`${d.configFile}.dockyard-previous`, "utf8"), "{}\n");
        assert.strictEqual(info().LiveRestoreEnabled, true);
        assert.deepStrictEqual(info().Labels, ["stage=one"]);
        stack.expectNoChanges();
    });

    it("icc: false stops containers on the default bridge from talking", () => {
        const pid = pidNow();
        setConfig({ liveRestore: true, labels: { stage: "one" }, icc: false });
        stack.up();
        assert.notStrictEqual(pidNow(), pid, "icc needs a restart");
        assert.strictEqual(JSON.parse(dk(["network", "inspect", "bridge"]))[0].Options["com.docker.network.bridge.enable_icc"], "false");
        dk(["run", "-d", "--name", "server", "-e", "STANDIN_PORTS=80", IMAGE], { timeoutMs: 60_000 });
        assert.ok(!reaches(), "with icc off a container does not reach another on the default bridge");
        dk(["network", "create", "--driver", "bridge", "--subnet", "10.232.0.0/24", "talk"]);
        dk(["network", "connect", "talk", "server"]);
        const ip = dk(["inspect", "-f", "{{(index .NetworkSettings.Networks \"talk\").IPAddress}}", "server"]);
        assert.ok(reaches(ip, "talk"), "on a user-defined network (icc there is the network's own) it does");
        stack.expectNoChanges();
    });

    it("live-restore keeps a container running across a restart, and the default bridge it keeps (icc unjudgeable while one runs) makes no diff", () => {
        const started = dk(["inspect", "-f", "{{.State.StartedAt}}", "server"]);
        const pid = pidNow();
        setConfig({ liveRestore: true, labels: { stage: "one" }, icc: false, logOpts: { "max-size": "10m" } });
        stack.up();
        assert.notStrictEqual(pidNow(), pid, "log-opts need a restart");
        assert.strictEqual(dk(["inspect", "-f", "{{.State.Running}} {{.State.StartedAt}}", "server"]), `true ${started}`, "the container ran through the restart");
        stack.expectNoChanges();
    });

    it("a reloadable change is applied by SIGHUP, dockerd keeps running", () => {
        const pid = pidNow();
        setConfig({ liveRestore: true, labels: { stage: "two" }, icc: false, logOpts: { "max-size": "10m" } });
        stack.up();
        assert.strictEqual(pidNow(), pid);
        assert.deepStrictEqual(info().Labels, ["stage=two"]);
        stack.expectNoChanges();
    });

    it("drift: a file edited by hand and reloaded shows in the preview, a refresh records what the engine reports, and up puts the settings back", () => {
        fs.writeFileSync(d.configFile, '{\n  "icc": false,\n  "labels": ["stage=by-hand"],\n  "live-restore": true,\n  "log-opts": { "max-size": "10m" }\n}\n');
        process.kill(d.pid!, "SIGHUP");
        assert.ok(waitForLabels(["stage=by-hand"]), `labels after the hand edit: ${info().Labels}`);
        const preview = stack.pulumi(["preview", "--expect-no-changes", "--diff"], { allowFail: true });
        assert.notStrictEqual(preview.status, 0, `the preview found no drift:\n${preview.stdout}`);
        assert.match(preview.stdout, /second-daemon-settings/);
        // A refresh records what the engine reports (the preview lists the resource's inputs, not these outputs).
        stack.refresh();
        const state = JSON.parse(stack.pulumi(["stack", "export"], { timeoutMs: 60_000 }).stdout);
        const settings = state.deployment.resources.find((r: { urn: string }) => r.urn.endsWith("::second-daemon-settings"));
        assert.deepStrictEqual(settings.outputs.drift, [{ key: "labels", want: ["stage=two"], got: ["stage=by-hand"], restart: false }]);
        assert.deepStrictEqual(settings.outputs.settings.labels, ["stage=by-hand"]);
        stack.up();
        assert.deepStrictEqual(info().Labels, ["stage=two"]);
        assert.match(fs.readFileSync(d.configFile, "utf8"), /stage=two/);
        stack.expectNoChanges();
    });

    it("a configuration dockerd does not start with fails the update with dockerd's error; the previous file is back and dockerd runs", () => {
        setConfig({ liveRestore: true, labels: { stage: "two" }, icc: false, logOpts: { "max-size": "10m" }, storageDriver: "btrfs" });
        const r = stack.pulumi(["up", "--yes", "--skip-preview"], { allowFail: true });
        assert.notStrictEqual(r.status, 0);
        const out = r.stdout + r.stderr;
        assert.match(out, /did not come up with the new daemon\.json within 30 s; the previous file was put back \(dockerd is running again with the previous file\)/);
        assert.match(out, /btrfs/);
        assert.doesNotMatch(fs.readFileSync(d.configFile, "utf8"), /btrfs/);
        assert.deepStrictEqual(info().Labels, ["stage=two"]);
        setConfig({ liveRestore: true, labels: { stage: "two" }, icc: false, logOpts: { "max-size": "10m" } });
        stack.up();
        stack.expectNoChanges();
    });

    function waitForLabels(want: string[]): boolean {
        return waitFor(() => JSON.stringify(info().Labels) === JSON.stringify(want), 10_000, 250);
    }
});
