/**
 * Compose applications through `App.fromCompose`, for real, on a Docker host and on a Swarm: a
 * Compose file of our own that uses every key both targets map (tests/e2e/compose/compose.yaml),
 * checked on the engine, and a handful of the corpus applications, deployed in two waves (the
 * second replaces the first). Each: up, no perpetual diff, destroy.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCompose } from "../../components/compose";
import { REPO_ROOT, SHARED_DIR } from "../harness";
import { envOf, exec } from "./checks";
import { docker, exists, inspect, removeApps, Stack, SWARM_REMOVAL_PARALLELISM, swarmState, tearDown, waitFor } from "./engine";
import { withStandIns } from "../corpus/apps";
import { ensureStandins } from "./images";

const KITCHEN = path.join(REPO_ROOT, "tests", "e2e", "compose", "compose.yaml");
/** What only a Docker host maps; deployed beside KITCHEN there. */
const SOLO = path.join(REPO_ROOT, "tests", "e2e", "compose", "docker-only.yaml");
const CORPUS = path.join(SHARED_DIR, "corpus", "awesome-compose");
/** Two waves of corpus apps whose published ports do not collide within a wave. */
const WAVES = [
    ["wordpress-mysql", "gitea-postgres", "postgresql-pgadmin"],
    ["nextcloud-redis-mariadb", "prometheus-grafana"],
];
const SECOND = 1_000_000_000;
/** The volume the Docker-host run finds already there, as a `docker compose` project leaves it. */
const ADOPTED = "kitchen_data";

/** The program of the throw-away project: the apps named in config, on the stack's runtime. */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { App, DockerHost, SwarmCluster } from "./components";

