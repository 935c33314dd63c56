/**
 * Model paths (the targets' findings, the normalizer's errors) told back in the Compose file's
 * terms: the keys the user wrote, with the user's own indices, and x-* content as written.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ComposeError, composeLocation, composePath, composeSite, inComposeTerms, parsePath } from "../../components/compose";
import { defineApp } from "../../components/spec";
import { SpecError, joinPath } from "../../components/spec/errors";
import { assertSpecError } from "../harness";
import { loadProject, loadYaml } from "./project";

const at = (yaml: string) => {
    const spec = loadYaml(yaml);
    return (p: string) => composeLocation(spec, p);
};

describe("compose/paths", () => {
    it("keeps x-* extension content as written", () => {
        const where = at("services:\n  web:\n    image: nginx\n    x-kubernetes:\n      serviceType: LoadBalancer\n");
        assert.strictEqual(where("services.web.x-kubernetes.serviceType"), "services.web.x-kubernetes.serviceType");
        assert.strictEqual(where("services.web.extensions.x-kubernetes.serviceType"), "services.web.x-kubernetes.serviceType");
        // Without a loaded spec too.
        assert.strictEqual(inComposeTerms(new SpecError("bad", "services.web.x-kubernetes.serviceType", "x"), "compose.yaml").path, "services.web.x-kubernetes.serviceType");
        assert.deepStrictEqual(composePath(parsePath("services.web.x-kubernetes.nodePorts.httpPort")), ["services", "web", "x-kubernetes", "nodePorts", "httpPort"]);
    });

    it("tells a mount by the user's own list and index: volumes or tmpfs", () => {
        const where = at(`services:
  web:
    image: nginx
    volumes: [data:/data, "./conf:/etc/nginx:ro", { type: volume, source: data, target: /cache, volume: { nocopy: true } }]
    tmpfs: [/run, "/tmp:size=64m"]
  one:
    image: nginx
    tmpfs: /run
volumes:
  data:
`);
        assert.strictEqual(where("services.web.mounts[3]"), "services.web.tmpfs[0]");
        assert.strictEqual(where("services.web.mounts[4].sizeBytes"), "services.web.tmpfs[1]");
        assert.strictEqual(where("services.web.mounts[1].readOnly"), "services.web.volumes[1]");
        assert.strictEqual(where("services.web.mounts[2].noCopy"), "services.web.volumes[2].volume.nocopy");
        assert.strictEqual(where("services.web.mounts[2].target"), "services.web.volumes[2].target");
        assert.strictEqual(where("services.one.mounts[0]"), "services.one.tmpfs");
        // A mount index under a Compose name, as targets have written it.
        assert.strictEqual(where("services.web.tmpfs[3]"), "services.web.tmpfs[0]");
        assert.strictEqual(where("services.web.volumes[0]"), "services.web.volumes[0]");
        assert.strictEqual(where("services.web.mounts"), "services.web");
    });

    it("tells an expanded port or exposed port by the user's entry", () => {
        const where = at(`services:
  web:
    image: nginx
    ports:
      - "80:80"
      - "443:443"
      - 8080
      - "127.0.0.1:9090:9090"
      - "7000-7009:7000-7009"
      - { target: 53, published: 5353, protocol: udp }
      - "6000:6000"
      - "6001:6001"
      - "6002:6002"
    expose: ["3000-3004", 4000]
`);
        assert.strictEqual(where("services.web.ports[3]"), "services.web.ports[3]");
        assert.strictEqual(where("services.web.ports[4]"), "services.web.ports[4]");
        assert.strictEqual(where("services.web.ports[13]"), "services.web.ports[4]");
        assert.strictEqual(where("services.web.ports[14].published"), "services.web.ports[5].published");
        assert.strictEqual(where("services.web.ports[17]"), "services.web.ports[8]");
        assert.strictEqual(where("services.web.ports[3].hostIp"), "services.web.ports[3]");
        assert.strictEqual(where("services.web.expose[4]"), "services.web.expose[0]");
        assert.strictEqual(where("services.web.expose[5]"), "services.web.expose[1]");
    });

    it("tells resources by the key the user wrote: pids_limit or deploy.resources.limits.pids, cpu_shares…", () => {
        const where = at(`services:
  a:
    image: x
    pids_limit: 100
    cpu_shares: 512
    mem_limit: 1g
    memswap_limit: 2g
  b:
    image: x
    deploy:
      resources:
        limits: { pids: 100, memory: 1g, cpus: "0.5" }
        reservations: { memory: 512m }
    shm_size: 64m
    cpus: 0.5
`);
        assert.strictEqual(where("services.a.resources.limits.pids"), "services.a.pids_limit");
        assert.strictEqual(where("services.b.resources.limits.pids"), "services.b.deploy.resources.limits.pids");
        assert.strictEqual(where("services.a.deploy.resources.limits.pids"), "services.a.pids_limit");
        assert.strictEqual(where("services.a.resources.cpuShares"), "services.a.cpu_shares");
        assert.strictEqual(where("services.a.cpuShares"), "services.a.cpu_shares");
        assert.strictEqual(where("services.a.pidsLimit"), "services.a.pids_limit");
        assert.strictEqual(where("services.a.resources.limits.memoryBytes"), "services.a.mem_limit");
        assert.strictEqual(where("services.b.resources.limits.memoryBytes"), "services.b.deploy.resources.limits.memory");
        assert.strictEqual(where("services.b.resources.reservations.memoryBytes"), "services.b.deploy.resources.reservations.memory");
        assert.strictEqual(where("services.a.resources.memorySwapBytes"), "services.a.memswap_limit");
        assert.strictEqual(where("services.b.resources.shmSizeBytes"), "services.b.shm_size");
        // deploy.resources wins over cpus, as in the normalizer.
        assert.strictEqual(where("services.b.resources.limits.cpus"), "services.b.deploy.resources.limits.cpus");
        // The whole group: the one key written, or the service holding several.
        assert.strictEqual(where("services.a.resources"), "services.a");
        assert.strictEqual(at("services:\n  a:\n    image: x\n    cpu_shares: 2\n")("services.a.resources"), "services.a.cpu_shares");
    });

    it("tells replicas by scale or deploy.replicas, and the model's renamed fields by their Compose keys", () => {
        const where = at(`services:
  a:
    image: x
    scale: 2
    stop_grace_period: 10s
    healthcheck: { test: "true", interval: 5s, start_period: 1m }
    dns_opt: [ndots:2]
    security_opt: [label:disable, no-new-privileges:true, seccomp:unconfined]
  b:
    image: x
    deploy:
      replicas: 3
      mode: replicated
      restart_policy: { delay: 5s }
      update_config: { monitor: 10s }
`);
        assert.strictEqual(where("services.a.replicas"), "services.a.scale");
        assert.strictEqual(where("services.b.replicas"), "services.b.deploy.replicas");
        assert.strictEqual(where("services.a.deploy.replicas"), "services.a.scale");
        assert.strictEqual(where("services.b.mode"), "services.b.deploy.mode");
        assert.strictEqual(where("services.a.stopGracePeriodMs"), "services.a.stop_grace_period");
        assert.strictEqual(where("services.a.healthcheck.intervalMs"), "services.a.healthcheck.interval");
        assert.strictEqual(where("services.a.healthcheck.startPeriodMs"), "services.a.healthcheck.start_period");
        assert.strictEqual(where("services.a.dnsOptions[0]"), "services.a.dns_opt[0]");
        assert.strictEqual(where("services.a.noNewPrivileges"), "services.a.security_opt[1]");
        assert.strictEqual(where("services.a.securityOpt[1]"), "services.a.security_opt[2]");
        assert.strictEqual(where("services.b.deploy.restartPolicy.delayMs"), "services.b.deploy.restart_policy.delay");
        assert.strictEqual(where("services.b.deploy.updateConfig.monitorMs"), "services.b.deploy.update_config.monitor");
        assert.strictEqual(where("services.a.restart.policy"), "services.a.restart");
        assert.strictEqual(where("services.a.name"), "services.a");
    });

    it("tells named entries by the user's form: a map key, a list index, or where the model got them", () => {
        const { spec, dir } = loadProject({
            "compose.yaml": `services:
  vpn:
    image: v
  app:
    image: a
    network_mode: service:vpn
    env_file: app.env
    environment: [A=1, B=2]
    labels: { team: web }
    extra_hosts: { db: 10.0.0.1 }
  web:
    image: w
    networks: [front, back]
    depends_on: [app]
    extra_hosts: ["db:10.0.0.1"]
  api:
    image: w
    networks:
      back: { ipv4_address: 10.1.0.5 }
    depends_on:
      web: { condition: service_started }
networks:
  front:
  back:
    external: { name: shared-back }
`,
            "app.env": "C=3\n",
        });
        const where = (p: string) => composeLocation(spec, p);
        assert.strictEqual(where("services.app.environment.B"), "services.app.environment[1]");
        assert.strictEqual(where("services.app.environment.C"), "services.app.env_file");
        assert.strictEqual(where("services.app.labels.team"), "services.app.labels.team");
        assert.strictEqual(where("services.app.dependsOn[0]"), "services.app.network_mode");
        assert.strictEqual(where("services.app.extraHosts[0].ip"), "services.app.extra_hosts.db");
        assert.strictEqual(where("services.web.extraHosts[0]"), "services.web.extra_hosts[0]");
        assert.strictEqual(where("services.web.extraHosts.db"), "services.web.extra_hosts[0]");
        assert.strictEqual(where("services.web.networks[1]"), "services.web.networks[1]");
        assert.strictEqual(where("services.web.networks.back.aliases"), "services.web.networks[1]");
        assert.strictEqual(where("services.web.dependsOn.app.condition"), "services.web.depends_on[0]");
        assert.strictEqual(where("services.api.networks[0].ipv4Address"), "services.api.networks.back.ipv4_address");
        assert.strictEqual(where("services.api.dependsOn[0].condition"), "services.api.depends_on.web.condition");
        assert.strictEqual(where("networks.back.name"), "networks.back.external.name");
        assert.strictEqual(where("networks.front.enableIpv6"), "networks.front.enable_ipv6");
        assert.strictEqual(where("networks.front.key"), "networks.front");
        assert.ok(dir);
    });

    it("keeps working on a copy of the spec, and translates names alone for a spec not loaded from Compose", () => {
        const spec = loadYaml("services:\n  web:\n    image: x\n    tmpfs: [/run]\n    volumes: [/data]\n");
        assert.strictEqual(composeLocation({ ...spec, source: "other" }, "services.web.mounts[1]"), "services.web.tmpfs[0]");
        const defined = defineApp({ name: "app", services: { web: { image: "x", tmpfs: ["/run"], cpuShares: 2 } } });
        assert.strictEqual(composeLocation(defined, "services.web.resources.cpuShares"), "services.web.cpu_shares");
        assert.strictEqual(composeLocation(defined, "services.web.healthcheck.startIntervalMs"), "services.web.healthcheck.start_interval");
    });

    it("names the file and line a value came from, of several merged files", () => {
        const { spec, dir } = loadProject(
            {
                "compose.yaml": "services:\n  web:\n    image: nginx\n    ports: ['80:80']\n",
                "override.yaml": "services:\n  web:\n    pids_limit: 50\n    ports: ['7000-7004:7000-7004', '81:81']\n",
            },
            { composeFiles: ["compose.yaml", "override.yaml"] },
        );
        const site = composeSite(spec, "services.web.resources.limits.pids");
        assert.deepStrictEqual(site, { path: "services.web.pids_limit", file: path.join(dir, "override.yaml"), line: 3 });
        // Merged ports: the override's two entries follow the base's one.
        assert.strictEqual(composeLocation(spec, "services.web.ports[6]"), "services.web.ports[2]");
        const e = inComposeTerms(new SpecError("Swarm cannot do this", "services.web.resources.limits.pids", 50), "compose.yaml", spec);
        assert.ok(e instanceof ComposeError);
        assert.deepStrictEqual([e.path, e.file, (e as ComposeError).line], ["services.web.pids_limit", path.join(dir, "override.yaml"), 3]);
        assert.ok(e.message.startsWith(`${path.join(dir, "override.yaml")}:3: services.web.pids_limit: Swarm cannot do this`), e.message);
    });

    it("normalizer errors keep the user's index and form", () => {
        const bad = (yaml: string, ...parts: string[]) => assertSpecError(() => loadYaml(yaml), ...parts);
        bad("services:\n  a:\n    image: x\n    tmpfs: [/run, run]\n    volumes: [/data]\n", "services.a.tmpfs[1]", "absolute path");
        bad("services:\n  a:\n    image: x\n    environment: [A=1]\n    labels: [ok=1, 7]\n", "services.a.labels[1]");
        bad("services:\n  a:\n    image: x\n    healthcheck: { test: [CMD, x], interval: soon }\n", "services.a.healthcheck.interval", '"soon"');
        bad("services:\n  a:\n    image: x\n    ports: ['80:80', { target: 81, mode: nope }]\n", "services.a.ports[1].mode", '"nope"');
    });
    it("tells every path of a rich spec by a key the file has, or a Compose key under one (a default), never a model name", () => {
        const { spec, dir } = loadProject({ "compose.yaml": RICH, "app.env": "C=1\n", "pw.txt": "pw\n", Dockerfile: "FROM scratch\n" }, { env: { TOKEN: "t" } });
        const raw = YAML.parse(fs.readFileSync(path.join(dir, "compose.yaml"), "utf8")) as unknown;
        const written = (segs: readonly (string | number)[]): number => {
            let node = raw;
            let depth = 0;
            for (const s of segs) {
                if (node === null || typeof node !== "object" || !Object.prototype.hasOwnProperty.call(node, s)) break;
                node = (node as Record<string | number, unknown>)[s];
                depth++;
            }
            return depth;
        };
        const paths: string[] = [];
        const walk = (v: unknown, p: string): void => {
            if (p) paths.push(p);
            if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}[${i}]`));
            else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, joinPath(p, k));
        };
        // Not from the file: the project name (given as an option here) and the source.
        const { name: _name, source: _source, ...fromFile } = spec;
        walk(fromFile, "");
        assert.ok(paths.length > 300, String(paths.length));
        const wrong = paths.flatMap((p) => {
            const loc = parsePath(composeLocation(spec, p));
            const depth = written(loc);
            const rest = loc.slice(depth);
            // What is not written is a default: Compose keys under the written part (a service, a network…).
            return depth === loc.length || (depth >= 1 && rest.every((s) => typeof s === "number" || /^[a-z0-9_]+$/.test(s))) ? [] : [`${p} -> ${composeLocation(spec, p)}`];
        });
        assert.deepStrictEqual(wrong, []);
        // Spot checks of what the file has.
        assert.strictEqual(composeLocation(spec, "services.web.ports[4]"), "services.web.ports[2]");
        assert.strictEqual(composeLocation(spec, "services.web.mounts[4]"), "services.web.tmpfs[1]");
        assert.strictEqual(composeLocation(spec, "services.web.ulimits.nofile.soft"), "services.web.ulimits.nofile.soft");
        assert.strictEqual(composeLocation(spec, "services.web.ulimits.nproc.soft"), "services.web.ulimits.nproc");
        assert.strictEqual(composeLocation(spec, "services.web.deploy.labels.a"), "services.web.deploy.labels[0]");
        assert.strictEqual(composeLocation(spec, "services.web.devices[1].hostPath"), "services.web.devices[1].source");
        assert.strictEqual(composeLocation(spec, "services.web.build.args.A"), "services.web.build.args[0]");
        assert.strictEqual(composeLocation(spec, "services.web.command[2]"), "services.web.command[2]");
        assert.strictEqual(composeLocation(spec, "services.web.entrypoint[0]"), "services.web.entrypoint");
        assert.strictEqual(composeLocation(spec, "volumes.data.extensions.x-kubernetes.size"), "volumes.data.x-kubernetes.size");
    });
});

/** A service using nearly every key dockyard models, and every kind of top-level definition. */
const RICH = `services:
  web:
    image: nginx
    build: { context: ., dockerfile: Dockerfile, args: [A=1], labels: { l: v } }
    command: ["nginx", "-g", "daemon off;"]
    entrypoint: /docker-entrypoint.sh
    env_file: app.env
    environment: { X: "1" }
    ports: ["80:80", "7000-7002:7000-7002", { target: 53, published: 5353, protocol: udp, host_ip: 127.0.0.1, name: dns }]
    expose: ["3000-3001", 4000]
    volumes: [data:/data, "./conf:/etc/nginx:ro", { type: bind, source: ., target: /src, bind: { propagation: rshared, selinux: z } }]
    tmpfs: ["/run:size=1m,uid=1", /tmp]
    networks:
      front: { aliases: [w], ipv4_address: 10.0.0.2, mac_address: "02:42:ac:11:00:02" }
      back:
    depends_on:
      db: { condition: service_healthy, restart: true }
    healthcheck: { test: "curl -f localhost", interval: 5s, timeout: 2s, retries: 3, start_period: 1m, start_interval: 1s }
    restart: on-failure:3
    deploy:
      mode: replicated
      replicas: 1
      endpoint_mode: vip
      labels: [a=b]
      resources: { limits: { cpus: "0.5", memory: 1g, pids: 10 }, reservations: { cpus: "0.25", memory: 512m } }
      restart_policy: { condition: on-failure, delay: 5s, max_attempts: 3, window: 1m }
      update_config: { parallelism: 1, delay: 1s, failure_action: rollback, monitor: 1s, max_failure_ratio: 0.5, order: start-first }
      rollback_config: { parallelism: 1 }
      placement: { constraints: [node.role==manager], preferences: [{ spread: node.labels.az }], max_replicas_per_node: 1 }
    cpu_shares: 512
    cpuset: "0-1"
    memswap_limit: 2g
    shm_size: 64m
    user: "1000:1000"
    group_add: [audio]
    working_dir: /app
    hostname: web
    domainname: example.com
    dns: 8.8.8.8
    dns_search: [example.com]
    dns_opt: [ndots:2]
    extra_hosts: ["db:10.0.0.9"]
    labels: { team: web }
    logging: { driver: json-file, options: { max-size: 1m } }
    read_only: true
    cap_add: [NET_ADMIN]
    cap_drop: [ALL]
    security_opt: [no-new-privileges:true, label:disable]
    privileged: false
    init: true
    stop_signal: SIGTERM
    stop_grace_period: 10s
    ulimits: { nofile: { soft: 100, hard: 200 }, nproc: 50 }
    sysctls: [net.core.somaxconn=1024]
    tty: true
    stdin_open: true
    secrets: [pw, { source: tok, target: /run/t, uid: "1", gid: "1", mode: 0400 }]
    configs: [{ source: conf, target: /c }]
    devices: [/dev/kmsg, { source: /dev/fuse, target: /dev/fuse, permissions: rwm }]
    platform: linux/amd64
    ipc: shareable
    runtime: runc
    cgroup_parent: m.slice
    x-kubernetes: { serviceType: LoadBalancer }
  db:
    image: postgres
    healthcheck: { test: [CMD, pg_isready] }
    pid: host
    mac_address: "02:42:ac:11:00:03"
networks:
  front: { driver: bridge, driver_opts: { o: "1" }, internal: false, attachable: true, enable_ipv6: false, ipam: { driver: default, config: [{ subnet: 10.0.0.0/24, gateway: 10.0.0.1, ip_range: 10.0.0.0/25, aux_addresses: { h: 10.0.0.3 } }] }, labels: { a: b } }
  back: { external: true, name: back-net }
volumes:
  data: { driver: local, driver_opts: { type: none }, labels: [a=b], x-kubernetes: { size: 1Gi } }
secrets:
  pw: { file: ./pw.txt }
  tok: { environment: TOKEN }
configs:
  conf: { content: "hello", labels: { a: b } }
`;
