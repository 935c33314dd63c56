/**
 * compose-go conformance: the `override` package (override/merge_*_test.go, uncity_test.go), its
 * merge rules as the loader applies them (loader/merge_test.go, loader.go), and the merge tags.
 *
 * compose-go's `assertMergeYaml(right, left, want)` merges two YAML trees; here the same trees go
 * through dockyard's `mergeCompose` and, as compose-go's loader does after every merge, its
 * unique-key pass (`enforceUnique`), and are compared with `want` parsed the same way. Where the
 * Go test is about what the loader makes of it, the files are loaded instead.
 */
import * as assert from "assert";
import { enforceUnique, mergeCompose } from "../../../components/compose/merge";
import { parseComposeYaml } from "../../../components/compose/yaml";
import { DiffersCase, LoadCase, assertSubset, loadCases } from "./load-cases";

type Tree = Record<string, unknown>;

interface MergeCase {
    readonly go: string;
    readonly name: string;
    /** compose-go's `right`: the base. */
    readonly base: string;
    /** compose-go's `left`: the override. */
    readonly override: string;
    readonly want: string;
    /** Compare the merge alone, without the unique-key pass (the Go test calls `Merge` only for this). */
    readonly mergeOnly?: boolean;
}

const parse = (text: string): Tree => parseComposeYaml(text, "test.yaml").data;

function merged(c: Pick<MergeCase, "base" | "override" | "mergeOnly">): Tree {
    const m = mergeCompose(parse(c.base), parse(c.override));
    return c.mergeOnly ? m : enforceUnique(m);
}

const M = "override/merge";

