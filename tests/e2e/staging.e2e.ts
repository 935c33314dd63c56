/**
 * The staging stack (WordPress, MySQL and monitoring as Swarm services), deployed for real on a
 * single-node swarm that SwarmCluster forms on the local engine, on loopback: services converge
 * with their replicas, secrets, update and restart configuration and limits; no perpetual diff; a
 * change; destroy. (Ingress-published ports are checked on the service, not by connecting: the
 * test machines' kernels have no IPVS, which the routing mesh needs.)
 */
import * as assert from "assert";
import { changedSteps, exec } from "./checks";
import { docker, exists, inspect, removeApps, Stack, SWARM_REMOVAL_PARALLELISM, swarmState, tearDown, waitFor } from "./engine";
import { ensureStandins } from "./images";
import { imagesOf, renderStack } from "./stacks";

const APPS = ["wordpress", "monitoring"];
const PASSWORD = "e2e-Swarm-S3cret";
const SECOND = 1_000_000_000;

/** Running tasks of a service, as `docker service ps` sees them. */
function runningTasks(service: string): number {
    return docker(["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.CurrentState}}"])
        .split("\n")
        .filter((s) => s.startsWith("Running")).length;
}

/** The container of one running task of a service. */
function taskContainer(service: string): string {
    const ids = docker(["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${service}`]).split("\n").filter(Boolean);
    assert.ok(ids.length > 0, `no running container of ${service}`);
    return ids[0];
}

describe("staging stack on a real single-node swarm", function () {
    let stack: Stack;
    let swarmBefore = "";

    before(function () {
        swarmBefore = swarmState();
        if (swarmBefore === "active") removeApps(APPS);
        ensureStandins(imagesOf(renderStack("staging")));
        stack = new Stack({ stack: "staging" });
        stack.setConfig("dbPassword", PASSWORD, true);
        stack.setConfig("wordpressPort", "18180");
        stack.setConfig("grafanaPort", "13100");
    });

    after(function () {
        tearDown(stack, APPS, swarmBefore);
    });

    it("pulumi up forms the swarm and creates the services", function () {
        stack.up();
        assert.strictEqual(swarmState(), "active");
        assert.strictEqual(docker(["info", "--format", "{{.Swarm.NodeAddr}}"]), "127.0.0.1");
    });

    it("services converge with their replicas", function () {
        const want: Record<string, number> = { wordpress_wordpress: 2, wordpress_db: 1, monitoring_prometheus: 1, monitoring_grafana: 1, monitoring_alertmanager: 1 };
        for (const [service, replicas] of Object.entries(want)) {
            assert.ok(waitFor(() => runningTasks(service) === replicas, 60_000), `${service}: ${runningTasks(service)} running tasks, want ${replicas}`);
        }
    });

    it("the password is a Swarm secret, mounted as a file with the right content and mode", function () {
        const spec = inspect("service", "wordpress_wordpress").Spec;
        const [secret] = spec.TaskTemplate.ContainerSpec.Secrets;
        assert.strictEqual(secret.File.Name, "/run/secrets/db_password");
        assert.strictEqual(secret.File.Mode, 0o444);
        assertLabelsOf(inspect("secret", secret.SecretID).Spec.Labels);
        for (const service of ["wordpress_wordpress", "wordpress_db"]) {
            assert.strictEqual(exec(taskContainer(service), "cat", "/run/secrets/db_password"), PASSWORD, service);
        }
        const env: string[] = spec.TaskTemplate.ContainerSpec.Env;
        assert.ok(!env.some((e) => e.includes(PASSWORD)), "the password is in the environment");
    });

    it("limits, reservations, restart and update configuration are the ones asked", function () {
        const wp = inspect("service", "wordpress_wordpress").Spec;
        assert.deepStrictEqual(wp.TaskTemplate.Resources.Limits, { NanoCPUs: SECOND / 2, MemoryBytes: 512 * 1024 * 1024 });
        assert.deepStrictEqual(wp.TaskTemplate.Resources.Reservations, { NanoCPUs: SECOND / 4, MemoryBytes: 256 * 1024 * 1024 });
        // Compose's defaults, which the engine would otherwise take as zero.
        assert.strictEqual(wp.TaskTemplate.ContainerSpec.StopGracePeriod, 10 * SECOND);
        assert.strictEqual(wp.TaskTemplate.RestartPolicy.Condition, "any");
        assert.strictEqual(wp.TaskTemplate.RestartPolicy.Delay, 5 * SECOND);
        assert.ok(wp.UpdateConfig, "no update configuration");
        assert.deepStrictEqual(wp.EndpointSpec.Ports.map((p: any) => [p.TargetPort, p.PublishedPort, p.PublishMode]), [[80, 18180, "ingress"]]);
        const db = inspect("service", "wordpress_db").Spec;
        assert.deepStrictEqual(db.TaskTemplate.Resources.Limits, { NanoCPUs: SECOND, MemoryBytes: 1024 * 1024 * 1024 });
    });

    it("services reach each other by name on the stack's overlay network", function () {
        const wp = taskContainer("wordpress_wordpress");
        // `db` resolves to the service's virtual IP; reaching it needs IPVS, which the test machines'
        // kernels lack, so the connection goes to the task itself (`tasks.db`) over the overlay.
        const vip = inspect("service", "wordpress_db").Endpoint.VirtualIPs.map((v: { Addr: string }) => v.Addr.split("/")[0]);
        assert.ok(vip.some((ip: string) => exec(wp, "nslookup", "db").includes(ip)), `db does not resolve to its virtual IP ${vip}`);
        assert.match(exec(wp, "timeout", "5", "wget", "-qO-", "http://tasks.db:3306/"), /dockyard stand-in/);
    });

    it("preview right after up shows no changes, and again after refresh", function () {
        stack.expectNoChanges();
        stack.refresh();
        stack.expectNoChanges();
    });

    it("a changed replica count shows as that change only, and up applies it", function () {
        stack.setConfig("wordpressReplicas", "3");
        const steps = changedSteps(stack.pulumi(["preview", "--json"]));
        assert.deepStrictEqual(steps, [["update", "wordpress-wordpress"]]);
        stack.up();
        assert.ok(waitFor(() => runningTasks("wordpress_wordpress") === 3, 60_000), "3 replicas did not run");
        stack.expectNoChanges();
    });

    it("destroy removes the services, networks and secrets, and keeps the volumes", function () {
        stack.destroy({ parallel: SWARM_REMOVAL_PARALLELISM });
        for (const s of ["wordpress_wordpress", "wordpress_db", "monitoring_prometheus"]) assert.ok(!exists("service", s), `${s} is still there`);
        assert.ok(waitFor(() => !exists("network", "wordpress_default"), 30_000), "network wordpress_default is still there");
        assert.strictEqual(docker(["secret", "ls", "-q", "--filter", "label=dev.dockyard.app=wordpress"]), "");
        assert.ok(exists("volume", "wordpress_db_data"), "the database volume was removed");
    });
});

function assertLabelsOf(labels: Record<string, string>): void {
    assert.strictEqual(labels["com.docker.stack.namespace"], "wordpress");
    assert.strictEqual(labels["dev.dockyard.managed-by"], "dockyard");
}
