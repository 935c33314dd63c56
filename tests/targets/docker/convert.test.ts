import * as assert from "assert";
import { defineApp } from "../../../components/spec/normalize";
import { AppInput, ServiceInput } from "../../../components/spec/input";
import {
    checkForDockerHost, dockerHostWarnings, healthcheck, imageArgs, mounts, resources, restartPolicy, toContainerArgs, toMegabytes, toNetworkArgs, toVolumeArgs,
} from "../../../components/targets/docker/convert";
import { assertSpecError } from "../../harness";

const one = (service: ServiceInput, rest: Partial<AppInput> = {}) => {
    const spec = defineApp({ name: "shop", services: { web: service }, ...rest }, { projectDir: "/srv/shop" });
    return { spec, s: spec.services.web };
};
const refs = { image: "sha256:abc", secrets: {}, configs: {} };

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
        assert.deepStrictEqual(policy({ restartPolicy: { condition: "any" } }, "no"), { restart: "no" }, "an explicit restart wins");
        assert.deepStrictEqual(policy({}), { restart: "no" });
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
            "services.web.pidsLimit: the Docker provider cannot set a pids limit; it is not applied",
            "services.web.deploy.resources.reservations.cpus: a Docker host has no CPU reservation; use cpu_shares for a relative weight",
            "services.web.volumes[0]: the SELinux relabel option :z is not applied by the Docker provider",
            "services.web.dependsOn.init: created after \"init\" is created; the provider cannot wait for it to complete",
        ]);
    });

    it("maps healthchecks, including disable", () => {
        const { s } = one({ image: "x", healthcheck: { test: ["CMD", "curl", "-f", "http://localhost"], interval: "1m30s", timeout: "1500ms", retries: 3, startPeriod: "40s", startInterval: "5s" } });
        assert.deepStrictEqual(healthcheck(s.healthcheck!), {
            tests: ["CMD", "curl", "-f", "http://localhost"], interval: "90s", timeout: "1500ms", startPeriod: "40s", startInterval: "5s", retries: 3,
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
            tmpfs: ["/run:size=1m"],
        }, { volumes: { data: {} } });
        assert.deepStrictEqual(mounts(spec, s.mounts), {
            mounts: [
                { type: "volume", source: "shop-data", target: "/data", readOnly: true },
                { type: "volume", target: "/anon", readOnly: false },
                { type: "bind", source: "/var/log", target: "/host-logs", readOnly: true, bindOptions: { propagation: "rslave" } },
                { type: "volume", source: "shop-data", target: "/sub", readOnly: false, volumeOptions: { noCopy: true, subpath: "x" } },
                { type: "tmpfs", target: "/run", tmpfsOptions: { sizeBytes: 1024 * 1024 } },
            ],
            volumes: [{ hostPath: "/srv/shop/conf", containerPath: "/etc/conf", readOnly: false }],
        });
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
            secrets: [{ source: "pw", mode: "0400", uid: "101" }], configs: ["site"],
        }, {
            networks: { front: { ipam: { config: [{ subnet: "172.30.0.0/24" }] } } },
            secrets: { pw: { content: "hunter2" } },
            configs: { site: { content: "server {}" } },
        });
        const args = toContainerArgs(spec, s, 1, { image: "sha256:abc", secrets: { pw: "hunter2" }, configs: { site: "server {}" }, labels: { team: "a" } });
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
            networksAdvanced: [{ name: "shop-front", aliases: ["web", "www"], ipv4Address: "172.30.0.5" }],
            restart: "on-failure", maxRetryCount: 2,
            user: "101:101", groupAdds: ["audio"], workingDir: "/srv", hostname: "web", domainname: "example.test",
            dns: ["1.1.1.1"], dnsSearches: ["example.test"], dnsOpts: ["ndots:2"], hosts: [{ host: "db", ip: "10.0.0.2" }],
            labels: [
                { label: "dev.dockyard.app", value: "shop" },
                { label: "dev.dockyard.managed-by", value: "dockyard" },
                { label: "dev.dockyard.replica", value: "1" },
                { label: "dev.dockyard.service", value: "web" },
                { label: "team", value: "a" },
                { label: "tier", value: "web" },
            ],
            logDriver: "json-file", logOpts: { "max-size": "10m" },
            readOnly: true,
            capabilities: { adds: ["NET_BIND_SERVICE"], drops: ["ALL"] },
            securityOpts: ["apparmor=unconfined", "no-new-privileges:true"],
            init: true, stopSignal: "SIGQUIT", stopTimeout: 20, destroyGraceSeconds: 20,
            ulimits: [{ name: "nofile", soft: 1024, hard: 2048 }],
            sysctls: { "net.core.somaxconn": "1024" },
            tty: true, stdinOpen: true,
            uploads: [
                { file: "/run/secrets/pw", content: "hunter2", permissions: "0400", owner: "101" },
                { file: "/site", content: "server {}", permissions: "0444" },
            ],
        });
    });

    it("uses network_mode instead of networks, pointing service: at the first container", () => {
        const spec = defineApp({ name: "vpn", services: { vpn: { image: "v" }, app: { image: "a", networkMode: "service:vpn" } } });
        const args = toContainerArgs(spec, spec.services.app, 1, refs);
        assert.strictEqual(args.networkMode, "container:vpn-vpn-1");
        assert.strictEqual(args.networksAdvanced, undefined);
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
                        { name: "mon-zz", aliases: ["cadvisor"] },
                        { name: "mon-back", aliases: ["cadvisor"], macAddress: "02:42:ac:11:00:02" },
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
            assert.deepStrictEqual(imageArgs(built), {
                name: "wasm-api", keepLocally: true, platform: "wasi/wasm", build: { context: "/p/api", platform: "wasi/wasm", tags: ["wasm-api"] },
            });
        });

        it("builds a Git context as the engine's remote context", () => {
            const s = defineApp({ name: "shop", services: { api: { build: "https://github.com/acme/api.git#main" } } }, { projectDir: "/p" }).services.api;
            assert.deepStrictEqual(imageArgs(s), {
                name: "shop-api", keepLocally: true, build: { context: ".", remoteContext: "https://github.com/acme/api.git#main", tags: ["shop-api"] },
            });
        });

        it("leaves all of them out when unset", () => {
            const { spec, s } = one({ image: "x" });
            const args = toContainerArgs(spec, s, 1, refs);
            for (const key of ["devices", "platform", "pidMode", "ipcMode", "runtime", "cgroupParent"]) assert.ok(!(key in args), key);
            assert.deepStrictEqual(imageArgs(s), { name: "x", keepLocally: true });
        });

        it("refuses a MAC address shared by replicas, and warns about what the provider cannot apply", () => {
            const { spec, s } = one({ image: "x", replicas: 2, macAddress: "02:00:00:00:00:01" });
            assertSpecError(() => toContainerArgs(spec, s, 1, refs), "services.web.macAddress", "2 replicas", "02:00:00:00:00:01");
            const warned = defineApp({
                name: "shop",
                services: { db: { image: "x" }, web: { image: "x", ipc: "service:db", macAddress: "02:00:00:00:00:01", networkMode: "bridge" } },
            });
            assert.deepStrictEqual(dockerHostWarnings(warned), [
                'services.web.macAddress: the Docker provider sets MAC addresses per network only; with network_mode "bridge" it is not applied',
                'services.web.ipc: "db" does not set ipc: shareable; an engine whose default IPC mode is private refuses to share it',
            ]);
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
            name: "shop-back", driver: "bridge", options: { "com.docker.network.bridge.name": "br-shop" }, internal: true, attachable: false,
            ipamDriver: "default", ipamConfigs: [{ subnet: "10.9.0.0/24", gateway: "10.9.0.1" }],
            labels: [{ label: "dev.dockyard.app", value: "shop" }, { label: "dev.dockyard.managed-by", value: "dockyard" }],
        });
        assert.deepStrictEqual(toVolumeArgs(spec, spec.volumes.data), {
            name: "shop-data", driver: "local", driverOpts: { type: "tmpfs", device: "tmpfs" },
            labels: [{ label: "backup", value: "daily" }, { label: "dev.dockyard.app", value: "shop" }, { label: "dev.dockyard.managed-by", value: "dockyard" }],
        });
    });

    it("refuses what one host cannot do, before creating anything", () => {
        const many = defineApp({ name: "shop", services: { web: { image: "x", replicas: 3, ports: ["8080:80"] } } });
        assertSpecError(() => checkForDockerHost(many), "services.web.ports", "3 replicas", "8080");
        const ext = defineApp({ name: "shop", services: { web: { image: "x", secrets: ["pw"] } }, secrets: { pw: { external: true } } });
        assertSpecError(() => checkForDockerHost(ext), "services.web.secrets[0]", "external secret");
    });
});