const mergeCases: MergeCase[] = [
    {
        go: "override/merge_test.go Test_mergeOverrides",
        name: "scalars: the last file wins",
        base: "services:\n  test:\n    image: foo\n    scale: 1\n",
        override: "services:\n  test:\n    image: bar\n",
        want: "services:\n  test:\n    image: bar\n    scale: 1\n",
    },
    {
        go: "override/merge_test.go Test_mergeOverrides",
        name: "scalars: the last file wins (third file)",
        base: "services:\n  test:\n    image: bar\n    scale: 1\n",
        override: "services:\n  test:\n    scale: 2\n",
        want: "services:\n  test:\n    image: bar\n    scale: 2\n",
    },
    // merge_networks_test.go
    {
        go: `${M}_networks_test.go Test_mergeYamlNetworkSequence`,
        name: "network lists merge as mappings",
        base: "services:\n  test:\n    image: foo\n    networks:\n      - front-network\n      - back-network\n",
        override: "services:\n  test:\n    networks:\n      - front-network\n",
        want: "services:\n  test:\n    image: foo\n    networks:\n      front-network:\n      back-network:\n",
    },
    {
        go: `${M}_networks_test.go Test_mergeYamlNetworksMapping`,
        name: "aliases and link_local_ips of one network append without duplicates",
        base: "services:\n  test:\n    image: foo\n    networks:\n      network1:\n        aliases:\n          - alias1\n          - alias2\n        link_local_ips:\n          - 57.123.22.11\n          - 57.123.22.13\n      network2:\n        aliases:\n          - alias1\n          - alias3\n",
        override: "services:\n  test:\n    networks:\n      network1:\n        aliases:\n          - alias3\n          - alias1\n        link_local_ips:\n          - 57.123.22.12\n          - 57.123.22.13\n",
        want: "services:\n  test:\n    image: foo\n    networks:\n      network1:\n        aliases:\n          - alias1\n          - alias2\n          - alias3\n        link_local_ips:\n          - 57.123.22.11\n          - 57.123.22.13\n          - 57.123.22.12\n      network2:\n        aliases:\n          - alias1\n          - alias3\n",
    },
    {
        go: `${M}_networks_test.go Test_mergeYamlNetworkstMixed`,
        name: "a network list and a mapping",
        base: "services:\n  test:\n    image: foo\n    networks:\n      - front-network\n      - back-network\n      - network1\n",
        override: "services:\n  test:\n    image: foo\n    networks:\n      network1:\n        aliases:\n          - alias1\n          - alias2\n        link_local_ips:\n          - 57.123.22.11\n          - 57.123.22.13\n      network2:\n        aliases:\n          - alias1\n          - alias3\n",
        want: "services:\n  test:\n    image: foo\n    networks:\n      front-network:\n      back-network:\n      network1:\n        aliases:\n          - alias1\n          - alias2\n        link_local_ips:\n          - 57.123.22.11\n          - 57.123.22.13\n      network2:\n        aliases:\n          - alias1\n          - alias3\n",
    },
    // merge_dedup_test.go
    {
        go: `${M}_dedup_test.go Test_mergeYamlSequenceDropsIdenticalDuplicates`,
        name: "entries identical to one already there are not appended again",
        base: "services:\n  test:\n    image: foo\n    dns:\n      - 8.8.8.8\n    cap_add:\n      - NET_ADMIN\n    volumes:\n      - type: volume\n        source: data\n        target: /data\n",
        override: "services:\n  test:\n    dns:\n      - 8.8.8.8\n      - 9.9.9.9\n    cap_add:\n      - NET_ADMIN\n      - SYS_PTRACE\n    volumes:\n      - type: volume\n        source: data\n        target: /data\n",
        want: "services:\n  test:\n    image: foo\n    dns:\n      - 8.8.8.8\n      - 9.9.9.9\n    cap_add:\n      - NET_ADMIN\n      - SYS_PTRACE\n    volumes:\n      - type: volume\n        source: data\n        target: /data\n",
    },
    {
        go: `${M}_dedup_test.go Test_mergeYamlSequenceKeepsEquivalentButDistinctForms`,
        name: "the merge keeps a short and a long form of one volume (the unique pass then keeps one, by target)",
        base: "services:\n  test:\n    volumes:\n      - data:/data\n",
        override: "services:\n  test:\n    volumes:\n      - type: volume\n        source: data\n        target: /data\n",
        want: "services:\n  test:\n    volumes:\n      - data:/data\n      - type: volume\n        source: data\n        target: /data\n",
        mergeOnly: true,
    },
    ...(["environment", "labels", "build:\n      args", "build:\n      labels", "annotations", "sysctls", "build:\n      additional_contexts", "deploy:\n      labels"] as const).map((p): MergeCase => ({
        go: `${M}_dedup_test.go Test_mergeYamlKeyValueSequenceLastEntryWins`,
        name: `${p.replace(/:\n\s+/, ".")}: the last entry of a key wins, even one repeating the base`,
        base: `services:\n  test:\n    image: foo\n    ${p}:\n      - MODE=release\n`,
        override: `services:\n  test:\n    ${p}:\n      - MODE=debug\n      - MODE=release\n`,
        want: `services:\n  test:\n    image: foo\n    ${p}:\n      - MODE=release\n`,
    })),
    ...([["[]", "[]"], ["{}", "{}"]] as const).map(([b, o]): MergeCase => ({
        go: `${M}_dedup_test.go Test_mergeYamlKeyValueSequenceOfEmptyLists`,
        name: `secret labels ${b} over ${o} are an empty list`,
        base: `secrets:\n  test:\n    labels: ${b}\n`,
        override: `secrets:\n  test:\n    labels: ${o}\n`,
        want: "secrets:\n  test:\n    labels: []\n",
    })),
    // merge_volumes_test.go, merge_mounts_test.go, uncity_test.go
    {
        go: `${M}_volumes_test.go TestMergeVolumes`,
        name: "volumes append",
        base: "services:\n  test:\n    image: foo\n    volumes:\n     - a:/a\n     - type: bind\n       source: ./b\n       target: /b\n",
        override: "services:\n  test:\n    volumes:\n      - c:/c\n",
        want: "services:\n  test:\n    image: foo\n    volumes:\n      - a:/a\n      - type: bind\n        source: ./b\n        target: /b\n      - c:/c\n",
    },
    {
        go: `${M}_mounts_test.go Test_mergeYamlServiceMount`,
        name: "a secret mounted at the target of another replaces it in place",
        base: "services:\n  test:\n    image: foo\n    secrets:\n      - foo\n      - bar\n      - zot\n",
        override: "services:\n  test:\n    image: foo\n    secrets:\n      - source: zot\n        target: /run/secrets/foo\n",
        want: "services:\n  test:\n    image: foo\n    secrets:\n      - source: zot\n        target: /run/secrets/foo\n      - bar\n      - zot\n",
    },
    // merge_extra_hosts_test.go
    {
        go: `${M}_extra_hosts_test.go TestMergeExtraHostsSequence`,
        name: "extra_hosts lists append",
        base: "services:\n  test:\n    image: foo\n    extra_hosts:\n      - example.com=1.2.3.4\n",
        override: "services:\n  test:\n    extra_hosts:\n      - localhost=127.0.0.1\n",
        want: "services:\n  test:\n    image: foo\n    extra_hosts:\n      - example.com=1.2.3.4\n      - localhost=127.0.0.1\n",
    },
    {
        go: `${M}_extra_hosts_test.go TestMergeExtraHostsMapping`,
        name: "extra_hosts mappings become host=ip lists",
        base: 'services:\n  test:\n    image: foo\n    extra_hosts:\n      "example.com": "1.2.3.4"\n',
        override: 'services:\n  test:\n    extra_hosts:\n      "localhost": "127.0.0.1"\n',
        want: "services:\n  test:\n    image: foo\n    extra_hosts:\n      - example.com=1.2.3.4\n      - localhost=127.0.0.1\n",
    },
    {
        go: `${M}_extra_hosts_test.go TestMergeExtraHostsMixed`,
        name: "an extra_hosts mapping and a list",
        base: 'services:\n  test:\n    image: foo\n    extra_hosts:\n      "example.com": "1.2.3.4"\n',
        override: "services:\n  test:\n    extra_hosts:\n      - localhost=127.0.0.1\n",
        want: "services:\n  test:\n    image: foo\n    extra_hosts:\n      - example.com=1.2.3.4\n      - localhost=127.0.0.1\n",
    },
    // merge_environment_test.go, merge_labels_test.go, merge_sysctls_test.go
    ...(["environment", "labels", "deploy:\n      labels", "build:\n      labels", "sysctls"] as const).flatMap((p): MergeCase[] => {
        const key = p.replace(/:\n\s+/, ".");
        const test = p === "environment" ? "environment_test.go Test_mergeYamlEnvironment" : p === "sysctls" ? "sysctls_test.go TestMergeSysctls" : `labels_test.go Test_mergeYaml${p === "labels" ? "" : p.startsWith("deploy") ? "Deploy" : "Build"}Labels`;
        const under = (body: string) => `    ${p}:\n${body.replace(/^/gm, p.includes("\n") ? "  " : "")}`;
        return [
            {
                go: `${M}_${test}Sequence`,
                name: `${key}: lists append`,
                base: `services:\n  test:\n    image: foo\n${under("      - FOO=BAR\n")}`,
                override: `services:\n  test:\n${under("      - QIX=ZOT\n      - EMPTY=\n      - NIL\n")}`,
                want: `services:\n  test:\n    image: foo\n${under("      - FOO=BAR\n      - QIX=ZOT\n      - EMPTY=\n      - NIL\n")}`,
            },
            {
                go: `${M}_${test}Mapping`,
                name: `${key}: mappings become KEY=VALUE lists, sorted, a null value a bare key`,
                base: `services:\n  test:\n    image: foo\n${under("      FOO: BAR\n")}`,
                override: `services:\n  test:\n${under('      EMPTY: ""\n      NIL: null\n      QIX: ZOT\n')}`,
                want: `services:\n  test:\n    image: foo\n${under("      - FOO=BAR\n      - EMPTY=\n      - NIL\n      - QIX=ZOT\n")}`,
            },
            {
                go: `${M}_${test}Mixed`,
                name: `${key}: a mapping and a list`,
                base: `services:\n  test:\n    image: foo\n${under("      FOO: BAR\n")}`,
                override: `services:\n  test:\n${under("      - QIX=ZOT\n")}`,
                want: `services:\n  test:\n    image: foo\n${under("      - FOO=BAR\n      - QIX=ZOT\n")}`,
            },
            ...(p === "environment"
                ? []
                : [{
                    go: `${M}_${test}${p === "sysctls" ? "Numbers" : "Number"}`,
                    name: `${key}: a number overridden by a number`,
                    base: `services:\n  test:\n${under("      FOO: 1\n")}`,
                    override: `services:\n  test:\n${under("      FOO: 3\n")}`,
                    want: `services:\n  test:\n${under("      - FOO=3\n")}`,
                }]),
        ];
    }),
    // merge_logging_test.go
    {
        go: `${M}_logging_test.go Test_mergeYamlLoggingSameDriver`,
        name: "the same logging driver: options merge",
        base: 'services:\n  test:\n    image: foo\n    logging:\n      driver: syslog\n      options:\n        syslog-address: "tcp://192.168.0.42:123"\n',
        override: 'services:\n  test:\n    logging:\n      driver: syslog\n      options:\n        syslog-address: "tcp://127.0.0.1:123"\n',
        want: 'services:\n  test:\n    image: foo\n    logging:\n      driver: syslog\n      options:\n        syslog-address: "tcp://127.0.0.1:123"\n',
    },
    {
        go: `${M}_logging_test.go Test_mergeYamlLoggingDistinctDriver`,
        name: "another logging driver replaces the options",
        base: 'services:\n  test:\n    image: foo\n    logging:\n      driver: local\n      options:\n        max-size: "10m"\n',
        override: 'services:\n  test:\n    logging:\n      driver: syslog\n      options:\n        syslog-address: "tcp://127.0.0.1:123"\n',
        want: 'services:\n  test:\n    image: foo\n    logging:\n      driver: syslog\n      options:\n        syslog-address: "tcp://127.0.0.1:123"\n',
    },
    {
        go: `${M}_logging_test.go Test_mergeYamlLoggingImplicitDriver`,
        name: "no driver on either side: options merge",
        base: 'services:\n  test:\n    image: foo\n    logging:\n      options:\n        max-size: "10m"\n',
        override: "services:\n  test:\n    logging:\n      options:\n        max-file: 3\n",
        want: 'services:\n  test:\n    image: foo\n    logging:\n      options:\n        max-size: "10m"\n        max-file: 3\n',
    },
    // merge_ulimits_test.go
    {
        go: `${M}_ulimits_test.go Test_mergeYamlUlimits`,
        name: "ulimit mappings merge key by key",
        base: "services:\n  test:\n    image: foo\n    ulimits:\n      nofile: \n          soft: 20000\n          hard: 40000\n      nproc: 65535\n      locks: \n          soft: 20000\n          hard: 40000\n",
        override: "services:\n  test:\n    image: foo\n    ulimits:\n      nofile: \n          soft: 10000\n          hard: 40000\n      nproc: \n          soft: 65535\n      locks:\n          hard: 65535\n",
        want: "services:\n  test:\n    image: foo\n    ulimits:\n      nofile: \n          soft: 10000\n          hard: 40000\n      nproc:\n          soft: 65535\n      locks:\n          soft: 20000\n          hard: 65535\n",
    },
    {
        go: `${M}_ulimits_test.go Test_mergeYamlUlimitsSyntaxCombinations`,
        name: "a short and a long ulimit: the override wins whole; two long ones merge",
        base: "services:\n  test:\n    image: foo\n    ulimits:\n      short_over_short: 100\n      long_over_short: 100\n      short_over_long:\n          soft: 100\n          hard: 200\n      long_over_long:\n          soft: 100\n          hard: 200\n",
        override: "services:\n  test:\n    image: foo\n    ulimits:\n      short_over_short: 500\n      long_over_short:\n          soft: 500\n      short_over_long: 500\n      long_over_long:\n          hard: 500\n",
        want: "services:\n  test:\n    image: foo\n    ulimits:\n      short_over_short: 500\n      long_over_short:\n          soft: 500\n      short_over_long: 500\n      long_over_long:\n          soft: 100\n          hard: 500\n",
    },
    // merge_build_test.go
    {
        go: `${M}_build_test.go Test_mergeYamlBuildSequence`,
        name: "build lists: args by key, platforms and tags without duplicates, extra_hosts by host",
        base: 'services:\n  test:\n    build:\n      context: .\n      args:\n        - FOO=BAR\n      additional_contexts:\n        - resources=/path/to/resources\n        - app=docker-image://my-app:latest\n      platform: \n        - linux/amd64\n      tags:\n        - "myimage:mytag"\n      extra_hosts:\n        - "somehost=162.242.195.82"\n        - "otherhost=50.31.209.229"\n',
        override: 'services:\n  test:\n    build:\n      context: .\n      args:\n        - GIT_COMMIT=cdc3b19\n        - EMPTY=\n        - NIL\n      additional_contexts:\n        - source=https://github.com/myuser/project.git\n      platform:\n        - "linux/arm64"\n        - "linux/amd64"\n        - "unsupported/unsupported"\n      tags:\n        - "myimage:mytag"\n        - "registry/username/myrepos:my-other-tag"\n      extra_hosts:\n        - "otherhost=50.31.209.230"\n        - "myhostv6=::1"\n',
        want: 'services:\n  test:\n    build:\n      context: .\n      args:\n        - FOO=BAR\n        - GIT_COMMIT=cdc3b19\n        - EMPTY=\n        - NIL\n      additional_contexts:\n        - resources=/path/to/resources\n        - app=docker-image://my-app:latest\n        - source=https://github.com/myuser/project.git\n      platform:\n        - "linux/amd64"\n        - "linux/arm64"\n        - "unsupported/unsupported"\n      tags:\n        - "myimage:mytag"\n        - "registry/username/myrepos:my-other-tag"\n      extra_hosts:\n        - "somehost=162.242.195.82"\n        - "otherhost=50.31.209.230"\n        - "myhostv6=::1"\n',
    },
    {
        go: `${M}_build_test.go Test_mergeYamlArgsMapping`,
        name: "build args and additional contexts as mappings become lists",
        base: "services:\n  test:\n    build:\n      context: .\n      args:\n        FOO: BAR\n      additional_contexts:\n        source: https://github.com/myuser/project.git\n",
        override: 'services:\n  test:\n    build:\n      context: .\n      args:\n        EMPTY: ""\n        NIL: null\n        QIX: ZOT\n      additional_contexts:\n        app: docker-image://my-app:latest\n        resources: /path/to/resources\n',
        want: "services:\n  test:\n    build:\n      context: .\n      args:\n       - FOO=BAR\n       - EMPTY=\n       - NIL\n       - QIX=ZOT\n      additional_contexts:\n        - source=https://github.com/myuser/project.git\n        - app=docker-image://my-app:latest\n        - resources=/path/to/resources\n",
    },
    {
        go: `${M}_build_test.go Test_mergeYamlArgsMixed`,
        name: "build args and additional contexts, a mapping and a list",
        base: 'services:\n  test:\n    build:\n      context: .\n      args:\n        FOO: BAR\n      additional_contexts:\n        - resources=/path/to/resources\n        - app=docker-image://my-app:latest\n      platform: linux/amd64\n      tags:\n        - "myimage:mytag"\n',
        override: 'services:\n  test:\n    build:\n      args:\n        - QIX=ZOT\n      additional_contexts:\n        app: docker-image://new-app:latest\n        source: https://github.com/myuser/project.git\n      tags:\n        - "registry/username/myrepos:my-other-tag"\n\n',
        want: 'services:\n  test:\n    build:\n      context: .\n      args:\n        - FOO=BAR\n        - QIX=ZOT\n      additional_contexts:\n        - resources=/path/to/resources\n        - app=docker-image://new-app:latest\n        - source=https://github.com/myuser/project.git\n      platform: linux/amd64\n      tags:\n        - "myimage:mytag"\n        - "registry/username/myrepos:my-other-tag"\n',
    },
    {
        go: `${M}_build_test.go Test_mergeYamlArgsNumber`,
        name: "a build arg number overridden by a number",
        base: "services:\n  test:\n    build:\n      context: .\n      args:\n        FOO: 1\n",
        override: "services:\n  test:\n    build:\n      context: .\n      args:\n        FOO: 3\n",
        want: "services:\n  test:\n    build:\n      context: .\n      args:\n       - FOO=3\n",
    },
    // merge_devices_test.go, merge_dns_test.go, merge_env_file_test.go, merge_tmpfs_test.go, merge_cap_test.go, merge_profiles_test.go, merge_mem_test.go
    {
        go: `${M}_devices_test.go Test_mergeYamlDevices`,
        name: "devices append",
        base: "services:\n  test:\n    image: foo\n    devices:\n      - '/dev/sda:/dev/sda'\n      - '/dev/sdb:/dev/sdb'\n      - '/dev/sdc:/dev/sdc'\n      - '/dev/sdd:/dev/sdd'\n",
        override: "services:\n  test:\n    devices:\n      - '/dev/sde:/dev/sde'\n      - '/dev/sdf:/dev/sdf'\n      - '/dev/sdg:/dev/sdg'\n      - '/dev/sdh:/dev/sdh'\n",
        want: "services:\n  test:\n    image: foo\n    devices:\n      - '/dev/sda:/dev/sda'\n      - '/dev/sdb:/dev/sdb'\n      - '/dev/sdc:/dev/sdc'\n      - '/dev/sdd:/dev/sdd'\n      - '/dev/sde:/dev/sde'\n      - '/dev/sdf:/dev/sdf'\n      - '/dev/sdg:/dev/sdg'\n      - '/dev/sdh:/dev/sdh'\n",
    },
    {
        go: `${M}_devices_test.go Test_mergeYamlDevicesOverride`,
        name: "a device at the container path of another replaces it in place",
        base: "services:\n  test:\n    image: foo\n    devices:\n      - '/dev/sda:/dev/sda'\n      - '/dev/sdb:/dev/sdb'\n      - '/dev/sdc:/dev/sdc'\n      - '/dev/sdd:/dev/sdd'\n",
        override: "services:\n  test:\n    devices:\n      - '/dev/nvme0n1p1:/dev/sda'\n      - '/dev/nvme1n1p1:/dev/sdb'\n      - '/dev/nvme2n1p1:/dev/sdc'\n",
        want: "services:\n  test:\n    image: foo\n    devices:\n      - '/dev/nvme0n1p1:/dev/sda'\n      - '/dev/nvme1n1p1:/dev/sdb'\n      - '/dev/nvme2n1p1:/dev/sdc'\n      - '/dev/sdd:/dev/sdd'\n",
    },
    {
        go: `${M}_dns_test.go Test_mergeYamlDNSSequence`,
        name: "dns, dns_opt and dns_search append",
        base: "services:\n  test:\n    image: foo\n    dns:\n      - 8.8.8.8\n    dns_opt:\n      - use-vc\n    dns_search:\n      - dc1.example.com\n",
        override: "services:\n  test:\n    dns:\n      - 9.9.9.9\n    dns_opt:\n      - no-tld-query\n    dns_search:\n      - dc2.example.com\n",
        want: "services:\n  test:\n    image: foo\n    dns:\n      - 8.8.8.8\n      - 9.9.9.9\n    dns_opt:\n      - use-vc\n      - no-tld-query\n    dns_search:\n      - dc1.example.com\n      - dc2.example.com\n",
    },
    {
        go: `${M}_dns_test.go Test_mergeYamlDNSMixed`,
        name: "a dns string and a list, without duplicates",
        base: "services:\n  test:\n    image: foo\n    dns:\n      - 8.8.8.8\n      - 10.10.10.10\n      - 9.9.9.9\n    dns_opt:\n      - use-vc\n      - no-tld-query\n    dns_search:\n      - dc1.example.com\n      - dc2.example.com\n",
        override: "services:\n  test:\n    dns: 9.9.9.9\n    dns_opt:\n      - no-tld-query\n    dns_search: dc2.example.com\n",
        want: "services:\n  test:\n    image: foo\n    dns:\n      - 8.8.8.8\n      - 10.10.10.10\n      - 9.9.9.9\n    dns_opt:\n      - use-vc\n      - no-tld-query\n    dns_search:\n      - dc1.example.com\n      - dc2.example.com\n",
    },
    {
        go: `${M}_env_file_test.go TestMergeEnvFilesSequence`,
        name: "env_file lists append",
        base: "services:\n  test:\n    image: foo\n    env_file:\n      - foo.env\n",
        override: "services:\n  test:\n    env_file:\n      - bar.env\n      - baz.env\n",
        want: "services:\n  test:\n    image: foo\n    env_file:\n      - foo.env\n      - bar.env\n      - baz.env\n",
    },
    {
        go: `${M}_env_file_test.go TestMergeEnvFilesString`,
        name: "env_file strings become a list",
        base: "services:\n  test:\n    image: foo\n    env_file: foo.env\n",
        override: "services:\n  test:\n    env_file: bar.env\n",
        want: "services:\n  test:\n    image: foo\n    env_file:\n      - foo.env\n      - bar.env\n",
    },
    {
        go: `${M}_env_file_test.go TestMergeEnvFilesMixed (SequenceThenString)`,
        name: "an env_file string then a list: one entry per file",
        base: "services:\n  test:\n    env_file: foo.env\n",
        override: "services:\n  test:\n    env_file:\n      - bar.env\n      - foo.env\n",
        want: "services:\n  test:\n    env_file:\n      - foo.env\n      - bar.env\n",
    },
    {
        go: `${M}_env_file_test.go TestMergeEnvFilesMixed (StringThenSequence)`,
        name: "an env_file list then a string",
        base: "services:\n  test:\n    env_file:\n      - bar.env\n      - foo.env\n",
        override: "services:\n  test:\n    env_file: foo.env\n",
        want: "services:\n  test:\n    env_file:\n      - bar.env\n      - foo.env\n",
    },
    {
        go: `${M}_env_file_test.go TestMergeEnvFilesMixed (Unicity between string and mapping)`,
        name: "an env_file entry as a string and as a mapping is one file",
        base: "services:\n  test:\n    env_file:\n      - bar.env\n      - foo.env\n",
        override: "services:\n  test:\n    env_file: \n      - path: foo.env\n        required: true\n",
        want: "services:\n  test:\n    env_file:\n      - bar.env\n      - path: foo.env\n        required: true\n\n",
    },
    {
        go: `${M}_tmpfs_test.go TestMergeTmpfsSequence`,
        name: "tmpfs lists append",
        base: "services:\n  test:\n    image: foo\n    tmpfs:\n      - /foo\n",
        override: "services:\n  test:\n    tmpfs:\n      - /bar\n      - /baz\n",
        want: "services:\n  test:\n    image: foo\n    tmpfs:\n      - /foo\n      - /bar\n      - /baz\n",
    },
    {
        go: `${M}_tmpfs_test.go TestMergeTmpfsString`,
        name: "tmpfs strings become a list",
        base: "services:\n  test:\n    image: foo\n    tmpfs: /foo\n",
        override: "services:\n  test:\n    tmpfs: /bar\n",
        want: "services:\n  test:\n    image: foo\n    tmpfs:\n      - /foo\n      - /bar\n",
    },
    {
        go: `${M}_cap_test.go TestMergeCAPSequence`,
        name: "cap_add and cap_drop append without duplicates",
        base: "services:\n  test:\n    image: foo\n    cap_add:\n      - CAP_BPF\n      - CAP_CHOWN\n    cap_drop:\n      - NET_ADMIN\n      - SYS_ADMIN\n",
        override: "services:\n  test:\n    cap_add:\n      - CAP_KILL\n      - CAP_CHOWN\n    cap_drop:\n      - NET_ADMIN\n      - CAP_FOWNER\n",
        want: "services:\n  test:\n    image: foo\n    cap_add:\n      - CAP_BPF\n      - CAP_CHOWN\n      - CAP_KILL\n    cap_drop:\n      - NET_ADMIN\n      - SYS_ADMIN\n      - CAP_FOWNER\n",
    },
    {
        go: `${M}_profiles_test.go TestMergeProfilesUnicity`,
        name: "profiles append without duplicates",
        base: "services:\n  test:\n    image: foo\n    profiles:\n      - profile1\n      - profile2\n",
        override: "services:\n  test:\n    profiles:\n      - profile2\n      - profile3\n",
        want: "services:\n  test:\n    image: foo\n    profiles:\n      - profile1\n      - profile2\n      - profile3\n",
    },
    {
        go: `${M}_mem_test.go TestMemLimitMixed (StringThenInt)`,
        name: "mem_limit: the last file wins",
        base: "services:\n  test:\n    mem_limit: 1\n",
        override: "services:\n  test:\n    mem_limit: '256m'\n",
        want: "services:\n  test:\n    mem_limit: 256m\n",
    },
    {
        go: `${M}_mem_test.go TestMemLimitMixed (IntThenString)`,
        name: "mem_limit: the last file wins",
        base: "services:\n  test:\n    mem_limit: '256m'\n",
        override: "services:\n  test:\n    mem_limit: 1\n",
        want: "services:\n  test:\n    mem_limit: 1\n",
    },
    // merge_null_test.go
    ...([["networks", "runtime: null"], ["models", "runtime: null"], ["depends_on", "runtime: {condition: service_started, required: true}"]] as const).flatMap(([attr, want]): MergeCase[] => [
        {
            go: `${M}_null_test.go Test_mergeYamlNullOverrideOfMappingLikeAttribute`,
            name: `${attr}: null in an override keeps the base`,
            base: `services:\n  test:\n    image: foo\n    ${attr}: [runtime]\n`,
            override: `services:\n  test:\n    ${attr}: null\n`,
            want: `services:\n  test:\n    image: foo\n    ${attr}:\n      ${want}\n`,
        },
        {
            go: `${M}_null_test.go Test_mergeYamlNullBaseWithOverrideOfMappingLikeAttribute`,
            name: `${attr}: null in the base, entries in the override`,
            base: `services:\n  test:\n    image: foo\n    ${attr}: null\n`,
            override: `services:\n  test:\n    ${attr}: [runtime]\n`,
            want: `services:\n  test:\n    image: foo\n    ${attr}:\n      ${want}\n`,
        },
    ]),
    // uncity_test.go: the unique-key pass alone (an empty base)
    {
        go: "override/uncity_test.go Test_EnvironmentUnicity",
        name: "environment: the last entry of each key, in place of the first",
        base: "{}",
        override: "services:\n  test:\n    image: foo\n    environment:\n      - FOO=BAR\n      - BAR=QIX\n      - QIX=\n      - ZOT\n      - FOO=ZOT\n      - QIX\n      - ZOT=\n",
        want: "services:\n  test:\n    image: foo\n    environment:\n      - FOO=ZOT\n      - BAR=QIX\n      - QIX\n      - ZOT=\n",
    },
    {
        go: "override/uncity_test.go Test_VolumeUnicity",
        name: "volumes: one per container path",
        base: "{}",
        override: "services:\n  test:\n    image: foo\n    volumes:\n      - .:/foo\n      - foo:/bar\n      - src:/foo\n",
        want: "services:\n  test:\n    image: foo\n    volumes:\n      - src:/foo\n      - foo:/bar\n",
    },
    {
        go: "override/uncity_test.go Test_PortsShortUnicity",
        name: "short ports: one per host address, port, target and protocol",
        base: "{}",
        override: 'services:\n  test:\n    image: foo\n    ports:\n      - "9080:80"\n      - "9081:81"\n      - "9080:80"\n      - "5000"\n      - "6060:6060/udp"\n      - "9080:6060/udp"\n',
        want: 'services:\n  test:\n    image: foo\n    ports:\n      - "9080:80"\n      - "9081:81"\n      - "5000"\n      - "6060:6060/udp"\n      - "9080:6060/udp"\n',
    },
    {
        go: "override/uncity_test.go Test_PortsLongtUnicity",
        name: "long ports: one per host address, port, target and protocol",
        base: "{}",
        override: 'services:\n  test:\n    image: foo\n    ports:\n      - target: 80\n        host_ip: 127.0.0.1\n        published: "8080"\n        protocol: tcp\n        mode: host\n      - target: 81\n        published: "8080"\n        protocol: tcp\n      - target: 80\n        host_ip: 127.0.0.2\n        published: "8080"\n        protocol: tcp\n      - target: 81\n        published: "8080"\n        protocol: tcp\n',
        want: 'services:\n  test:\n    image: foo\n    ports:\n      - target: 80\n        host_ip: 127.0.0.1\n        published: "8080"\n        protocol: tcp\n        mode: host\n      - target: 81\n        published: "8080"\n        protocol: tcp\n      - target: 80\n        host_ip: 127.0.0.2\n        published: "8080"\n        protocol: tcp\n',
    },
    // merge.go mergeIPAMConfig (the class: aux_addresses of one subnet merge)
    {
        go: "override/merge.go mergeIPAMConfig",
        name: "IPAM pools of one subnet merge, their aux_addresses too; other pools are added",
        base: "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          gateway: 10.0.0.1\n          aux_addresses:\n            a: 10.0.0.5\n",
        override: "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          aux_addresses:\n            b: 10.0.0.6\n        - subnet: 10.1.0.0/24\n",
        want: "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          gateway: 10.0.0.1\n          aux_addresses:\n            a: 10.0.0.5\n            b: 10.0.0.6\n        - subnet: 10.1.0.0/24\n",
    },
];

