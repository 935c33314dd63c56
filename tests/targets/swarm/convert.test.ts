import * as assert from "assert";
import { AppInput, ServiceInput } from "../../../components/spec/input";
import { defineApp } from "../../../components/spec/normalize";
import { AppSpec, ServiceSpec } from "../../../components/spec/types";
import { toEndpointSpec } from "../../../components/targets/swarm/endpoint";
import { toHealthcheck } from "../../../components/targets/swarm/healthcheck";
import { tmpfsMode, toMounts } from "../../../components/targets/swarm/mounts";
import { networkResourceOptions, toNetworkArgs, toVolumeArgs } from "../../../components/targets/swarm/objects";
import { nanoCpus, toResources } from "../../../components/targets/swarm/resources";
import { toRestartPolicy } from "../../../components/targets/swarm/restart";
import { capabilityName, toPlacement, toServiceArgs, toServiceMode } from "../../../components/targets/swarm/service";
import { swarmFindings } from "../../../components/targets/swarm/support";
import { failureRatio, toUpdateConfig } from "../../../components/targets/swarm/update";
import { assertSpecError } from "../../harness";

const app = (services: Record<string, ServiceInput>, rest: Partial<AppInput> = {}) => defineApp({ name: "shop", services, ...rest }, { projectDir: "/srv/shop" });
const one = (service: ServiceInput, rest: Partial<AppInput> = {}) => {
    const spec = app({ web: service }, rest);
    return { spec, s: spec.services.web };
};
const withSpec = (s: ServiceSpec, patch: Record<string, unknown>) => ({ ...s, ...patch }) as ServiceSpec;
const refs = { networkIds: { default: "net-default-id", front: "net-front-id" }, secrets: { db_pw: { id: "sec-id", name: "sec-name" } }, configs: { nginx: { id: "cfg-id", name: "cfg-name" } } };