const runtime = new pulumi.Config("dockyard").require("runtime");
const apps = new pulumi.Config("e2e").requireObject<Array<{ name: string; file: string }>>("apps");
const target = runtime === "swarm" ? SwarmCluster.singleNode("swarm").target : new DockerHost("host").target;
export const endpoints = Object.fromEntries(apps.map((a) => [a.name, App.fromCompose(a.name, { files: [a.file], target }).endpoints]));
`;

function appsConfig(apps: Array<{ name: string; file: string }>): string {
    return JSON.stringify(apps);
}

/**
 * The apps of a wave, each from a copy (tests/corpus/apps.ts `withStandIns`) with a stand-in for
 * every project file the corpus lacks: `docker stack deploy` refuses a bind whose source does not
 * exist, and on a Docker host the engine would create the missing folder, which must not land in
 * the shared corpus. The copies are added to `copies` for the suite to remove.
 */
function corpusWave(i: number, copies: string[]): Array<{ name: string; file: string }> {
    return WAVES[i].map((name) => {
        const file = path.join(CORPUS, name, "compose.yaml");
        const made = withStandIns(path.dirname(file), file, loadCompose([file], { onWarning: () => undefined }), copies);
        // The project keeps its folder's name (Compose names the project, and the app's labels, after it).
        const home = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-corpus-"));
        fs.renameSync(path.dirname(made), path.join(home, name));
        copies[copies.length - 1] = home;
        return { name, file: path.join(home, name, path.basename(made)) };
    });
}

function imagesOfCompose(files: string[]): string[] {
    return files.flatMap((f) => Object.values(loadCompose([f], { onWarning: () => undefined }).services).map((s) => s.image!).filter(Boolean));
}

const corpusAvailable = (() => {
    try {
        return WAVES.flat().every((n) => fs.existsSync(path.join(CORPUS, n, "compose.yaml")));
    } catch {
        return false;
    }
})();

for (const runtime of ["docker", "swarm"] as const) {
    describe(`Compose applications on a real ${runtime === "docker" ? "Docker host" : "single-node swarm"}`, function () {
        let stack: Stack;
        let swarmBefore = "";
        const copies: string[] = [];
        const swarm = runtime === "swarm";
        const allApps = ["kitchen", "solo", ...WAVES.flat()];
        const own = [{ name: "kitchen", file: KITCHEN }, ...(swarm ? [] : [{ name: "solo", file: SOLO }])];

        before(function () {
            swarmBefore = swarmState();
            removeApps(allApps);
            // docker-only.yaml's platform: this machine's architecture, as Docker names it.
            process.env.E2E_ARCH = ({ x64: "amd64", arm64: "arm64" } as Record<string, string>)[process.arch] ?? process.arch;
            ensureStandins(imagesOfCompose([...own.map((a) => a.file), ...(corpusAvailable ? WAVES.flat().map((n) => path.join(CORPUS, n, "compose.yaml")) : [])]));
            if (!swarm) {
                // A volume a `docker compose` project left behind: its name is the one dockyard gives
                // (kitchen_data), its labels Compose's, and it holds data, which must survive the move.
                docker(["volume", "rm", "-f", ADOPTED], { allowFail: true });
                docker(["volume", "create", "--label", "com.docker.compose.project=kitchen", "--label", "com.docker.compose.volume=data", ADOPTED]);
                docker(["run", "--rm", "-v", `${ADOPTED}:/data`, "--entrypoint", "sh", "e2e/tool:1", "-c", "echo kept > /data/compose-era"]);
            }
            stack = new Stack({ stack: `compose-${runtime}`, program: PROGRAM });
            stack.setConfig("dockyard:runtime", runtime);
            stack.setConfig("e2e:apps", appsConfig(own));
        });

        after(function () {
            tearDown(stack, allApps, swarmBefore);
            for (const c of copies.splice(0)) fs.rmSync(c, { recursive: true, force: true });
            // Adopted volumes keep Compose's labels, so the label-based cleanup does not see them: by name.
            if (!swarm) docker(["volume", "rm", "-f", ADOPTED], { allowFail: true });
        });

        it("deploys the Compose file that uses every mapped key", function () {
            stack.up();
        });

        if (runtime === "docker") {
            it("the containers are configured as the Compose file says", function () {
                const api = inspect("container", "kitchen-api-1");
                assert.ok(api.State.Running, `kitchen-api-1 is ${api.State.Status}`);
                assert.ok(exists("container", "kitchen-api-2"), "the second replica is missing");
                assert.deepStrictEqual(api.Config.Entrypoint, ["/standin"]);
                assert.deepStrictEqual(api.Config.Cmd, ["serve", "--port", "8080"]);
                assert.strictEqual(api.Config.WorkingDir, "/srv");
                assert.strictEqual(api.Config.User, "0:0");
                assert.strictEqual(api.Config.Hostname, "api-host");
                assert.strictEqual(api.Config.Labels["e2e.role"], "api");
                const env = envOf(api);
                assert.strictEqual(env.MODE, "production");
                assert.strictEqual(env.GREETING, "hello world");
                assert.strictEqual(env.FROM_ENV_FILE, "yes");
                const hc = api.HostConfig;
                assert.strictEqual(hc.RestartPolicy.Name, "on-failure"); // deploy.restart_policy wins over restart
                assert.strictEqual(hc.RestartPolicy.MaximumRetryCount, 5);
                assert.strictEqual(hc.NanoCpus, SECOND / 2);
                assert.strictEqual(hc.Memory, 256 * 1024 * 1024);
                assert.strictEqual(hc.MemoryReservation, 64 * 1024 * 1024);
                assert.strictEqual(hc.Init, true);
                assert.deepStrictEqual(hc.CapAdd, ["CAP_NET_ADMIN"]);
                assert.deepStrictEqual(hc.CapDrop, ["CAP_MKNOD"]);
                assert.strictEqual(hc.Sysctls["net.core.somaxconn"], "1024");
                assert.deepStrictEqual(hc.Ulimits, [{ Name: "nofile", Soft: 1024, Hard: 2048 }]);
                assert.deepStrictEqual(hc.ExtraHosts, ["upstream.example:127.0.0.2"]);
                assert.deepStrictEqual(hc.Dns, ["127.0.0.11"]);
                assert.deepStrictEqual(hc.DnsSearch, ["example.internal"]);
                assert.deepStrictEqual(hc.LogConfig, { Type: "json-file", Config: { "max-size": "10m", "max-file": "3" } });
                assert.strictEqual(api.Config.StopSignal, "SIGINT");
                assert.strictEqual(api.Config.StopTimeout, 90);
                assert.strictEqual(hc.PortBindings["8080/tcp"][0].HostIp, "127.0.0.1");
                assert.strictEqual(hc.PortBindings["8081/udp"][0].HostIp, "127.0.0.1");
                assert.ok(api.Config.Healthcheck.Test.includes("curl"), JSON.stringify(api.Config.Healthcheck));
                assert.strictEqual(api.Config.Healthcheck.Interval, 2 * SECOND);
                // Files: the secret twice (default target and long form), the config with its mode.
                assert.strictEqual(exec("kitchen-api-1", "cat", "/run/secrets/token"), "s3cr3t-token");
                assert.strictEqual(exec("kitchen-api-1", "stat", "-c", "%a", "/etc/api/token"), "400");
                assert.match(exec("kitchen-api-1", "cat", "/etc/api/settings.ini"), /level = info/);
                assert.strictEqual(exec("kitchen-api-1", "stat", "-c", "%a", "/etc/api/settings.ini"), "444");
                // Mounts: named volume, read-only volume, tmpfs with size and mode.
                const mounts = Object.fromEntries((api.Mounts as Array<{ Destination: string; Type: string; RW: boolean; Name?: string }>).map((m) => [m.Destination, m]));
                assert.strictEqual(mounts["/var/lib/api"].Name, "kitchen_data");
                assert.strictEqual(mounts["/cache"].RW, false);
                assert.match(exec("kitchen-api-1", "sh", "-c", "grep ' /scratch ' /proc/mounts"), /tmpfs.*size=16384k.*mode=1?770/);
                assert.match(exec("kitchen-api-1", "sh", "-c", "grep ' /run/api ' /proc/mounts"), /tmpfs.*size=8192k/);
                // Networks: the alias on front, both networks attached, back internal.
                const nets = api.NetworkSettings.Networks;
                assert.ok(nets["kitchen_front"].Aliases.includes("gateway"), JSON.stringify(nets["kitchen_front"].Aliases));
                assert.ok(nets["kitchen_back"], "not on kitchen_back");
                assert.strictEqual(inspect("network", "kitchen_back").Internal, true);
                assert.strictEqual(inspect("network", "kitchen_front").Labels["e2e.net"], "front");
                assert.strictEqual(inspect("volume", "kitchen_cache").Labels["e2e.volume"], "cache");
                // The adopted volume keeps the labels Compose gave it (the engine cannot relabel a volume).
                assert.strictEqual(inspect("volume", "kitchen_data").Labels["com.docker.compose.project"], "kitchen");
                // The read-only cache and its secret; the one-shot migration ran and exited 0.
                const cache = inspect("container", "kitchen-cache-1");
                assert.strictEqual(cache.HostConfig.ReadonlyRootfs, true);
                assert.strictEqual(exec("kitchen-cache-1", "cat", "/run/secrets/token"), "s3cr3t-token");
                const migrate = inspect("container", "kitchen-migrate-1");
                assert.strictEqual(migrate.State.Status, "exited");
                assert.strictEqual(migrate.State.ExitCode, 0);
                assert.strictEqual(exec("kitchen-api-1", "cat", "/var/lib/api/migrated"), "migrated");
                // The volume docker compose had created was adopted, data and all, not recreated.
                assert.strictEqual(exec("kitchen-api-1", "cat", "/var/lib/api/compose-era"), "kept");

                // docker-only.yaml: shared namespaces, a whole CPU, an IPv6 host, secrets in a read-only container.
                const main = inspect("container", "solo-main-1");
                const sidecar = inspect("container", "solo-sidecar-1").HostConfig;
                for (const mode of [sidecar.NetworkMode, sidecar.PidMode, sidecar.IpcMode]) assert.strictEqual(mode, `container:${main.Id}`);
                assert.strictEqual(main.HostConfig.NanoCpus, SECOND);
                assert.ok(main.HostConfig.ExtraHosts.includes("v6host:::1"), JSON.stringify(main.HostConfig.ExtraHosts));
                assert.strictEqual(inspect("container", "solo-locked-1").HostConfig.ReadonlyRootfs, true);
                assert.strictEqual(exec("solo-locked-1", "cat", "/run/secrets/key"), "s3cr3t-token");
            });
        } else {
            it("the services are configured as the Compose file says", function () {
                const api = inspect("service", "kitchen_api").Spec;
                const task = api.TaskTemplate;
                const cs = task.ContainerSpec;
                assert.strictEqual(api.Mode.Replicated.Replicas, 2);
                assert.ok(waitFor(() => docker(["service", "ps", "kitchen_api", "--filter", "desired-state=running", "--format", "{{.CurrentState}}"]).split("\n").filter((s) => s.startsWith("Running")).length === 2, 60_000), "2 replicas did not run");
                assert.deepStrictEqual(cs.Command, ["/standin"]);
                assert.deepStrictEqual(cs.Args, ["serve", "--port", "8080"]);
                assert.strictEqual(cs.Dir, "/srv");
                assert.strictEqual(cs.Hostname, "api-host");
                assert.strictEqual(cs.StopSignal, "SIGINT");
                assert.strictEqual(cs.StopGracePeriod, 90 * SECOND);
                assert.strictEqual(cs.Init, true);
                assert.ok(cs.Env.includes("FROM_ENV_FILE=yes"), JSON.stringify(cs.Env));
                assert.strictEqual(api.Labels["e2e.deploy"], "yes");
                assert.deepStrictEqual(task.Resources.Limits, { NanoCPUs: SECOND / 2, MemoryBytes: 256 * 1024 * 1024 });
                assert.deepStrictEqual(task.Resources.Reservations, { NanoCPUs: SECOND / 4, MemoryBytes: 64 * 1024 * 1024 });
                assert.deepStrictEqual(task.RestartPolicy, { Condition: "on-failure", Delay: 3 * SECOND, MaxAttempts: 5, Window: 60 * SECOND });
                assert.deepStrictEqual(task.Placement.Constraints, ["node.role == manager"]);
                assert.deepStrictEqual(task.Placement.Preferences, [{ Spread: { SpreadDescriptor: "node.labels.zone" } }]);
                assert.strictEqual(api.UpdateConfig.Parallelism, 1);
                assert.strictEqual(api.UpdateConfig.Delay, 2 * SECOND);
                assert.strictEqual(api.UpdateConfig.Order, "start-first");
                assert.strictEqual(api.UpdateConfig.FailureAction, "rollback");
                assert.strictEqual(api.UpdateConfig.Monitor, 10 * SECOND);
                assert.strictEqual(api.UpdateConfig.MaxFailureRatio, 0.5);
                assert.strictEqual(api.RollbackConfig.Parallelism, 2);
                assert.strictEqual(api.RollbackConfig.Order, "stop-first");
                assert.strictEqual(inspect("service", "kitchen_cache").Spec.Mode.Global !== undefined, true);
                const secrets = (cs.Secrets as Array<{ File: { Name: string; Mode: number } }>).map((s) => [s.File.Name, s.File.Mode]);
                assert.deepStrictEqual(secrets.sort(), [["/etc/api/token", 0o400], ["/run/secrets/token", 0o444]]);
                assert.deepStrictEqual((cs.Configs as Array<{ File: { Name: string; Mode: number } }>).map((c) => [c.File.Name, c.File.Mode]), [["/etc/api/settings.ini", 0o444]]);
                const container = docker(["ps", "-q", "--filter", "label=com.docker.swarm.service.name=kitchen_api"]).split("\n")[0];
                assert.strictEqual(exec(container, "cat", "/run/secrets/token"), "s3cr3t-token");
                assert.match(exec(container, "cat", "/etc/api/settings.ini"), /level = info/);
                assert.strictEqual(inspect("network", "kitchen_back").Internal, true);
            });

            it("runs the one-shot service once: its task completes and is never restarted", function () {
                const migrate = inspect("service", "kitchen_migrate").Spec;
                assert.strictEqual(migrate.TaskTemplate.RestartPolicy.Condition, "none");
                const states = () => docker(["service", "ps", "kitchen_migrate", "--format", "{{.CurrentState}}"]).split("\n").filter(Boolean);
                assert.ok(waitFor(() => states().some((s) => s.startsWith("Complete")), 60_000), `the migration did not complete: ${states().join("; ")}`);
                assert.strictEqual(states().length, 1, `one task, never restarted: ${states().join("; ")}`);
                const container = docker(["ps", "-q", "--filter", "label=com.docker.swarm.service.name=kitchen_api"]).split("\n")[0];
                const migrated = () => {
                    try {
                        return exec(container, "cat", "/var/lib/api/migrated") === "migrated";
                    } catch {
                        return false;
                    }
                };
                assert.ok(waitFor(migrated, 30_000), "the api does not see the migration's file");
            });
        }

        it("previews no changes after up, and after refresh", function () {
            stack.expectNoChanges();
            stack.refresh();
            stack.expectNoChanges();
        });

        for (const [i, wave] of WAVES.entries()) {
            it(`deploys corpus applications ${wave.join(", ")} in place of the previous ones, with no changes afterwards`, function () {
                if (!corpusAvailable) this.skip();
                // The previous apps go first: Pulumi deletes what a program dropped only after it
                // created what it added, and the waves publish the same host ports.
                stack.setConfig("e2e:apps", "[]");
                stack.up({ parallel: swarm ? SWARM_REMOVAL_PARALLELISM : undefined });
                stack.setConfig("e2e:apps", appsConfig(corpusWave(i, copies)));
                stack.up();
                for (const app of wave) {
                    const labelled = swarm
                        ? docker(["service", "ls", "-q", "--filter", `label=dev.dockyard.app=${app}`])
                        : docker(["ps", "-q", "--filter", `label=dev.dockyard.app=${app}`]);
                    assert.ok(labelled.length > 0, `${app}: nothing runs`);
                }
                for (const gone of i ? WAVES[i - 1] : own.map((a) => a.name)) {
                    assert.strictEqual(docker(["ps", "-aq", "--filter", `label=dev.dockyard.app=${gone}`]), "", `${gone} was not removed`);
                }
                stack.expectNoChanges();
            });
        }

        it("destroy removes every container, service and network", function () {
            stack.destroy({ parallel: swarm ? SWARM_REMOVAL_PARALLELISM : undefined });
            for (const app of allApps) {
                assert.strictEqual(docker(["ps", "-aq", "--filter", `label=dev.dockyard.app=${app}`]), "", `${app} left containers`);
                assert.strictEqual(docker(["network", "ls", "-q", "--filter", `label=dev.dockyard.app=${app}`]), "", `${app} left networks`);
            }
        });
    });
}