function mergeTests(): void {
    describe("compose-go conformance: override (merge rules)", () => {
        for (const c of mergeCases) it(`${c.go}: ${c.name}`, () => assert.deepStrictEqual(merged(c), parse(c.want)));

        it(`${M}_dedup_test.go Test_mergeYamlSequenceIsIdempotent: merging the override again changes nothing`, () => {
            const base = parse('services:\n  test:\n    dns:\n      - 8.8.8.8\n    env_file:\n      - common.env\n    extra_hosts:\n      - "host1:127.0.0.1"\n');
            const override = parse('services:\n  test:\n    dns:\n      - 9.9.9.9\n    env_file:\n      - common.env\n      - test.env\n    extra_hosts:\n      - "host1:127.0.0.1"\n      - "host2:127.0.0.2"\n');
            const once = enforceUnique(mergeCompose(base, override));
            assert.deepStrictEqual(enforceUnique(mergeCompose(once, override)), once);
        });

        for (const [name, base, override] of [
            ["depends_on map element", "services:\n  x: {image: alpine, depends_on: [y]}\n  y: {image: alpine}\n", "services:\n  x: {depends_on: [{}]}\n"],
            ["depends_on int element", "services:\n  x: {image: alpine, depends_on: [y]}\n  y: {image: alpine}\n", "services:\n  x: {depends_on: [123]}\n"],
            ["networks map element", "services:\n  x: {image: alpine, networks: [front]}\n", "services:\n  x: {networks: [{}]}\n"],
            ["depends_on invalid element in base", "services:\n  x: {image: alpine, depends_on: [{}]}\n  y: {image: alpine}\n", "services:\n  x: {depends_on: [y]}\n"],
        ] as const) {
            it(`${M}_invalid_list_test.go Test_mergeInvalidListElement (${name}): an error, not a crash`, () => {
                assert.throws(() => mergeCompose(parse(base), parse(override)), /a list entry here must be a name/);
            });
        }
    });
}