describe("targets/swarm/convert", () => {
    describe("mode and placement", () => {
        it("maps replicated mode with its replica count, and global mode", () => {
            assert.deepStrictEqual(toServiceMode(one({ image: "x", deploy: { replicas: 3 } }).s), { replicated: { replicas: 3 } });
            assert.deepStrictEqual(toServiceMode(one({ image: "x" }).s), { replicated: { replicas: 1 } });
            assert.deepStrictEqual(toServiceMode(one({ image: "x", deploy: { mode: "global" } }).s), { global: true });
        });

        it("maps platform to a placement platform (an architecture-less one matches any)", () => {
            assert.deepStrictEqual(toPlacement(one({ image: "x", platform: "linux/arm64/v8", deploy: { placement: { constraints: ["node.role==worker"] } } }).s), {
                platforms: [{ os: "linux", architecture: "arm64" }],
                constraints: ["node.role==worker"],
            });
            assert.deepStrictEqual(toPlacement(one({ image: "x", platform: "windows" }).s), { platforms: [{ os: "windows", architecture: "" }] });
        });

        it("maps constraints, spread preferences and max replicas per node", () => {
            const { s } = one({ image: "x", deploy: { placement: { constraints: ["node.role==worker"], preferences: [{ spread: "node.labels.zone" }], maxReplicasPerNode: 2 } } });
            assert.deepStrictEqual(toPlacement(s), { constraints: ["node.role==worker"], prefs: ["node.labels.zone"], maxReplicas: 2 });
            assert.strictEqual(toPlacement(one({ image: "x" }).s), undefined);
        });

        it("sends a spread preference as the bare descriptor, which the provider makes the SpreadDescriptor as it is", () => {
            const { s } = one({ image: "x", deploy: { placement: { preferences: [{ spread: "node.labels.zone" }, { spread: "node.labels.rack" }] } } });
            assert.deepStrictEqual(toPlacement(s)?.prefs, ["node.labels.zone", "node.labels.rack"], 'not "spread=node.labels.zone", a label no node has');
        });
    });

    describe("resources", () => {
        it("converts CPUs to nano-CPUs and keeps bytes", () => {
            assert.strictEqual(nanoCpus(0.5), 500000000);
            assert.strictEqual(nanoCpus(1.5), 1500000000);
            const { s } = one({ image: "x", deploy: { resources: { limits: { cpus: "0.5", memory: "64m" }, reservations: { cpus: 0.25, memory: "32m" } } } });
            assert.deepStrictEqual(toResources(s.resources), {
                limits: { nanoCpus: 500000000, memoryBytes: 67108864 },
                reservation: { nanoCpus: 250000000, memoryBytes: 33554432 },
            });
        });

        it("omits what is not set", () => {
            assert.strictEqual(toResources(one({ image: "x" }).s.resources), undefined);
            assert.deepStrictEqual(toResources(one({ image: "x", memLimit: "1g" }).s.resources), { limits: { memoryBytes: 1073741824 } });
        });
    });

    describe("restart policy", () => {
        const rp = (service: ServiceInput) => {
            const { spec, s } = one({ image: "x", ...service });
            return toRestartPolicy(spec, s, "services.web");
        };

        it("takes deploy.restart_policy first, with durations as the provider reads them back", () => {
            assert.deepStrictEqual(rp({ restart: "always", deploy: { restartPolicy: { condition: "on-failure", delay: "2s", maxAttempts: 3, window: "1m" } } }), {
                condition: "on-failure", delay: "2s", maxAttempts: 3, window: "1m",
            });
            assert.deepStrictEqual(rp({ deploy: { restartPolicy: { delay: "90s", window: "1h" } } }), { condition: "any", delay: "1m30s", window: "1h" });
        });

        it("sends Compose's 5s back-off when no delay is written (the provider would send 0) and the 0s window it reads back", () => {
            assert.deepStrictEqual(rp({ deploy: { restartPolicy: {} } }), { condition: "any", delay: "5s", window: "0s" });
            assert.deepStrictEqual(rp({ deploy: { restartPolicy: { condition: "on-failure", maxAttempts: 3 } } }), { condition: "on-failure", delay: "5s", maxAttempts: 3, window: "0s" });
            assert.deepStrictEqual(rp({ deploy: { restartPolicy: { delay: "0s" } } }), { condition: "any", delay: "0s", window: "0s" }, "an explicit 0s stays");
        });

        it("translates the service's restart", () => {
            const timing = { delay: "5s", window: "0s" };
            assert.deepStrictEqual(rp({ restart: "always" }), { condition: "any", ...timing });
            assert.deepStrictEqual(rp({ restart: "unless-stopped" }), { condition: "any", ...timing });
            assert.deepStrictEqual(rp({ restart: "on-failure" }), { condition: "on-failure", ...timing });
            assert.deepStrictEqual(rp({ restart: "on-failure:5" }), { condition: "on-failure", maxAttempts: 5, ...timing });
            assert.deepStrictEqual(rp({ restart: "no" }), { condition: "none", ...timing });
        });

        it("leaves Swarm's default when no restart policy is written", () => {
            assert.strictEqual(rp({}), undefined);
        });

        it("never restarts a service that runs once (another waits for it to complete), as a Docker host and Kubernetes do not", () => {
            const spec = app({ migrate: { image: "tool" }, web: { image: "web", dependsOn: { migrate: { condition: "service_completed_successfully" } } } });
            assert.deepStrictEqual(toRestartPolicy(spec, spec.services.migrate, "services.migrate"), { condition: "none", delay: "5s", window: "0s" });
            assert.strictEqual(toRestartPolicy(spec, spec.services.web, "services.web"), undefined);
            const explicit = app({ migrate: { image: "tool", restart: "on-failure" }, web: { image: "web", dependsOn: { migrate: { condition: "service_completed_successfully" } } } });
            assert.deepStrictEqual(toRestartPolicy(explicit, explicit.services.migrate, "services.migrate")?.condition, "on-failure", "what the author wrote wins");
        });

        it("rejects an unknown restart policy or condition", () => {
            const { spec, s } = one({ image: "x" });
            assertSpecError(() => toRestartPolicy(spec, withSpec(s, { restart: { policy: "sometimes" } }), "services.web"), "services.web.restart", '"sometimes"');
            const d = withSpec(s, { deploy: { ...s.deploy, restartPolicy: { condition: "maybe" } } });
            assertSpecError(() => toRestartPolicy(spec, d, "services.web"), "services.web.deploy.restartPolicy.condition", '"maybe"');
        });
    });

    describe("update and rollback config", () => {
        it("maps every field, durations and the ratio as the provider reads them back", () => {
            const { s } = one({ image: "x", deploy: { updateConfig: { parallelism: 2, delay: "10s", failureAction: "rollback", monitor: "90s", maxFailureRatio: 0.1, order: "start-first" } } });
            assert.deepStrictEqual(toUpdateConfig(s.deploy.updateConfig, "u"), {
                parallelism: 2, delay: "10s", failureAction: "rollback", monitor: "1m30s", maxFailureRatio: "0.1", order: "start-first",
            });
            assert.deepStrictEqual(toUpdateConfig({ delayMs: 1500, monitorMs: 60_000 }, "u"), { delay: "1.5s", monitor: "1m" });
            assert.deepStrictEqual(toUpdateConfig({ maxFailureRatio: 0 }, "u"), { maxFailureRatio: "0.0" });
            assert.deepStrictEqual(toUpdateConfig({ maxFailureRatio: 1 }, "u"), { maxFailureRatio: "1.0" });
            assert.strictEqual(toUpdateConfig(undefined, "u"), undefined);
        });

        it("writes the failure ratio as the provider's FormatFloat(float32, 'f', 1) reads it back, and warns when that rounds", () => {
            // Replayed in Go: strconv.FormatFloat(float64(float32(r)), 'f', 1, 64).
            const goReadBack: [number, string][] = [
                [0, "0.0"], [0.1, "0.1"], [0.15, "0.2"], [0.2, "0.2"], [0.25, "0.2"], [0.3, "0.3"], [0.35, "0.3"], [0.45, "0.4"], [0.5, "0.5"],
                [0.55, "0.6"], [0.65, "0.6"], [0.75, "0.8"], [0.85, "0.9"], [0.95, "0.9"], [0.05, "0.1"], [1, "1.0"], [0.33, "0.3"], [0.99, "1.0"],
            ];
            for (const [ratio, text] of goReadBack) assert.strictEqual(failureRatio(ratio), text, String(ratio));
            const spec = app({ web: { image: "x", deploy: { updateConfig: { maxFailureRatio: 0.25 }, rollbackConfig: { maxFailureRatio: 0.3 } } } });
            assert.deepStrictEqual(swarmFindings(spec), [
                { path: "services.web.deploy.updateConfig.maxFailureRatio", level: "warning", message: "the provider keeps one decimal of a failure ratio: 0.25 is applied as 0.2" },
            ]);
        });

        it("rejects failure_action rollback in a rollback config", () => {
            assertSpecError(() => toUpdateConfig({ failureAction: "rollback" }, "services.web.deploy.rollbackConfig", true), "services.web.deploy.rollbackConfig.failureAction", '"rollback"');
        });
    });

    describe("healthcheck", () => {
        it("maps test and timings", () => {
            const { s } = one({ image: "x", healthcheck: { test: "wget -q -O- localhost", interval: "5s", timeout: "2s", retries: 3, startPeriod: "1s" } });
            assert.deepStrictEqual(toHealthcheck(s.healthcheck), { tests: ["CMD-SHELL", "wget -q -O- localhost"], interval: "5s", timeout: "2s", retries: 3, startPeriod: "1s" });
        });

        it("writes timings as the provider reads them back", () => {
            const { s } = one({ image: "x", healthcheck: { test: "true", interval: "90s", timeout: "1500ms", startPeriod: "60s" } });
            assert.deepStrictEqual(toHealthcheck(s.healthcheck), { tests: ["CMD-SHELL", "true"], interval: "1m30s", timeout: "1.5s", startPeriod: "1m" });
        });

        it("turns disable into the NONE test", () => {
            assert.deepStrictEqual(toHealthcheck(one({ image: "x", healthcheck: { disable: true } }).s.healthcheck), { tests: ["NONE"] });
            assert.strictEqual(toHealthcheck(undefined), undefined);
        });
    });

    describe("endpoint", () => {
        it("keeps publish modes and leaves unpublished ports to Swarm", () => {
            const { s } = one({ image: "x", ports: ["8080:80", { target: 81, published: 8081, mode: "host" }, "82", "53:53/udp"] });
            assert.deepStrictEqual(toEndpointSpec(s, "services.web"), {
                ports: [
                    { protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "ingress" },
                    { protocol: "tcp", targetPort: 81, publishedPort: 8081, publishMode: "host" },
                    { protocol: "tcp", targetPort: 82, publishMode: "ingress" },
                    { protocol: "udp", targetPort: 53, publishedPort: 53, publishMode: "ingress" },
                ],
            });
        });

        it("sets the endpoint mode", () => {
            assert.deepStrictEqual(toEndpointSpec(one({ image: "x", deploy: { endpointMode: "dnsrr" } }).s, "s"), { mode: "dnsrr" });
            assert.strictEqual(toEndpointSpec(one({ image: "x" }).s, "s"), undefined);
        });

        it("rejects dnsrr with an ingress port, as the engine does", () => {
            const { s } = one({ image: "x", ports: ["8080:80"], deploy: { endpointMode: "dnsrr" } });
            assertSpecError(() => toEndpointSpec(s, "services.web"), "services.web.ports[0]", "dnsrr", "8080");
            const host = one({ image: "x", ports: [{ target: 80, published: 8080, mode: "host" }], deploy: { endpointMode: "dnsrr" } }).s;
            assert.deepStrictEqual(toEndpointSpec(host, "s"), { mode: "dnsrr", ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "host" }] });
        });
    });

    describe("mounts", () => {
        it("maps volume, bind and tmpfs mounts with their options", () => {
            const { spec, s } = one(
                { image: "x", volumes: ["data:/var/lib/data:ro", "/srv/conf:/etc/conf", { type: "volume", target: "/cache", volume: { nocopy: true } }], tmpfs: ["/run:size=1048576,mode=1777"] },
                { volumes: { data: { driver: "local", driverOpts: { type: "nfs" }, labels: { tier: "db" } } } },
            );
            assert.deepStrictEqual(toMounts(spec, s.mounts), [
                {
                    type: "volume", source: "shop_data", target: "/var/lib/data", readOnly: true,
                    volumeOptions: {
                        driverName: "local", driverOptions: { type: "nfs" },
                        labels: [
                            { label: "com.docker.stack.namespace", value: "shop" },
                            { label: "dev.dockyard.app", value: "shop" },
                            { label: "dev.dockyard.managed-by", value: "dockyard" },
                            { label: "tier", value: "db" },
                        ],
                    },
                },
                { type: "bind", source: "/srv/conf", target: "/etc/conf", readOnly: false },
                { type: "volume", target: "/cache", readOnly: false, volumeOptions: { noCopy: true } },
                // 1777 is what a tmpfs gets anyway; the provider would read it back as 777.
                { type: "tmpfs", target: "/run", tmpfsOptions: { sizeBytes: 1048576 } },
            ]);
        });

        it("writes a tmpfs mode as the provider reads it back (its permission bits), warning about bits dropped", () => {
            assert.deepStrictEqual([tmpfsMode(0o1777), tmpfsMode(0o700), tmpfsMode(0o755), tmpfsMode(0o1770), tmpfsMode(0)], [undefined, 0o700, 0o755, 0o770, 0]);
            const { spec, s } = one({ image: "x", tmpfs: ["/a:mode=1777", "/b:mode=0700", "/c:mode=1770,uid=1000"] });
            assert.deepStrictEqual(toMounts(spec, s.mounts), [
                { type: "tmpfs", target: "/a" },
                { type: "tmpfs", target: "/b", tmpfsOptions: { mode: 0o700 } },
                { type: "tmpfs", target: "/c", tmpfsOptions: { mode: 0o770 } },
            ]);
            assert.deepStrictEqual(swarmFindings(spec), [
                { path: "services.web.mounts[2].mode", level: "warning", message: "/c: the provider keeps only the permission bits of a tmpfs mode: 1770 is applied as 0770 (the sticky, setuid and setgid bits are dropped)" },
                { path: "services.web.mounts[2].options", level: "warning", message: "/c: tmpfs options other than size and mode are not supported on Swarm mounts and are ignored: uid=1000" },
            ]);
        });

        it("uses an external volume by name, without options", () => {
            const { spec, s } = one({ image: "x", volumes: ["shared:/data"] }, { volumes: { shared: { external: true, name: "team-shared" } } });
            assert.deepStrictEqual(toMounts(spec, s.mounts), [{ type: "volume", source: "team-shared", target: "/data", readOnly: false }]);
        });
    });

    describe("networks and volumes", () => {
        it("creates overlay networks with ipam and stack labels", () => {
            const spec = app({ web: { image: "x", networks: ["front"] } }, {
                networks: { front: { attachable: true, internal: true, ipam: { config: [{ subnet: "10.10.0.0/24", gateway: "10.10.0.1" }] }, labels: { team: "a" } } },
            });
            assert.deepStrictEqual(toNetworkArgs(spec, spec.networks.front), {
                name: "shop_front", driver: "overlay", attachable: true, internal: true,
                ipamConfigs: [{ subnet: "10.10.0.0/24", gateway: "10.10.0.1" }],
                labels: [
                    { label: "com.docker.stack.namespace", value: "shop" },
                    { label: "dev.dockyard.app", value: "shop" },
                    { label: "dev.dockyard.managed-by", value: "dockyard" },
                    { label: "team", value: "a" },
                ],
            });
        });

        it("turns a bridge network into overlay (with a warning) and keeps other drivers", () => {
            const spec = app({ web: { image: "x", networks: ["a", "b"] } }, { networks: { a: { driver: "bridge" }, b: { driver: "weave", name: "wv" } } });
            assert.strictEqual(toNetworkArgs(spec, spec.networks.a).driver, "overlay");
            assert.strictEqual(toNetworkArgs(spec, spec.networks.b).driver, "weave");
            assert.strictEqual(toNetworkArgs(spec, spec.networks.b).name, "wv");
            assert.deepStrictEqual(swarmFindings(spec).map((w) => w.path), ["networks.a.driver"]);
        });

        it("ignores the options of an overlay network with driver_opts after creation (the engine adds its VXLAN id)", () => {
            const spec = app({ web: { image: "x", networks: ["sec", "plain", "mv"] } }, {
                networks: { sec: { driverOpts: { encrypted: "" } }, plain: {}, mv: { driver: "macvlan", driverOpts: { parent: "eth0" } } },
            });
            assert.deepStrictEqual(toNetworkArgs(spec, spec.networks.sec).options, { encrypted: "" }, "still sent: encryption is what the network is");
            assert.deepStrictEqual(networkResourceOptions(spec.networks.sec), { ignoreChanges: ["options"] });
            assert.deepStrictEqual(networkResourceOptions(spec.networks.plain), {}, "options unset: the provider's options are computed");
            assert.deepStrictEqual(networkResourceOptions(spec.networks.mv), {});
        });

        it("creates volumes with driver and options", () => {
            const spec = app({ web: { image: "x", volumes: ["d:/d"] } }, { volumes: { d: { driver: "local", driverOpts: { o: "bind" } } } });
            assert.deepStrictEqual(toVolumeArgs(spec, spec.volumes.d, { env: "staging" }), {
                name: "shop_d", driver: "local", driverOpts: { o: "bind" },
                labels: [
                    { label: "com.docker.stack.namespace", value: "shop" },
                    { label: "dev.dockyard.app", value: "shop" },
                    { label: "dev.dockyard.managed-by", value: "dockyard" },
                    { label: "env", value: "staging" },
                ],
            });
        });
    });

    describe("toServiceArgs", () => {
        it("assembles a full service", () => {
            const spec = app(
                {
                    web: {
                        image: "nginx:1.27", entrypoint: ["/docker-entrypoint.sh"], command: "nginx -g 'daemon off;'",
                        environment: { MODE: "prod" }, labels: { role: "front" }, user: "101:101", groupAdd: ["audio"], workingDir: "/srv",
                        hostname: "web", dns: ["1.1.1.1"], dnsSearch: ["example.com"], dnsOpt: ["ndots:2"], extraHosts: ["db.local:10.0.0.5"],
                        readOnly: true, init: true, capAdd: ["NET_ADMIN"], capDrop: ["ALL"], sysctls: { "net.core.somaxconn": 1024 },
                        stopSignal: "SIGQUIT", stopGracePeriod: "15s", logging: { driver: "json-file", options: { "max-size": "10m" } },
                        networks: { front: { aliases: ["www"] } }, ports: ["8080:80"],
                        secrets: [{ source: "db_pw", uid: "101", gid: "101", mode: 0o400 }], configs: [{ source: "nginx", target: "/etc/nginx/nginx.conf" }],
                        healthcheck: { test: ["CMD", "true"], interval: "5s" }, restart: "always",
                        deploy: { replicas: 2, labels: { tier: "web" }, updateConfig: { order: "start-first" }, rollbackConfig: { parallelism: 0 } },
                    },
                },
                { networks: { front: {} }, secrets: { db_pw: { content: "pw" } }, configs: { nginx: { content: "conf" } } },
            );
            const args = toServiceArgs(spec, spec.services.web, refs, { labels: { env: "staging" }, converge: { delay: "7s", timeout: "3m" } });
            const common = [
                { label: "com.docker.stack.namespace", value: "shop" },
                { label: "dev.dockyard.app", value: "shop" },
                { label: "dev.dockyard.managed-by", value: "dockyard" },
                { label: "dev.dockyard.service", value: "web" },
                { label: "env", value: "staging" },
            ];
            assert.deepStrictEqual(args, {
                name: "shop_web",
                labels: [{ label: "com.docker.stack.image", value: "nginx:1.27" }, ...common, { label: "tier", value: "web" }],
                mode: { replicated: { replicas: 2 } },
                taskSpec: {
                    containerSpec: {
                        image: "nginx:1.27",
                        commands: ["/docker-entrypoint.sh"],
                        args: ["nginx", "-g", "daemon off;"],
                        env: { MODE: "prod" },
                        labels: [...common, { label: "role", value: "front" }],
                        user: "101:101",
                        groups: ["audio"],
                        dir: "/srv",
                        hostname: "web",
                        dnsConfig: { nameservers: ["1.1.1.1"], searches: ["example.com"], options: ["ndots:2"] },
                        hosts: [{ host: "db.local", ip: "10.0.0.5" }],
                        healthcheck: { tests: ["CMD", "true"], interval: "5s" },
                        readOnly: true,
                        init: true,
                        capAdds: ["CAP_NET_ADMIN"],
                        capDrops: ["ALL"],
                        sysctl: { "net.core.somaxconn": "1024" },
                        stopSignal: "SIGQUIT",
                        stopGracePeriod: "15s",
                        secrets: [{ secretId: "sec-id", secretName: "sec-name", fileName: "/run/secrets/db_pw", fileUid: "101", fileGid: "101", fileMode: 0o400 }],
                        configs: [{ configId: "cfg-id", configName: "cfg-name", fileName: "/etc/nginx/nginx.conf", fileUid: "0", fileGid: "0", fileMode: 0o444 }],
                    },
                    restartPolicy: { condition: "any", delay: "5s", window: "0s" },
                    networksAdvanceds: [{ id: "net-front-id", aliases: ["www", "web"] }],
                    logDriver: { name: "json-file", options: { "max-size": "10m" } },
                },
                endpointSpec: { ports: [{ protocol: "tcp", targetPort: 80, publishedPort: 8080, publishMode: "ingress" }] },
                updateConfig: { order: "start-first" },
                rollbackConfig: { parallelism: 0 },
                convergeConfig: { delay: "7s", timeout: "3m" },
            });
        });

        it("attaches the default network by id, with the service name as alias", () => {
            const spec = app({ api: { image: "x" } });
            assert.deepStrictEqual(toServiceArgs(spec, spec.services.api, refs).taskSpec, {
                containerSpec: {
                    image: "x:latest", // the tag the engine reads back (withDefaultTag)
                    labels: [
                        { label: "com.docker.stack.namespace", value: "shop" },
                        { label: "dev.dockyard.app", value: "shop" },
                        { label: "dev.dockyard.managed-by", value: "dockyard" },
                        { label: "dev.dockyard.service", value: "api" },
                    ],
                    stopGracePeriod: "10s",
                },
                networksAdvanceds: [{ id: "net-default-id", aliases: ["api"] }],
            });
        });

        it("sends Compose's 10s stop grace period when none is written (the provider would send 0), in the form it reads back", () => {
            const spec = app({ api: { image: "x" }, slow: { image: "x", stopGracePeriod: "1m30s" }, quick: { image: "x", stopGracePeriod: "500ms" } });
            const grace = (name: string) => (toServiceArgs(spec, spec.services[name], refs).taskSpec as { containerSpec: { stopGracePeriod?: string } }).containerSpec.stopGracePeriod;
            assert.deepStrictEqual([grace("api"), grace("slow"), grace("quick")], ["10s", "1m30s", "500ms"]);
        });

        it("adds container_name as a network alias, so the name other services use keeps resolving", () => {
            const spec = app({ elasticsearch: { image: "x", containerName: "es", networks: ["front", "default"] } }, { networks: { front: {} } });
            const taskSpec = toServiceArgs(spec, spec.services.elasticsearch, refs).taskSpec as { networksAdvanceds: unknown };
            assert.deepStrictEqual(taskSpec.networksAdvanceds, [
                { id: "net-default-id", aliases: ["elasticsearch", "es"] },
                { id: "net-front-id", aliases: ["elasticsearch", "es"] },
            ]);
        });

        it("does not wait for convergence of a global service (the provider supports it for replicated ones only)", () => {
            const spec = app({ agent: { image: "x", deploy: { mode: "global" } } });
            assert.strictEqual(toServiceArgs(spec, spec.services.agent, refs, { converge: { timeout: "3m" } }).convergeConfig, undefined);
        });

        it("waits for convergence only of services whose tasks keep running (a one-shot never converges)", () => {
            const spec = app({
                migrate: { image: "x", deploy: { restartPolicy: { condition: "none" } } },
                worker: { image: "x", restart: "on-failure" },
                web: { image: "x", restart: "always" },
                plain: { image: "x" },
            });
            const converge = (name: string) => toServiceArgs(spec, spec.services[name], refs, { converge: { timeout: "3m" } }).convergeConfig;
            assert.strictEqual(converge("migrate"), undefined);
            assert.strictEqual(converge("worker"), undefined);
            assert.deepStrictEqual(converge("web"), { timeout: "3m" });
            assert.deepStrictEqual(converge("plain"), { timeout: "3m" });
        });

        it("normalizes capability names like the docker CLI", () => {
            assert.strictEqual(capabilityName("net_admin"), "CAP_NET_ADMIN");
            assert.strictEqual(capabilityName("CAP_SYS_TIME"), "CAP_SYS_TIME");
            assert.strictEqual(capabilityName("all"), "ALL");
        });
    });

    describe("swarmFindings", () => {
        const errors = (spec: AppSpec) => swarmFindings(spec).filter((f) => f.level === "error").map((f) => [f.path, f.value]);

        it("rejects what Swarm cannot run, with path and value", () => {
            assert.deepStrictEqual(errors(app({ web: { image: "x", networkMode: "host" } })), [["services.web.networkMode", "host"]]);
            assert.deepStrictEqual(errors(app({ web: { image: "x", deploy: { mode: "global", placement: { maxReplicasPerNode: 1 } } } })), [["services.web.deploy.placement.maxReplicasPerNode", 1]]);
            assert.deepStrictEqual(errors(app({ web: { image: "x", secrets: ["ext"] } }, { secrets: { ext: { external: true } } })), [["services.web.secrets[0]", "ext"]]);
            const spec = app({ web: { image: "x", deploy: { mode: "global" } } });
            const bad = { ...spec, services: { web: withSpec(spec.services.web, { replicas: 3 }) } };
            assert.deepStrictEqual(errors(bad), [["services.web.replicas", 3]]);
        });

        it("reports every error, not only the first", () => {
            const spec = app({ web: { image: "x", networkMode: "host", secrets: ["ext"] }, agent: { image: "y", deploy: { mode: "global", placement: { maxReplicasPerNode: 1 } } } }, { secrets: { ext: { external: true } } });
            assert.deepStrictEqual(errors(spec), [["services.web.networkMode", "host"], ["services.agent.deploy.placement.maxReplicasPerNode", 1], ["services.web.secrets[0]", "ext"]]);
        });

        it("defineApp already rejects replicas on a global service", () => {
            assertSpecError(() => app({ web: { image: "x", deploy: { mode: "global", replicas: 2 } } }), "services.web.deploy.replicas", "2");
        });

        it("warns about settings Swarm ignores", () => {
            const spec = app({
                web: {
                    image: "x", build: ".", privileged: true, ports: ["127.0.0.1:8080:80", { target: 81, published: 8081, mode: "host" }], pidsLimit: 10, shmSize: "64m",
                    ulimits: { nofile: 1024 }, tty: true, securityOpt: ["no-new-privileges"], domainname: "example.com",
                    healthcheck: { test: "true", startInterval: "1s" }, deploy: { replicas: 2 }, dependsOn: { db: { condition: "service_completed_successfully" } },
                },
                db: { image: "y" },
            });
            assert.deepStrictEqual(swarmFindings(spec).map((w) => w.path), [
                "services.web.ports[0].hostIp", "services.web.ports", "services.web.dependsOn.db", "services.web.healthcheck.startIntervalMs", "services.web.resources",
                "services.web.domainname", "services.web.noNewPrivileges", "services.web.privileged", "services.web.ulimits", "services.web.tty",
            ]);
            assert.match(swarmFindings(spec)[4].message, /limits\.pids, shmSizeBytes/);
            assert.deepStrictEqual(swarmFindings(app({ web: { image: "x" } })), []);
        });

        it("warns about devices, pid, ipc, runtime, mac_address and cgroup_parent, as docker stack deploy ignores them", () => {
            const spec = app({
                web: {
                    image: "x", containerName: "web1", devices: ["/dev/kmsg", "/dev/fuse"], pid: "host", ipc: "shareable", runtime: "runsc",
                    macAddress: "02:00:00:00:00:01", cgroupParent: "apps.slice", platform: "wasi/wasm", networks: { front: null, zz: { macAddress: "02:00:00:00:00:02" } },
                },
            }, { networks: { front: {}, zz: {} } });
            const warning = (path: string, message: string) => ({ path, level: "warning", message });
            assert.deepStrictEqual(swarmFindings(spec), [
                warning("services.web.networks.zz.macAddress", "Swarm assigns MAC addresses itself; mac_address is ignored"),
                warning("services.web.devices", "Swarm services cannot map host devices; /dev/kmsg, /dev/fuse are not available in the container"),
                warning("services.web.platform", 'no Swarm node reports the OS of platform "wasi/wasm", so its tasks stay pending'),
                warning("services.web.pid", 'Swarm services cannot share a PID namespace; pid "host" is ignored'),
                warning("services.web.ipc", 'Swarm services cannot choose an IPC namespace; ipc "shareable" is ignored'),
                warning("services.web.runtime", 'Swarm services run with the engine\'s default runtime; runtime "runsc" is ignored'),
                warning("services.web.macAddress", "Swarm assigns MAC addresses itself; mac_address is ignored"),
                warning("services.web.cgroupParent", "cgroup_parent is not supported on Swarm services and is ignored"),
            ]);
            assert.deepStrictEqual(swarmFindings(app({ web: { image: "x", containerName: "web1", platform: "linux/amd64" } })), [], "container_name and a node platform are mapped");
        });
    });
});
