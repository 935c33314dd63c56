/**
 * The dev stack (WordPress, MySQL, monitoring and Portainer on one Docker host), deployed for real
 * with the README's program: `pulumi up`, then checks on the engine, no perpetual diff, a change,
 * a failure and its recovery, destroy.
 */
import * as assert from "assert";
import type { Server } from "net";
import { assertLabels, changedSteps, envOf, eventuallyAnswers, exec, holdPort, tcpOpen } from "./checks";
import { docker, exists, inspect, removeApps, Stack, swarmState, tearDown } from "./engine";
import { ensureStandins } from "./images";
import { imagesOf, renderStack } from "./stacks";

const APPS = ["wordpress", "monitoring", "portainer"];
const PASSWORD = "e2e-S3cret-pw";
const DB_IMAGE_CHANGED = "mysql:8.4.5";
const PORT = { wordpress: 18080, changed: 18081, taken: 18082, grafana: 13000, prometheus: 19090, portainer: 19443 };

describe("dev stack on a real Docker engine", function () {
    let stack: Stack;
    let swarmBefore = "";

    before(function () {
        swarmBefore = swarmState();
        removeApps(APPS);
        ensureStandins([...imagesOf(renderStack("dev")), DB_IMAGE_CHANGED]);
        stack = new Stack({ stack: "dev" });
        stack.setConfig("dbPassword", PASSWORD, true);
        // Ports of our own (the committed ones may be in use on a developer's machine), and limits
        // so that they can be checked.
        stack.setConfig("wordpressPort", String(PORT.wordpress));
        stack.setConfig("grafanaPort", String(PORT.grafana));
        stack.setConfig("prometheusPort", String(PORT.prometheus));
        stack.setConfig("portainerPort", String(PORT.portainer));
        stack.setConfig("wordpressCpus", "0.5");
        stack.setConfig("wordpressMemory", "512m");
    });

    after(function () {
        tearDown(stack, APPS, swarmBefore);
    });

    it("pulumi up creates the environment", function () {
        stack.up();
    });

    it("every long-running container runs, with restart policy always/unless-stopped as asked", function () {
        for (const name of ["wordpress-wordpress-1", "wordpress-db-1", "portainer-portainer-1", "monitoring-prometheus-1", "monitoring-grafana-1", "monitoring-alertmanager-1"]) {
            const c = inspect("container", name);
            assert.ok(c.State.Running, `${name} is ${c.State.Status}`);
        }
        assert.strictEqual(inspect("container", "wordpress-wordpress-1").HostConfig.RestartPolicy.Name, "always");
        assert.strictEqual(inspect("container", "wordpress-db-1").HostConfig.RestartPolicy.Name, "always");
    });

    it("published ports answer on loopback", async function () {
        assert.match(await eventuallyAnswers(PORT.wordpress), /dockyard stand-in/);
        await eventuallyAnswers(PORT.grafana);
        await eventuallyAnswers(PORT.prometheus);
        assert.ok(await tcpOpen(PORT.portainer), `portainer's ${PORT.portainer} is closed`);
        const outputs = stack.outputs();
        assert.strictEqual(outputs.wordpressUrl, `http://localhost:${PORT.wordpress}`);
    });

    it("the password reaches both containers as a file, with the right content and mode, never in the environment", function () {
        for (const name of ["wordpress-wordpress-1", "wordpress-db-1"]) {
            assert.strictEqual(exec(name, "cat", "/run/secrets/db_password"), PASSWORD, `${name}: content`);
            assert.strictEqual(exec(name, "stat", "-c", "%a", "/run/secrets/db_password"), "444", `${name}: mode`);
            const env = envOf(inspect("container", name));
            assert.ok(!Object.values(env).some((v) => v.includes(PASSWORD)), `${name}: the password is in the environment`);
        }
        const wp = envOf(inspect("container", "wordpress-wordpress-1"));
        assert.strictEqual(wp.WORDPRESS_DB_PASSWORD_FILE, "/run/secrets/db_password");
        assert.strictEqual(wp.WORDPRESS_DB_HOST, "db");
        assert.strictEqual(envOf(inspect("container", "wordpress-db-1")).MYSQL_PASSWORD_FILE, "/run/secrets/db_password");
    });

    it("memory and CPU limits are the ones asked", function () {
        const hc = inspect("container", "wordpress-wordpress-1").HostConfig;
        assert.strictEqual(hc.NanoCpus, 500_000_000);
        assert.strictEqual(hc.Memory, 512 * 1024 * 1024);
    });

    it("WordPress started only after MySQL became healthy (depends_on: service_healthy)", function () {
        const db = inspect("container", "wordpress-db-1");
        assert.strictEqual(db.State.Health?.Status, "healthy");
        const firstHealthy = (db.State.Health.Log as Array<{ ExitCode: number; End: string }>).find((l) => l.ExitCode === 0);
        assert.ok(firstHealthy, "no successful health check in the log");
        const wpStarted = Date.parse(inspect("container", "wordpress-wordpress-1").State.StartedAt);
        assert.ok(wpStarted >= Date.parse(firstHealthy.End), `wordpress started at ${new Date(wpStarted).toISOString()}, before db was healthy at ${firstHealthy.End}`);
    });

    it("service names resolve between containers on the application's network", function () {
        // The MySQL stand-in answers HTTP on 3306: resolving `db` and reaching it in one step.
        assert.match(exec("wordpress-wordpress-1", "timeout", "5", "wget", "-qO-", "http://db:3306/"), /dockyard stand-in/);
        assert.match(exec("monitoring-prometheus-1", "timeout", "5", "wget", "-qO-", "http://alertmanager:9093/"), /dockyard stand-in/);
    });

    it("containers, networks and volumes carry dockyard's labels", function () {
        const expected = { "dev.dockyard.app": "wordpress", "dev.dockyard.managed-by": "dockyard" };
        assertLabels(inspect("container", "wordpress-db-1").Config.Labels, { ...expected, "dev.dockyard.service": "db" }, "container wordpress-db-1");
        assertLabels(inspect("network", "wordpress_default").Labels, expected, "network wordpress_default");
        assertLabels(inspect("volume", "wordpress_db_data").Labels, expected, "volume wordpress_db_data");
    });

    it("preview right after up shows no changes, and again after refresh", function () {
        stack.expectNoChanges();
        stack.refresh();
        stack.expectNoChanges();
    });

    it("a changed port shows as that change only, and up applies it", async function () {
        stack.setConfig("wordpressPort", String(PORT.changed));
        const steps = changedSteps(stack.pulumi(["preview", "--json"]));
        assert.deepStrictEqual(steps.map(([, n]) => n), ["wordpress-wordpress-1"], JSON.stringify(steps));
        stack.up();
        assert.match(await eventuallyAnswers(PORT.changed), /dockyard stand-in/);
        assert.ok(!(await tcpOpen(PORT.wordpress)), `${PORT.wordpress} still answers`);
        stack.expectNoChanges();
    });

    it("the database volume survives a replacement of its container", function () {
        const before = inspect("container", "wordpress-db-1").Id;
        exec("wordpress-db-1", "sh", "-c", "echo kept > /var/lib/mysql/e2e-marker");
        stack.setConfig("dbImage", DB_IMAGE_CHANGED);
        stack.up();
        const after = inspect("container", "wordpress-db-1");
        assert.notStrictEqual(after.Id, before, "the container was not replaced");
        assert.strictEqual(after.Image, inspect("image", DB_IMAGE_CHANGED).Id, `runs ${after.Config.Image}, not ${DB_IMAGE_CHANGED}`);
        assert.strictEqual(exec("wordpress-db-1", "cat", "/var/lib/mysql/e2e-marker"), "kept");
        stack.expectNoChanges();
    });

    it("a host port already taken fails up with the engine's error; once freed, up converges with no stray container", async function () {
        let holder: Server | undefined = await holdPort(PORT.taken);
        try {
            stack.setConfig("wordpressPort", String(PORT.taken));
            const failed = stack.up({ allowFail: true });
            assert.notStrictEqual(failed.status, 0, "up succeeded on a taken port");
            assert.match(failed.stdout + failed.stderr, /address already in use|port is already allocated/);
        } finally {
            await new Promise((r) => holder!.close(r));
            holder = undefined;
        }
        stack.up();
        assert.match(await eventuallyAnswers(PORT.taken), /dockyard stand-in/);
        const wordpressContainers = docker(["ps", "-a", "--filter", "label=dev.dockyard.app=wordpress", "--filter", "label=dev.dockyard.service=wordpress", "--format", "{{.Names}}"]).split("\n").filter(Boolean);
        assert.deepStrictEqual(wordpressContainers, ["wordpress-wordpress-1"]);
        stack.expectNoChanges();
    });

    it("destroy removes everything but the volumes kept by design", function () {
        stack.destroy();
        for (const c of ["wordpress-wordpress-1", "wordpress-db-1", "portainer-portainer-1", "monitoring-prometheus-1"]) {
            assert.ok(!exists("container", c), `${c} is still there`);
        }
        assert.ok(!exists("network", "wordpress_default"), "network wordpress_default is still there");
        assert.ok(exists("volume", "wordpress_db_data"), "the database volume was removed");
    });
});