mergeTests();

// ---------------------------------------------------------------------------------------------
// The merge as the loader does it: files loaded in order.

const loaded: LoadCase[] = [
    ...([
        ["no_override", "ports:\n      - 8080:80\n", "", [{ target: 80, published: 8080 }]],
        ["override_different_published", "ports:\n      - 8080:80\n", "ports:\n      - 8081:80\n", [{ target: 80, published: 8080 }, { target: 80, published: 8081 }]],
        ["override_distinct_protocols", "ports:\n      - 8080:80/tcp\n", "ports:\n      - 8080:80/udp\n", [{ target: 80, published: 8080, protocol: "tcp" }, { target: 80, published: 8080, protocol: "udp" }]],
        ["override_one_sided", "ports:\n      - 5000\n      - 6000\n", "", [{ target: 5000 }, { target: 6000 }]],
    ] as const).map(([name, base, override, ports]): LoadCase => ({
        go: `loader/merge_test.go TestLoadMultipleServicePorts (${name})`,
        name: "ports of two files",
        load: ["base.yml", "override.yml"],
        files: { "base.yml": `services:\n  foo:\n    image: x\n    ${base}`, "override.yml": `services:\n  foo:\n    ${override || "image: x\n"}` },
        expect: (spec) => assertSubset(spec.services.foo.ports, ports),
    })),
    {
        go: "loader.go (Canonical, then EnforceUnicity); override/uncity.go portIndexer",
        name: "a short and a long form of the same port are one port",
        load: ["base.yml", "override.yml"],
        files: {
            "base.yml": 'services:\n  foo:\n    image: x\n    ports:\n      - "8080:80"\n',
            "override.yml": 'services:\n  foo:\n    ports:\n      - target: 80\n        published: "8080"\n        protocol: tcp\n        mode: host\n',
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.foo.ports, [{ target: 80, published: 8080, protocol: "tcp", mode: "host" }]),
    },
    ...([
        ["override_simple", "- foo_secret", "- bar_secret", ["foo_secret", "bar_secret"]],
        ["override_same_source", "- foo_secret\n      - source: bar_secret\n        target: waw_secret", "- source: bar_secret\n        target: bof_secret\n      - source: baz_secret\n        target: waw_secret", ["foo_secret", "baz_secret", "bar_secret"]],
    ] as const).map(([name, base, override, sources]): LoadCase => ({
        go: `loader/merge_test.go TestLoadMultipleSecretsConfig (${name})`,
        name: "secrets of two files, one per target",
        load: ["base.yml", "override.yml"],
        files: {
            "base.yml": `services:\n  foo:\n    image: x\n    secrets:\n      ${base}\nsecrets:\n  foo_secret: { external: true }\n  bar_secret: { external: true }\n  baz_secret: { external: true }\n`,
            "override.yml": `services:\n  foo:\n    secrets:\n      ${override}\n`,
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.foo.secrets.map((s) => s.source), sources),
    })),
    ...([
        ["no_override", "noproc: 65535", "", { noproc: { soft: 65535, hard: 65535 } }],
        ["override_simple", "noproc: 65535", "noproc: 44444", { noproc: { soft: 44444, hard: 44444 } }],
        ["override_different_notation", "nofile:\n        soft: 11111\n        hard: 99999\n      noproc: 44444", "nofile: 55555\n      noproc:\n        soft: 22222\n        hard: 33333", { nofile: { soft: 55555, hard: 55555 }, noproc: { soft: 22222, hard: 33333 } }],
    ] as const).map(([name, base, override, ulimits]): LoadCase => ({
        go: `loader/merge_test.go TestLoadMultipleUlimits (${name})`,
        name: "ulimits of two files",
        load: ["base.yml", "override.yml"],
        files: { "base.yml": `services:\n  foo:\n    image: x\n    ulimits:\n      ${base}\n`, "override.yml": override ? `services:\n  foo:\n    ulimits:\n      ${override}\n` : "services:\n  foo: {}\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.foo.ulimits, ulimits),
    })),
    ...([
        ["no_override_driver", "driver: json-file\n      options:\n        frequency: '2000'\n        timeout: '23'", "options:\n        timeout: '360'\n        pretty-print: 'on'", { driver: "json-file", options: { frequency: "2000", timeout: "360", "pretty-print": "on" } }],
        ["override_driver", "driver: json-file\n      options:\n        frequency: '2000'\n        timeout: '23'", "driver: syslog\n      options:\n        timeout: '360'\n        pretty-print: 'on'", { driver: "syslog", options: { timeout: "360", "pretty-print": "on" } }],
        ["no_base_driver", "options:\n        frequency: '2000'\n        timeout: '23'", "driver: json-file\n      options:\n        timeout: '360'\n        pretty-print: 'on'", { driver: "json-file", options: { frequency: "2000", timeout: "360", "pretty-print": "on" } }],
        ["no_override_options", "driver: json-file\n      options:\n        frequency: '2000'", "driver: syslog", { driver: "syslog", options: {} }],
    ] as const).map(([name, base, override, logging]): LoadCase => ({
        go: `loader/merge_test.go TestLoadLogging (${name})`,
        name: "logging of two files",
        load: ["base.yml", "override.yml"],
        files: { "base.yml": `services:\n  foo:\n    image: x\n    logging:\n      ${base}\n`, "override.yml": `services:\n  foo:\n    logging:\n      ${override}\n` },
        expect: (spec) => assert.deepStrictEqual(spec.services.foo.logging, logging),
    })),
    {
        go: "override/merge.go mergeIPAMConfig (loaded)",
        name: "aux_addresses of one subnet, given by two files, are all kept",
        load: ["base.yml", "override.yml"],
        files: {
            "base.yml": "services:\n  a:\n    image: x\n    networks: [n]\nnetworks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          aux_addresses:\n            a: 10.0.0.5\n",
            "override.yml": "networks:\n  n:\n    ipam:\n      config:\n        - subnet: 10.0.0.0/24\n          aux_addresses:\n            b: 10.0.0.6\n",
        },
        expect: (spec) => assert.deepStrictEqual(spec.networks.n.ipam.config, [{ subnet: "10.0.0.0/24", auxAddresses: { a: "10.0.0.5", b: "10.0.0.6" } }]),
    },
    {
        go: "docker/compose#11706 (!reset through a YAML merge key), loader/reset.go",
        name: "a !reset brought in by an alias (<<: *anchor) resets the earlier file's value",
        load: ["base.yml", "override.yml"],
        files: {
            "base.yml": 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n',
            "override.yml": "x-no-ports: &no-ports\n  ports: !reset []\nservices:\n  web:\n    <<: *no-ports\n",
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.ports, []),
    },
    {
        go: "docker/compose#11706 (!override through a YAML merge key), loader/reset.go",
        name: "an !override brought in by an alias replaces the earlier file's value",
        load: ["base.yml", "override.yml"],
        files: {
            "base.yml": 'services:\n  web:\n    image: x\n    ports:\n      - "8080:80"\n',
            "override.yml": 'x-ports: &ports\n  ports: !override\n    - "9090:90"\nservices:\n  web:\n    <<: *ports\n',
        },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.ports, [{ target: 90, published: 9090, protocol: "tcp", mode: "ingress" }]),
    },
];

