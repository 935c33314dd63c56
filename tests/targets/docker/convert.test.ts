import * as assert from "assert";
import { defineApp } from "../../../components/spec/normalize";
import { AppInput, ServiceInput } from "../../../components/spec/input";
import {
    containerResourceOptions, cpuLimit, cpusReadBack, healthcheck, imageArgs, mounts, planFiles, resources, restartPolicy,
    toContainerArgs, toFilesContainerArgs, toFilesVolumeArgs, toMegabytes, toNetworkArgs, toVolumeArgs,
} from "../../../components/targets/docker/convert";
import { dockerFindings } from "../../../components/targets/docker/support";
import { SpecError } from "../../../components/spec/errors";
import { AppSpec } from "../../../components/spec/types";
import { assertSpecError } from "../../harness";

const one = (service: ServiceInput, rest: Partial<AppInput> = {}) => {
    const spec = defineApp({ name: "shop", services: { web: service }, ...rest }, { projectDir: "/srv/shop" });
    return { spec, s: spec.services.web };
};
const refs = { image: "sha256:abc", secrets: {}, configs: {} };
/** The warnings of `spec` on a Docker host, as `path: message`. */
const dockerHostWarnings = (spec: AppSpec) => dockerFindings(spec).filter((f) => f.level === "warning").map((f) => `${f.path}: ${f.message}`);
/** Throws the first error of `spec` on a Docker host as a SpecError, for assertSpecError. */
const firstError = (spec: AppSpec) => () => {
    const e = dockerFindings(spec).find((f) => f.level === "error");
    if (e) throw new SpecError(e.message, e.path, e.value);
};

