import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { applyDaemonScript, daemonApplyPlan, DaemonApplyOptions, DaemonConfig, EMPTY_FINGERPRINT, ForcedAction } from "../../components/daemon";
import { assertRefused as refused } from "../harness";

describe("daemon/apply: the plan", () => {
    it("tells the settings dockerd reloads from those that need a restart", () => {
        const reloadOnly = daemonApplyPlan({ liveRestore: true, labels: { zone: "a" }, registryMirrors: ["https://mirror.example"], maxConcurrentDownloads: 5, shutdownTimeout: 30, insecureRegistries: ["10.0.0.0/8"] });
        assert.strictEqual(reloadOnly.restartFingerprint, EMPTY_FINGERPRINT);
        assert.deepStrictEqual(reloadOnly.reloadableKeys, ["insecure-registries", "labels", "live-restore", "max-concurrent-downloads", "registry-mirrors", "shutdown-timeout"]);
        const icc = daemonApplyPlan({ icc: false, liveRestore: true });
        assert.notStrictEqual(icc.restartFingerprint, EMPTY_FINGERPRINT);
        assert.deepStrictEqual(icc.reloadableKeys, ["live-restore"]);
        // The fingerprint follows the restart settings only.
        assert.strictEqual(daemonApplyPlan({ icc: false, liveRestore: false }).restartFingerprint, icc.restartFingerprint);
        assert.notStrictEqual(daemonApplyPlan({ icc: true }).restartFingerprint, icc.restartFingerprint);
    });

    it("defaults to /etc/docker/daemon.json and systemd's docker unit, and keeps the text and findings of the converter", () => {
        const p = daemonApplyPlan({ metricsAddr: "0.0.0.0:9323" });
        assert.strictEqual(p.configFile, "/etc/docker/daemon.json");
        assert.deepStrictEqual(p.control, { kind: "systemd", unit: "docker" });
        assert.strictEqual(p.text, '{\n  "metrics-addr": "0.0.0.0:9323"\n}\n');
        assert.strictEqual(p.findings.length, 1);
        assert.strictEqual(p.findings[0].path, "daemon.config.metricsAddr");
        assert.strictEqual(p.sudo, false);
        assert.strictEqual(p.timeoutSeconds, 60);
    });

    it("refuses wrong options with their path and value, and the configuration's mistakes under config", () => {
        refused(() => daemonApplyPlan({ icc: "no" } as unknown as DaemonConfig, {}, "dockerHost.daemon"), "dockerHost.daemon.config.icc", "no");
        refused(() => daemonApplyPlan({}, { configFile: "daemon.json" }), "daemon.configFile", "daemon.json", /absolute/);
        refused(() => daemonApplyPlan({}, { control: { kind: "upstart" } as unknown as DaemonApplyOptions["control"] }), "daemon.control.kind", "upstart");
        refused(() => daemonApplyPlan({}, { control: { kind: "systemd", unit: "docker; reboot" } }), "daemon.control.unit", "docker; reboot");
        refused(() => daemonApplyPlan({}, { control: { kind: "process", pidFile: "run/d.pid", logFile: "/tmp/l", start: "dockerd &" } }), "daemon.control.pidFile", "run/d.pid");
        refused(() => daemonApplyPlan({}, { control: { kind: "process", pidFile: "/run/d.pid", logFile: "/tmp/l", start: " " } }), "daemon.control.start", " ");
        refused(() => daemonApplyPlan({}, { timeoutSeconds: 0 }), "daemon.timeoutSeconds", 0);
        refused(() => daemonApplyPlan({}, { socket: "/var/run/docker.sock" }), "daemon.socket", "/var/run/docker.sock");
    });

    it("runs the whole script under sudo -n when asked, the text still on stdin", () => {
        const s = applyDaemonScript(daemonApplyPlan({ icc: false }, { sudo: true }));
        assert.match(s, /^sudo -n env DOCKYARD_DAEMON_FORCE="\$\{DOCKYARD_DAEMON_FORCE:-none\}" sh -c '/);
        assert.match(s, /systemctl restart docker/);
    });
});

/**
 * The script itself, run by a real shell against a stand-in dockerd: a shell loop that writes
 * its pid file, logs "reloaded" on SIGHUP, exits on SIGTERM, refuses to start with a file naming
 * the storage driver "broken", and logs a reload error for the label value "reloadfail"; and a
 * stand-in `docker` that answers while that loop runs.
 */
describe("daemon/apply: the script on a stand-in dockerd", function () {
    this.timeout(60_000);
    let dir: string;
    let env: NodeJS.ProcessEnv;
    const file = () => path.join(dir, "etc", "daemon.json");
    const log = () => path.join(dir, "dockerd.log");
    const pidOf = () => fs.readFileSync(path.join(dir, "dockerd.pid"), "utf8").trim();
    const logText = () => fs.readFileSync(log(), "utf8");

    const options = (): DaemonApplyOptions => ({
        configFile: file(),
        timeoutSeconds: 2,
        control: { kind: "process", pidFile: path.join(dir, "dockerd.pid"), logFile: log(), start: `setsid sh ${path.join(dir, "fake-dockerd.sh")} >/dev/null 2>&1 </dev/null &` },
    });

    function apply(config: DaemonConfig, force: ForcedAction = "none"): { status: number; stdout: string; stderr: string } {
        const plan = daemonApplyPlan(config, options());
        const r = spawnSync("sh", ["-c", applyDaemonScript(plan)], { input: plan.text, env: { ...env, DOCKYARD_DAEMON_FORCE: force }, encoding: "utf8", timeout: 30_000 });
        return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    }

    function startFake(): void {
        spawnSync("sh", ["-c", `setsid sh ${path.join(dir, "fake-dockerd.sh")} >/dev/null 2>&1 </dev/null &`], { env });
        const until = Date.now() + 5000;
        while (!fs.existsSync(path.join(dir, "dockerd.pid")) && Date.now() < until) spawnSync("sleep", ["0.1"]);
    }

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-apply-"));
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "fake-dockerd.sh"), [
            `conf=${JSON.stringify(file())}; log=${JSON.stringify(log())}; pidfile=${JSON.stringify(path.join(dir, "dockerd.pid"))}`,
            `if grep -q '"broken"' "$conf" 2>/dev/null; then echo 'level=fatal msg="failed to start daemon: error initializing graphdriver: driver not supported: broken"' >> "$log"; exit 1; fi`,
            `echo $$ > "$pidfile"; echo "level=info msg=started" >> "$log"`,
            `trap 'if grep -q reloadfail "$conf"; then echo "level=error msg=\\"Error reconfiguring the daemon: bad label\\"" >> "$log"; else echo "level=info msg=reloaded" >> "$log"; fi' HUP`,
            `trap 'rm -f "$pidfile"; echo "level=info msg=stopped" >> "$log"; exit 0' TERM`,
            `while :; do sleep 0.1; done`,
        ].join("\n"));
        fs.writeFileSync(path.join(dir, "bin", "docker"), `#!/bin/sh\npid=$(cat ${JSON.stringify(path.join(dir, "dockerd.pid"))} 2>/dev/null) || exit 1\nkill -0 "$pid" 2>/dev/null || exit 1\necho fake\n`, { mode: 0o755 });
        env = { ...process.env, PATH: `${path.join(dir, "bin")}:${process.env.PATH}` };
        fs.writeFileSync(log(), "");
        startFake();
    });

    afterEach(() => {
        if (fs.existsSync(path.join(dir, "dockerd.pid"))) spawnSync("kill", ["-TERM", pidOf()]);
        spawnSync("sleep", ["0.3"]);
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("creates the file and reloads when it holds only reloadable settings; then does nothing while nothing changes", () => {
        const pid = pidOf();
        const r = apply({ labels: { zone: "a" } });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /reloaded/);
        assert.strictEqual(fs.readFileSync(file(), "utf8"), '{\n  "labels": [\n    "zone=a"\n  ]\n}\n');
        assert.strictEqual(pidOf(), pid, "a reload keeps the process");
        assert.match(logText(), /msg=reloaded/);
        const again = apply({ labels: { zone: "a" } });
        assert.strictEqual(again.status, 0, again.stderr);
        assert.match(again.stdout, /unchanged/);
        assert.strictEqual(logText().match(/reloaded/g)?.length, 1);
    });

    it("restarts for a setting that needs it and keeps the previous file", () => {
        assert.strictEqual(apply({ labels: { zone: "a" } }).status, 0);
        const pid = pidOf();
        const r = apply({ labels: { zone: "a" }, icc: false });
        assert.strictEqual(r.status, 0, r.stderr);
        assert.match(r.stdout, /restarted/);
        assert.notStrictEqual(pidOf(), pid);
        assert.match(fs.readFileSync(`${file()}.dockyard-previous`, "utf8"), /zone=a/);
        assert.doesNotMatch(fs.readFileSync(`${file()}.dockyard-previous`, "utf8"), /icc/);
        // A reloadable change alone reloads again.
        const pid2 = pidOf();
        const r2 = apply({ labels: { zone: "b" }, icc: false });
        assert.match(r2.stdout, /reloaded/);
        assert.strictEqual(pidOf(), pid2);
    });

    it("restarts when a reloadable setting is removed (a reload only sets what the file holds)", () => {
        assert.strictEqual(apply({ liveRestore: true, labels: { zone: "a" } }).status, 0);
        const pid = pidOf();
        const r = apply({ labels: { zone: "a" } });
        assert.match(r.stdout, /restarted/, r.stderr);
        assert.notStrictEqual(pidOf(), pid);
    });

    it("restarts or reloads an unchanged file when the read-back asks for it", () => {
        assert.strictEqual(apply({ icc: false }).status, 0);
        const pid = pidOf();
        assert.match(apply({ icc: false }, "reload").stdout, /reloaded/);
        assert.strictEqual(pidOf(), pid);
        assert.match(apply({ icc: false }, "restart").stdout, /restarted/);
        assert.notStrictEqual(pidOf(), pid);
    });

    it("puts the previous file back and fails with dockerd's own error when dockerd does not come up", () => {
        assert.strictEqual(apply({ icc: false }).status, 0);
        const before = fs.readFileSync(file(), "utf8");
        const r = apply({ icc: false, storageDriver: "broken" });
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /did not come up with the new daemon\.json within 2 s; the previous file was put back \(dockerd is running again with the previous file\)/);
        assert.match(r.stderr, /error initializing graphdriver: driver not supported: broken/);
        assert.strictEqual(fs.readFileSync(file(), "utf8"), before);
        assert.ok(fs.existsSync(path.join(dir, "dockerd.pid")), "dockerd runs again");
        // The state still describes the file in place: the same apply again changes nothing.
        assert.match(apply({ icc: false }).stdout, /unchanged/);
    });

    it("puts the previous file back when dockerd logs an error on reload", () => {
        assert.strictEqual(apply({ labels: { zone: "a" } }).status, 0);
        const r = apply({ labels: { zone: "reloadfail" } });
        assert.strictEqual(r.status, 1);
        assert.match(r.stderr, /did not take the new daemon\.json on reload; the previous file was put back/);
        assert.match(r.stderr, /Error reconfiguring the daemon: bad label/);
        assert.match(fs.readFileSync(file(), "utf8"), /zone=a/);
    });

    it("removes a file it created when dockerd does not come up with it", () => {
        const r = apply({ storageDriver: "broken" });
        assert.strictEqual(r.status, 1);
        assert.ok(!fs.existsSync(file()));
        assert.ok(fs.existsSync(path.join(dir, "dockerd.pid")));
    });
});
