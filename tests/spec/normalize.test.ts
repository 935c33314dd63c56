import * as assert from "assert";
import { defineApp } from "../../components/spec/normalize";
import { parseMount, parseTmpfs } from "../../components/spec/mounts";
import { AppInput, ServiceInput } from "../../components/spec/input";
import { assertSpecError } from "../harness";

const app = (services: Record<string, ServiceInput>, rest: Partial<AppInput> = {}): AppInput => ({ name: "shop", services, ...rest });

describe("spec/normalize", () => {
    it("fills every default of a minimal service", () => {
        const spec = defineApp(app({ web: { image: "nginx:1.27" } }), { projectDir: "/p" });
        assert.deepStrictEqual(spec.services.web, {
            name: "web", image: "nginx:1.27", environment: {}, ports: [], expose: [], mounts: [],
            networks: [{ network: "default", aliases: [] }], dependsOn: [], restart: { policy: "no", implicit: true },
            mode: "replicated", replicas: 1, resources: { limits: {}, reservations: {} },
            deploy: { placement: { constraints: [], preferences: [] }, labels: {} },
            groupAdd: [], dns: [], dnsSearch: [], dnsOptions: [], extraHosts: [], labels: {}, readOnly: false,
            capAdd: [], capDrop: [], securityOpt: [], noNewPrivileges: false, privileged: false, init: false,
            ulimits: {}, sysctls: {}, tty: false, stdinOpen: false, secrets: [], configs: [], devices: [], extensions: {},
        });
        assert.deepStrictEqual(Object.keys(spec.networks), ["default"]);
    });

    describe("restart policies", () => {
        const restart = (r: string | undefined) => defineApp(app({ a: { image: "x", restart: r } })).services.a.restart;
        it("maps each policy", () => {
            assert.deepStrictEqual(restart(undefined), { policy: "no", implicit: true });
            assert.deepStrictEqual(restart("no"), { policy: "no" });
            assert.deepStrictEqual(restart("always"), { policy: "always" });
            assert.deepStrictEqual(restart("unless-stopped"), { policy: "unless-stopped" });
            assert.deepStrictEqual(restart("on-failure"), { policy: "on-failure" });
            assert.deepStrictEqual(restart("on-failure:5"), { policy: "on-failure", maxRetries: 5 });
        });
        it("rejects an unknown policy with path and value", () => {
            assertSpecError(() => restart("sometimes"), "services.a.restart", '"sometimes"', "unknown restart policy");
            assertSpecError(() => restart("on-failure:-1"), "services.a.restart");
        });
    });

    it("normalizes resources from service-level and deploy keys (the same values; different ones are an error)", () => {
        assertSpecError(() => defineApp(app({ a: { image: "x", cpus: 2, deploy: { resources: { limits: { cpus: "0.5" } } } } })),
            "services.a.deploy.resources.limits.cpus", "can't set distinct values on 'cpus' (2) and 'deploy.resources.limits.cpus'");
        const spec = defineApp(app({
            a: {
                image: "x", cpus: 0.5, memLimit: "1g", memReservation: "256m", memswapLimit: "2g", cpuShares: 512,
                cpuset: "0-1", pidsLimit: 100, shmSize: "64m",
                deploy: { resources: { limits: { cpus: "0.5" }, reservations: { cpus: 0.25 } } },
            },
        }));
        assert.deepStrictEqual(spec.services.a.resources, {
            limits: { cpus: 0.5, memoryBytes: 1024 ** 3, pids: 100 },
            reservations: { cpus: 0.25, memoryBytes: 256 * 1024 ** 2 },
            cpuShares: 512, cpuset: "0-1", memorySwapBytes: 2 * 1024 ** 3, shmSizeBytes: 64 * 1024 ** 2,
        });
    });
    it("rejects a reservation above the limit and swap below memory", () => {
        assertSpecError(() => defineApp(app({ a: { image: "x", memLimit: "1g", memReservation: "2g" } })), "services.a", "larger than the memory limit");
        assertSpecError(() => defineApp(app({ a: { image: "x", memLimit: "1g", memswapLimit: "512m" } })), "services.a.memswapLimit");
    });

    it("normalizes security settings", () => {
        const s = defineApp(app({
            a: {
                image: "x", capAdd: ["NET_ADMIN"], capDrop: ["ALL"], securityOpt: ["no-new-privileges:true", "seccomp=unconfined"],
                privileged: true, readOnly: true, user: "1000:1000", init: true,
            },
        })).services.a;
        assert.deepStrictEqual(
            { capAdd: s.capAdd, capDrop: s.capDrop, securityOpt: s.securityOpt, nnp: s.noNewPrivileges, privileged: s.privileged, readOnly: s.readOnly, user: s.user, init: s.init },
            { capAdd: ["NET_ADMIN"], capDrop: ["ALL"], securityOpt: ["seccomp=unconfined"], nnp: true, privileged: true, readOnly: true, user: "1000:1000", init: true },
        );
    });

    it("normalizes healthchecks, stop settings, ulimits, sysctls, extra hosts, logging", () => {
        const s = defineApp(app({
            a: {
                image: "x",
                healthcheck: { test: "curl -f http://localhost", interval: "1m30s", timeout: "10s", retries: 3, startPeriod: "40s" },
                stopSignal: "SIGQUIT", stopGracePeriod: "1m",
                ulimits: { nproc: 65535, nofile: { soft: 20000, hard: 40000 } },
                sysctls: ["net.core.somaxconn=1024"],
                extraHosts: ["somehost:162.242.195.82", "v6host=::1"],
                logging: { driver: "json-file", options: { "max-size": "10m", "max-file": 3 } },
                dns: "8.8.8.8",
            },
        })).services.a;
        assert.deepStrictEqual(s.healthcheck, { disable: false, test: ["CMD-SHELL", "curl -f http://localhost"], intervalMs: 90_000, timeoutMs: 10_000, retries: 3, startPeriodMs: 40_000 });
        assert.strictEqual(s.stopSignal, "SIGQUIT");
        assert.strictEqual(s.stopGracePeriodMs, 60_000);
        assert.deepStrictEqual(s.ulimits, { nproc: { soft: 65535, hard: 65535 }, nofile: { soft: 20000, hard: 40000 } });
        assert.deepStrictEqual(s.sysctls, { "net.core.somaxconn": "1024" });
        assert.deepStrictEqual(s.extraHosts, [{ host: "somehost", ip: "162.242.195.82" }, { host: "v6host", ip: "::1" }]);
        assert.deepStrictEqual(s.logging, { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } });
        assert.deepStrictEqual(s.dns, ["8.8.8.8"]);
        assert.deepStrictEqual(defineApp(app({ a: { image: "x", healthcheck: { test: ["NONE"] } } })).services.a.healthcheck, { disable: true });
    });

    it("normalizes networks with aliases and static addresses, and top-level network settings", () => {
        const spec = defineApp(app(
            { a: { image: "x", networks: { front: { aliases: ["web"], ipv4Address: "172.28.0.10" } } } },
            { networks: { front: { driver: "bridge", internal: true, attachable: true, labels: { tier: "front" }, ipam: { config: [{ subnet: "172.28.0.0/16", gateway: "172.28.0.1", ipRange: "172.28.5.0/24" }] } } } },
        ));
        assert.deepStrictEqual(spec.services.a.networks, [{ network: "front", aliases: ["web"], ipv4Address: "172.28.0.10" }]);
        assert.deepStrictEqual(spec.networks.front, {
            key: "front", driver: "bridge", driverOpts: {}, internal: true, attachable: true, enableIpv6: false,
            ipam: { config: [{ subnet: "172.28.0.0/16", gateway: "172.28.0.1", ipRange: "172.28.5.0/24", auxAddresses: {} }] },
            labels: { tier: "front" }, external: false,
        });
        assert.strictEqual(spec.networks.default, undefined, "no default network when nobody uses it");
    });

    it("normalizes depends_on list and map forms", () => {
        const spec = defineApp(app({
            db: { image: "db", healthcheck: { test: ["CMD", "true"] } },
            cache: { image: "c" },
            web: { image: "w", dependsOn: { db: { condition: "service_healthy" }, cache: { condition: "service_started", required: false } } },
            job: { image: "j", dependsOn: ["db"] },
        }));
        assert.deepStrictEqual(spec.services.web.dependsOn, [
            { service: "db", condition: "healthy", required: true, restart: false },
            { service: "cache", condition: "started", required: false, restart: false },
        ]);
        assert.deepStrictEqual(spec.services.job.dependsOn, [{ service: "db", condition: "started", required: true, restart: false }]);
    });

    it("normalizes secrets and configs references", () => {
        const spec = defineApp(app(
            { a: { image: "x", secrets: ["pw", { source: "key", target: "tls.key", uid: 0, gid: "0", mode: "0400" }], configs: ["conf", { source: "conf", target: "/etc/app.conf" }] } },
            { secrets: { pw: { file: "pw.txt" }, key: { environment: "KEY" } }, configs: { conf: { content: "x=1" } } },
        ), { projectDir: "/srv/app" });
        assert.deepStrictEqual(spec.services.a.secrets, [
            { source: "pw", target: "/run/secrets/pw" },
            { source: "key", target: "/run/secrets/tls.key", uid: "0", gid: "0", mode: 0o400 },
        ]);
        assert.deepStrictEqual(spec.services.a.configs, [{ source: "conf", target: "/conf" }, { source: "conf", target: "/etc/app.conf" }]);
        assert.strictEqual(spec.secrets.pw.file, "/srv/app/pw.txt");
    });

    describe("mounts", () => {
        const ctx = { projectDir: "/srv/app", homeDir: "/home/u" };
        it("parses the short forms", () => {
            assert.deepStrictEqual(parseMount("db:/var/lib/mysql", "v", ctx), { type: "volume", source: "db", target: "/var/lib/mysql", readOnly: false });
            assert.deepStrictEqual(parseMount("db:/data:ro", "v", ctx), { type: "volume", source: "db", target: "/data", readOnly: true });
            assert.deepStrictEqual(parseMount("/data", "v", ctx), { type: "volume", target: "/data", readOnly: false });
            assert.deepStrictEqual(parseMount("./conf:/etc/nginx/conf.d:ro", "v", ctx), { type: "bind", source: "/srv/app/conf", target: "/etc/nginx/conf.d", readOnly: true, createHostPath: true, projectDir: "/srv/app" });
            assert.deepStrictEqual(parseMount("~/logs:/logs:z", "v", ctx), { type: "bind", source: "/home/u/logs", target: "/logs", readOnly: false, createHostPath: true, selinux: "z", projectDir: "/srv/app" });
            assert.deepStrictEqual(parseMount("/var/run/docker.sock:/var/run/docker.sock", "v", ctx), { type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock", readOnly: false, createHostPath: true });
        });
        it("parses the long forms", () => {
            // The long syntax creates a missing host path too, as docker compose does, unless create_host_path is false.
            assert.deepStrictEqual(parseMount({ type: "bind", source: "./x", target: "/x", readOnly: true, bind: { propagation: "rshared" } }, "v", ctx),
                { type: "bind", source: "/srv/app/x", target: "/x", readOnly: true, createHostPath: true, propagation: "rshared", projectDir: "/srv/app" });
            assert.deepStrictEqual(parseMount({ type: "bind", source: "./x", target: "/x/", bind: { createHostPath: false } }, "v", ctx),
                { type: "bind", source: "/srv/app/x", target: "/x", readOnly: false, createHostPath: false, projectDir: "/srv/app" });
            assert.deepStrictEqual(parseMount({ type: "volume", source: "v", target: "/v", volume: { nocopy: true } }, "v", ctx), { type: "volume", source: "v", target: "/v", readOnly: false, noCopy: true });
            assert.deepStrictEqual(parseMount({ type: "tmpfs", target: "/tmp", tmpfs: { size: "64m", mode: "1777" } }, "v", ctx), { type: "tmpfs", target: "/tmp", sizeBytes: 64 * 1024 ** 2, mode: 0o1777 });
            assert.deepStrictEqual(parseTmpfs("/run:size=1m,mode=700", "t"), { type: "tmpfs", target: "/run", sizeBytes: 1024 ** 2, mode: 0o700 });
            assert.deepStrictEqual(parseTmpfs("/run:uid=1000,size=1m,gid=1000,exec", "t"), { type: "tmpfs", target: "/run", sizeBytes: 1024 ** 2, options: ["uid=1000", "gid=1000", "exec"] },
                "other options are kept as written, for --tmpfs");
        });
        it("rejects a relative target and an unknown mode", () => {
            assertSpecError(() => parseMount("db:data", "services.a.volumes[0]", ctx), "services.a.volumes[0]", "absolute path");
            assertSpecError(() => parseMount("db:/data:rx", "services.a.volumes[0]", ctx), "unknown volume mode");
        });
    });

    describe("errors a user can make", () => {
        it("a port out of range", () => {
            assertSpecError(() => defineApp(app({ a: { image: "x", ports: ["80:80", "70000:80"] } })), "services.a.ports[1]", "out of range", '"70000:80"');
        });
        it("a service on an undefined network", () => {
            assertSpecError(() => defineApp(app({ a: { image: "x", networks: ["back"] } })), "services.a.networks", 'undefined network "back"');
        });
        it("an undefined volume, secret, config or service", () => {
            assertSpecError(() => defineApp(app({ a: { image: "x", volumes: ["data:/data"] } })), "services.a.volumes[0]", 'undefined volume "data"');
            assertSpecError(() => defineApp(app({ a: { image: "x", secrets: ["pw"] } })), "services.a.secrets[0]", 'undefined secret "pw"');
            assertSpecError(() => defineApp(app({ a: { image: "x", configs: ["c"] } })), "services.a.configs[0]", 'undefined config "c"');
            assertSpecError(() => defineApp(app({ a: { image: "x", dependsOn: ["b"] } })), "services.a.dependsOn", 'undefined service "b"');
        });
        it("a negative replica count", () => {
            assertSpecError(() => defineApp(app({ a: { image: "x", replicas: -1 } })), "services.a.replicas", "-1");
            assertSpecError(() => defineApp(app({ a: { image: "x", deploy: { replicas: -2 } } })), "services.a.deploy.replicas", "-2");
        });
        it("replicas for a global service", () => {
            assertSpecError(() => defineApp(app({ a: { image: "x", deploy: { mode: "global", replicas: 2 } } })), "services.a.deploy.replicas", "global");
        });
        it("network_mode together with networks", () => {
            assertSpecError(() => defineApp(app({ a: { image: "x", networkMode: "host", networks: ["default"] } })), "services.a.networkMode", "cannot be used together");
        });
        it("a service with neither image nor build", () => {
            assertSpecError(() => defineApp(app({ a: {} })), "services.a", "image or a build");
        });
        it("a dependency cycle", () => {
            assertSpecError(() => defineApp(app({ a: { image: "x", dependsOn: ["b"] }, b: { image: "y", dependsOn: ["a"] } })), "cycle", "a -> b -> a");
        });
        it("a bad application name, and names the file when given", () => {
            assertSpecError(() => defineApp({ name: "My App", services: { a: { image: "x" } } }, { file: "app.ts" }), "app.ts: name", '"My App"');
        });
    });
});
