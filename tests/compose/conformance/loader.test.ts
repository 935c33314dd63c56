/**
 * compose-go conformance: the `loader` package (loader_test.go, extends_test.go, include_test.go,
 * reset_test.go, merge_reset_test.go, normalize_test.go, multidoc_test.go, override_test.go), the
 * consistency rules of loader/validate.go and validation/*, and the parsers the loader relies on
 * (types/types_test.go TestParsePortConfig, format/volume_test.go, transform/*). Transcribed from
 * compose-go v2 (github.com/compose-spec/compose-go); each case names its Go test.
 *
 * Go tests often load with `SkipConsistencyCheck`; `docker compose` never skips it and neither does
 * dockyard, so where such a test leaves a reference undefined, the case declares it (said so in
 * its name). Interpolation and env files are the subject of the dotenv/template suites.
 */
import * as assert from "assert";
import * as path from "path";
import { networkName, volumeName } from "../../../components/spec/names";
import { DiffersCase, LoadCase, assertSubset, loadCases } from "./load-cases";

const L = "loader_test.go";

const sampleYAML = `
name: sample
services:
  foo:
    image: busybox
    networks:
      with_me:
  bar:
    image: busybox
    environment:
      - FOO=1
    networks:
      - with_ipam
volumes:
  hello:
    driver: default
    driver_opts:
      beep: boop
networks:
  default:
    driver: bridge
    driver_opts:
      beep: boop
  with_ipam:
    ipam:
      driver: default
      config:
        - subnet: 172.28.0.0/16
`;

const bind = (source: string, target: string, extra: object = {}) => ({ type: "bind", source, target, readOnly: false, createHostPath: true, ...extra });
const port = (target: number, published?: number, extra: object = {}) => ({ target, ...(published !== undefined ? { published } : {}), protocol: "tcp", mode: "ingress", ...extra });

