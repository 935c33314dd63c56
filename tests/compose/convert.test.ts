import * as assert from "assert";
import * as path from "path";
import { assertSpecError } from "../harness";
import { loadProject, loadYaml } from "./project";

const svc = (body: string, rest = "") => loadYaml(`services:\n  web:\n    image: nginx\n${body}\n${rest}`).services.web;

describe("compose/convert", () => {
    describe("ports", () => {
        it("expands every short and long form", () => {
            const s = svc(`    ports:
      - 80
      - "81"
      - "8080:82"
      - "127.0.0.1:8081:83"
      - "127.0.0.1::84"
      - "[::1]:8082:85"
      - "8000-8001:8000-8001"
      - "9090-9091:7080-7081"
      - "53:53/udp"
      - target: 86
        published: "8086"
        host_ip: 10.0.0.1
        protocol: udp
        mode: host
        name: web
        app_protocol: http`);
            assert.deepStrictEqual(s.ports, [
                { target: 80, protocol: "tcp", mode: "ingress" },
                { target: 81, protocol: "tcp", mode: "ingress" },
                { target: 82, published: 8080, protocol: "tcp", mode: "ingress" },
                { target: 83, published: 8081, hostIp: "127.0.0.1", protocol: "tcp", mode: "ingress" },
                { target: 84, hostIp: "127.0.0.1", protocol: "tcp", mode: "ingress" },
                { target: 85, published: 8082, hostIp: "::1", protocol: "tcp", mode: "ingress" },
                { target: 8000, published: 8000, protocol: "tcp", mode: "ingress" },
                { target: 8001, published: 8001, protocol: "tcp", mode: "ingress" },
                { target: 7080, published: 9090, protocol: "tcp", mode: "ingress" },
                { target: 7081, published: 9091, protocol: "tcp", mode: "ingress" },
                { target: 53, published: 53, protocol: "udp", mode: "ingress" },
                { target: 86, protocol: "udp", mode: "host", hostIp: "10.0.0.1", name: "web", appProtocol: "http", published: 8086 },
            ]);
        });
        it("expands expose entries", () => {
            assert.deepStrictEqual(svc(`    expose: [3000, "3001-3002", "53/udp"]`).expose, [
                { target: 3000, protocol: "tcp" },
                { target: 3001, protocol: "tcp" },
                { target: 3002, protocol: "tcp" },
                { target: 53, protocol: "udp" },
            ]);
        });
    });

    describe("volumes", () => {
        it("normalizes short and long forms and tmpfs", () => {
            const { spec, dir } = loadProject({
                "compose.yaml": `services:
  web:
    image: nginx
    volumes:
      - ./conf:/etc/nginx:ro
      - ~/logs:/logs
      - db:/var/lib/mysql:ro
      - /anonymous
      - /var/run/docker.sock:/var/run/docker.sock:rw,z
      - type: bind
        source: ./static
        target: /static
        read_only: true
        bind: { propagation: rshared, create_host_path: true }
      - type: volume
        source: db
        target: /db
        volume: { nocopy: true, subpath: sub }
      - type: tmpfs
        target: /cache
        tmpfs: { size: 64m, mode: 01777 }
    tmpfs: ["/run:size=1k,mode=0755"]
volumes:
  db:
`,
            });
            assert.deepStrictEqual(spec.services.web.mounts, [
                { type: "bind", source: path.join(dir, "conf"), target: "/etc/nginx", readOnly: true, createHostPath: true, projectDir: dir },
                { type: "bind", source: "/home/u/logs", target: "/logs", readOnly: false, createHostPath: true, projectDir: dir },
                { type: "volume", source: "db", target: "/var/lib/mysql", readOnly: true },
                { type: "volume", target: "/anonymous", readOnly: false },
                { type: "bind", source: "/var/run/docker.sock", target: "/var/run/docker.sock", readOnly: false, createHostPath: true, selinux: "z" },
                { type: "bind", source: path.join(dir, "static"), target: "/static", readOnly: true, createHostPath: true, propagation: "rshared", projectDir: dir },
                { type: "volume", source: "db", target: "/db", readOnly: false, noCopy: true, subpath: "sub" },
                { type: "tmpfs", target: "/cache", sizeBytes: 64 * 1024 * 1024, mode: 0o1777 },
                { type: "tmpfs", target: "/run", sizeBytes: 1024, mode: 0o755 },
            ]);
        });
    });

    it("parses durations and sizes", () => {
        const s = svc(`    healthcheck: { test: "true", interval: 1m30s, timeout: 500ms, start_period: 1h, start_interval: 2s, retries: 3 }
    stop_grace_period: 1m
    mem_limit: 1.5G
    mem_reservation: 10m
    shm_size: 64mb
    deploy: { resources: { limits: { memory: 1.5G, cpus: "0.5", pids: 100 }, reservations: { cpus: "0.25" } } }`);
        assert.deepStrictEqual(s.healthcheck, { disable: false, test: ["CMD-SHELL", "true"], intervalMs: 90_000, timeoutMs: 500, retries: 3, startPeriodMs: 3_600_000, startIntervalMs: 2000 });
        assert.strictEqual(s.stopGracePeriodMs, 60_000);
        assert.deepStrictEqual(s.resources, {
            limits: { cpus: 0.5, memoryBytes: 1610612736, pids: 100 },
            reservations: { cpus: 0.25, memoryBytes: 10 * 1024 * 1024 },
            shmSizeBytes: 64 * 1024 * 1024,
        });
        assert.deepStrictEqual(svc(`    mem_limit: 50M`).resources.limits, { memoryBytes: 50 * 1024 * 1024 });
    });

    it("splits command and entrypoint strings like a shell", () => {
        const s = svc(`    command: bash -c "echo 'hi there' \\"quoted\\"" plain\\ word
    entrypoint: ["/bin/sh", "-c"]`);
        assert.deepStrictEqual(s.command, ["bash", "-c", `echo 'hi there' "quoted"`, "plain word"]);
        assert.deepStrictEqual(s.entrypoint, ["/bin/sh", "-c"]);
        assert.deepStrictEqual(svc(`    command: '--flag=$$HOME'`).command, ["--flag=$HOME"]);
    });

    it("reads every healthcheck test form", () => {
        const hc = (test: string) => svc(`    healthcheck:\n      test: ${test}`).healthcheck;
        assert.deepStrictEqual(hc(`curl -f http://localhost/`), { disable: false, test: ["CMD-SHELL", "curl -f http://localhost/"] });
        assert.deepStrictEqual(hc(`["CMD", "curl", "-f", "http://localhost/"]`), { disable: false, test: ["CMD", "curl", "-f", "http://localhost/"] });
        assert.deepStrictEqual(hc(`["CMD-SHELL", "exit 0"]`), { disable: false, test: ["CMD-SHELL", "exit 0"] });
        assert.deepStrictEqual(hc(`["NONE"]`), { disable: true });
        assert.deepStrictEqual(svc(`    healthcheck: { disable: true }`).healthcheck, { disable: true });
    });

    it("reads depends_on lists and maps", () => {
        const spec = loadYaml(`services:
  db: { image: postgres, healthcheck: { test: "pg_isready" } }
  cache: { image: redis }
  job: { image: busybox }
  web:
    image: nginx
    depends_on:
      db: { condition: service_healthy, restart: true }
      cache: { condition: service_started, required: false }
      job: { condition: service_completed_successfully }
  api:
    image: api
    depends_on: [db, cache]
`);
        assert.deepStrictEqual(spec.services.web.dependsOn, [
            { service: "db", condition: "healthy", required: true, restart: true },
            { service: "cache", condition: "started", required: false, restart: false },
            { service: "job", condition: "completed", required: true, restart: false },
        ]);
        assert.deepStrictEqual(spec.services.api.dependsOn, [
            { service: "db", condition: "started", required: true, restart: false },
            { service: "cache", condition: "started", required: true, restart: false },
        ]);
    });

    it("reads deploy", () => {
        const s = svc(`    deploy:
      mode: replicated
      replicas: 3
      endpoint_mode: dnsrr
      labels: [com.example=1]
      restart_policy: { condition: on-failure, delay: 5s, max_attempts: 3, window: 2m }
      update_config: { parallelism: 2, delay: 10s, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.1, order: start-first }
      rollback_config: { parallelism: 1, order: stop-first }
      placement:
        constraints: [node.role==worker]
        preferences: [{ spread: node.labels.zone }]
        max_replicas_per_node: 2`);
        assert.strictEqual(s.mode, "replicated");
        assert.strictEqual(s.replicas, 3);
        assert.deepStrictEqual(s.deploy, {
            endpointMode: "dnsrr",
            placement: { constraints: ["node.role==worker"], preferences: [{ spread: "node.labels.zone" }], maxReplicasPerNode: 2 },
            restartPolicy: { condition: "on-failure", delayMs: 5000, maxAttempts: 3, windowMs: 120_000 },
            updateConfig: { parallelism: 2, delayMs: 10_000, failureAction: "rollback", monitorMs: 30_000, maxFailureRatio: 0.1, order: "start-first" },
            rollbackConfig: { parallelism: 1, order: "stop-first" },
            labels: { "com.example": "1" },
        });
        assert.strictEqual(svc(`    deploy: { mode: global }`).mode, "global");
        assert.strictEqual(svc(`    scale: 2`).replicas, 2);
    });

    it("reads secrets and configs in short and long form, with their top-level sources", () => {
        const { spec, dir } = loadProject({
            "compose.yaml": `services:
  web:
    image: nginx
    secrets:
      - db-password
      - { source: api-key, target: /etc/key, uid: "100", gid: "101", mode: 0400 }
      - { source: token, target: token.txt }
    configs:
      - nginx-conf
      - { source: site, target: /etc/nginx/site.conf, mode: 0444 }
secrets:
  db-password: { file: ./db/password.txt }
  api-key: { environment: API_KEY }
  token: { external: true, name: prod-token }
configs:
  nginx-conf: { file: nginx.conf }
  site: { content: "server {}" }
`,
            // A secret or config a service uses must exist when the file is loaded.
            "db/password.txt": "pw\n",
            "nginx.conf": "events {}\n",
        }, { env: { API_KEY: "k3y" } });
        assert.deepStrictEqual(spec.services.web.secrets, [
            { source: "db-password", target: "/run/secrets/db-password" },
            { source: "api-key", target: "/etc/key", uid: "100", gid: "101", mode: 0o400 },
            { source: "token", target: "/run/secrets/token.txt" },
        ]);
        assert.deepStrictEqual(spec.services.web.configs, [
            { source: "nginx-conf", target: "/nginx-conf" },
            { source: "site", target: "/etc/nginx/site.conf", mode: 0o444 },
        ]);
        assert.deepStrictEqual(spec.secrets, {
            "db-password": { key: "db-password", file: path.join(dir, "db/password.txt"), external: false, labels: {} },
            // An `environment:` source takes its value from the project environment while loading, as compose-go does.
            "api-key": { key: "api-key", content: "k3y", external: false, labels: {} },
            token: { key: "token", name: "prod-token", external: true, labels: {} },
        });
        assert.deepStrictEqual(spec.configs, {
            "nginx-conf": { key: "nginx-conf", file: path.join(dir, "nginx.conf"), external: false, labels: {} },
            site: { key: "site", content: "server {}", external: false, labels: {} },
        });
    });

    it("reads top-level networks and volumes, external and name (also the legacy external.name)", () => {
        const spec = loadYaml(`services:
  web:
    image: nginx
    networks:
      front: { aliases: [www], ipv4_address: 172.28.0.5 }
      back:
    volumes: [data:/data, old:/old]
networks:
  front:
    driver: bridge
    driver_opts: { com.docker.network.bridge.name: br-front }
    internal: true
    attachable: true
    enable_ipv6: "true"
    ipam: { driver: default, config: [{ subnet: 172.28.0.0/16, gateway: 172.28.0.1, ip_range: 172.28.5.0/24, aux_addresses: { host1: 172.28.1.5 } }] }
    labels: { tier: front }
  back: { external: true, name: shared-back }
volumes:
  data: { driver: local, driver_opts: { type: nfs }, labels: [backup=daily], name: app-data }
  old: { external: { name: legacy-volume } }
`);
        assert.deepStrictEqual(spec.services.web.networks, [
            { network: "front", aliases: ["www"], ipv4Address: "172.28.0.5" },
            { network: "back", aliases: [] },
        ]);
        assert.deepStrictEqual(spec.networks, {
            front: {
                key: "front", driver: "bridge", driverOpts: { "com.docker.network.bridge.name": "br-front" }, internal: true, attachable: true, enableIpv6: true,
                ipam: { driver: "default", config: [{ subnet: "172.28.0.0/16", gateway: "172.28.0.1", ipRange: "172.28.5.0/24", auxAddresses: { host1: "172.28.1.5" } }] },
                labels: { tier: "front" }, external: false,
            },
            back: { key: "back", name: "shared-back", driverOpts: {}, internal: false, attachable: false, enableIpv6: false, ipam: { config: [] }, labels: {}, external: true },
        });
        assert.deepStrictEqual(spec.volumes, {
            data: { key: "data", name: "app-data", driver: "local", driverOpts: { type: "nfs" }, labels: { backup: "daily" }, external: false, extensions: {} },
            old: { key: "old", name: "legacy-volume", driverOpts: {}, labels: {}, external: true, extensions: {} },
        });
    });

    it("keeps user-named keys as written and converts the rest", () => {
        const s = svc(`    environment: { camelCase_Var: 1, dotted.key: "x", flag: true }
    labels: { com.example.someLabel: v }
    sysctls: { net.core.somaxconn: 1024 }
    ulimits: { nofile: { soft: 1024, hard: 2048 }, nproc: 512 }
    extra_hosts: ["db.local:10.0.0.2", "v6=::1"]
    logging: { driver: json-file, options: { max-size: 10m, max-file: 3 } }
    dns: 8.8.8.8
    dns_search: example.com
    dns_opt: [use-vc]
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    security_opt: [no-new-privileges:true, label:disable]
    group_add: [audio, 1001]
    user: "1000"
    working_dir: /app
    hostname: web1
    domainname: example.com
    read_only: true
    privileged: "yes"
    init: true
    tty: true
    stdin_open: true
    stop_signal: SIGINT
    cpus: 1.5
    cpu_shares: 512
    cpuset: "0-1"
    pids_limit: 50
    restart: on-failure:3
    x-team: payments`);
        assert.deepStrictEqual(s.environment, { camelCase_Var: "1", "dotted.key": "x", flag: "true" });
        assert.deepStrictEqual(s.labels, { "com.example.someLabel": "v" });
        assert.deepStrictEqual(s.sysctls, { "net.core.somaxconn": "1024" });
        assert.deepStrictEqual(s.ulimits, { nofile: { soft: 1024, hard: 2048 }, nproc: { soft: 512, hard: 512 } });
        assert.deepStrictEqual(s.extraHosts, [{ host: "db.local", ip: "10.0.0.2" }, { host: "v6", ip: "::1" }]);
        assert.deepStrictEqual(s.logging, { driver: "json-file", options: { "max-size": "10m", "max-file": "3" } });
        assert.deepStrictEqual([s.dns, s.dnsSearch, s.dnsOptions, s.capAdd, s.capDrop], [["8.8.8.8"], ["example.com"], ["use-vc"], ["NET_ADMIN"], ["ALL"]]);
        assert.deepStrictEqual([s.securityOpt, s.noNewPrivileges, s.groupAdd], [["label:disable"], true, ["audio", "1001"]]);
        assert.deepStrictEqual([s.user, s.workingDir, s.hostname, s.domainname], ["1000", "/app", "web1", "example.com"]);
        assert.deepStrictEqual([s.readOnly, s.privileged, s.init, s.tty, s.stdinOpen, s.stopSignal], [true, true, true, true, true, "SIGINT"]);
        assert.deepStrictEqual(s.resources, { limits: { cpus: 1.5, pids: 50 }, reservations: {}, cpuShares: 512, cpuset: "0-1" });
        assert.deepStrictEqual(s.restart, { policy: "on-failure", maxRetries: 3 });
        assert.deepStrictEqual(s.extensions, { "x-team": "payments" });
    });

    it("builds images named <project>-<service> unless image is set", () => {
        const { spec, dir } = loadProject({
            "compose.yaml": `services:
  api:
    build: ./api
  web:
    image: registry/web:1
    build:
      context: web
      dockerfile: Dockerfile.prod
      target: runtime
      args: [NODE_ENV=production, FROM_ENV]
      labels: { team: web }
`,
        }, { env: { FROM_ENV: "yes" } });
        assert.deepStrictEqual(spec.services.api.build, { context: path.join(dir, "api"), args: {}, labels: {} });
        assert.strictEqual(spec.services.api.image, "app-api");
        assert.deepStrictEqual(spec.services.web.build, {
            context: path.join(dir, "web"), dockerfile: "Dockerfile.prod", args: { NODE_ENV: "production", FROM_ENV: "yes" }, target: "runtime", labels: { team: "web" },
        });
        assert.strictEqual(spec.services.web.image, "registry/web:1");
    });

    it("reads interpolated numbers and booleans back from strings", () => {
        const s = loadYaml(`services:
  web:
    image: nginx
    scale: \${N}
    privileged: \${P}
    ports: ["\${PORT}:80"]
`, { env: { N: "2", P: "false", PORT: "8080" } }).services.web;
        assert.deepStrictEqual([s.replicas, s.privileged, s.ports[0].published], [2, false, 8080]);
    });

    it("ignores x- fields, keeps them per service, and warns about version and unsupported keys", () => {
        const { spec, warnings } = loadProject({
            "compose.yaml": `version: "3.8"
x-common: &common
  restart: always
services:
  web:
    <<: *common
    image: nginx
    oom_score_adj: 500
    x-port: 80
`,
        });
        assert.strictEqual(spec.services.web.restart.policy, "always");
        assert.deepStrictEqual(spec.services.web.extensions, { "x-port": 80 });
        assert.strictEqual(warnings.length, 2);
        assert.ok(warnings[0].includes("version: the attribute `version` is obsolete"), warnings[0]);
        assert.ok(warnings[1].includes('services.web.oom_score_adj: "oom_score_adj" is not supported by dockyard and is ignored'), warnings[1]);
    });

    describe("container_name, devices, platform, pid, ipc, runtime, mac_address, cgroup_parent", () => {
        it("reads each into the model, as docker compose config does", () => {
            const { spec, warnings } = loadProject({
                "compose.yaml": `services:
  cadvisor:
    image: gcr.io/cadvisor/cadvisor:v0.52.1
    container_name: cadvisor
    privileged: true
    devices:
      - /dev/kmsg
      - /dev/sda:/dev/xvda
      - "/dev/ttyUSB0:/dev/modem:rw"
      - source: /dev/nvidia0
      - source: /dev/fuse
        target: /dev/fuse
        permissions: rwm
    platform: linux/x86_64
    pid: host
    ipc: shareable
    runtime: runsc
    mac_address: 02:42:AC:11:00:02
    cgroup_parent: monitoring.slice
    networks:
      mon:
        mac_address: "02:42:ac:11:00:02"
  sidecar:
    image: busybox
    pid: service:cadvisor
    ipc: service:cadvisor
networks:
  mon:
`,
            });
            const c = spec.services.cadvisor;
            assert.deepStrictEqual(
                [c.containerName, c.devices, c.platform, c.pid, c.ipc, c.runtime, c.macAddress, c.cgroupParent, c.networks],
                [
                    "cadvisor",
                    [
                        { hostPath: "/dev/kmsg", containerPath: "/dev/kmsg", permissions: "rwm" },
                        { hostPath: "/dev/sda", containerPath: "/dev/xvda", permissions: "rwm" },
                        { hostPath: "/dev/ttyUSB0", containerPath: "/dev/modem", permissions: "rw" },
                        { hostPath: "/dev/nvidia0", containerPath: "/dev/nvidia0", permissions: "rwm" },
                        { hostPath: "/dev/fuse", containerPath: "/dev/fuse", permissions: "rwm" },
                    ],
                    "linux/amd64",
                    "host",
                    "shareable",
                    "runsc",
                    "02:42:AC:11:00:02",
                    "monitoring.slice",
                    [{ network: "mon", aliases: [], macAddress: "02:42:ac:11:00:02" }],
                ],
            );
            // compose-go makes the service whose namespaces are joined a dependency.
            assert.deepStrictEqual(spec.services.sidecar.dependsOn, [{ service: "cadvisor", condition: "started", required: true, restart: true }]);
            assert.deepStrictEqual([spec.services.sidecar.pid, spec.services.sidecar.ipc], ["service:cadvisor", "service:cadvisor"]);
            assert.deepStrictEqual(warnings, []);
        });

        it("leaves them out when unset", () => {
            const s = svc("");
            assert.deepStrictEqual(s.devices, []);
            for (const key of ["containerName", "platform", "pid", "ipc", "runtime", "macAddress", "cgroupParent"]) assert.ok(!(key in s), key);
        });

        it("keeps an explicit depends_on of a namespace service, and reads pid: null as unset", () => {
            const spec = loadYaml(`services:
  vpn:
    image: v
    healthcheck: { test: "true" }
  app:
    image: a
    network_mode: service:vpn
    pid: null
    depends_on:
      vpn: { condition: service_healthy }
`);
            assert.deepStrictEqual(spec.services.app.dependsOn, [{ service: "vpn", condition: "healthy", required: true, restart: false }]);
            assert.ok(!("pid" in spec.services.app));
        });

        it("refuses bad values with the Compose path and the value", () => {
            const bad = (body: string, ...parts: string[]) => assertSpecError(() => svc(body), ...parts);
            bad("    container_name: -web", "services.web.container_name", '"-web"');
            bad("    container_name: web\n    scale: 2", "services.web.scale", 'container_name "web"', "2 replicas");
            bad("    container_name: web\n    deploy: { replicas: 3 }", "services.web.deploy.replicas", "3");
            bad("    devices: [dev/kmsg]", "services.web.devices[0]", "absolute path", '"dev/kmsg"');
            bad('    devices: ["/dev/a:/dev/b:rwx"]', "services.web.devices[0]", "permissions", '"/dev/a:/dev/b:rwx"');
            bad('    devices: ["/dev/a:b:c:d"]', "services.web.devices[0]", "long form", '"/dev/a:b:c:d"');
            bad('    devices: ["nvidia.com/gpu=all"]', "services.web.devices[0]", "CDI", '"nvidia.com/gpu=all"');
            bad("    platform: linux/amd64/v1/x", "services.web.platform", "os[/arch[/variant]]", '"linux/amd64/v1/x"');
            bad("    pid: private", "services.web.pid", "unknown pid mode", '"private"');
            bad("    ipc: sharable", "services.web.ipc", "unknown ipc mode", '"sharable"');
            bad("    pid: service:db", "services.web.pid", 'undefined service "db"', '"service:db"');
            bad("    ipc: service:web", "services.web.ipc", "its own IPC namespace", '"service:web"');
            bad("    mac_address: 02:42:ac:11:00", "services.web.mac_address", "MAC address", '"02:42:ac:11:00"');
            bad("    mac_address: 02:42:ac:11:00:02\n    network_mode: host", "services.web.mac_address", 'network_mode "host"');
            bad("    runtime: my runtime", "services.web.runtime", '"my runtime"');
            bad("    cgroup_parent: ''", "services.web.cgroup_parent", '""');
            assertSpecError(() => loadYaml("services:\n  a:\n    image: x\n    container_name: db\n  b:\n    image: x\n    container_name: db\n"),
                "services.b.container_name", 'both set container_name "db"');
            assertSpecError(() => loadYaml("services:\n  a:\n    image: x\n    mac_address: 02:00:00:00:00:01\n    networks:\n      n:\n        mac_address: 02:00:00:00:00:02\nnetworks:\n  n:\n"),
                "services.a.mac_address", "differ", '"02:00:00:00:00:01"');
        });
    });

    describe("project name", () => {
        it("comes from the option, then COMPOSE_PROJECT_NAME, then name:, then the directory", () => {
            const files = { "compose.yaml": "name: from-file\nservices: { a: { image: x } }\n" };
            assert.strictEqual(loadProject(files, { projectName: "opt" }).spec.name, "opt");
            assert.strictEqual(loadProject(files, { projectName: undefined, env: { COMPOSE_PROJECT_NAME: "from-env" } }).spec.name, "from-env");
            assert.strictEqual(loadProject(files, { projectName: undefined }).spec.name, "from-file");
            const { spec } = loadProject({ "My Project.Dir/compose.yaml": "services: { a: { image: x } }\n" }, { projectName: undefined, composeFiles: ["My Project.Dir/compose.yaml"] });
            assert.strictEqual(spec.name, "myprojectdir");
        });
    });
});