const differs: DiffersCase[] = [
    {
        go: `${M}_positional_test.go (TestMergePositional_*)`,
        name: "the !merge tag (positional merge of a sequence) is not read",
        reason: "The `!merge` tag is a recent compose-go addition that dockyard does not read yet: a tagged sequence is appended like any other (YAML keeps the value, the tag is not one of !reset/!override).",
        load: ["base.yml", "override.yml"],
        files: { "base.yml": "services:\n  web:\n    image: x\n    dns:\n      - 1.1.1.1\n      - 8.8.8.8\n", "override.yml": "services:\n  web:\n    dns: !merge\n      - 9.9.9.9\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.dns, ["1.1.1.1", "8.8.8.8", "9.9.9.9"]),
    },
    {
        go: `${M}_tmpfs_test.go TestMergeTmpfsMixed`,
        name: "a tmpfs string and a list merge under tmpfs",
        reason: "The Go test's expected document lists the merged entries under `annotations`, not `tmpfs` (a slip in the test); dockyard merges them under tmpfs, as TestMergeTmpfsString does.",
        load: ["base.yml", "override.yml"],
        files: { "base.yml": "services:\n  test:\n    image: foo\n    tmpfs: /foo\n", "override.yml": "services:\n  test:\n    tmpfs:\n      - /bar\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.test.mounts.map((m) => m.target), ["/foo", "/bar"]),
    },
    {
        go: `${M}_dedup_test.go Test_mergeYamlKeyValueSequenceCompactsRepeatedBaseKeys`,
        name: "a top-level `jobs` key is refused",
        reason: "The Go test uses `jobs`, a key of a newer Compose specification than the schema dockyard ships: dockyard refuses it as unknown (the rule it tests, the last KEY=VALUE entry winning, is the same for services: see Test_mergeYamlKeyValueSequenceLastEntryWins).",
        files: { "compose.yaml": "jobs:\n  test:\n    image: foo\n    labels:\n      - MODE=debug\n      - MODE=release\n" },
        error: ['unknown key "jobs"'],
    },
    {
        go: "types/types.go IPAMConfig (no Options field)",
        name: "ipam.options are kept",
        reason: "compose-go's IPAMConfig has no field for the Compose spec's `ipam.options`, so docker compose drops them; dockyard keeps them in the model (NetworkSpec.ipam.options) for the targets, Docker's IPAM drivers taking options.",
        files: { "compose.yaml": "services:\n  a:\n    image: x\n    networks: [n]\nnetworks:\n  n:\n    ipam:\n      driver: default\n      options:\n        foo: bar\n" },
        expect: (spec) => assert.deepStrictEqual(spec.networks.n.ipam, { driver: "default", config: [], options: { foo: "bar" } }),
    },
];

loadCases("compose-go conformance: override (files merged by the loader)", loaded, differs);