const cases: LoadCase[] = [
    // ------------------------------------------------------------------ loader_test.go
    {
        go: `${L} TestLoad`,
        name: "a service on an undefined network is refused (the Go test skips the consistency check docker compose runs)",
        files: { "compose.yaml": sampleYAML },
        error: ['undefined network "with_me"'],
    },
    {
        go: `${L} TestLoad, TestParseAndLoad`,
        name: "the sample project (with_me declared)",
        files: { "compose.yaml": sampleYAML + "  with_me:\n" },
        expect: (spec) => {
            assertSubset(spec.services.foo, { image: "busybox", environment: {}, networks: [{ network: "with_me", aliases: [] }] });
            assertSubset(spec.services.bar, { image: "busybox", environment: { FOO: "1" }, networks: [{ network: "with_ipam", aliases: [] }] });
            assertSubset(spec.networks.default, { driver: "bridge", driverOpts: { beep: "boop" } });
            assertSubset(spec.networks.with_ipam, { ipam: { driver: "default", config: [{ subnet: "172.28.0.0/16", auxAddresses: {} }] } });
            assertSubset(spec.volumes.hello, { driver: "default", driverOpts: { beep: "boop" } });
        },
    },
    {
        go: `${L} TestLoadExtensions`,
        name: "top-level and service x- extensions are kept (image added to `another`: the Go test skips the consistency check)",
        files: {
            "compose.yaml": `
name: load-extensions
x-project: project
configs:
  x-config-name:
    external: true
    x-config-ext: config
services:
  another:
    image: busybox
    depends_on:
      foo:
        condition: service_started
        x-depends-on: depends
  foo:
    image: busybox
    x-foo: bar
    healthcheck:
      x-healthcheck: health
    develop:
      x-dev: dev`,
        },
        expect: (spec) => {
            assert.deepStrictEqual(spec.extensions, { "x-project": "project" });
            assert.deepStrictEqual(Object.keys(spec.services).length, 2);
            assert.strictEqual(spec.services.foo.image, "busybox");
            assert.deepStrictEqual(spec.services.foo.extensions, { "x-foo": "bar" });
            assert.strictEqual(spec.configs["x-config-name"].external, true);
            assertSubset(spec.services.another.dependsOn, [{ service: "foo", condition: "started", required: true, restart: false }]);
        },
    },
    {
        go: `${L} TestLoadExtends`,
        name: "extends: <service> inherits what the service does not set",
        files: { "compose.yaml": "name: load-extends\nservices:\n  foo:\n    image: busybox\n    extends: bar\n  bar:\n    image: alpine\n    command: echo" },
        expect: (spec) => {
            assert.strictEqual(Object.keys(spec.services).length, 2);
            assert.strictEqual(spec.services.foo.image, "busybox");
            assert.deepStrictEqual(spec.services.foo.command, ["echo"]);
        },
    },
    {
        go: `${L} TestLoadExtendsOverrideCommand`,
        name: "the local command replaces the extended one and is split like a shell",
        files: {
            "compose.yaml": `name: override-command
services:
  foo:
    image: busybox
    extends:
      service: bar
    command: "/bin/ash -c \\"rm -rf /tmp/might-not-exist\\""
  bar:
    image: alpine
    command: "/bin/ash -c \\"echo Oh no...\\""`,
        },
        expect: (spec) => {
            assert.strictEqual(spec.services.foo.image, "busybox");
            assert.deepStrictEqual(spec.services.foo.command, ["/bin/ash", "-c", "rm -rf /tmp/might-not-exist"]);
        },
    },
    {
        go: `${L} TestLoadExtendsMultipleFiles`,
        name: "a build context of an extended file is its directory; a build without context builds in the project directory",
        files: {
            "a/compose.yaml": "services:\n  a:\n    build: .\n",
            "b/compose.yaml": "services:\n  b:\n    build:\n      target: fake\n",
            "compose.yaml": "services:\n  a:\n    extends:\n      file: ./a/compose.yaml\n      service: a\n  b:\n    extends:\n      file: ./b/compose.yaml\n      service: b\n",
        },
        expect: (spec, { dir }) => {
            assert.strictEqual(Object.keys(spec.services).length, 2);
            assert.strictEqual(spec.services.a.build?.context, path.join(dir, "a"));
            assert.strictEqual(spec.services.b.build?.context, dir);
        },
    },
    {
        go: `${L} TestLoadExtendsWihReset`,
        name: "volumes: !reset [] drops the extended service's volumes",
        files: { "compose.yaml": "name: load-extends\nservices:\n  foo:\n    extends:\n      service: bar\n    volumes: !reset []\n  bar:\n    image: alpine\n    command: echo\n    volumes:\n       - .:/src\n" },
        expect: (spec) => {
            assert.strictEqual(Object.keys(spec.services).length, 2);
            assert.deepStrictEqual(spec.services.foo.mounts, []);
        },
    },
    ...[["1", "a single number value"], ['"hello"', "a single string value"], ['["hello"]', "a list"]].map(([text, what]): LoadCase => ({
        go: `${L} TestInvalidTopLevelObjectType`,
        name: `a file that is ${what} is refused: the top level must be a mapping`,
        files: { "compose.yaml": text },
        error: ["must be a mapping"],
    })),
    {
        go: `${L} TestNonStringKeys`,
        name: "a non-string top-level key is refused",
        files: { "compose.yaml": "\n123:\n  foo:\n    image: busybox\n" },
        error: ["123"],
    },
    {
        go: `${L} TestNonStringKeys`,
        name: "a non-string key in an IPAM pool is refused",
        files: { "compose.yaml": "\nservices:\n  foo:\n    image: busybox\nnetworks:\n  default:\n    ipam:\n      config:\n        - 123: oh dear\n" },
        error: ["networks.default.ipam.config[0]", "123"],
    },
    {
        go: `${L} TestV1Unsupported`,
        name: "a Compose v1 file (services at the top level) is refused",
        files: { "compose.yaml": "\nfoo:\n  image: busybox\n" },
        error: ["foo"],
    },
    ...([
        ["services:\n  - foo:\n      image: busybox\n", "services", "services must be a mapping"],
        ["services:\n  foo: busybox\n", "services.foo", "services.foo must be a mapping"],
        ["networks:\n  - default:\n      driver: bridge\n", "networks", "networks must be a mapping"],
        ["networks:\n  default: bridge\n", "networks.default", "networks.default must be a mapping"],
        ["volumes:\n  - data:\n      driver: local\n", "volumes", "volumes must be a mapping"],
        ["volumes:\n  data: local\n", "volumes.data", "volumes.data must be a mapping"],
    ] as const).map(([yaml, where, goMessage]): LoadCase => ({
        go: `${L} TestNonMappingObject`,
        name: `${where}: ${goMessage}`,
        files: { "compose.yaml": `name: non-mapping-object\n${yaml}` },
        error: [`${where}: must be`],
    })),
    {
        go: `${L} TestNonStringImage`,
        name: "services.foo.image must be a string",
        files: { "compose.yaml": 'name: non-mapping-object\nservices:\n  foo:\n    image: ["busybox", "latest"]\n' },
        error: ["services.foo.image", "must be string"],
    },
    {
        go: `${L} TestLoadWithEnvironment`,
        name: "environment as a map and as a list, a variable without a value from the environment",
        env: { MEU: "Shadoks" },
        files: {
            "compose.yaml": `name: load-with-environment
services:
  dict-env:
    image: busybox
    environment:
      FOO: "1"
      BAR: 2
      GA: 2.5
      BU: ""
      ZO:
      MEU:
  list-env:
    image: busybox
    environment:
      - FOO=1
      - BAR=2
      - GA=2.5
      - BU=
      - ZO
      - MEU
`,
        },
        expect: (spec) => {
            // compose-go keeps ZO unset (nil): the container does not get it. The model holds the variables the container gets.
            for (const s of ["dict-env", "list-env"]) assert.deepStrictEqual(spec.services[s].environment, { FOO: "1", BAR: "2", GA: "2.5", BU: "", MEU: "Shadoks" });
        },
    },
    {
        go: `${L} TestLoadEnvironmentWithBoolean`,
        name: "booleans in environment are their text",
        files: { "compose.yaml": "name: load-environment-with-boolean\nservices:\n  dict-env:\n    image: busybox\n    environment:\n      FOO: true\n      BAR: false\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services["dict-env"].environment, { FOO: "true", BAR: "false" }),
    },
    {
        go: `${L} TestInvalidEnvironmentValue`,
        name: "an environment value that is a list is refused",
        files: { "compose.yaml": 'name: invalid-environment-value\nservices:\n  dict-env:\n    image: busybox\n    environment:\n      FOO: ["1"]\n' },
        error: ["services.dict-env.environment.FOO"],
    },
    {
        go: `${L} TestInvalidEnvironmentObject`,
        name: "environment as a single string is refused",
        files: { "compose.yaml": 'name: invalid-environment-object\nservices:\n  dict-env:\n    image: busybox\n    environment: "FOO=1"\n' },
        error: ["services.dict-env.environment", "must be"],
    },
    {
        go: `${L} TestLoadWithInterpolationCastFull`,
        name: "values interpolated as strings are read as numbers and booleans (thefloat 0.314: see DIFFERS for 3.14)",
        env: { theint: "555", thefloat: "0.314", thebool: "true", theduration: "60s", thesize: "2gb" },
        files: {
            "compose.yaml": `
name: load-with-interpolation-cast-full
services:
  web:
    image: web
    configs:
      - source: appconfig
        mode: "$theint"
    secrets:
      - source: super
        mode: "$theint"
    healthcheck:
      retries: \${theint}
      disable: $thebool
    deploy:
      replicas: $theint
      update_config:
        parallelism: $theint
        max_failure_ratio: $thefloat
      rollback_config:
        parallelism: $theint
        max_failure_ratio: $thefloat
      restart_policy:
        max_attempts: $theint
      placement:
        max_replicas_per_node: $theint
    ports:
      - $theint
      - "34567"
      - target: $theint
        published: "$theint"
        x-foo-bar: true
    ulimits:
      nproc: $theint
      nofile:
        hard: $theint
        soft: $theint
    privileged: $thebool
    read_only: $thebool
    shm_size: \${thesize}
    stop_grace_period: \${theduration}
    stdin_open: \${thebool}
    tty: $thebool
    volumes:
      - source: data
        type: volume
        target: /data
        read_only: $thebool
        volume:
          nocopy: $thebool

configs:
  appconfig:
    external: $thebool
secrets:
  super:
    external: $thebool
volumes:
  data:
    external: $thebool
networks:
  front:
    external: $thebool
    internal: $thebool
    attachable: $thebool
  back:
`,
        },
        expect: (spec) => {
            const web = spec.services.web;
            assert.deepStrictEqual(web.configs, [{ source: "appconfig", target: "/appconfig", mode: 0o555 }]);
            assert.deepStrictEqual(web.secrets, [{ source: "super", target: "/run/secrets/super", mode: 0o555 }]);
            assert.deepStrictEqual(web.healthcheck, { disable: true });
            assert.strictEqual(web.replicas, 555);
            assertSubset(web.deploy, {
                updateConfig: { parallelism: 555, maxFailureRatio: 0.314 },
                rollbackConfig: { parallelism: 555, maxFailureRatio: 0.314 },
                restartPolicy: { maxAttempts: 555 },
                placement: { maxReplicasPerNode: 555 },
            });
            assert.deepStrictEqual(web.ports, [port(555), port(34567), port(555, 555)]);
            assert.deepStrictEqual(web.ulimits, { nproc: { soft: 555, hard: 555 }, nofile: { soft: 555, hard: 555 } });
            assert.deepStrictEqual([web.privileged, web.readOnly, web.stdinOpen, web.tty], [true, true, true, true]);
            assert.strictEqual(web.resources.shmSizeBytes, 2 * 1024 * 1024 * 1024);
            assert.strictEqual(web.stopGracePeriodMs, 60_000);
            assert.deepStrictEqual(web.mounts, [{ type: "volume", source: "data", target: "/data", readOnly: true, noCopy: true }]);
            assert.deepStrictEqual([spec.configs.appconfig.external, spec.secrets.super.external, spec.volumes.data.external], [true, true, true]);
            assertSubset(spec.networks.front, { external: true, internal: true, attachable: true });
            assertSubset(spec.networks.back, { external: false, internal: false, attachable: false });
        },
    },
    {
        go: `${L} TestUnsupportedProperties`,
        name: "links and pid: host load",
        files: { "compose.yaml": "name: test\nservices:\n  web:\n    image: web\n    build:\n     context: ./web\n    links:\n      - db\n    pid: host\n  db:\n    image: db\n    build:\n     context: ./db\n" },
        expect: (spec) => assert.strictEqual(spec.services.web.pid, "host"),
    },
    {
        go: `${L} TestDiscardEnvFileOption`,
        name: "env_file entries, one not required, fill the environment (env files written from the Go test's expectations)",
        files: {
            "compose.yaml": "name: test\nservices:\n  web:\n    image: nginx\n    env_file:\n     - example1.env\n     - path: example2.env\n       required: false\n",
            "example1.env": "FOO=foo_from_env_file\nBAZ=baz_from_env_file\nBAR=bar_from_env_file\nENV.WITH.DOT=ok\nENV_WITH_UNDERSCORE=ok\n",
            "example2.env": "BAR=bar_from_env_file_2\nQUX=quz_from_env_file_2\n",
        },
        expect: (spec) =>
            assert.deepStrictEqual(spec.services.web.environment, {
                FOO: "foo_from_env_file", BAZ: "baz_from_env_file", BAR: "bar_from_env_file_2", QUX: "quz_from_env_file_2", "ENV.WITH.DOT": "ok", ENV_WITH_UNDERSCORE: "ok",
            }),
    },
    {
        go: `${L} TestDecodeErrors`,
        name: "a tab used for indentation is a YAML error",
        files: { "compose.yaml": "name: test\nservices:\n  web:\n    image: nginx\n\tbuild: ." },
        error: ["tab"],
    },
    {
        go: `${L} TestBuildProperties`,
        name: "build: . and build.context are resolved in the project directory",
        files: { "compose.yaml": "name: test\nservices:\n  web:\n    image: web\n    build: .\n    links:\n      - db\n  db:\n    image: db\n    build:\n     context: ./db\n     shm_size: 2gb\n" },
        expect: (spec, { dir }) => {
            assert.deepStrictEqual(spec.services.web.build, { context: dir, args: {}, labels: {} });
            assert.strictEqual(spec.services.db.build?.context, path.join(dir, "db"));
        },
    },
    {
        go: `${L} TestDeprecatedProperties`,
        name: "container_name and expose load",
        files: { "compose.yaml": 'name: test\nservices:\n  web:\n    image: web\n    container_name: web\n  db:\n    image: db\n    container_name: db\n    expose: ["5434"]\n' },
        expect: (spec) => assert.deepStrictEqual(spec.services.db.expose, [{ target: 5434, protocol: "tcp" }]),
    },
    {
        go: `${L} TestInvalidResource`,
        name: "an unknown key in deploy.resources is refused",
        files: { "compose.yaml": "name: test\nservices:\n  foo:\n    image: busybox\n    deploy:\n      resources:\n        impossible:\n          x: 1\n" },
        error: ["impossible"],
    },
    ...(["driver: foobar", "driver_opts:\n      beep: boop", "labels:\n      - beep=boop"] as const).map((extra): LoadCase => {
        const key = extra.split(":")[0];
        return {
            go: `${L} TestInvalidExternalAnd${key === "driver" ? "Driver" : key === "driver_opts" ? "DirverOpts" : "Labels"}Combination`,
            name: `an external volume with ${key} is refused`,
            files: { "compose.yaml": `name: invalid-external\nservices:\n  a:\n    image: x\nvolumes:\n  external_volume:\n    external: true\n    ${extra}\n` },
            error: [`volumes.external_volume`, `conflicting parameters "external" and "${key}" specified`],
        };
    }),
    {
        go: `${L} TestLoadVolumeInvalidExternalNameAndNameCombination`,
        name: "a volume with name and external.name is refused",
        files: { "compose.yaml": "name: x\nservices:\n  a:\n    image: x\nvolumes:\n  external_volume:\n    name: user_specified_name\n    external:\n      name: external_name\n" },
        error: ["volumes.external_volume", "name and external.name conflict; only use name"],
    },
    {
        go: `${L} TestInterpolateInt`,
        name: "scale from a variable is a number",
        env: { FOO_SCALE: "2" },
        files: { "compose.yaml": "name: interpolate-int\nservices:\n  foo:\n    image: foo\n    scale: ${FOO_SCALE}\n" },
        expect: (spec) => assert.strictEqual(spec.services.foo.replicas, 2),
    },
    {
        go: `${L} TestFullExample (full-example.yml, full-struct_test.go)`,
        name: "the ports of the full example, one entry per port",
        files: {
            "compose.yaml": `services:
  foo:
    image: redis
    ports:
      - 3000
      - "3001-3005"
      - "8000:8000"
      - "9090-9091:8080-8081"
      - "49100:22"
      - "127.0.0.1:8001:8001"
      - "127.0.0.1:5000-5010:5000-5010"
`,
        },
        expect: (spec) => {
            const lo = { hostIp: "127.0.0.1" };
            assert.deepStrictEqual(spec.services.foo.ports, [
                port(3000), port(3001), port(3002), port(3003), port(3004), port(3005),
                port(8000, 8000), port(8080, 9090), port(8081, 9091), port(22, 49100), port(8001, 8001, lo),
                ...Array.from({ length: 11 }, (_, i) => port(5000 + i, 5000 + i, lo)),
            ]);
        },
    },
    {
        go: `${L} TestFullExample (full-example.yml, full-struct_test.go)`,
        name: "the volumes of the full example",
        files: {
            "compose.yaml": `services:
  foo:
    image: redis
    volumes:
      - /var/lib/anonymous
      - /opt/data:/var/lib/data
      - .:/code
      - ./static:/var/www/html
      - ~/configs:/etc/configs:ro
      - datavolume:/var/lib/volume
      - type: bind
        source: ./opt
        target: /opt/cached
        consistency: cached
      - type: tmpfs
        target: /opt/tmpfs
        tmpfs:
          size: 10000
volumes:
  datavolume:
`,
        },
        expect: (spec, { dir }) =>
            assert.deepStrictEqual(spec.services.foo.mounts, [
                { type: "volume", target: "/var/lib/anonymous", readOnly: false },
                bind("/opt/data", "/var/lib/data"),
                bind(dir, "/code", { projectDir: dir }),
                bind(path.join(dir, "static"), "/var/www/html", { projectDir: dir }),
                bind("/home/u/configs", "/etc/configs", { readOnly: true, projectDir: dir }),
                { type: "volume", source: "datavolume", target: "/var/lib/volume", readOnly: false },
                // No `bind` in full-struct_test.go: docker compose creates the missing host path (docker/compose#12797).
                bind(path.join(dir, "opt"), "/opt/cached", { projectDir: dir }),
                { type: "tmpfs", target: "/opt/tmpfs", sizeBytes: 10000 },
            ]),
    },
    {
        go: `${L} TestFullExample (full-example.yml, full-struct_test.go)`,
        name: "the networks and volumes of the full example",
        files: {
            "compose.yaml": `services:
  foo:
    image: redis
    networks:
      some-network:
      other-network:
networks:
  some-network:
  other-network:
    driver: overlay
    driver_opts:
      foo: "bar"
      baz: 1
    ipam:
      driver: overlay
      config:
      - subnet: 172.28.0.0/16
        ip_range: 172.28.5.0/24
        gateway: 172.28.5.254
        aux_addresses:
          host1: 172.28.1.5
          host2: 172.28.1.6
          host3: 172.28.1.7
      - subnet: 2001:3984:3989::/64
        gateway: 2001:3984:3989::1
    labels:
      foo: bar
  external-network:
    external: true
  other-external-network:
    external:
      name: my-cool-network
    x-bar: baz
    x-foo: bar
volumes:
  some-volume:
  other-volume:
    driver: flocker
    driver_opts:
      foo: "bar"
      baz: 1
    labels:
      foo: bar
  another-volume:
    name: "user_specified_name"
    driver: vsphere
    driver_opts:
      foo: "bar"
      baz: 1
  external-volume:
    external: true
  other-external-volume:
    external:
      name: my-cool-volume
  external-volume3:
    name: this-is-volume3
    external: true
    x-bar: baz
    x-foo: bar
`,
        },
        expect: (spec, { warnings }) => {
            assertSubset(spec.networks["other-network"], {
                driver: "overlay",
                driverOpts: { foo: "bar", baz: "1" },
                ipam: {
                    driver: "overlay",
                    config: [
                        { subnet: "172.28.0.0/16", ipRange: "172.28.5.0/24", gateway: "172.28.5.254", auxAddresses: { host1: "172.28.1.5", host2: "172.28.1.6", host3: "172.28.1.7" } },
                        { subnet: "2001:3984:3989::/64", gateway: "2001:3984:3989::1", auxAddresses: {} },
                    ],
                },
                labels: { foo: "bar" },
            });
            assertSubset(spec.networks["external-network"], { external: true });
            assertSubset(spec.networks["other-external-network"], { name: "my-cool-network", external: true });
            assertSubset(spec.volumes["other-volume"], { driver: "flocker", driverOpts: { foo: "bar", baz: "1" }, labels: { foo: "bar" } });
            assertSubset(spec.volumes["another-volume"], { name: "user_specified_name", driver: "vsphere" });
            assertSubset(spec.volumes["other-external-volume"], { name: "my-cool-volume", external: true });
            assertSubset(spec.volumes["external-volume3"], { name: "this-is-volume3", external: true, extensions: { "x-bar": "baz", "x-foo": "bar" } });
            assert.ok(warnings.some((w) => w.includes("volumes.other-external-volume.external.name") && w.includes("deprecated")), warnings.join("\n"));
        },
    },
    ...(["1kb", "1024"] as const).map((size): LoadCase => ({
        go: `${L} TestLoadTmpfsVolume`,
        name: `a tmpfs size of ${size} is 1024 bytes`,
        files: { "compose.yaml": `name: load-tmpfs-volume\nservices:\n  tmpfs:\n    image: nginx:latest\n    volumes:\n    - type: tmpfs\n      target: /app\n      tmpfs:\n        size: ${size}\n` },
        expect: (spec) => assert.deepStrictEqual(spec.services.tmpfs.mounts, [{ type: "tmpfs", target: "/app", sizeBytes: 1024 }]),
    })),
    {
        go: `${L} TestLoadTmpfsVolumeAdditionalPropertyNotAllowed`,
        name: "an unknown key in a long volume is refused",
        files: { "compose.yaml": "name: x\nservices:\n  tmpfs:\n    image: nginx:latest\n    volumes:\n      - type: tmpfs\n        target: /app\n        foo:\n          bar: zot\n" },
        error: ["services.tmpfs.volumes[0]", "foo"],
    },
    {
        go: `${L} TestLoadBindMountSourceMustNotBeEmpty`,
        name: "a bind mount without a source is refused",
        files: { "compose.yaml": "name: x\nservices:\n  tmpfs:\n    image: nginx:latest\n    volumes:\n      - type: bind\n        target: /app\n" },
        error: ["services.tmpfs.volumes[0]", "source"],
    },
    {
        go: `${L} TestLoadBindMountSourceIsWindowsAbsolute (forward-slashes)`,
        name: "a bind source with forward slashes is a path",
        files: { "compose.yaml": "name: x\nservices:\n  test:\n    image: app:latest\n    volumes:\n      - type: bind\n        source: /z/some-dir\n        target: /c/data\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.mounts, [bind("/z/some-dir", "/c/data")]),
    },
    {
        go: `${L} TestLoadBindMountWithSource`,
        name: "a long-syntax bind of . is the project directory",
        files: { "compose.yaml": 'name: x\nservices:\n  bind:\n    image: nginx:latest\n    volumes:\n      - type: bind\n        target: /app\n        source: "."\n' },
        expect: (spec, { dir }) => assert.deepStrictEqual(spec.services.bind.mounts, [bind(dir, "/app", { projectDir: dir })]),
    },
    {
        go: `${L} TestLoadTmpfsVolumeSizeCanBeZero`,
        name: "a tmpfs size of 0 is no size",
        files: { "compose.yaml": "name: x\nservices:\n  tmpfs:\n    image: nginx:latest\n    volumes:\n      - type: tmpfs\n        target: /app\n        tmpfs:\n          size: 0\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.tmpfs.mounts, [{ type: "tmpfs", target: "/app" }]),
    },
    {
        go: `${L} TestLoadTmpfsVolumeSizeMustBeGTEQZero`,
        name: "a negative tmpfs size is refused",
        files: { "compose.yaml": "name: x\nservices:\n  tmpfs:\n    image: nginx:latest\n    volumes:\n      - type: tmpfs\n        target: /app\n        tmpfs:\n          size: -1\n" },
        error: ["services.tmpfs.volumes[0].tmpfs.size"],
    },
    {
        go: `${L} TestLoadTmpfsVolumeSizeMustBeInteger`,
        name: "a fractional tmpfs size is refused",
        files: { "compose.yaml": "name: x\nservices:\n  tmpfs:\n    image: nginx:latest\n    volumes:\n      - type: tmpfs\n        target: /app\n        tmpfs:\n          size: 0.0001\n" },
        error: ["services.tmpfs.volumes[0].tmpfs.size"],
    },
    {
        go: `${L} TestLoadAttachableNetwork`,
        name: "attachable networks",
        files: { "compose.yaml": "name: x\nservices:\n  a:\n    image: x\nnetworks:\n  mynet1:\n    driver: overlay\n    attachable: true\n  mynet2:\n    driver: bridge\n" },
        expect: (spec) => {
            assertSubset(spec.networks.mynet1, { driver: "overlay", attachable: true });
            assertSubset(spec.networks.mynet2, { driver: "bridge", attachable: false });
        },
    },
    {
        go: `${L} TestLoadVolumeSubpath`,
        name: "volume.subpath (volume asdf declared: the Go test skips the consistency check)",
        files: { "compose.yaml": "name: x\nservices:\n  test:\n    image: alpine:latest\n    volumes:\n      - type: volume\n        source: asdf\n        target: /app\n        volume:\n          subpath: etc/settings\nvolumes:\n  asdf:\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.mounts, [{ type: "volume", source: "asdf", target: "/app", readOnly: false, subpath: "etc/settings" }]),
    },
    {
        go: `${L} TestLoadExpandedPortFormat`,
        name: "short and long ports, ranges expanded",
        files: {
            "compose.yaml": `name: x
services:
  web:
    image: busybox
    ports:
      - "80-82:8080-8082"
      - "90-92:8090-8092/udp"
      - "85:8500"
      - 8600
      - protocol: udp
        target: 53
        published: 10053
      - mode: host
        target: 22
        published: 10022
`,
        },
        expect: (spec) => {
            const udp = { protocol: "udp" };
            assert.deepStrictEqual(spec.services.web.ports, [
                port(8080, 80), port(8081, 81), port(8082, 82), port(8090, 90, udp), port(8091, 91, udp), port(8092, 92, udp),
                port(8500, 85), port(8600), port(53, 10053, udp), port(22, 10022, { mode: "host" }),
            ]);
        },
    },
    {
        go: `${L} TestLoadExpandedMountFormat`,
        name: "a long volume mount",
        files: { "compose.yaml": "name: x\nservices:\n  web:\n    image: busybox\n    volumes:\n      - type: volume\n        source: foo\n        target: /target\n        read_only: true\nvolumes:\n  foo: {}\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.mounts, [{ type: "volume", source: "foo", target: "/target", readOnly: true }]),
    },
    {
        go: `${L} TestLoadExtraHostsMap`,
        name: "extra_hosts as a map",
        files: { "compose.yaml": 'name: x\nservices:\n  web:\n    image: busybox\n    extra_hosts:\n      "zulu": "162.242.195.82"\n      "alpha": "50.31.209.229"\n' },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.extraHosts, [{ host: "zulu", ip: "162.242.195.82" }, { host: "alpha", ip: "50.31.209.229" }]),
    },
    {
        go: `${L} TestLoadExtraHostsList`,
        name: "extra_hosts as a list, one host twice with an IPv4 and an IPv6 address",
        files: { "compose.yaml": 'name: x\nservices:\n  web:\n    image: busybox\n    extra_hosts:\n      - "alpha:50.31.209.229"\n      - "zulu:127.0.0.2"\n      - "zulu:ff02::1"\n' },
        expect: (spec) =>
            assert.deepStrictEqual(spec.services.web.extraHosts, [{ host: "alpha", ip: "50.31.209.229" }, { host: "zulu", ip: "127.0.0.2" }, { host: "zulu", ip: "ff02::1" }]),
    },
    ...(["volumes", "secrets", "networks"] as const).map((kind): LoadCase => ({
        go: `${L} TestLoad${kind === "volumes" ? "Volumes" : kind === "secrets" ? "Secrets" : "Networks"}WarnOnDeprecatedExternalName`,
        name: `${kind}: external.name is name plus external: true, with a warning`,
        files: { "compose.yaml": `name: test-warn-on-deprecated-external-name\nservices:\n  a:\n    image: x\n${kind}:\n  foo:\n    external:\n      name: oops\n` },
        expect: (spec, { warnings }) => {
            assertSubset(spec[kind].foo, { name: "oops", external: true });
            assert.ok(warnings.some((w) => w.includes(`${kind}.foo.external.name`) && w.includes("deprecated")), warnings.join("\n"));
        },
    })),
    {
        go: `${L} TestLoadInvalidIsolation`,
        name: "an isolation the daemon would refuse still loads",
        files: { "compose.yaml": "name: x\nservices:\n  foo:\n    image: busybox\n    isolation: invalid\nconfigs:\n  super:\n    external: true\n" },
        expect: (spec) => assert.strictEqual(Object.keys(spec.services).length, 1),
    },
    {
        go: `${L} TestLoadSecretInvalidExternalNameAndNameCombination`,
        name: "a secret with name and external.name is refused",
        files: { "compose.yaml": "name: x\nservices:\n  a:\n    image: x\nsecrets:\n  external_secret:\n    name: user_specified_name\n    external:\n      name: external_name\n" },
        error: ["secrets.external_secret", "name and external.name conflict; only use name"],
    },
    {
        go: `${L} TestLoadNetworkInvalidExternalNameAndNameCombination`,
        name: "a network with name and external.name is refused",
        files: { "compose.yaml": "name: x\nservices:\n  a:\n    image: x\nnetworks:\n  foo:\n    name: user_specified_name\n    external:\n      name: external_name\n" },
        error: ["networks.foo", "name and external.name conflict; only use name"],
    },
    {
        go: `${L} TestLoadNetworkWithName`,
        name: "a network's name",
        files: { "compose.yaml": "name: load-network-with-name\nservices:\n  hello-world:\n    image: redis:alpine\n    networks:\n      - network1\n      - network3\n\nnetworks:\n  network1:\n    name: network2\n  network3:\n" },
        expect: (spec) => {
            assert.deepStrictEqual(spec.services["hello-world"].networks, [{ network: "network1", aliases: [] }, { network: "network3", aliases: [] }]);
            assert.strictEqual(spec.networks.network1.name, "network2");
            assert.strictEqual(spec.networks.network3.name, undefined);
        },
    },
    {
        go: `${L} TestLoadServiceNetworkDriverOpts`,
        name: "driver_opts of a service's network attachment are kept",
        files: {
            "compose.yaml": 'name: x\nservices:\n  foo:\n    image: alpine\n    networks:\n      network1:\n        driver_opts:\n          com.docker.network.endpoint.sysctls: "ipv6.conf.accept_ra=0"\nnetworks:\n  network1:\n',
        },
        expect: (spec) =>
            assert.deepStrictEqual(spec.services.foo.networks, [{ network: "network1", aliases: [], driverOpts: { "com.docker.network.endpoint.sysctls": "ipv6.conf.accept_ra=0" } }]),
    },
    ...([["", false], ["\n    init: true", true], ["\n    init: false", false]] as const).map(([yaml, init]): LoadCase => ({
        go: `${L} TestLoadInit`,
        name: `init ${yaml === "" ? "not set" : yaml.trim()}`,
        files: { "compose.yaml": `name: x\nservices:\n  foo:\n    image: alpine${yaml}` },
        expect: (spec) => assert.strictEqual(spec.services.foo.init, init),
    })),
    ...["    sysctls:\n      - net.core.somaxconn=1024\n      - net.ipv4.tcp_syncookies=0\n      - testing.one.one=\n      - testing.one.two\n",
        '    sysctls:\n      net.core.somaxconn: 1024\n      net.ipv4.tcp_syncookies: 0\n      testing.one.one: ""\n      testing.one.two:\n'].map((yaml, i): LoadCase => ({
        go: `${L} TestLoadSysctls`,
        name: `sysctls as a ${i === 0 ? "list" : "map"}`,
        files: { "compose.yaml": `name: load-sysctls\nservices:\n  web:\n    image: busybox\n${yaml}` },
        expect: (spec) =>
            assert.deepStrictEqual(spec.services.web.sysctls, { "net.core.somaxconn": "1024", "net.ipv4.tcp_syncookies": "0", "testing.one.one": "", "testing.one.two": "" }),
    })),
    {
        go: `${L} TestLoadTemplateDriver`,
        name: "external secrets and configs with a template driver: references and names",
        files: {
            "compose.yaml": `name: load-template-driver
services:
  hello-world:
    image: redis:alpine
    secrets:
      - secret
    configs:
      - config
configs:
  config:
    name: config
    external: true
    template_driver: config-driver
secrets:
  secret:
    name: secret
    external: true
    template_driver: secret-driver
`,
        },
        expect: (spec) => {
            assert.deepStrictEqual(spec.services["hello-world"].secrets, [{ source: "secret", target: "/run/secrets/secret" }]);
            assert.deepStrictEqual(spec.services["hello-world"].configs, [{ source: "config", target: "/config" }]);
            assertSubset(spec.configs.config, { name: "config", external: true });
            assertSubset(spec.secrets.secret, { name: "secret", external: true });
        },
    },
    {
        go: `${L} TestLoadWithExtends`,
        name: "extends from a file of another directory: its env_file is resolved there (testdata written out)",
        files: {
            "compose.yaml": "name: compose-test-extends\nservices:\n  importer:\n    extends:\n      file: subdir/compose-test-extends-imported.yaml\n      service: imported\n",
            "subdir/compose-test-extends-imported.yaml":
                "services:\n  imported:\n    image: nginx\n    container_name: ${SOURCE:-imported}\n    env_file:\n      - ./extra.env # expected to be loaded relative to this file, not the extending one\n    volumes:\n      - /opt/data:/var/lib/mysql\n",
            "subdir/extra.env": "SOURCE=extends\n",
        },
        expect: (spec) => {
            const s = spec.services.importer;
            assert.deepStrictEqual([s.image, s.containerName, s.environment], ["nginx", "imported", { SOURCE: "extends" }]);
            assert.deepStrictEqual(s.networks, [{ network: "default", aliases: [] }]);
            assert.deepStrictEqual(s.mounts, [bind("/opt/data", "/var/lib/mysql")]);
        },
    },
    {
        go: `${L} TestLoadWithExtendsWithContextUrl`,
        name: "a remote build context of an extended service is kept as written",
        files: {
            "compose.yaml": "services:\n  importer-with-https-url:\n    extends:\n      file: compose-test-extends-with-context-url-imported.yaml\n      service: imported-with-https-url\n",
            "compose-test-extends-with-context-url-imported.yaml": "services:\n  imported-with-https-url:\n    build: https://github.com/docker/compose.git\n",
        },
        expect: (spec) => assert.deepStrictEqual(spec.services["importer-with-https-url"].build, { context: "https://github.com/docker/compose.git", args: {}, labels: {} }),
    },
    {
        go: `${L} TestServiceDeviceRequestCapabilitiesMandatory`,
        name: "a device reservation without capabilities is refused",
        files: { "compose.yaml": "name: x\nservices:\n  hello-world:\n    image: redis:alpine\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              count: 2\n" },
        error: ["capabilities"],
    },
    {
        go: `${L} TestEmptyList`,
        name: "ports: [] loads",
        files: { "compose.yaml": "name: empty-list\nservices:\n  test:\n    image: nginx:latest\n    ports: []\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.ports, []),
    },
    {
        go: `${L} TestEmptyFile`,
        name: "an empty file is refused",
        files: { "compose.yaml": "" },
        error: ["service"],
    },
    {
        go: `${L} TestLoadNoSSHInBuildConfig`,
        name: "a build with a context only",
        files: { "compose.yaml": "name: x\nservices:\n  test:\n    build:\n      context: .\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.test.build?.context, dir),
    },
    {
        go: `${L} TestLoadSSHWithoutValueInBuildConfig`,
        name: "build.ssh without a value is refused",
        files: { "compose.yaml": "name: x\nservices:\n  test:\n    build:\n      context: .\n      ssh:\n" },
        error: ["services.test.build.ssh"],
    },
    {
        go: `${L} TestLoadWithBindMountVolume`,
        name: "a relative driver_opts.device of a local bind volume is made absolute",
        files: { "compose.yaml": "name: x\nservices:\n  web:\n    image: web\n    volumes:\n     - data:/data\nvolumes:\n  data:\n    driver: local\n    driver_opts:\n      type: 'none'\n      o: 'bind'\n      device: './data'\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.volumes.data.driverOpts.device, path.join(dir, "data")),
    },
    {
        go: `${L} TestLoadServiceExtension`,
        name: "a service named extension with an x- key",
        files: { "compose.yaml": "name: test\nservices:\n  extension: # this name should be allowed\n    image: web\n    x-foo: bar\n" },
        expect: (spec) => {
            assert.strictEqual(spec.services.extension.name, "extension");
            assert.strictEqual(spec.services.extension.extensions["x-foo"], "bar");
        },
    },
    {
        go: `${L} TestInvalidProjectNameType`,
        name: "name must be a string",
        options: { projectName: null },
        files: { "compose.yaml": "name: 123\nservices:\n  a:\n    image: x\n" },
        error: ["name", "must be string"],
    },
    {
        go: `${L} TestNumericIDs`,
        name: "a volume named 0",
        files: { "compose.yaml": "name: 'test-numeric-ids'\nservices:\n  foo:\n    image: busybox\n    volumes:\n      - 0:/foo\n\nvolumes:\n  '0': {}\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.foo.mounts, [{ type: "volume", source: "0", target: "/foo", readOnly: false }]),
    },
    {
        go: `${L} TestXService`,
        name: "a service, volume, secret, network and config named x-…",
        files: {
            "compose.yaml": "name: 'test-x-service'\nservices:\n  x-foo:\n    image: busybox\n    volumes:\n      - x-volume:/dev/null\n    configs:\n      - x-config\n    secrets:\n      - x-secret\n    networks:\n      - x-network\nvolumes:\n  x-volume:\nsecrets:\n  x-secret:\n    external: true\nnetworks:\n  x-network:\nconfigs:\n  x-config:\n    external: true\n",
        },
        expect: (spec) => {
            assert.deepStrictEqual(
                [Object.keys(spec.services), Object.keys(spec.secrets), Object.keys(spec.volumes), Object.keys(spec.configs), Object.keys(spec.networks)],
                [["x-foo"], ["x-secret"], ["x-volume"], ["x-config"], ["x-network"]],
            );
            assert.strictEqual(spec.extensions, undefined);
        },
    },
    {
        go: `${L} TestLoadWithInclude`,
        name: "include with an env_file: the included project's variables, its relative paths (testdata written out)",
        files: {
            "compose.yaml": "name: 'test-include'\n\ninclude:\n  - path: ./testdata/subdir/compose-test-extends-imported.yaml\n    env_file: ./testdata/subdir/extra.env\n\nservices:\n  foo:\n    image: busybox\n    depends_on:\n      - imported\n",
            "testdata/subdir/compose-test-extends-imported.yaml":
                "services:\n  imported:\n    image: nginx\n    container_name: ${SOURCE:-imported}\n    env_file:\n      - ./extra.env\n    volumes:\n      - /opt/data:/var/lib/mysql\n",
            "testdata/subdir/extra.env": "SOURCE=extends\n",
        },
        expect: (spec) => {
            assertSubset(spec.services.foo, { image: "busybox", environment: {}, dependsOn: [{ service: "imported", condition: "started", required: true, restart: false }] });
            assertSubset(spec.services.imported, { containerName: "extends", environment: { SOURCE: "extends" }, image: "nginx", mounts: [bind("/opt/data", "/var/lib/mysql")] });
        },
    },
    {
        go: `${L} TestLoadWithInclude`,
        name: "the project environment wins over the include's env_file",
        env: { SOURCE: "override" },
        files: {
            "compose.yaml": "name: 'test-include'\n\ninclude:\n  - path: ./testdata/subdir/compose-test-extends-imported.yaml\n    env_file: ./testdata/subdir/extra.env\n\nservices:\n  foo:\n    image: busybox\n    depends_on:\n      - imported\n",
            "testdata/subdir/compose-test-extends-imported.yaml": "services:\n  imported:\n    image: nginx\n    container_name: ${SOURCE:-imported}\n",
            "testdata/subdir/extra.env": "SOURCE=extends\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.imported.containerName, "override"),
    },
    {
        go: `${L} TestLoadWithIncludeCycle`,
        name: "an include cycle is refused",
        files: { "compose.yaml": "include:\n  - compose-include-cycle.yaml\n", "compose-include-cycle.yaml": "include:\n  - compose.yaml\nservices:\n  a:\n    image: x\n" },
        error: ["include cycle"],
    },
    {
        go: `${L} TestLoadWithIncludeOverride`,
        name: "a later file overrides an included service",
        load: ["compose.yaml", "override.yaml"],
        files: {
            "compose.yaml": "name: 'test-include-override'\n\ninclude:\n  - ./testdata/subdir/compose-test-extends-imported.yaml\n",
            "override.yaml": "\n# override\nservices:\n  imported:\n    image: overridden\n",
            "testdata/subdir/compose-test-extends-imported.yaml": "services:\n  imported:\n    image: nginx\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.imported.image, "overridden"),
    },
    {
        go: `${L} TestLoadDependsOnCycle`,
        name: "a dependency cycle is refused",
        files: { "compose.yaml": "services:\n  service1:\n    image: x\n    depends_on: [service2]\n  service2:\n    image: x\n    depends_on: [service3]\n  service3:\n    image: x\n    depends_on: [service1]\n" },
        error: ["cycle", "service1 -> service2 -> service3 -> service1"],
    },
    {
        go: `${L} TestLoadDependsOnSelf`,
        name: "a service depending on itself is refused",
        files: { "compose.yaml": "services:\n  service1:\n    image: x\n    depends_on: [service1]\n" },
        error: ["service1", "itself"],
    },
    {
        go: `${L} TestLoadWithDependsOn`,
        name: "depends_on conditions and required (bar, baz, qux declared: the Go test skips the consistency check)",
        files: {
            "compose.yaml": `name: test-depends-on
services:
  foo:
    image: nginx
    depends_on:
      bar:
        condition: service_started
      baz:
        condition: service_healthy
        required: false
      qux:
        condition: service_completed_successfully
        required: true
  bar: { image: bar }
  baz: { image: baz, healthcheck: { test: "true" } }
  qux: { image: qux }
`,
        },
        expect: (spec) =>
            assert.deepStrictEqual(spec.services.foo.dependsOn, [
                { service: "bar", condition: "started", required: true, restart: false },
                { service: "baz", condition: "healthy", required: false, restart: false },
                { service: "qux", condition: "completed", required: true, restart: false },
            ]),
    },
    {
        go: `${L} TestLoadMulmtiDocumentYaml`,
        name: "the documents of a multi-document file merge in order",
        files: { "compose.yaml": "name: load-multi-docs\nservices:\n  test:\n    image: nginx:latest\n---\nservices:\n  test:\n    image: nginx:override\n\n" },
        expect: (spec) => assert.strictEqual(spec.services.test.image, "nginx:override"),
    },
    {
        go: `${L} TestBadDevelopConfig`,
        name: "a develop.watch entry without action is refused by the schema",
        files: { "compose.yaml": "name: load-develop\nservices:\n  frontend:\n    image: example/webapp\n    build: ./webapp\n    develop:\n      watch:\n        - path: ./webapp/html\n          target: /var/www\n          ignore:\n            - node_modules/\n" },
        error: ["services.frontend.develop.watch[0]", "action"],
    },
    {
        go: `${L} TestBadServiceConfig`,
        name: "network_mode and networks together are refused",
        files: { "compose.yaml": "name: scratch\nservices:\n  redis:\n    image: redis:6.2.6-alpine\n    network_mode: bridge\n    networks:\n      gratheon: null\nnetworks:\n  gratheon:\n    name: scratch_gratheon\n" },
        error: ["services.redis.network_mode", "network_mode and networks cannot be used together"],
    },
    {
        go: `${L} TestLoadEmptyContent`,
        name: "a file of one service",
        files: { "compose.yaml": "name: load-multi-docs\nservices:\n  test:\n    image: nginx:latest" },
        expect: (spec) => assert.strictEqual(spec.services.test.image, "nginx:latest"),
    },
    {
        go: `${L} TestLoadUnitBytes`,
        name: "memswap_limit -1 and 640kb",
        files: { "compose.yaml": "name: load-unit-bytes\nservices:\n  test1:\n    image: test\n    memswap_limit: -1\n  test2:\n    image: test\n    memswap_limit: 640kb\n" },
        expect: (spec) => {
            assert.strictEqual(spec.services.test1.resources.memorySwapBytes, -1);
            assert.strictEqual(spec.services.test2.resources.memorySwapBytes, 640 * 1024);
        },
    },
    {
        go: `${L} TestServiceNameWithDots`,
        name: "a service name with dots",
        files: { "compose.yaml": 'name: test-service-name-with-dots\nservices:\n  test.a.b.c:\n    image: foo\n    ports:\n      - "5432"\n' },
        expect: (spec) => assert.deepStrictEqual(spec.services["test.a.b.c"].ports, [port(5432)]),
    },
    {
        go: `${L} TestKnowExtensions`,
        name: "a service extension is kept as written",
        files: { "compose.yaml": "name: test-know-extensions\nservices:\n  test:\n    image: foo\n    x-magic:\n      foo: bar\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.extensions["x-magic"], { foo: "bar" }),
    },
    {
        go: `${L} TestLoadWithEmptyFile`,
        name: "an empty override file",
        options: { projectName: null },
        load: ["compose.yaml", "override.yaml"],
        files: { "compose.yaml": "\nname: test-with-empty-file\nservices:\n  test:\n    image: foo\n", "override.yaml": "" },
        expect: (spec) => assert.strictEqual(spec.name, "test-with-empty-file"),
    },
    {
        go: `${L} TestNamedPort`,
        name: "named ports",
        files: { "compose.yaml": "name: test-named-ports\nservices:\n  test:\n    image: foo\n    ports:\n      - name: http\n        published: 8080\n        target: 80\n      - name: https\n        published: 8083\n        target: 443\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.ports.map((p) => p.name), ["http", "https"]),
    },
    {
        go: `${L} TestAppProtocol`,
        name: "app_protocol of long ports",
        files: {
            "compose.yaml": "name: test-named-ports\nservices:\n  test:\n    image: foo\n    ports:\n      - published: 8080\n        target: 80\n        protocol: tcp\n        app_protocol: http\n      - published: 8083\n        target: 443\n        protocol: tcp\n        app_protocol: https\n",
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.ports, [port(80, 8080, { appProtocol: "http" }), port(443, 8083, { appProtocol: "https" })]),
    },
    {
        go: `${L} TestLoadDeviceMapping (/dev/single)`,
        name: "a device without a container path keeps its host path, permissions rwm",
        files: { "compose.yaml": "name: x\nservices:\n  test:\n    image: x\n    devices:\n      - /dev/single\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.devices, [{ hostPath: "/dev/single", containerPath: "/dev/single", permissions: "rwm" }]),
    },
    {
        go: `${L} TestLoadExtraHostsRepeated`,
        name: "several addresses of one host, comma-separated",
        files: { "compose.yaml": 'name: load-extra-hosts\nservices:\n  test:\n    image: x\n    extra_hosts:\n      - "myhost=0.0.0.1,0.0.0.2"\n' },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.extraHosts, [{ host: "myhost", ip: "0.0.0.1" }, { host: "myhost", ip: "0.0.0.2" }]),
    },
    {
        go: `${L} TestLoadExtraHostsLongSyntax`,
        name: "several addresses of one host, as a list",
        files: { "compose.yaml": 'name: load-extra-hosts\nservices:\n  test:\n    image: x\n    extra_hosts:\n      myhost:\n        - "0.0.0.1"\n        - "0.0.0.2"\n' },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.extraHosts, [{ host: "myhost", ip: "0.0.0.1" }, { host: "myhost", ip: "0.0.0.2" }]),
    },
    {
        go: `${L} TestLoadDependsOnX`,
        name: "depending on a service named x-foo",
        files: { "compose.yaml": "name: load-depends-on-x\nservices:\n  test:\n    image: test\n    depends_on:\n      - x-foo\n  x-foo:\n    image: foo\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.dependsOn, [{ service: "x-foo", condition: "started", required: true, restart: false }]),
    },
    {
        go: `${L} TestOmitEmptyDNS`,
        name: "dns set to an unset variable is no dns",
        files: { "compose.yaml": "name: load-empty-dsn\nservices:\n  test:\n    image: x\n    dns: ${UNSET_VAR}\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.dns, []),
    },
    {
        go: `${L} TestFileModeNumber`,
        name: "a secret mode written 0o440 (server-certificate declared: the Go test skips the consistency check)",
        files: { "compose.yaml": "name: load-file-mode\nservices:\n  test:\n    image: x\n    secrets:\n      - source: server-certificate\n        target: server.cert\n        mode: 0o440 \nsecrets:\n  server-certificate:\n    external: true\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.secrets, [{ source: "server-certificate", target: "/run/secrets/server.cert", mode: 0o440 }]),
    },
    {
        go: `${L} TestFileModeString`,
        name: 'a secret mode written "0440" (server-certificate declared)',
        files: { "compose.yaml": 'name: load-file-mode\nservices:\n  test:\n    image: x\n    secrets:\n      - source: server-certificate\n        target: server.cert\n        mode: "0440" \nsecrets:\n  server-certificate:\n    external: true\n' },
        expect: (spec) => assert.strictEqual(spec.services.test.secrets[0].mode, 0o440),
    },

    // ------------------------------------------------------------------ types/types_test.go TestParsePortConfig (the short syntax the loader reads)
    ...([
        ["80", [port(80)]],
        ["80:8080", [port(8080, 80)]],
        ["80-90:8080", [port(8080, 80, { publishedEnd: 90 })]],
        ["8080:80/tcp", [port(80, 8080)]],
        ["80:8080/udp", [port(8080, 80, { protocol: "udp" })]],
        ["80-81:8080-8081/tcp", [port(8080, 80), port(8081, 81)]],
        ["80-82:8080-8082/udp", [port(8080, 80, { protocol: "udp" }), port(8081, 81, { protocol: "udp" }), port(8082, 82, { protocol: "udp" })]],
        ["80-82:8080/udp", [port(8080, 80, { protocol: "udp", publishedEnd: 82 })]],
        ["80-80:8080/tcp", [port(8080, 80)]],
        ["1.1.1.1:80:80", [port(80, 80, { hostIp: "1.1.1.1" })]],
    ] as const).map(([value, expected]): LoadCase => ({
        go: "types/types_test.go TestParsePortConfig",
        name: `port "${value}"`,
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    ports:\n      - "${value}"\n` },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.ports, expected),
    })),
    ...([["9999999", "9999999"], ["80/xyz", "xyz"], ["tcp", "tcp"], ["udp", "udp"], ["", "port"]] as const).map(([value, part]): LoadCase => ({
        go: "types/types_test.go TestParsePortConfig",
        name: `port "${value}" is refused`,
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    ports:\n      - "${value}"\n` },
        error: ["services.web.ports[0]", part],
    })),
    {
        go: "transform/ports_test.go Test_transformPorts (invalid IP)",
        name: "an invalid host address in the short syntax is refused",
        files: { "compose.yaml": 'services:\n  web:\n    image: x\n    ports:\n      - "127.0.1:8080:80"\n' },
        error: ["services.web.ports[0]", "127.0.1"],
    },
    {
        go: "transform/ports_test.go Test_transformPorts ([]string)",
        name: "host addresses of short ports",
        files: { "compose.yaml": 'services:\n  web:\n    image: x\n    ports:\n      - "127.0.0.1:8080:80"\n      - "127.0.0.1:8081:81"\n' },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.ports, [port(80, 8080, { hostIp: "127.0.0.1" }), port(81, 8081, { hostIp: "127.0.0.1" })]),
    },

    // ------------------------------------------------------------------ validation/validation_test.go
    ...([["notavalidip", true], [undefined, false], ["192.168.3.4", false]] as const).map(([ip, bad]): LoadCase => ({
        go: "validation/validation_test.go TestIPAddress",
        name: bad ? "a long port with an invalid host_ip is refused" : `a long port ${ip ? "with a valid host_ip" : "without host_ip"}`,
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    ports:\n      - target: 1234\n        published: "1234"\n${ip ? `        host_ip: ${ip}\n` : ""}` },
        ...(bad
            ? { error: ["services.web.ports[0].host_ip", "notavalidip"] }
            : { expect: (spec) => assert.deepStrictEqual(spec.services.web.ports, [port(1234, 1234, ip ? { hostIp: ip } : {})]) }),
    })),
    ...([
        ["file: ./httpd.conf", undefined],
        ["environment: CONFIG", undefined],
        ["content: foo=bar", undefined],
        ["environment: CONFIG\n    content: foo=bar", "file|environment|content attributes are mutually exclusive"],
        ["", "set exactly one of file, content or environment"],
        ["external: true", undefined],
    ] as const).map(([yaml, error]): LoadCase => ({
        go: "validation/validation_test.go TestValidateSecret",
        name: `a config with ${yaml === "" ? "nothing" : yaml.replace(/\n\s*/g, ", ")}${error ? " is refused" : ""}`,
        env: { CONFIG: "x" },
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    configs: [test]\nconfigs:\n  test:\n    name: test\n    ${yaml}\n`, "httpd.conf": "x" },
        ...(error ? { error: ["configs.test", error] } : { expect: (spec) => assert.ok(spec.configs.test) }),
    })),

    // ------------------------------------------------------------------ loader/validate.go checkConsistency
    {
        go: "loader/validate.go checkConsistency (scale / deploy.replicas)",
        name: "scale and deploy.replicas that disagree are refused",
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    scale: 2\n    deploy:\n      replicas: 3\n" },
        error: ["services.web.deploy.replicas", "can't set distinct values on 'scale'", "'deploy.replicas'"],
    },
    {
        go: "loader/validate.go checkConsistency (scale / deploy.replicas)",
        name: "scale and deploy.replicas that agree load",
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    scale: 2\n    deploy:\n      replicas: 2\n" },
        expect: (spec) => assert.strictEqual(spec.services.web.replicas, 2),
    },
    ...([
        ["cpus: 0.5", "limits: { cpus: '1' }", "cpus", "services.web.deploy.resources.limits.cpus"],
        ["mem_limit: 1g", "limits: { memory: 2g }", "mem_limit", "services.web.deploy.resources.limits.memory"],
        ["mem_reservation: 1g", "reservations: { memory: 512m }", "mem_reservation", "services.web.deploy.resources.reservations.memory"],
        ["pids_limit: 10", "limits: { pids: 20 }", "pids_limit", "services.web.deploy.resources.limits.pids"],
    ] as const).map(([own, twin, key, where]): LoadCase => ({
        go: `loader/validate.go checkConsistency (${key})`,
        name: `${key} and its deploy.resources twin that disagree are refused`,
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    ${own}\n    deploy:\n      resources:\n        ${twin}\n` },
        error: [where, `can't set distinct values on '${key}'`],
    })),
    {
        go: "loader/validate.go checkConsistency (container_name / scale)",
        name: "container_name with more than one replica is refused",
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    container_name: web\n    scale: 2\n" },
        error: ["container_name", "replicas"],
    },
    {
        go: "loader/validate.go checkConsistency (healthcheck.test)",
        name: 'a healthcheck test must start with "CMD", "CMD-SHELL" or "NONE"',
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    healthcheck:\n      test: [curl, localhost]\n" },
        error: ["services.web.healthcheck.test", "CMD"],
    },
    {
        go: "loader/validate.go checkConsistency",
        name: "a service with neither image nor build is refused",
        files: { "compose.yaml": "services:\n  web:\n    restart: always\n" },
        error: ["services.web", "image"],
    },
    {
        go: "loader/validate.go checkConsistency (network_mode service:)",
        name: "network_mode of an undefined service is refused",
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    network_mode: service:nonexistentservice\n" },
        error: ['"nonexistentservice"'],
    },
    ...(["volumes: [myVolume:/use/local]", "secrets: [s]", "configs: [c]"] as const).map((yaml): LoadCase => ({
        go: "loader/validate.go checkConsistency; validate_test.go TestValidateNamedVolume",
        name: `an undefined ${yaml.split(":")[0].slice(0, -1)} is refused`,
        files: { "compose.yaml": `services:\n  myservice:\n    image: my/service\n    ${yaml}\n` },
        error: ['service "myservice" refers to undefined'],
    })),
    {
        go: "validation/validation.go checkSecrets",
        name: "content is not allowed for secrets",
        files: { "compose.yaml": "services:\n  a:\n    image: x\n    secrets: [s]\nsecrets:\n  s:\n    content: hello\n" },
        error: ["secrets.s.content", 'unknown key "content"'],
    },
    {
        go: "validate_test.go TestValidateAnonymousVolume",
        name: "an anonymous volume needs no declaration",
        files: { "compose.yaml": "services:\n  myservice:\n    image: my/service\n    volumes:\n      - type: volume\n        target: /use/local\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.myservice.mounts, [{ type: "volume", target: "/use/local", readOnly: false }]),
    },

    // ------------------------------------------------------------------ format/volume_test.go, transform/volume.go (the short volume syntax)
    ...([
        ["/source:/target:slave", bind("/source", "/target", { propagation: "slave" }), "TestParseVolumeWithBindOptions"],
        ["/source:/target:ro,z", bind("/source", "/target", { readOnly: true, selinux: "z" }), "TestParseVolumeWithBindOptionsSELinuxShared"],
        ["/source:/target:ro,Z", bind("/source", "/target", { readOnly: true, selinux: "Z" }), "TestParseVolumeWithBindOptionsSELinuxPrivate"],
        ["/home/user:/target:ro", bind("/home/user", "/target", { readOnly: true }), "TestParseVolumeWithReadOnly"],
        ["/home/user:/target:rw", bind("/home/user", "/target"), "TestParseVolumeWithRW"],
        ["../other:/target", "../other", "TestParseVolumeBindMount"],
        ["~/thing:/target", "~/thing", "TestParseVolumeBindMount"],
        ["name:/target:nocopy", { type: "volume", source: "name", target: "/target", readOnly: false, noCopy: true }, "TestParseVolumeWithVolumeOptions"],
        ["/path/foo", { type: "volume", target: "/path/foo", readOnly: false }, "TestParseVolumeAnonymousVolume"],
        ["./etc-pihole/:/etc/pihole/", "./etc-pihole", "transform/volume.go cleanTarget"],
    ] as const).map(([spec, expected, test]): LoadCase => ({
        go: test.includes("/") ? test : `format/volume_test.go ${test}`,
        name: `volume "${spec}"`,
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    volumes:\n      - "${spec}"\nvolumes:\n  name:\n` },
        expect: (s, { dir }) => {
            // Relative and ~ sources are files of the project (projectDir set); ~ is the home directory.
            const source = (e: string) => (e.startsWith("~") ? path.join("/home/u", e.slice(1)) : path.resolve(dir, e));
            const want = typeof expected === "string" ? bind(source(expected), spec.endsWith("/") ? "/etc/pihole" : "/target", { projectDir: dir }) : expected;
            assert.deepStrictEqual(s.services.web.mounts, [want]);
        },
    })),
    ...([["/foo:/foo:ro:foo", "too many"], [":foo", "empty"], ["/foo::ro", "empty"]] as const).map(([spec, part]): LoadCase => ({
        go: "format/volume_test.go TestParseVolumeTooManyColons, TestParseVolumeMissingSource",
        name: `volume "${spec}" is refused`,
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    volumes:\n      - "${spec}"\n` },
        error: ["services.web.volumes[0]", part],
    })),

    // ------------------------------------------------------------------ normalize_test.go (names as Compose gives them, defaults)
    {
        go: "normalize_test.go TestNormalizeNetworkNames (project myproject: dockyard project names are lower case)",
        name: "network names: <project>_<key>, the key of an external network, the name given; build args from the environment",
        env: { FOO: "BAR" },
        options: { projectName: null },
        files: { "compose.yaml": "name: myproject\nservices:\n  foo:\n    build:\n      context: ./testdata\n      args:\n        FOO: null\n        ZOT: null\nnetworks:\n  myExternalnet:\n    external: true\n  myNamedNet:\n    name: CustomName\n  mynet: {}\n" },
        expect: (spec, { dir }) => {
            assert.deepStrictEqual(spec.services.foo.build, { context: path.join(dir, "testdata"), args: { FOO: "BAR" }, labels: {} });
            assert.deepStrictEqual(spec.services.foo.networks, [{ network: "default", aliases: [] }]);
            assert.deepStrictEqual(
                ["default", "myExternalnet", "myNamedNet", "mynet"].map((k) => networkName(spec, k)),
                ["myproject_default", "myExternalnet", "CustomName", "myproject_mynet"],
            );
        },
    },
    {
        go: "normalize_test.go TestNormalizeVolumes",
        name: "volume names: <project>_<key>, the key of an external volume, the name given",
        options: { projectName: null },
        files: { "compose.yaml": "name: myproject\nservices:\n  a:\n    image: x\nvolumes:\n  myExternalVol:\n    external: true\n  myvol: {}\n  myNamedVol:\n    name: CustomName\n" },
        expect: (spec) => assert.deepStrictEqual(["myExternalVol", "myvol", "myNamedVol"].map((k) => volumeName(spec, k)), ["myExternalVol", "myproject_myvol", "CustomName"]),
    },
    {
        go: "normalize_test.go TestNormalizeDependsOn (images added; volumes_from: see DIFFERS)",
        name: "network_mode service:zot makes zot a dependency (restarted with it)",
        files: { "compose.yaml": "services:\n  foo:\n    image: x\n    depends_on:\n      bar:\n        condition: service_healthy\n        required: true\n        restart: true\n    network_mode: service:zot\n  bar:\n    image: x\n    healthcheck: { test: 'true' }\n  zot:\n    image: x\n" },
        expect: (spec) => {
            assert.deepStrictEqual(spec.services.foo.dependsOn, [
                { service: "bar", condition: "healthy", required: true, restart: true },
                { service: "zot", condition: "started", required: true, restart: true },
            ]);
            assert.deepStrictEqual(spec.services.zot.networks, [{ network: "default", aliases: [] }]);
            assert.deepStrictEqual(spec.services.foo.networks, []);
        },
    },
    {
        go: "normalize_test.go TestNormalizeImplicitDependencies (ipc and pid; images added; cgroup, uts, volumes_from, links: see DIFFERS)",
        name: "ipc and pid service: references are dependencies; an explicit one is not overridden",
        files: { "compose.yaml": "services:\n  test:\n    image: x\n    ipc: service:foo\n    pid: service:qux\n    depends_on:\n      foo:\n        condition: service_healthy\n  foo:\n    image: x\n    healthcheck: { test: 'true' }\n  qux:\n    image: x\n" },
        expect: (spec) =>
            assert.deepStrictEqual(spec.services.test.dependsOn, [
                { service: "foo", condition: "healthy", required: true, restart: false },
                { service: "qux", condition: "started", required: true, restart: true },
            ]),
    },
    {
        go: "normalize_test.go TestImplicitContextPath",
        name: "build: {} builds in the project directory",
        files: { "compose.yaml": "services:\n  test:\n    build: {}\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.test.build?.context, dir),
    },
    {
        go: "normalize_test.go TestNormalizeDefaultNetwork",
        name: "a service without networks joins default, <project>_default",
        files: { "compose.yaml": "services:\n  test:\n    image: test\n" },
        expect: (spec) => {
            assert.deepStrictEqual(spec.services.test.networks, [{ network: "default", aliases: [] }]);
            assert.strictEqual(networkName(spec, "default"), "app_default");
        },
    },
    {
        go: "normalize_test.go TestNormalizeCustomNetwork",
        name: "a network declared null is <project>_<key>; no default network then",
        files: { "compose.yaml": "services:\n  test:\n    image: x\n    networks:\n      my_network: null\nnetworks:\n  my_network: null\n" },
        expect: (spec) => {
            assert.deepStrictEqual(Object.keys(spec.networks), ["my_network"]);
            assert.strictEqual(networkName(spec, "my_network"), "app_my_network");
        },
    },
    {
        go: "normalize_test.go TestNormalizeEnvironment",
        name: "a variable without a value takes the project environment's; one unset there is left out",
        env: { BAR: "bar", ZOT: "zot" },
        files: { "compose.yaml": "services:\n  test:\n    image: x\n    environment:\n      - FOO\n      - BAR\n      - ZOT=QIX\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.environment, { BAR: "bar", ZOT: "QIX" }),
    },

    // ------------------------------------------------------------------ reset_test.go, merge_reset_test.go
    {
        go: "reset_test.go TestResetRemove",
        name: "a network reset in an override is gone",
        load: ["compose.yaml", "override.yaml"],
        files: { "compose.yaml": "name: test-reset\nservices:\n  a:\n    image: x\n    networks: [default]\nnetworks:\n  test:\n    name: test\n    external: true\n", "override.yaml": "networks:\n  test: !reset {}\n" },
        expect: (spec) => assert.ok(!("test" in spec.networks)),
    },
    {
        go: "reset_test.go TestOverrideReplace",
        name: "!override {} replaces a network",
        load: ["compose.yaml", "override.yaml"],
        files: { "compose.yaml": "name: test-override\nservices:\n  a:\n    image: x\nnetworks:\n  test:\n    name: test\n    external: true\n", "override.yaml": "networks:\n  test: !override {}\n" },
        expect: (spec) => assert.strictEqual(spec.networks.test.external, false),
    },
    ...(["services:\n  a: &a\n    image: alpine\n  a2: *a\n", "services:\n  a2: &a\n    image: alpine\n  a: *a\n"] as const).map((yaml, i): LoadCase => ({
        go: "reset_test.go TestResetCycle",
        name: `an alias of a service is no cycle${i === 1 ? " (reversed)" : ""}`,
        files: { "compose.yaml": `name: test\n${yaml}` },
        expect: (spec) => assert.deepStrictEqual([spec.services.a.image, spec.services.a2.image], ["alpine", "alpine"]),
    })),
    {
        go: "reset_test.go TestResetCycle (healthcheck_cycle)",
        name: "a mapping merging itself in is refused",
        files: { "compose.yaml": "x-healthcheck: &healthcheck\n  egress-service:\n    <<: *healthcheck\n" },
        error: ["healthcheck"],
    },
    {
        go: "merge_reset_test.go Test_LoadWithReset",
        name: "build: !reset and environment FOO: !reset in an override",
        load: ["base.yml", "override.yml"],
        files: {
            "base.yml": "\n name: test\n services:\n   foo:\n     build:\n       context: .\n       dockerfile: foo.Dockerfile\n     environment:\n       FOO: BAR",
            "override.yml": "\n services:\n   foo:\n     image: foo\n     build: !reset  \n     environment:\n       FOO: !reset\n",
        },
        expect: (spec) => {
            const foo = spec.services.foo;
            assert.deepStrictEqual([foo.image, foo.build, foo.environment], ["foo", undefined, {}]);
        },
    },
    {
        go: "merge_reset_test.go Test_LoadWithResetOnKeysNormalizedToSequence",
        name: "!reset of keys that two earlier files wrote (merged into a KEY=VALUE list)",
        load: ["base.yml", "extra.yml", "override.yml"],
        files: {
            "base.yml": "\n name: test\n services:\n   foo:\n     image: foo\n     environment:\n       FOO: BAR\n       KEEP: ME\n     labels:\n       com.example.foo: bar\n",
            "extra.yml": "\n services:\n   foo:\n     environment:\n       - ANOTHER=BAR\n       - PASSTHROUGH\n     labels:\n       com.example.extra: bar\n",
            "override.yml": "\n services:\n   foo:\n     environment:\n       FOO: !reset\n       ANOTHER: !reset\n       PASSTHROUGH: !reset\n     labels:\n       com.example.foo: !reset\n",
        },
        expect: (spec) => {
            assert.deepStrictEqual(spec.services.foo.environment, { KEEP: "ME" });
            assert.deepStrictEqual(spec.services.foo.labels, { "com.example.extra": "bar" });
        },
    },
    {
        go: "merge_reset_test.go Test_DuplicateReset",
        name: "a key written twice in a mapping is refused, naming the key",
        files: { "duplicate.yml": "\n name: test\n services:\n   foo:\n     command: hello\n     command: !reset hello world\n" },
        load: ["duplicate.yml"],
        error: ["duplicate.yml:6", '"command"'],
    },

    // ------------------------------------------------------------------ extends_test.go (testdata/extends written out)
    ...(["test1", "test2", "test3"] as const).map((name): LoadCase => ({
        go: "extends_test.go TestExtends",
        name: `${name} extends base.yaml and keeps its own hostname`,
        files: {
            "compose.yaml": "name: test-extends\nservices:\n  test1:\n    extends:\n      file: testdata/extends/base.yaml\n      service: base\n    hostname: test1\n\n  test2:\n    extends:\n      file: testdata/extends/base.yaml\n      service: base\n    hostname: test2\n\n  test3:\n    extends:\n      file: testdata/extends/base.yaml\n      service: another\n    hostname: test3\n",
            "testdata/extends/base.yaml": "services:\n  base:\n    image: base\n\n  another:\n    extends: base\n\n  with-port:\n    ports:\n      - 8000:8000\n\n  withUlimits:\n    image: test\n    ulimits:\n      nproc: 65535\n      nofile:\n        soft: 20000\n        hard: 40000\n\n  with-build:\n    extends:\n      file: sibling.yaml\n      service: test\n\n",
        },
        expect: (spec) => assert.deepStrictEqual([spec.services[name].hostname, spec.services[name].image], [name, "base"]),
    })),
    {
        go: "extends_test.go TestExtendsPort",
        name: "ports of an extended service (base.yaml's with-build extends a sibling.yaml the test leaves out: an unrelated service)",
        files: {
            "compose.yaml": "name: test-extends-port\nservices:\n  test:\n    image: test\n    extends: \n      file: testdata/extends/base.yaml\n      service: with-port\n",
            "testdata/extends/base.yaml": "services:\n  base:\n    image: base\n  with-port:\n    ports:\n      - 8000:8000\n  with-build:\n    extends:\n      file: sibling.yaml\n      service: test\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.test.ports[0].target, 8000),
    },
    {
        go: "extends_test.go TestExtendsUlimits",
        name: "ulimits of an extended service",
        files: {
            "compose.yaml": "name: test-extends\nservices:\n  test:\n    extends:\n      file: testdata/extends/base.yaml\n      service: withUlimits\n",
            "testdata/extends/base.yaml": "services:\n  withUlimits:\n    image: test\n    ulimits:\n      nproc: 65535\n      nofile:\n        soft: 20000\n        hard: 40000\n",
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.ulimits.nproc, { soft: 65535, hard: 65535 }),
    },
    {
        go: "extends_test.go TestExtendsRelativePath (sibling.yaml written: build: .)",
        name: "a build of a file extended by an extended file builds in that file's directory",
        files: {
            "compose.yaml": "name: test-extends-port\nservices:\n  test:\n    extends: \n      file: testdata/extends/base.yaml\n      service: with-build\n",
            "testdata/extends/base.yaml": "services:\n  with-build:\n    extends:\n      file: sibling.yaml\n      service: test\n",
            "testdata/extends/sibling.yaml": "services:\n  test:\n    build: .\n",
        },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.test.build?.context, path.join(dir, "testdata", "extends")),
    },
    {
        go: "extends_test.go TestExtendsNil",
        name: "extending a service defined as null",
        files: {
            "compose.yaml": "name: test-extends-port\nservices:\n  test:\n    image: test\n    extends:\n      file: testdata/extends/base.yaml\n      service: nil\n",
            "testdata/extends/base.yaml": "services:\n  nil:\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.test.image, "test"),
    },
    {
        go: "extends_test.go TestExtendsWihtMissingService",
        name: "extends without a service is refused",
        files: {
            "compose.yaml": "name: test-extends-port\nservices:\n  test:\n    image: test\n    extends:\n      file: testdata/extends/base.yaml\n",
            "testdata/extends/base.yaml": "services:\n  base:\n    image: base\n",
        },
        error: ["services.test.extends", "service"],
    },
    {
        go: "extends_test.go TestIncludeWithExtends",
        name: "an included file extending a sibling file",
        files: {
            "compose.yaml": "name: test-include-with-extends\ninclude: \n  - testdata/extends/nested.yaml\n",
            "testdata/extends/nested.yaml": "services:\n  with-build:\n    extends:\n      file: sibling.yaml\n      service: test\n",
            "testdata/extends/sibling.yaml": "services:\n  test:\n    build: .\n",
        },
        expect: (spec, { dir }) => assert.strictEqual(spec.services["with-build"].build?.context, path.join(dir, "testdata", "extends")),
    },
    {
        go: "extends_test.go TestExtendsPortOverride (ports.yaml written: one port)",
        name: "a file both loaded and extended: the port is not doubled",
        load: ["testdata/extends/ports.yaml", "override.yaml"],
        files: {
            "testdata/extends/ports.yaml": 'services:\n  test:\n    image: test\n    ports:\n      - "8080:80"\n',
            "override.yaml": "name: test-extends-port\nservices:\n  test:\n    extends:\n      file: ports.yaml\n      service: test\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.test.ports.length, 1),
    },
    {
        go: "extends_test.go TestLoadExtendsSameFile",
        name: "extends within an extended file keeps paths relative to that file",
        files: {
            "sub/compose.yaml": "\nservices:\n  base:\n    build:\n      context: ..\n  service:\n    extends: base\n    build:\n      target: target\n",
            "compose.yaml": "\nservices:\n  out-base:\n    extends:\n      file: sub/compose.yaml\n      service: base\n  out-service:\n    extends:\n      file: sub/compose.yaml\n      service: service\n",
        },
        expect: (spec, { dir }) => {
            assert.strictEqual(Object.keys(spec.services).length, 2);
            assert.strictEqual(spec.services["out-base"].build?.context, dir);
            assert.strictEqual(spec.services["out-service"].build?.context, dir);
        },
    },
    ...([
        ["depends_on", "with_depends_on", "depends_on: [zot]", 'depends on undefined service "zot"'],
        ["shared ipc", "with_ipc", "ipc: service:zot", 'undefined service "zot"'],
        ["shared network_mode", "with_network_mode", "network_mode: service:zot", 'undefined service "zot"'],
    ] as const).flatMap(([test, service, yaml, error]): LoadCase[] => {
        const files = {
            "compose.yaml": `name: test-extends_with_${service}\nservices:\n  bar:\n    extends:\n      file: ./testdata/extends/depends_on.yaml\n      service: ${service}\n`,
            "testdata/extends/depends_on.yaml": `services:\n  ${service}:\n    image: foo\n    ${yaml}\n`,
        };
        return [
            { go: `extends_test.go TestExtendsWithServiceRef (${test}; depends_on.yaml written)`, name: "a reference the extended service makes must exist in the project", files, error: ['service "bar"', error] },
            {
                go: `extends_test.go TestExtendsWithServiceRef (${test})`,
                name: "… and loads with a local service of that name",
                files: { ...files, "compose.yaml": `${files["compose.yaml"]}  zot:\n    image: zot\n` },
                expect: (spec) => assert.ok(spec.services.bar.dependsOn.some((d) => d.service === "zot")),
            },
        ];
    }),
    {
        go: "extends_test.go TestLoadExtendsDependsOn",
        name: "depends_on: !override replaces the extended dependencies",
        files: { "compose.yaml": "name: extends-depends_on\nservices:\n  service_a:\n    image: a\n    depends_on:\n      - service_c\n  \n  service_b:\n    extends: service_a\n    depends_on: !override\n      - service_a\n\n  service_c:\n    image: c" },
        expect: (spec) => assert.deepStrictEqual(spec.services.service_b.dependsOn, [{ service: "service_a", condition: "started", required: true, restart: false }]),
    },
    {
        go: "extends_test.go TestExtendsReset (testdata/extends/reset.yaml written out)",
        name: "command: !reset in the extended file leaves no command",
        files: {
            "compose.yaml": "name: test-extends-reset\nservices:\n  test:\n    extends:\n      file: testdata/extends/reset.yaml\n      service: base\n",
            "testdata/extends/reset.yaml": 'services:\n  init:\n    image: alpine:latest\n    command: "sleep infinity"\n  base:\n    extends: { service: init }\n    command: !reset',
        },
        expect: (spec) => assert.strictEqual(spec.services.test.command, undefined),
    },
    {
        go: "extends_test.go (the issue's class: a file read for extends is not validated whole)",
        name: "an unrelated invalid service of an extended file is not an error",
        files: {
            "compose.yaml": "services:\n  web:\n    extends:\n      file: base.yaml\n      service: base\n",
            "base.yaml": "services:\n  base:\n    image: nginx\n  broken:\n    image: [not, a, string]\n    portz: oops\n",
        },
        expect: (spec) => assert.deepStrictEqual(Object.keys(spec.services), ["web"]),
    },

    // ------------------------------------------------------------------ include_test.go
    {
        go: "include_test.go TestLoadIncludeExtendsCombined (testdata/combined written out)",
        name: "an included file extending a file of its own directory",
        files: {
            "compose.yaml": "include:\n  - path:\n      - dir/included.yaml\n\n",
            "dir/included.yaml": "services:\n  service:\n    extends:\n      file: extended.yaml\n      service: service\n\n",
            "dir/extended.yaml": "services:\n  service:\n    build: .\n\n",
        },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.service.build?.context, path.join(dir, "dir")),
    },
    {
        go: "include_test.go TestLoadWithMultipleInclude",
        name: "the same service included twice (directly and through another include) is one service",
        env: { SOURCE: "override" },
        files: {
            "compose.yaml": "name: 'test-multi-include'\n\ninclude:\n  - path: ./testdata/subdir/compose-test-extends-imported.yaml\n    env_file: ./testdata/subdir/extra.env\n  - path: ./testdata/compose-include.yaml\n\nservices:\n  foo:\n    image: busybox\n    depends_on:\n      - imported\n",
            "testdata/compose-include.yaml": "include:\n    - path: ./subdir/compose-test-extends-imported.yaml\n\nservices:\n  bar:\n    image: bar",
            "testdata/subdir/compose-test-extends-imported.yaml": "services:\n  imported:\n    image: nginx\n    container_name: ${SOURCE:-imported}\n    env_file:\n      - ./extra.env\n    volumes:\n      - /opt/data:/var/lib/mysql\n",
            "testdata/subdir/extra.env": "SOURCE=extends\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.imported.containerName, "override"),
    },
    {
        go: "include_test.go TestLoadWithIncludeEnv",
        name: "an include's env_file is seen by the included project only",
        options: { projectName: "project" },
        files: {
            "compose.yml": "\ninclude:\n  - path:\n    - ./module/compose.yml\n    env_file:\n      - ./custom.env\nservices:\n  a:\n    image: alpine\n    environment:\n      - VAR_NAME",
            "custom.env": "VAR_NAME=value",
            "module/compose.yml": "\nservices:\n  b:\n    image: alpine\n    environment:\n      - VAR_NAME\n  c:\n    image: alpine\n    environment:\n      - VAR_NAME",
        },
        load: ["compose.yml"],
        expect: (spec) => {
            assert.ok(!("VAR_NAME" in spec.services.a.environment));
            assert.strictEqual(spec.services.b.environment.VAR_NAME, "value");
            assert.strictEqual(spec.services.c.environment.VAR_NAME, "value");
        },
    },
    {
        go: "include_test.go TestIncludeWithProjectDirectory (testdata/include written out)",
        name: "an include's project_directory is where its relative paths resolve",
        load: ["include/project-directory.yaml"],
        // dockyard reads env files from the project directory only, unless allowed (compose-go reads them anywhere).
        options: { workingDir: "include", allowedPaths: ["subdir"] },
        files: {
            "include/project-directory.yaml": "include:\n  - project_directory: ../subdir\n    path: ./dir/compose.yaml",
            "include/dir/compose.yaml": "services:\n  service:\n    build:\n      dockerfile_inline: |\n        FROM busybox\n        COPY compose-test-extends-imported.yaml compose.yaml\n    volumes:\n      - type: bind\n        source: compose-test-extends-imported.yaml\n        target: /mnt/bind/compose.yaml\n    env_file:\n      - extra.env",
            "subdir/extra.env": "SOURCE=extends\n",
        },
        expect: (spec, { dir }) => {
            const s = spec.services.service;
            assert.strictEqual(s.build?.context, path.join(dir, "subdir"));
            assert.deepStrictEqual(s.mounts, [bind(path.join(dir, "subdir", "compose-test-extends-imported.yaml"), "/mnt/bind/compose.yaml")]);
            assert.deepStrictEqual(s.environment, { SOURCE: "extends" });
        },
    },
    {
        go: "include_test.go TestNestedIncludeAndExtends",
        name: "extends.file of an included file resolves in the include's project_directory",
        options: { projectName: "project" },
        load: ["compose.yml"],
        files: {
            "compose.yml": "\ninclude:\n  - project_directory: .\n    path: dir/included.yaml\n",
            "dir/included.yaml": "\nservices:\n  included:\n    extends:\n      file: dir/extended.yaml\n      service: extended\n",
            "dir/extended.yaml": "\nservices:\n  extended:\n    image: alpine\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.included.image, "alpine"),
    },

    // ------------------------------------------------------------------ override_test.go (files merged, then validated)
    {
        go: "override_test.go TestOverrideNetworks",
        name: "a network list overridden by a mapping with aliases",
        load: ["base", "override"],
        files: {
            base: "\nname: test-override-networks\nservices:\n  test:\n    image: test\n    networks:\n      - test_network\n\nnetworks:\n  test_network: {}\n",
            override: "\nservices:\n  test:\n    image: test\n    networks:\n      test_network: \n        aliases:\n          - alias1\n          - alias2\n",
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.networks, [{ network: "test_network", aliases: ["alias1", "alias2"] }]),
    },
    {
        go: "override_test.go TestOverrideBuildContext",
        name: "build: . overridden by build.context",
        load: ["base", "override"],
        files: { base: "\nname: test-override-networks\nservices:\n  test:\n    build: .\n", override: "\nservices:\n  test:\n    build:\n      context: src\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.test.build?.context, path.join(dir, "src")),
    },
    {
        go: "override_test.go TestOverrideDepends_on",
        name: "a depends_on list overridden by a mapping",
        load: ["base", "override"],
        files: {
            base: "\nname: test-override-networks\nservices:\n  test:\n    image: test\n    depends_on:\n      - foo\n  foo:\n    image: foo\n",
            override: "\nservices:\n  test:\n    depends_on:\n      foo:\n        condition: service_healthy\n        required: false\n",
        },
        expect: (spec) => assert.strictEqual(spec.services.test.dependsOn[0].required, false),
    },
    {
        go: "override_test.go TestOverridePartial",
        name: "a partial depends_on entry in an override is valid once merged",
        load: ["base", "override"],
        files: {
            base: "\nname: test-override-networks\nservices:\n  test:\n    image: test\n    depends_on:\n      foo:\n        condition: service_healthy\n\n  foo: \n    image: foo\n    healthcheck: { test: 'true' }\n",
            override: "\nservices:\n  test:\n    depends_on:\n      foo:\n        # This is invalid according to json schema as condition is required\n        required: false\n",
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.dependsOn, [{ service: "foo", condition: "healthy", required: false, restart: false }]),
    },
    {
        go: "override_test.go TestOverrideVolume",
        name: "the same bind in base and override is one volume",
        load: ["base", "override"],
        files: { base: "\nname: test-override-volume\nservices:\n  test:\n    image: test\n    volumes:\n      - ./src:/src\n", override: "\nservices:\n  test:\n    volumes:\n      - ./src:/src\n" },
        expect: (spec) => assert.strictEqual(spec.services.test.mounts.length, 1),
    },

    // ------------------------------------------------------------------ multidoc_test.go
    {
        go: "multidoc_test.go TestLoadMultiDocumentYaml",
        name: "every document is a layer: extends in the first, environment in the second",
        files: { "abcdef.yaml": "services:\n  base:\n    image: alpine\n", "compose.yaml": "services:\n  app:\n    extends:\n      file: abcdef.yaml\n      service: base\n---\nservices:\n  app:\n    environment:\n      HELLO: WORLD\n" },
        expect: (spec) => assert.deepStrictEqual([spec.services.app.image, spec.services.app.environment], ["alpine", { HELLO: "WORLD" }]),
    },
    {
        go: "multidoc_test.go TestLoadMultiDocumentYaml_TrailingSeparator",
        name: "a trailing --- is an empty document, skipped",
        files: { "compose.yaml": "services:\n  app:\n    image: nginx\n---\n" },
        expect: (spec) => assert.strictEqual(spec.services.app.image, "nginx"),
    },

    // ------------------------------------------------------------------ pull_policy
    {
        go: `${L} TestServicePullPolicy`,
        name: "pull_policy is kept; if_not_present is missing",
        files: { "compose.yaml": "services:\n  a:\n    image: redis:alpine\n    pull_policy: always\n  b:\n    image: redis:alpine\n    pull_policy: if_not_present\n  c:\n    image: redis:alpine\n" },
        expect: (spec) => assert.deepStrictEqual([spec.services.a.pullPolicy, spec.services.b.pullPolicy, spec.services.c.pullPolicy], ["always", "missing", undefined]),
    },
    {
        go: `${L} TestPullRefresh`,
        name: "a time-based pull policy is refused, naming the value",
        files: { "compose.yaml": "services:\n  a:\n    image: redis:alpine\n    pull_policy: every_2d\n" },
        error: ["services.a.pull_policy", "time-based pull policies", "every_2d"],
    },
];

const differs: DiffersCase[] = [
    {
        go: `${L} TestLoadExtensions`,
        name: "x- keys inside a config, a healthcheck, develop and a depends_on entry are dropped",
        reason: "The model keeps x- keys where a target may read them (the project, services, volumes); no target reads them inside these, so they are accepted and not carried.",
        files: { "compose.yaml": "services:\n  foo:\n    image: x\n    healthcheck:\n      x-healthcheck: health\nconfigs:\n  c:\n    external: true\n    x-config-ext: config\n" },
        expect: (spec) => {
            assert.deepStrictEqual(spec.services.foo.healthcheck, { disable: false });
            assert.ok(!("extensions" in spec.configs.c));
        },
    },
    {
        go: `${L} TestLoadCredentialSpec`,
        name: "credential_spec is warned about and dropped",
        reason: "Windows credential specs have no meaning for the Linux containers dockyard runs.",
        files: { "compose.yaml": 'services:\n  foo:\n    image: busybox\n    credential_spec:\n      config: "0bt9dmxjvjiqermk6xrop3ekq"\n' },
        expect: (_s, { warnings }) => assert.ok(warnings.some((w) => w.includes("credential_spec"))),
    },
    {
        go: `${L} TestNonStringKeys`,
        name: "a service named 123 and an environment variable named 1 load",
        reason: "dockyard reads YAML keys as text, as JSON and the Compose schema see them: `123:` is the service name \"123\", which the schema's name pattern allows.",
        files: { "compose.yaml": "services:\n  foo:\n    image: busybox\n  123:\n    image: busybox\n    environment:\n      1: FOO\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services["123"].environment, { 1: "FOO" }),
    },
    {
        go: `${L} TestLoadWithInterpolationCastFull`,
        name: "max_failure_ratio 3.14 is refused",
        reason: "A failure ratio is a fraction of the tasks, from 0 to 1: dockyard's normalizer refuses a value above 1, which cannot mean anything, where compose-go passes it on unchecked.",
        env: { thefloat: "3.14" },
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    deploy:\n      update_config:\n        max_failure_ratio: $thefloat\n" },
        error: ["max_failure_ratio"],
    },
    ...(["label_file: ./example1.label", "build:\n      context: .\n      entitlements: [network.host]", "gpus: all", "post_start:\n      - command: echo start", "blkio_config:\n      device_read_bps:\n      - path: /dev/test\n        rate: 1024k", "build:\n      context: .\n      ulimits:\n        nproc: 65535", "build:\n      context: .\n      ssh: [default]"] as const).map((yaml): DiffersCase => ({
        go: `${L} ${yaml.startsWith("label_file") ? "TestLoadWithLabelFile" : yaml.includes("entitlements") ? "TestBuildEntitlements"  : yaml.startsWith("gpus") ? "TestServiceGpus, TestAllGPUS" : yaml.startsWith("post") ? "TestLoadServiceHooks" : yaml.startsWith("blkio") ? "TestDeviceWriteBps" : yaml.includes("ulimits") ? "TestBuildUlimits" : "TestLoadSSHWithDefaultValueInBuildConfig"}`,
        name: `${yaml.split(":")[0] === "build" ? yaml.split("\n").pop()!.trim().split(":")[0] : yaml.split(":")[0]} is warned about and dropped`,
        reason: "A key the model has no place for: keys.ts lists it as not modelled, and the loader warns that it is ignored instead of failing (the key table says why for each).",
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    ${yaml}\n` },
        expect: (_s, { warnings }) => assert.ok(warnings.some((w) => w.includes("is not supported by dockyard and is ignored")), warnings.join("\n")),
    })),
    ...(["capabilities: [gpu]\n              count: some_string", "capabilities: [gpu]\n              count: 2\n              device_ids: [\"my-device-id\"]"] as const).map((yaml): DiffersCase => ({
        go: `${L} ${yaml.includes("some_string") ? "TestServiceDeviceRequestCountInvalidStringType" : "TestServiceDeviceRequestCountAndDeviceIdsExclusive"}`,
        name: "a device reservation compose-go refuses is warned about and dropped",
        reason: "Device reservations (GPUs) are not modelled: the whole `devices` reservation is dropped with a warning, so its count is not checked.",
        files: { "compose.yaml": `services:\n  web:\n    image: x\n    deploy:\n      resources:\n        reservations:\n          devices:\n            - driver: nvidia\n              ${yaml}\n` },
        expect: (_s, { warnings }) => assert.ok(warnings.some((w) => w.includes("devices")), warnings.join("\n")),
    })),
    {
        go: `${L} TestLoadBindMountSourceIsWindowsAbsolute`,
        name: "a Windows path as a bind source is refused",
        reason: "dockyard runs Linux containers on Linux hosts: a Windows path (z:\\, C:\\data) cannot be mounted there, so the loader says so instead of passing it on.",
        files: { "compose.yaml": "services:\n  test:\n    image: x\n    volumes:\n      - type: bind\n        source: z:\\\n        target: /data\n" },
        error: ["Windows path"],
    },
    {
        go: `${L} TestLoadIPv6Only`,
        name: "enable_ipv4: false is warned about and dropped",
        reason: "The model has no IPv6-only networks (IPv4 is always enabled): keys.ts lists enable_ipv4 as not modelled.",
        files: { "compose.yaml": "services:\n  foo:\n    image: alpine\n    networks:\n      network1:\nnetworks:\n  network1:\n    driver: bridge\n    enable_ipv4: false\n    enable_ipv6: true\n    name: network1\n" },
        expect: (spec, { warnings }) => {
            assertSubset(spec.networks.network1, { name: "network1", driver: "bridge", enableIpv6: true });
            assert.ok(warnings.some((w) => w.includes("enable_ipv4")));
        },
    },
    {
        go: `${L} TestLoadNetworkLinkLocalIPs`,
        name: "link_local_ips are warned about and dropped",
        reason: "Link-local addresses are not modelled (keys.ts); the attachment's other settings are kept.",
        files: {
            "compose.yaml": "services:\n  foo:\n    image: alpine\n    networks:\n      network1:\n        ipv4_address: 10.1.0.100\n        ipv6_address: 2001:db8:0:1::100\n        link_local_ips:\n          - fe80::1:95ff:fe20:100\nnetworks:\n  network1:\n    driver: bridge\n    enable_ipv6: true\n    name: network1\n    ipam:\n      config:\n        - subnet: 10.1.0.0/16\n        - subnet: 2001:db8:0:1::/64\n",
        },
        expect: (spec, { warnings }) => {
            assert.deepStrictEqual(spec.services.foo.networks, [{ network: "network1", aliases: [], ipv4Address: "10.1.0.100", ipv6Address: "2001:db8:0:1::100" }]);
            assert.ok(warnings.some((w) => w.includes("link_local_ips")));
        },
    },
    {
        go: `${L} TestLoadSecretDriver`,
        name: "a secret made by a secret store driver is refused",
        reason: "Secret store drivers are not modelled: a secret without file, content or environment has no content dockyard can give the service.",
        files: { "compose.yaml": "services:\n  a:\n    image: x\n    secrets: [secret]\nsecrets:\n  secret:\n    name: secret\n    driver: secret-bucket\n    driver_opts:\n      OptionA: value for driver option A\n" },
        error: ["secrets.secret", "set exactly one of file, content or environment"],
    },
    {
        go: `${L} TestLoadWithRemoteResources, TestLoadWithNestedResources, TestLoadWithResourcesCycle`,
        name: "remote Compose files are refused",
        reason: "dockyard reads local files only (no resource loaders): an include or extends of a remote file is refused with a message to use a local copy.",
        files: { "compose.yaml": "include:\n  - oci://docker.io/example/app:1\n" },
        error: ["cannot include a remote Compose file"],
    },
    {
        go: `${L} TestLoadEmptyContent_MissingProject`,
        name: "a project without a name is named after its directory",
        reason: "compose-go's loader needs a name; `docker compose` gives it the directory's name, and so does dockyard's loader (loadCompose is the command line's loader too).",
        options: { projectName: null },
        files: { "compose.yaml": "\nservices:\n  test:\n    image: nginx:latest" },
        expect: (spec, { dir }) => assert.strictEqual(spec.name, path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, "")),
    },
    {
        go: `${L} TestLoadDeviceMapping, TestLoadDeviceMappingLongSyntax`,
        name: "device permissions other than r, w and m are refused",
        reason: "Docker's cgroup device permissions are letters of `rwm`; compose-go passes `permissions` on unchecked and the engine fails later, dockyard says so when loading.",
        files: { "compose.yaml": "services:\n  test:\n    image: x\n    devices:\n      - /dev/source:/dev/target:permissions\n" },
        error: ["services.test.devices[0]"],
    },
    {
        go: `${L} TestImageVolume, TestNpipeVolume`,
        name: "image and npipe mounts are refused",
        reason: "Image mounts are not modelled and named pipes are Windows-only: the mount types dockyard runs are volume, bind and tmpfs.",
        files: { "compose.yaml": "services:\n  test:\n    image: x\n    volumes:\n      - type: image\n        source: app/image\n        target: /mnt/image\n" },
        error: ["services.test.volumes[0].type"],
    },
    {
        go: `${L} TestServiceProvider`,
        name: "a provider service is refused",
        reason: "Provider services (a plugin runs instead of a container) are not modelled; without an image the service cannot run.",
        files: { "compose.yaml": "services:\n  test:\n    provider:\n      type: foo\n      options:\n        bar: zot\n" },
        error: ["services.test", "image"],
    },
    {
        go: `${L} TestGwPriority, TestInterfaceName`,
        name: "gw_priority and interface_name are warned about and dropped",
        reason: "Gateway priorities and interface names of an attachment are not modelled (keys.ts).",
        files: { "compose.yaml": "services:\n  test:\n    image: x\n    networks:\n      test:\n        gw_priority: 42\n        interface_name: eth0\nnetworks:\n  test:\n" },
        expect: (_s, { warnings }) => assert.ok(warnings.some((w) => w.includes("gw_priority")) && warnings.some((w) => w.includes("interface_name"))),
    },
    {
        go: "format/volume_test.go TestParseVolumeWithInvalidVolumeOptions, TestParseVolumeWithVolumeOptionsSubpath",
        name: "an unknown short-syntax volume option is refused",
        reason: "compose-go ignores it; a misspelt `:r0` would then mount read-write without a word, so dockyard names the option it does not know.",
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    volumes:\n      - name:/target:bogus\nvolumes:\n  name:\n" },
        error: ["services.web.volumes[0]", '"bogus"'],
    },
    {
        go: "format/volume_test.go TestParseVolumeWindowsNamedPipe, paths/windows_path_test.go",
        name: "a Windows named pipe is refused",
        reason: "Named pipes are Windows objects; dockyard's hosts run Linux.",
        files: { "compose.yaml": "services:\n  web:\n    image: x\n    volumes:\n      - '\\\\.\\pipe\\docker_engine:\\\\.\\pipe\\inside'\n" },
        error: ["services.web.volumes[0]"],
    },
    {
        go: "normalize_test.go TestNormalizeDependsOn, TestNormalizeImplicitDependencies",
        name: "volumes_from, links, cgroup and uts service: references make no dependency",
        reason: "These keys are not modelled (warned about and dropped), so the dependency compose-go derives from them is not made either; network_mode, ipc and pid references are.",
        files: { "compose.yaml": "services:\n  bar:\n    image: x\n    volumes_from: [zot]\n    links: [zot]\n  zot:\n    image: x\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.bar.dependsOn, []),
    },
    {
        go: "include_test.go TestLoadWithMultipleIncludeConflict",
        name: "a service defined by the including file and, differently, by an included one is refused",
        reason: "compose-go's include.go (importResources) reports `services.bar conflicts with imported resource`; its newest test expects the including file to win instead. dockyard keeps the error: one name, two different definitions, is most likely a mistake.",
        files: {
            "compose.yaml": "include:\n  - path: ./testdata/compose-include.yaml\nservices:\n  bar:\n    image: busybox\n    environment: !override\n      - ZOT=QIX\n",
            "testdata/compose-include.yaml": "services:\n  bar:\n    image: bar",
        },
        error: ['conflicting service "bar"'],
    },
];

loadCases("compose-go conformance: loader", cases, differs);
