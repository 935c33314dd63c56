/**
 * compose-go conformance: relative paths (the `paths` package: paths/resolve.go and its tests,
 * paths/windows_path_test.go; loader/paths_test.go and loader/resolve_paths_test.go), through
 * dockyard's loader: which values are host paths, against which directory they are resolved,
 * and what is left as written.
 */
import * as assert from "assert";
import * as path from "path";
import { DiffersCase, LoadCase, loadCases } from "./load-cases";

const bind = (source: string, target: string, extra: object = {}) => ({ type: "bind", source, target, readOnly: false, createHostPath: true, ...extra });
const R = "paths/resolve.go ResolveRelativePaths";

const cases: LoadCase[] = [
    // loader/paths_test.go (v2's ResolveRelativePaths, the model's paths resolved against the working directory)
    {
        go: "loader/paths_test.go TestResolveProjectDirectory",
        name: "a relative working directory is made absolute",
        options: { workingDir: "testdata" },
        files: { "compose.yaml": "services:\n  foo:\n    build: .\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.foo.build?.context, path.join(dir, "testdata")),
    },
    {
        go: "loader/paths_test.go TestResolveBuildContextPaths",
        name: "a relative build context is resolved in the working directory",
        files: { "compose.yaml": "services:\n  foo:\n    build:\n      context: ./testdata\n      dockerfile: Dockerfile-sample\n" },
        expect: (spec, { dir }) => assert.deepStrictEqual(spec.services.foo.build, { context: path.join(dir, "testdata"), dockerfile: "Dockerfile-sample", args: {}, labels: {} }),
    },
    // loader/resolve_paths_test.go
    {
        go: "loader/resolve_paths_test.go TestResolvePathsPass_BuildContextRelativeToService",
        name: "build.context ./image",
        files: { "compose.yaml": "\nservices:\n  app:\n    build:\n      context: ./image\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.app.build?.context, path.join(dir, "image")),
    },
    {
        go: "loader/resolve_paths_test.go TestResolvePathsPass_PreservesAbsolutePath",
        name: "an absolute build.context is kept",
        files: { "compose.yaml": "\nservices:\n  app:\n    build:\n      context: /already/absolute\n" },
        expect: (spec) => assert.strictEqual(spec.services.app.build?.context, "/already/absolute"),
    },
    {
        go: "loader/resolve_paths_test.go TestResolvePathsPass_PreservesRemoteURL",
        name: "a remote build.context is kept",
        files: { "compose.yaml": "\nservices:\n  app:\n    build:\n      context: https://github.com/example/repo.git\n" },
        expect: (spec) => assert.strictEqual(spec.services.app.build?.context, "https://github.com/example/repo.git"),
    },
    {
        go: "loader/resolve_paths_test.go TestResolvePathsPass_BuildContextOfIncludedService",
        name: "the build context of an included service is resolved in the included file's directory",
        files: { "sub/compose.yaml": "\nservices:\n  included:\n    build:\n      context: ./local\n", "compose.yaml": "\ninclude:\n  - path: sub/compose.yaml\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.services.included.build?.context, path.join(dir, "sub", "local")),
    },
    {
        go: "loader/resolve_paths_test.go TestResolveShortVolume_RewritesBindSource",
        name: "the source of a short bind ./data:/var/data",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    volumes:\n      - ./data:/var/data\n" },
        expect: (spec, { dir }) => assert.deepStrictEqual(spec.services.app.mounts, [bind(path.join(dir, "data"), "/var/data", { projectDir: dir })]),
    },
    {
        go: "loader/resolve_paths_test.go TestResolveShortVolume_LeavesNamedVolumeAlone",
        name: "a named volume mydata:/var/data is no path",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    volumes:\n      - mydata:/var/data\nvolumes:\n  mydata:\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.app.mounts, [{ type: "volume", source: "mydata", target: "/var/data", readOnly: false }]),
    },
    // paths/windows_path_test.go TestIsAbs: the POSIX half (what is a path, and absolute, as a bind source)
    ...([
        ["/", "/"],
        ["/usr/bin/gcc", "/usr/bin/gcc"],
        ["/a/../bb", "/bb"],
        ["..", ".."],
        [".", "."],
        ["./", "."],
    ] as const).map(([source, resolved]): LoadCase => ({
        go: "paths/windows_path_test.go TestIsAbs (isabstests)",
        name: `the bind source "${source}"`,
        files: { "compose.yaml": `services:\n  app:\n    image: x\n    volumes:\n      - type: bind\n        source: "${source}"\n        target: /mnt\n` },
        expect: (spec, { dir }) => assert.deepStrictEqual(spec.services.app.mounts, [bind(path.resolve(dir, resolved), "/mnt", source.startsWith(".") ? { projectDir: dir } : {})]),
    })),
    {
        go: "paths/windows_path_test.go TestIsAbs (isabstests: lala)",
        name: "a short volume source lala is a volume name, not a relative path",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    volumes:\n      - lala:/mnt\nvolumes:\n  lala:\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.app.mounts, [{ type: "volume", source: "lala", target: "/mnt", readOnly: false }]),
    },
    // paths/resolve.go: the paths it resolves
    {
        go: `${R} (services.*.volumes.*: absVolumeMount)`,
        name: "the source of a long-syntax bind, relative and ~",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    volumes:\n      - type: bind\n        source: ./conf\n        target: /conf\n      - type: bind\n        source: ~/cache\n        target: /cache\n" },
        expect: (spec, { dir }) => assert.deepStrictEqual(spec.services.app.mounts, [bind(path.join(dir, "conf"), "/conf", { projectDir: dir }), bind("/home/u/cache", "/cache", { projectDir: dir })]),
    },
    {
        go: `${R} (secrets.*.file, configs.*.file: maybeUnixPath)`,
        name: "the file of a secret and a config, relative to the project",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    secrets: [s]\n    configs: [c]\nsecrets:\n  s:\n    file: ./secrets/s.txt\nconfigs:\n  c:\n    file: c.conf\n", "secrets/s.txt": "x", "c.conf": "y" },
        expect: (spec, { dir }) => {
            assert.strictEqual(spec.secrets.s.file, path.join(dir, "secrets", "s.txt"));
            assert.strictEqual(spec.configs.c.file, path.join(dir, "c.conf"));
        },
    },
    {
        go: `${R} (absPath: ExpandUser)`,
        name: "~ in a secret's file is the home directory (a home inside the project here)",
        options: { homeDir: "home" },
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    secrets: [s]\nsecrets:\n  s:\n    file: ~/s.txt\n", "home/s.txt": "x" },
        expect: (spec, { dir }) => assert.strictEqual(spec.secrets.s.file, path.join(dir, "home", "s.txt")),
    },
    {
        go: `${R} (services.*.env_file.*.path)`,
        name: "env_file paths are resolved in the project directory",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    env_file:\n      - ./env/app.env\n      - path: other.env\n        required: false\n", "env/app.env": "A=1\n" },
        expect: (spec) => assert.deepStrictEqual(spec.services.app.environment, { A: "1" }),
    },
    {
        go: `${R} (services.*.extends.file: absExtendsPath)`,
        name: "extends.file is resolved in the working directory, which may differ from the file's",
        options: { workingDir: "." },
        load: ["conf/compose.yaml"],
        files: { "conf/compose.yaml": "services:\n  app:\n    extends:\n      file: bases/base.yaml\n      service: base\n", "bases/base.yaml": "services:\n  base:\n    image: from-project-dir\n" },
        expect: (spec) => assert.strictEqual(spec.services.app.image, "from-project-dir"),
    },
    {
        go: `${R} (include.path, include.project_directory, include.env_file)`,
        name: "include paths, its project directory and its env files are resolved in the including project",
        files: {
            "compose.yaml": "include:\n  - path: ./stack/compose.yaml\n    project_directory: ./stack/root\n    env_file: ./stack/vars.env\n",
            "stack/compose.yaml": "services:\n  s:\n    image: ${IMAGE}\n    volumes:\n      - ./data:/data\n",
            "stack/vars.env": "IMAGE=nginx\n",
        },
        expect: (spec, { dir }) => {
            assert.strictEqual(spec.services.s.image, "nginx");
            assert.deepStrictEqual(spec.services.s.mounts, [bind(path.join(dir, "stack", "root", "data"), "/data", { projectDir: dir })]);
        },
    },
    {
        go: `${R} (volumes.*: volumeDriverOpts)`,
        name: "the device of a local volume with o: bind, relative and ~",
        files: { "compose.yaml": "services:\n  app:\n    image: x\nvolumes:\n  a:\n    driver: local\n    driver_opts: { type: none, o: bind, device: ./data }\n  b:\n    driver: local\n    driver_opts: { type: none, o: bind, device: ~/data }\n  c:\n    driver: local\n    driver_opts: { type: none, o: bind, device: /srv/data }\n" },
        expect: (spec, { dir }) => assert.deepStrictEqual(["a", "b", "c"].map((v) => spec.volumes[v].driverOpts.device), [path.join(dir, "data"), "/home/u/data", "/srv/data"]),
    },
    {
        go: `${R} (volumes.*: volumeDriverOpts)`,
        name: "the device of a volume of another driver, or without o: bind, is not a path",
        files: { "compose.yaml": "services:\n  app:\n    image: x\nvolumes:\n  nfs:\n    driver: local\n    driver_opts: { type: nfs, o: addr=10.0.0.1, device: ':/exports/data' }\n  other:\n    driver: rexray\n    driver_opts: { o: bind, device: ./data }\n" },
        expect: (spec) => assert.deepStrictEqual([spec.volumes.nfs.driverOpts.device, spec.volumes.other.driverOpts.device], [":/exports/data", "./data"]),
    },
];

const differs: DiffersCase[] = [
    {
        go: "paths/windows_path_test.go TestIsAbs (winisabstests)",
        name: "Windows absolute paths as bind sources are refused",
        reason: "dockyard runs Linux containers on Linux hosts: a Windows path (C:\\, c:/a/b, \\\\host\\share) names nothing there, so the loader refuses it instead of resolving it.",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    volumes:\n      - type: bind\n        source: 'c:\\a\\b'\n        target: /mnt\n" },
        error: ["Windows path"],
    },
    {
        go: "paths/windows_path_test.go TestIsAbs (winisabstests)",
        name: "a UNC path as a short bind source is refused",
        reason: "As above: a Windows share cannot be bind-mounted on a Linux host.",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    volumes:\n      - '\\\\host\\share\\foo:/mnt'\n" },
        error: ["Windows path"],
    },
    {
        go: "loader/paths_test.go TestResolveAdditionalContexts",
        name: "build.additional_contexts are warned about and dropped",
        reason: "One build context per image: additional contexts are not modelled (keys.ts), so their paths are not resolved either.",
        files: { "compose.yaml": "services:\n  test:\n    build:\n      context: .\n      additional_contexts:\n        rel_path: ./testdata\n" },
        expect: (_s, { warnings }) => assert.ok(warnings.some((w) => w.includes("additional_contexts"))),
    },
    {
        go: `${R} (volumes.*: volumeDriverOpts, driver == "local")`,
        name: "the device of a bind volume without a driver is a path too",
        reason: "compose-go resolves it only when `driver: local` is written; a volume without a driver is a local one all the same (Docker's default driver), and its relative device would fail there.",
        files: { "compose.yaml": "services:\n  app:\n    image: x\nvolumes:\n  a:\n    driver_opts: { type: none, o: bind, device: ./data }\n" },
        expect: (spec, { dir }) => assert.strictEqual(spec.volumes.a.driverOpts.device, path.join(dir, "data")),
    },
    {
        go: `${R} (secrets.*.file)`,
        name: "a secret file outside the project is refused unless its directory is allowed",
        reason: "A Compose file is somebody's text: dockyard reads secret, config and env files from the project directory only, unless the loader's allowedPaths option lists another directory (compose-go reads them anywhere).",
        files: { "compose.yaml": "services:\n  app:\n    image: x\n    secrets: [s]\nsecrets:\n  s:\n    file: ../../etc/hostname\n" },
        error: ["secrets.s.file"],
    },
];

loadCases("compose-go conformance: paths", cases, differs);