describe("targets/docker/convert", () => {
    it("converts memory to the provider's MB, rounding up", () => {
        assert.strictEqual(toMegabytes(512 * 1024 * 1024), 512);
        assert.strictEqual(toMegabytes(1.5 * 1024 ** 3), 1536);
        assert.strictEqual(toMegabytes(1), 1);
    });

    it("maps resources with their units", () => {
        const { s } = one({ image: "x", cpus: 1.5, memLimit: "1g", memReservation: "512m", memswapLimit: "2g", cpuShares: 256, cpuset: "0,2", shmSize: "64m" });
        assert.deepStrictEqual(resources(s.resources), {
            cpus: "1.5", memory: 1024, memoryReservation: 512, memorySwap: 2048, cpuShares: 256, cpuSet: "0,2", shmSize: 64,
        });
        assert.deepStrictEqual(resources(one({ image: "x", memswapLimit: -1 }).s.resources), { memorySwap: -1 });
    });

    it("writes cpus as the provider reads them back, so a whole number does not replace the container on every up", () => {
        // The provider's nanoInt64ToDecimalString, replayed in Go on the engine's NanoCpus.
        const readBack: [number, string][] = [
            [1e9, "1.0"], [5e8, "0.5"], [1.5e9, "1.5"], [2.5e8, "0.25"], [2e9, "2.0"], [1.25e10, "12.5"], [1.05e9, "1.05"],
            [1e10, "10."], [1e11, "100."], [1e8, "0.1"], [5e7, "0.1"], [1e7, "0.0"], [1.005e10, "10.1"], [0, "0"],
        ];
        for (const [nano, text] of readBack) assert.strictEqual(cpusReadBack(nano), text, String(nano));
        assert.deepStrictEqual(resources(one({ image: "x", cpus: 1 }).s.resources), { cpus: "1.0" });
        assert.deepStrictEqual(resources(one({ image: "x", cpus: "2" }).s.resources), { cpus: "2.0" });
        assert.deepStrictEqual(resources(one({ image: "x", deploy: { resources: { limits: { cpus: "0.25" } } } }).s.resources), { cpus: "0.25" });
        assert.deepStrictEqual(resources(one({ image: "x", cpus: 10 }).s.resources), { cpus: "10." });
    });

    it("writes a CPU limit that would read back as another number as the equivalent CFS quota, replaced on change", () => {
        assert.deepStrictEqual(cpuLimit(0.05), { cpuPeriod: 100000, cpuQuota: 5000 });
        assert.deepStrictEqual(cpuLimit(10.05), { cpuPeriod: 100000, cpuQuota: 1005000 });
        const { s } = one({ image: "x", cpus: 0.05 });
        assert.deepStrictEqual(containerResourceOptions(s), { replaceOnChanges: ["cpuPeriod", "cpuQuota"] });
        assert.deepStrictEqual(containerResourceOptions(one({ image: "x", cpus: 0.5 }).s), {});
    });

    it("writes the swap limit the engine sets for a memory limit (twice the memory), so it does not update on every up", () => {
        assert.deepStrictEqual(resources(one({ image: "x", memLimit: "256m" }).s.resources), { memory: 256, memorySwap: 512 });
        assert.deepStrictEqual(resources(one({ image: "x", deploy: { resources: { limits: { memory: "1g" } } } }).s.resources), { memory: 1024, memorySwap: 2048 });
        assert.deepStrictEqual(resources(one({ image: "x", memLimit: "256m", memswapLimit: "256m" }).s.resources), { memory: 256, memorySwap: 256 });
        assert.deepStrictEqual(resources(one({ image: "x", memLimit: "256m", memswapLimit: -1 }).s.resources), { memory: 256, memorySwap: -1 });
        assert.deepStrictEqual(resources(one({ image: "x" }).s.resources), {});
    });

    it("maps restart policies", () => {
        assert.deepStrictEqual(restartPolicy({ policy: "no" }), { restart: "no" });
        assert.deepStrictEqual(restartPolicy({ policy: "always" }), { restart: "always" });
        assert.deepStrictEqual(restartPolicy({ policy: "unless-stopped" }), { restart: "unless-stopped" });
        assert.deepStrictEqual(restartPolicy({ policy: "on-failure", maxRetries: 3 }), { restart: "on-failure", maxRetryCount: 3 });
    });

    it("falls back to deploy.restart_policy as docker compose does", () => {
        const policy = (deploy: object, restart?: string) => restartPolicy(one({ image: "x", restart, deploy }).s.restart, one({ image: "x", deploy }).s.deploy.restartPolicy);
        assert.deepStrictEqual(policy({ restartPolicy: { condition: "any" } }), { restart: "always" });
        assert.deepStrictEqual(policy({ restartPolicy: { condition: "none" } }), { restart: "no" });
        assert.deepStrictEqual(policy({ restartPolicy: { condition: "on-failure", maxAttempts: 4 } }), { restart: "on-failure", maxRetryCount: 4 });
        assert.deepStrictEqual(policy({}), { restart: "no" });
    });

    it("takes deploy.restart_policy over restart when both are set, as docker compose does", () => {
        const policy = (deploy: object, restart: string) => {
            const { s } = one({ image: "x", restart, deploy });
            return restartPolicy(s.restart, s.deploy.restartPolicy);
        };
        assert.deepStrictEqual(policy({ restartPolicy: { condition: "any" } }, "no"), { restart: "always" });
        assert.deepStrictEqual(policy({ restartPolicy: { condition: "on-failure", maxAttempts: 3 } }, "always"), { restart: "on-failure", maxRetryCount: 3 });
        assert.deepStrictEqual(policy({ restartPolicy: { condition: "none" } }, "unless-stopped"), { restart: "no" });
        const { spec, s } = one({ image: "x", restart: "always", deploy: { restartPolicy: { condition: "none" } } });
        assert.strictEqual(toContainerArgs(spec, s, 1, refs).restart, "no");
    });

    it("tells the provider that a one-shot container may exit, so up succeeds and later ups leave it alone", () => {
        const spec = defineApp({
            name: "wp",
            services: {
                migrate: { image: "x", restart: "no" },
                cli: { image: "x" },
                retry: { image: "x", restart: "on-failure:3" },
                web: { image: "x", restart: "always", dependsOn: { migrate: { condition: "service_completed_successfully" } } },
                worker: { image: "x", restart: "unless-stopped" },
            },
        });
        const args = (name: string) => toContainerArgs(spec, spec.services[name], 1, refs);
        assert.deepStrictEqual([args("migrate").mustRun, args("migrate").attach], [false, true], "awaited by web: creation waits until it has exited");
        assert.deepStrictEqual([args("cli").mustRun, args("cli").attach], [false, undefined]);
        assert.deepStrictEqual([args("retry").mustRun, args("retry").attach], [false, undefined]);
        assert.deepStrictEqual([args("web").mustRun, args("web").attach], [undefined, undefined], "restarted by the engine: the provider's default");
        assert.deepStrictEqual([args("worker").mustRun, args("worker").attach], [undefined, undefined]);
    });

    it("lists what the provider cannot apply", () => {
        const spec = defineApp({
            name: "shop",
            services: {
                init: { image: "x", deploy: { restartPolicy: { condition: "none" } } },
                web: {
                    image: "x", pidsLimit: 100, deploy: { resources: { reservations: { cpus: 0.5 } } }, volumes: ["./data:/data:z"],
                    dependsOn: { init: { condition: "service_completed_successfully" } },
                },
            },
        }, { projectDir: "/srv" });
        assert.deepStrictEqual(dockerHostWarnings(spec), [
            "services.web.mounts[0].selinux: the SELinux relabel option :z is not applied by the Docker provider",
            "services.web.dependsOn.init: created after \"init\" has exited; the provider does not check its exit code",
            "services.web.resources.limits.pids: the Docker provider cannot set a pids limit; it is not applied",
            "services.web.resources.reservations.cpus: a Docker host has no CPU reservation; use cpu_shares for a relative weight",
        ]);
        const restarting = defineApp({ name: "shop", services: { init: { image: "x", restart: "always" }, web: { image: "x", dependsOn: { init: { condition: "service_completed_successfully" } } } } });
        assert.deepStrictEqual(dockerHostWarnings(restarting), ["services.web.dependsOn.init: \"init\" restarts when it exits, so it never completes; web is created after it is created"]);
    });

    it("maps healthchecks, including disable, durations as the provider reads them back (Go's Duration.String)", () => {
        const { s } = one({ image: "x", healthcheck: { test: ["CMD", "curl", "-f", "http://localhost"], interval: "90s", timeout: "1500ms", retries: 3, startPeriod: "60s", startInterval: "500ms" } });
        assert.deepStrictEqual(healthcheck(s.healthcheck!), {
            tests: ["CMD", "curl", "-f", "http://localhost"], interval: "1m30s", timeout: "1.5s", startPeriod: "1m0s", startInterval: "500ms", retries: 3,
        });
        assert.deepStrictEqual(healthcheck(one({ image: "x", healthcheck: { test: "true", interval: "1h", timeout: "0s" } }).s.healthcheck!), {
            tests: ["CMD-SHELL", "true"], interval: "1h0m0s", timeout: "0s",
        });
        assert.deepStrictEqual(healthcheck({ disable: true }), { tests: ["NONE"] });
    });

    it("maps volumes, binds and tmpfs mounts", () => {
        const { spec, s } = one({
            image: "x",
            volumes: [
                "data:/data:ro", "/anon", "./conf:/etc/conf",
                { type: "bind", source: "/var/log", target: "/host-logs", readOnly: true, bind: { propagation: "rslave" } },
                { type: "volume", source: "data", target: "/sub", volume: { nocopy: true, subpath: "x" } },
            ],
            tmpfs: ["/run:size=1m", "/cache:size=64m,mode=1770,uid=1000,gid=1000,exec"],
        }, { volumes: { data: {} } });
        assert.deepStrictEqual(mounts(spec, s.mounts), {
            mounts: [
                { type: "volume", source: "shop_data", target: "/data", readOnly: true },
                { type: "volume", target: "/anon", readOnly: false },
                { type: "bind", source: "/var/log", target: "/host-logs", readOnly: true, bindOptions: { propagation: "rslave" } },
                { type: "volume", source: "shop_data", target: "/sub", readOnly: false, volumeOptions: { noCopy: true, subpath: "x" } },
                { type: "tmpfs", target: "/run", tmpfsOptions: { sizeBytes: 1024 * 1024 } },
            ],
            volumes: [{ hostPath: "/srv/shop/conf", containerPath: "/etc/conf", readOnly: false }],
            tmpfs: { "/cache": "size=67108864,mode=1770,uid=1000,gid=1000,exec" },
        });
    });

    it("passes every tmpfs option to the provider's tmpfs map, which reads back as written", () => {
        const { spec, s } = one({ image: "x", tmpfs: ["/run:uid=999", "/tmp:mode=1777,noexec,nosuid", "/plain"] });
        assert.deepStrictEqual(mounts(spec, s.mounts), {
            mounts: [{ type: "tmpfs", target: "/plain" }],
            tmpfs: { "/run": "uid=999", "/tmp": "mode=1777,noexec,nosuid" },
        });
        assert.deepStrictEqual(containerResourceOptions(s), { replaceOnChanges: ["tmpfs"] }, "the provider takes a tmpfs change as an update it does not apply");
    });

    it("maps every service field of a full container", () => {
        const { spec, s } = one({
            image: "nginx:1.27",
            entrypoint: "/docker-entrypoint.sh",
            command: ["nginx", "-g", "daemon off;"],
            environment: { A: "1", B: null },
            ports: ["127.0.0.1:8080:80", "53:53/udp", "9000"],
            networks: { front: { aliases: ["www"], ipv4Address: "172.30.0.5" } },
            restart: "on-failure:2",
            user: "101:101", groupAdd: ["audio"], workingDir: "/srv", hostname: "web", domainname: "example.test",
            dns: ["1.1.1.1"], dnsSearch: ["example.test"], dnsOpt: ["ndots:2"], extraHosts: ["db:10.0.0.2"],
            labels: { tier: "web" },
            logging: { driver: "json-file", options: { "max-size": "10m" } },
            readOnly: true, capAdd: ["NET_BIND_SERVICE"], capDrop: ["ALL"], securityOpt: ["no-new-privileges:true", "apparmor=unconfined"],
            privileged: false, init: true, stopSignal: "SIGQUIT", stopGracePeriod: "20s",
            ulimits: { nofile: { soft: 1024, hard: 2048 } }, sysctls: { "net.core.somaxconn": 1024 }, tty: true, stdinOpen: true,
            secrets: [{ source: "pw", mode: "0400", uid: "101" }], configs: [{ source: "site", target: "/etc/nginx/conf.d/site.conf" }],
        }, {
            networks: { front: { ipam: { config: [{ subnet: "172.30.0.0/24" }] } } },
            secrets: { pw: { content: "hunter2" } },
            configs: { site: { content: "server {}" } },
        });
        const args = toContainerArgs(spec, s, 1, { image: "sha256:abc", secrets: { pw: "hunter2" }, configs: { site: "server {}" }, labels: { team: "a" }, filesRevision: "files-id" });
        assert.deepStrictEqual(args, {
            name: "shop-web-1",
            image: "sha256:abc",
            entrypoints: ["/docker-entrypoint.sh"],
            command: ["nginx", "-g", "daemon off;"],
            envs: ["A=1", "B="],
            ports: [
                { internal: 80, external: 8080, ip: "127.0.0.1", protocol: "tcp" },
                { internal: 53, external: 53, protocol: "udp" },
                { internal: 9000, protocol: "tcp" },
            ],
            networksAdvanced: [{ name: "shop_front", aliases: ["web", "www"], ipv4Address: "172.30.0.5" }],
            restart: "on-failure", maxRetryCount: 2, mustRun: false,
            user: "101:101", groupAdds: ["audio"], workingDir: "/srv", hostname: "web", domainname: "example.test",
            dns: ["1.1.1.1"], dnsSearches: ["example.test"], dnsOpts: ["ndots:2"], hosts: [{ host: "db", ip: "10.0.0.2" }],
            labels: [
                { label: "dev.dockyard.app", value: "shop" },
                { label: "dev.dockyard.files", value: "files-id" },
                { label: "dev.dockyard.managed-by", value: "dockyard" },
                { label: "dev.dockyard.replica", value: "1" },
                { label: "dev.dockyard.service", value: "web" },
                { label: "team", value: "a" },
                { label: "tier", value: "web" },
            ],
            logDriver: "json-file", logOpts: { "max-size": "10m" },
            readOnly: true,
            capabilities: { adds: ["CAP_NET_BIND_SERVICE"], drops: ["ALL"] },
            securityOpts: ["apparmor=unconfined", "no-new-privileges:true"],
            init: true, stopSignal: "SIGQUIT", stopTimeout: 20, destroyGraceSeconds: 20,
            ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }],
            sysctls: { "net.core.somaxconn": "1024" },
            tty: true, stdinOpen: true,
            // read_only: the files come from volumes written by the files container, mounted read-only.
            mounts: [
                { type: "volume", source: "shop-web-files-etc-nginx-conf.d", target: "/etc/nginx/conf.d", readOnly: true },
                { type: "volume", source: "shop-web-files-run-secrets", target: "/run/secrets", readOnly: true },
            ],
        });
    });

    it("uses network_mode instead of networks, pointing service: at the first container", () => {
        const spec = defineApp({ name: "vpn", services: { vpn: { image: "v" }, app: { image: "a", networkMode: "service:vpn" } } });
        const args = toContainerArgs(spec, spec.services.app, 1, refs);
        assert.strictEqual(args.networkMode, "container:vpn-vpn-1", "by name when the container is not known (offline render)");
        assert.strictEqual(args.networksAdvanced, undefined);
    });

    it("writes service: namespaces as container:<id>, the form the engine reports and the provider reads back", () => {
        const spec = defineApp({ name: "vpn", services: { vpn: { image: "v", ipc: "shareable" }, app: { image: "a", networkMode: "service:vpn", pid: "service:vpn", ipc: "service:vpn" } } });
        const id = "b9cc5e1c139546074d282542f5f7b2850cff10a7581ef2959909efc835660b1e";
        const args = toContainerArgs(spec, spec.services.app, 1, { ...refs, containerModes: { vpn: `container:${id}` } });
        assert.deepStrictEqual([args.networkMode, args.pidMode, args.ipcMode], [`container:${id}`, `container:${id}`, `container:${id}`]);
        assert.deepStrictEqual(containerResourceOptions(spec.services.app), {}, "nothing to ignore");
    });

    it("ignores container:<name> modes after creation: the engine reports the id, unknown before", () => {
        const spec = defineApp({ name: "x", services: { app: { image: "a", networkMode: "container:vpn", pid: "container:vpn", ipc: "host" } } });
        assert.deepStrictEqual(containerResourceOptions(spec.services.app), { ignoreChanges: ["networkMode", "pidMode"] });
        const id = "b9cc5e1c139546074d282542f5f7b2850cff10a7581ef2959909efc835660b1e";
        assert.deepStrictEqual(containerResourceOptions(defineApp({ name: "x", services: { app: { image: "a", networkMode: `container:${id}` } } }).services.app), {});
        assert.deepStrictEqual(dockerHostWarnings(spec), [
            'services.app.networkMode: the engine reports "container:vpn" by the container\'s id; later changes to it are not applied to existing containers',
            'services.app.pid: the engine reports "container:vpn" by the container\'s id; later changes to it are not applied to existing containers',
        ]);
    });

    it("ignores hosts after creation when an extra host is IPv6, which the provider reads back cut at the first colon", () => {
        const v6 = one({ image: "x", extraHosts: ["v6host:fe80::1", "v4:10.0.0.1"] });
        assert.deepStrictEqual(toContainerArgs(v6.spec, v6.s, 1, refs).hosts, [{ host: "v6host", ip: "fe80::1" }, { host: "v4", ip: "10.0.0.1" }]);
        assert.deepStrictEqual(containerResourceOptions(v6.s), { ignoreChanges: ["hosts"] });
        assert.match(dockerHostWarnings(v6.spec)[0], /^services\.web\.extraHosts: the Docker provider reads IPv6 entries back cut at the first ':'/);
        assert.deepStrictEqual(containerResourceOptions(one({ image: "x", extraHosts: ["v4:10.0.0.1"] }).s), {});
    });

    it("writes capabilities as the engine stores them", () => {
        const { spec, s } = one({ image: "x", capAdd: ["net_admin", "CAP_SYS_TIME"], capDrop: ["all"] });
        assert.deepStrictEqual(toContainerArgs(spec, s, 1, refs).capabilities, { adds: ["CAP_NET_ADMIN", "CAP_SYS_TIME"], drops: ["ALL"] });
    });

    describe("container_name, devices, platform, pid, ipc, runtime, mac_address, cgroup_parent", () => {
        const host = () =>
            defineApp({
                name: "mon",
                services: {
                    cadvisor: {
                        image: "gcr.io/cadvisor/cadvisor:v0.52.1",
                        containerName: "cadvisor",
                        privileged: true,
                        devices: ["/dev/kmsg", "/dev/sda:/dev/xvda:r", { source: "/dev/ttyUSB0", target: "/dev/modem", permissions: "rw" }],
                        platform: "linux/arm64/v8",
                        pid: "host",
                        ipc: "shareable",
                        runtime: "runsc",
                        macAddress: "02:42:ac:11:00:02",
                        cgroupParent: "monitoring.slice",
                        networks: ["zz", "back"],
                    },
                    sidecar: { image: "busybox", pid: "service:cadvisor", ipc: "service:cadvisor", networkMode: "service:cadvisor" },
                    debug: { image: "busybox", pid: "container:other", ipc: "private" },
                },
                networks: { zz: {}, back: {} },
            });

        it("puts each on the container", () => {
            const spec = host();
            const args = toContainerArgs(spec, spec.services.cadvisor, 1, refs);
            assert.deepStrictEqual(
                [args.name, args.devices, args.platform, args.pidMode, args.ipcMode, args.runtime, args.cgroupParent, args.networksAdvanced],
                [
                    "cadvisor",
                    [
                        { hostPath: "/dev/kmsg", containerPath: "/dev/kmsg", permissions: "rwm" },
                        { hostPath: "/dev/sda", containerPath: "/dev/xvda", permissions: "r" },
                        { hostPath: "/dev/ttyUSB0", containerPath: "/dev/modem", permissions: "rw" },
                    ],
                    "linux/arm64",
                    "host",
                    "shareable",
                    "runsc",
                    "monitoring.slice",
                    // The service-level MAC goes to the first network by name, as Compose picks it.
                    [
                        { name: "mon_zz", aliases: ["cadvisor"] },
                        { name: "mon_back", aliases: ["cadvisor"], macAddress: "02:42:ac:11:00:02" },
                    ],
                ],
            );
        });

        it("points service: namespaces at the other service's container, by its container_name", () => {
            const spec = host();
            const args = toContainerArgs(spec, spec.services.sidecar, 1, refs);
            assert.deepStrictEqual([args.name, args.pidMode, args.ipcMode, args.networkMode], ["mon-sidecar-1", "container:cadvisor", "container:cadvisor", "container:cadvisor"]);
            assert.deepStrictEqual(spec.services.sidecar.dependsOn, [{ service: "cadvisor", condition: "started", required: true, restart: true }], "created after it");
            const debug = toContainerArgs(spec, spec.services.debug, 1, refs);
            assert.deepStrictEqual([debug.pidMode, debug.ipcMode], ["container:other", "private"]);
        });

        it("pulls and builds the image for the service's platform", () => {
            const spec = host();
            assert.deepStrictEqual(imageArgs(spec.services.cadvisor), { name: "gcr.io/cadvisor/cadvisor:v0.52.1", keepLocally: true, platform: "linux/arm64" });
            const built = defineApp({ name: "wasm", services: { api: { build: "./api", platform: "wasi/wasm" } } }, { projectDir: "/p" }).services.api;
            assert.deepStrictEqual(imageArgs(built, "/p"), {
                name: "wasm-api", keepLocally: true, platform: "wasi/wasm", build: { context: "api", platform: "wasi/wasm", tags: ["wasm-api"] },
            });
        });

        it("builds a Git context as the engine's remote context", () => {
            const s = defineApp({ name: "shop", services: { api: { build: "https://github.com/acme/api.git#main" } } }, { projectDir: "/p" }).services.api;
            assert.deepStrictEqual(imageArgs(s, "/p"), {
                name: "shop-api", keepLocally: true, build: { context: ".", remoteContext: "https://github.com/acme/api.git#main", tags: ["shop-api"] },
            });
        });

        it("leaves all of them out when unset", () => {
            const { spec, s } = one({ image: "x" });
            const args = toContainerArgs(spec, s, 1, refs);
            for (const key of ["devices", "platform", "pidMode", "ipcMode", "runtime", "cgroupParent"]) assert.ok(!(key in args), key);
            assert.deepStrictEqual(imageArgs(s), { name: "x", keepLocally: true });
        });

        it("ignores platform after creation: the engine reports only the OS (linux), which the provider reads back", () => {
            const spec = host();
            assert.deepStrictEqual(containerResourceOptions(spec.services.cadvisor), { ignoreChanges: ["platform"] });
            assert.deepStrictEqual(containerResourceOptions(one({ image: "x", platform: "linux" }).s), {}, "an OS alone reads back as written");
        });

        it("refuses a MAC address shared by replicas, and warns about what the provider cannot apply", () => {
            const { spec, s } = one({ image: "x", replicas: 2, macAddress: "02:00:00:00:00:01" });
            assertSpecError(() => toContainerArgs(spec, s, 1, refs), "services.web.macAddress", "2 replicas", "02:00:00:00:00:01");
            const warned = defineApp({
                name: "shop",
                services: { db: { image: "x" }, web: { image: "x", ipc: "service:db", macAddress: "02:00:00:00:00:01", networkMode: "bridge" } },
            });
            assert.deepStrictEqual(dockerHostWarnings(warned), [
                'services.web.ipc: "db" does not set ipc: shareable; an engine whose default IPC mode is private refuses to share it',
                'services.web.macAddress: the Docker provider sets MAC addresses per network only; with network_mode "bridge" it is not applied',
            ]);
        });
    });

    describe("secrets and configs the copy API cannot deliver", () => {
        const files = (service: ServiceInput) =>
            one(service, { secrets: { pw: { content: "hunter2" } }, configs: { site: { content: "server {}" } }, volumes: { data: {} } });
        const contents = { image: "sha256:abc", secrets: { pw: "hunter2" }, configs: { site: "server {}" } };

        it("uploads into the container itself when it can (the copy API writes before start)", () => {
            const { spec, s } = files({ image: "x", secrets: ["pw"], configs: ["site"], volumes: ["data:/run"] });
            const plan = planFiles(spec, s);
            assert.deepStrictEqual([plan.direct.map((f) => f.ref.target), plan.volumes], [["/run/secrets/pw", "/site"], []], "a writable volume receives the copy");
            assert.strictEqual(toFilesContainerArgs(spec, s, contents), undefined);
            assert.deepStrictEqual(toContainerArgs(spec, s, 1, contents).uploads, [
                { file: "/run/secrets/pw", content: "hunter2", permissions: "0444" },
                { file: "/site", content: "server {}", permissions: "0444" },
            ]);
        });

        it("delivers files of a read_only container through a volume per directory, written by a never-started container", () => {
            const { spec, s } = files({ image: "x", command: ["serve"], readOnly: true, secrets: [{ source: "pw", uid: "999", mode: "0400" }], configs: [{ source: "site", target: "/etc/app/site.conf" }] });
            assert.deepStrictEqual(planFiles(spec, s).volumes, [
                { dir: "/etc/app", key: "web-files-etc-app", name: "shop-web-files-etc-app" },
                { dir: "/run/secrets", key: "web-files-run-secrets", name: "shop-web-files-run-secrets" },
            ]);
            const labels = [
                { label: "dev.dockyard.app", value: "shop" }, { label: "dev.dockyard.managed-by", value: "dockyard" },
                { label: "dev.dockyard.role", value: "files" }, { label: "dev.dockyard.service", value: "web" },
            ];
            assert.deepStrictEqual(toFilesVolumeArgs(spec, s, planFiles(spec, s).volumes[0]), { name: "shop-web-files-etc-app", labels });
            assert.deepStrictEqual(toFilesContainerArgs(spec, s, contents), {
                name: "shop-web-files",
                image: "sha256:abc",
                command: ["serve"],
                networkMode: "none",
                mounts: [
                    { type: "volume", source: "shop-web-files-etc-app", target: "/etc/app", readOnly: false },
                    { type: "volume", source: "shop-web-files-run-secrets", target: "/run/secrets", readOnly: false },
                ],
                uploads: [
                    { file: "/run/secrets/pw", content: "hunter2", permissions: "0400", owner: "999" },
                    { file: "/etc/app/site.conf", content: "server {}", permissions: "0444" },
                ],
                labels,
                start: false,
                mustRun: false,
            });
            const args = toContainerArgs(spec, s, 1, { ...contents, filesRevision: "files-container-id" });
            assert.strictEqual(args.uploads, undefined);
            assert.deepStrictEqual(args.mounts, [
                { type: "volume", source: "shop-web-files-etc-app", target: "/etc/app", readOnly: true },
                { type: "volume", source: "shop-web-files-run-secrets", target: "/run/secrets", readOnly: true },
            ]);
            assert.deepStrictEqual((args.labels as { label: string; value: string }[]).find((l) => l.label === "dev.dockyard.files"), { label: "dev.dockyard.files", value: "files-container-id" },
                "replaced with the files container, as containers with uploads are when the content changes");
        });

        it("delivers a file a tmpfs would hide through a volume mounted over the tmpfs, and the others by upload", () => {
            const { spec, s } = files({ image: "x", tmpfs: ["/run"], secrets: ["pw"], configs: ["site"] });
            const plan = planFiles(spec, s);
            assert.deepStrictEqual([plan.direct.map((f) => f.ref.target), plan.throughVolumes.map((f) => f.ref.target), plan.volumes.map((v) => v.dir)], [["/site"], ["/run/secrets/pw"], ["/run/secrets"]]);
            const args = toContainerArgs(spec, s, 1, contents);
            assert.deepStrictEqual(args.uploads, [{ file: "/site", content: "server {}", permissions: "0444" }]);
            assert.deepStrictEqual(args.mounts, [{ type: "tmpfs", target: "/run" }, { type: "volume", source: "shop-web-files-run-secrets", target: "/run/secrets", readOnly: true }]);
        });

        it("refuses, before anything exists, what no delivery can reach", () => {
            assertSpecError(firstError(files({ image: "x", readOnly: true, configs: ["site"] }).spec), "services.web.configs[0]", "read_only", "directly in /", "/run/configs/site");
            assertSpecError(firstError(files({ image: "x", tmpfs: ["/run/secrets"], secrets: ["pw"] }).spec), "services.web.secrets[0]", "tmpfs", "/run/secrets", "another directory");
            assertSpecError(firstError(files({ image: "x", volumes: ["/srv/run:/run:ro"], secrets: ["pw"] }).spec), "services.web.secrets[0]", "read-only bind mounted at /run");
            assertSpecError(firstError(files({ image: "x", readOnly: true, volumes: ["data:/etc/app"], configs: [{ source: "site", target: "/etc/app/site.conf" }] }).spec),
                "services.web.configs[0]", "volume mount");
        });
    });

    it("waits for health when a dependent needs it", () => {
        const { spec, s } = one({ image: "x", healthcheck: { test: "true", interval: "10s", timeout: "5s", retries: 10, startPeriod: "30s" } });
        const args = toContainerArgs(spec, s, 1, { ...refs, waitHealthy: true });
        assert.deepStrictEqual([args.wait, args.waitTimeout], [true, 180]);
    });

    it("maps networks and volumes with labels", () => {
        const spec = defineApp({
            name: "shop",
            services: { a: { image: "x", networks: ["back"], volumes: ["data:/d"] } },
            networks: { back: { internal: true, driver: "bridge", driverOpts: { "com.docker.network.bridge.name": "br-shop" }, ipam: { driver: "default", config: [{ subnet: "10.9.0.0/24", gateway: "10.9.0.1" }] } } },
            volumes: { data: { driver: "local", driverOpts: { type: "tmpfs", device: "tmpfs" }, labels: { backup: "daily" } } },
        });
        assert.deepStrictEqual(toNetworkArgs(spec, spec.networks.back), {
            name: "shop_back", driver: "bridge", options: { "com.docker.network.bridge.name": "br-shop" }, internal: true, attachable: false,
            ipamDriver: "default", ipamConfigs: [{ subnet: "10.9.0.0/24", gateway: "10.9.0.1" }],
            labels: [{ label: "dev.dockyard.app", value: "shop" }, { label: "dev.dockyard.managed-by", value: "dockyard" }],
        });
        assert.deepStrictEqual(toVolumeArgs(spec, spec.volumes.data), {
            name: "shop_data", driver: "local", driverOpts: { type: "tmpfs", device: "tmpfs" },
            labels: [{ label: "backup", value: "daily" }, { label: "dev.dockyard.app", value: "shop" }, { label: "dev.dockyard.managed-by", value: "dockyard" }],
        });
    });

    it("refuses what one host cannot do, before creating anything", () => {
        const many = defineApp({ name: "shop", services: { web: { image: "x", replicas: 3, ports: ["8080:80"] } } });
        assertSpecError(firstError(many), "services.web.ports", "3 replicas", "8080");
        const ext = defineApp({ name: "shop", services: { web: { image: "x", secrets: ["pw"] } }, secrets: { pw: { external: true } } });
        assertSpecError(firstError(ext), "services.web.secrets[0]", "external secret");
    });
});
