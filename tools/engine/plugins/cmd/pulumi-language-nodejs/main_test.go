package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// The dockyard project this module lives in (tools/engine/plugins/cmd/pulumi-language-nodejs).
var projectDir = filepath.Join("..", "..", "..", "..", "..")

func packageVersions(pkgs []*pulumirpc.PackageDependency) map[string]string {
	got := map[string]string{}
	for _, p := range pkgs {
		got[p.Name] = p.Version
		if p.Kind != "resource" {
			panic("unexpected kind " + p.Kind)
		}
	}
	return got
}

// The engine installs and loads exactly the plugins this reports, so it must find every SDK in
// dockyard's node_modules at the version package.json pins.
func TestGetRequiredPackagesFindsProjectSDKs(t *testing.T) {
	dir, err := filepath.Abs(projectDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@pulumi", "pulumi")); err != nil {
		t.Skipf("dockyard's node_modules is not installed: %v", err)
	}
	host := newLanguageHost("", "", "", nodeOptions{typescript: true})
	resp, err := host.GetRequiredPackages(context.Background(), &pulumirpc.GetRequiredPackagesRequest{
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: "index.ts"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := packageVersions(resp.Packages)

	var manifest packageJSON
	b, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &manifest); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"command", "docker", "random", "kubernetes"} {
		// The pinned version: a dependency, or (for a library that takes the SDKs as peers) a
		// devDependency.
		pinned, ok := manifest.Dependencies["@pulumi/"+name]
		if !ok {
			pinned = manifest.DevDependencies["@pulumi/"+name]
		}
		want := "v" + strings.TrimPrefix(pinned, "v")
		if got[name] != want {
			t.Errorf("plugin %s: got version %q, want %q (all: %v)", name, got[name], want, got)
		}
	}
	if _, ok := got["pulumi"]; ok {
		t.Errorf("@pulumi/pulumi has no resource plugin but was reported: %v", got)
	}

	// The deprecated RPC answers the same.
	plugins, err := host.GetRequiredPlugins(context.Background(), &pulumirpc.GetRequiredPluginsRequest{
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: "index.ts"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(plugins.Plugins) != len(resp.Packages) {
		t.Errorf("GetRequiredPlugins found %d plugins, GetRequiredPackages %d", len(plugins.Plugins), len(resp.Packages))
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// The naming rules: pulumi.name wins, @pulumi/ packages imply theirs, other packages must say;
// nested installs, policy packs and symlink loops are handled.
func TestScanPackagesRules(t *testing.T) {
	dir := t.TempDir()
	nm := filepath.Join(dir, "node_modules")
	writeJSON(t, filepath.Join(nm, "@pulumi", "aws", "package.json"),
		map[string]any{"name": "@pulumi/aws", "version": "6.1.0", "pulumi": map[string]any{"resource": true}})
	writeJSON(t, filepath.Join(nm, "@acme", "thing", "package.json"),
		map[string]any{"name": "@acme/thing", "version": "1.0.0",
			"pulumi": map[string]any{"resource": true, "name": "thing", "version": "2.0.0", "server": "https://example.invalid"}})
	writeJSON(t, filepath.Join(nm, "nameless", "package.json"),
		map[string]any{"name": "nameless", "version": "1.0.0", "pulumi": map[string]any{"resource": true}})
	writeJSON(t, filepath.Join(nm, "plain", "package.json"), map[string]any{"name": "plain", "version": "1.0.0"})
	// A nested copy of another major of the SDK.
	writeJSON(t, filepath.Join(nm, "plain", "node_modules", "@pulumi", "gcp", "package.json"),
		map[string]any{"name": "@pulumi/gcp", "version": "v7.0.0", "pulumi": map[string]any{"resource": true}})
	// Plugins of a policy pack are not the program's.
	writeJSON(t, filepath.Join(dir, "policy", "node_modules", "@pulumi", "azure", "package.json"),
		map[string]any{"name": "@pulumi/azure", "version": "5.0.0", "pulumi": map[string]any{"resource": true}})
	if err := os.WriteFile(filepath.Join(dir, "policy", "PulumiPolicy.yaml"), []byte("runtime: nodejs\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A link back up the tree must not loop.
	if err := os.Symlink(dir, filepath.Join(nm, "loop")); err != nil {
		t.Fatal(err)
	}
	// A package.json outside node_modules is the program's own, not a dependency.
	writeJSON(t, filepath.Join(dir, "package.json"),
		map[string]any{"name": "@pulumi/self", "version": "0.0.1", "pulumi": map[string]any{"resource": true}})

	pkgs, _, err := scanPackages(dir)
	if err == nil || !strings.Contains(err.Error(), "nameless") {
		t.Errorf("expected an error about the third-party package without pulumi.name, got %v", err)
	}
	got := packageVersions(pkgs)
	want := map[string]string{"aws": "v6.1.0", "thing": "v2.0.0", "gcp": "v7.0.0"}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for name, v := range want {
		if got[name] != v {
			t.Errorf("%s: got %q, want %q", name, got[name], v)
		}
	}
	for _, p := range pkgs {
		if p.Name == "thing" && p.Server != "https://example.invalid" {
			t.Errorf("server of thing not passed on: %q", p.Server)
		}
	}
}

func TestIncompatiblePulumiVersions(t *testing.T) {
	dir := t.TempDir()
	writeJSON(t, filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "package.json"),
		map[string]any{"name": "@pulumi/pulumi", "version": "3.270.0"})
	writeJSON(t, filepath.Join(dir, "node_modules", "x", "node_modules", "@pulumi", "pulumi", "package.json"),
		map[string]any{"name": "@pulumi/pulumi", "version": "2.25.0"})
	_, versions, err := scanPackages(dir)
	if err != nil {
		t.Fatal(err)
	}
	if msg := incompatiblePulumiVersions(versions); !strings.Contains(msg, "incompatible versions") {
		t.Errorf("expected a warning for SDKs 2.x and 3.x together, got %q", msg)
	}
	delete(versions, filepath.Join(dir, "node_modules", "x", "node_modules", "@pulumi", "pulumi", "package.json"))
	if msg := incompatiblePulumiVersions(versions); msg != "" {
		t.Errorf("one SDK copy cannot be incompatible: %q", msg)
	}
}

func TestParseOptions(t *testing.T) {
	opts, err := parseOptions(map[string]any{"packagemanager": "npm", "nodeargs": "--max-old-space-size=4096"},
		nodeOptions{typescript: true})
	if err != nil {
		t.Fatal(err)
	}
	if !opts.typescript || opts.packagemanager != "npm" || opts.nodeargs != "--max-old-space-size=4096" {
		t.Errorf("unexpected options %+v", opts)
	}
	if _, err := parseOptions(map[string]any{"typescript": "yes"}, nodeOptions{}); err == nil {
		t.Error("a non-boolean typescript option must be rejected")
	}
	if _, err := parseOptions(map[string]any{"packagemanager": "cargo"}, nodeOptions{}); err == nil {
		t.Error("an unknown package manager must be rejected")
	}
}

// The run script parses these flags with minimist; a wrong spelling would silently drop a setting.
func TestRunArgumentsAndEnvironment(t *testing.T) {
	host := newLanguageHost("127.0.0.1:1234", "", "", nodeOptions{})
	opts, err := parseOptions(map[string]any{"tsconfig": "tsconfig.pulumi.json"}, nodeOptions{typescript: true})
	if err != nil {
		t.Fatal(err)
	}
	info := &pulumirpc.ProgramInfo{RootDirectory: "/proj", ProgramDirectory: "/proj", EntryPoint: "index.ts"}
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:999", Project: "dockyard", Stack: "dev", Organization: "organization",
		DryRun: true, Parallel: 16, Args: []string{"extra"},
		Config:           map[string]string{"dockyard:runtime": "docker", "docker:host": "unix:///x"},
		ConfigSecretKeys: []string{"dockyard:dbPassword"},
	}
	args := host.runArguments(req, info, "/proj/node_modules/@pulumi/pulumi/cmd/run/index.js")
	want := []string{
		"/proj/node_modules/@pulumi/pulumi/cmd/run/index.js",
		"--monitor", "127.0.0.1:999", "--engine", "127.0.0.1:1234", "--organization", "organization",
		"--project", "dockyard", "--root-directory", "/proj", "--stack", "dev", "--pwd", "/proj",
		"--dry-run", "--parallel", "16", "index.ts", "extra",
	}
	if !slices.Equal(args, want) {
		t.Errorf("arguments\n got %q\nwant %q", args, want)
	}

	env, err := runEnvironment(req, opts)
	if err != nil {
		t.Fatal(err)
	}
	lookup := func(key string) string {
		for i := len(env) - 1; i >= 0; i-- {
			if k, v, _ := strings.Cut(env[i], "="); k == key {
				return v
			}
		}
		return ""
	}
	var cfg map[string]string
	if err := json.Unmarshal([]byte(lookup("PULUMI_CONFIG")), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg["dockyard:config:runtime"] != "docker" || cfg["docker:config:host"] != "unix:///x" {
		t.Errorf("PULUMI_CONFIG = %v", cfg)
	}
	if got := lookup("PULUMI_CONFIG_SECRET_KEYS"); got != `["dockyard:dbPassword"]` {
		t.Errorf("PULUMI_CONFIG_SECRET_KEYS = %s", got)
	}
	if lookup("PULUMI_NODEJS_TYPESCRIPT") != "true" || lookup("PULUMI_NODEJS_TSCONFIG_PATH") != "tsconfig.pulumi.json" {
		t.Errorf("TypeScript settings missing from %v", env)
	}
}

// A program that exits 32 has shown its error already: the host must bail, not add a message.
func TestExecProgramExitCodes(t *testing.T) {
	ctx := context.Background()
	if resp := execProgram(ctx, ctx, "/bin/sh", []string{"-c", "exit 0"}, os.Environ()); resp.Error != "" || resp.Bail {
		t.Errorf("success reported as %+v", resp)
	}
	if resp := execProgram(ctx, ctx, "/bin/sh", []string{"-c", "exit 32"}, os.Environ()); !resp.Bail || resp.Error != "" {
		t.Errorf("exit 32 reported as %+v", resp)
	}
	resp := execProgram(ctx, ctx, "/bin/sh", []string{"-c", "exit 3"}, os.Environ())
	if resp.Bail || resp.Error != "Program exited with non-zero exit code: 3" {
		t.Errorf("exit 3 reported as %+v", resp)
	}
	resp = execProgram(ctx, ctx, "/bin/sh", []string{"-c", "echo '<--- Last few GCs --->' >&2; exit 134"}, os.Environ())
	if !strings.Contains(resp.Error, "out of memory") {
		t.Errorf("OOM not detected: %+v", resp)
	}
}

// Run end to end as far as possible without an engine: node resolves the run script from the
// project, and a program without a monitor fails with the script's own usage error.
func TestRunLocatesRunScript(t *testing.T) {
	dir, err := filepath.Abs(projectDir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@pulumi", "pulumi")); err != nil {
		t.Skipf("dockyard's node_modules is not installed: %v", err)
	}
	host := newLanguageHost("", "", "", nodeOptions{typescript: true})
	opts, err := structpb.NewStruct(map[string]any{"packagemanager": "npm"})
	if err != nil {
		t.Fatal(err)
	}
	info := &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: "index.ts", Options: opts}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		t.Skip("no node on the PATH")
	}
	path, err := locateModule(context.Background(), defaultRunPath, dir, nodeBin)
	if err != nil {
		t.Fatal(err)
	}
	if path != filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js") {
		t.Errorf("run script resolved to %s", path)
	}
	// Without --monitor the script prints its usage and exits non-zero (-1 → 255).
	resp, err := host.Run(context.Background(), &pulumirpc.RunRequest{Info: info, Project: "dockyard", Stack: "dev"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Error == "" {
		t.Errorf("a run without a monitor must fail, got %+v", resp)
	}
}

// runPluginStream stands in for the engine's end of a RunPlugin call: it keeps what is sent.
type runPluginStream struct {
	grpc.ServerStream
	ctx            context.Context
	stdout, stderr strings.Builder
}

func (s *runPluginStream) Context() context.Context { return s.ctx }

func (s *runPluginStream) Send(r *pulumirpc.RunPluginResponse) error {
	s.stdout.Write(r.GetStdout())
	s.stderr.Write(r.GetStderr())
	return nil
}

// policyPackDir is a pack directory whose @pulumi/pulumi/cmd/run-policy-pack is a stand-in
// script with the given body.
func policyPackDir(t *testing.T, script string) string {
	return pluginDir(t, "run-policy-pack", script)
}

// pluginDir is a plugin directory whose @pulumi/pulumi/cmd/<run> is a stand-in script with the
// given body.
func pluginDir(t *testing.T, run, script string) string {
	dir := t.TempDir()
	runDir := filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", run)
	if err := os.MkdirAll(runDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(runDir, "index.js"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// A policy pack runs as the engine expects: the pack's own run-policy-pack script, the engine's
// arguments then the pack's directory, in that directory, with the environment the engine sends,
// and its output streamed back.
func TestRunPluginRunsPolicyPack(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node on the PATH")
	}
	dir := policyPackDir(t, `console.log(JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), env: process.env.DOCKYARD_TEST })); console.error("to stderr");`)
	host := newLanguageHost("", "", "", nodeOptions{typescript: true})
	stream := &runPluginStream{ctx: context.Background()}
	err := host.RunPlugin(&pulumirpc.RunPluginRequest{
		Kind: "analyzer",
		Args: []string{"127.0.0.1:4321"},
		Env:  []string{"DOCKYARD_TEST=yes", "PATH=" + os.Getenv("PATH")},
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: "."},
	}, stream)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Argv []string
		Cwd  string
		Env  string
	}
	if err := json.Unmarshal([]byte(stream.stdout.String()), &got); err != nil {
		t.Fatalf("stdout %q: %v", stream.stdout.String(), err)
	}
	if !slices.Equal(got.Argv, []string{"127.0.0.1:4321", dir}) || got.Cwd != dir || got.Env != "yes" {
		t.Errorf("the pack ran as %+v", got)
	}
	if stream.stderr.String() != "to stderr\n" {
		t.Errorf("stderr %q", stream.stderr.String())
	}
}

// A source-based resource plugin (PulumiPlugin.yaml, e.g. a component package) runs as the released
// host runs it: the plugin's own run-plugin script, the plugin's directory then the engine's
// arguments, in the engine's working directory, with the environment the engine sends.
func TestRunPluginRunsResourcePlugin(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node on the PATH")
	}
	dir := pluginDir(t, "run-plugin", `console.log(JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), env: process.env.DOCKYARD_TEST }));`)
	pwd := t.TempDir()
	host := newLanguageHost("", "", "", nodeOptions{typescript: true})
	stream := &runPluginStream{ctx: context.Background()}
	err := host.RunPlugin(&pulumirpc.RunPluginRequest{
		Kind: "resource",
		Pwd:  pwd,
		Args: []string{"127.0.0.1:4321"},
		Env:  []string{"DOCKYARD_TEST=yes", "PATH=" + os.Getenv("PATH")},
		Info: &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: "."},
	}, stream)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Argv []string
		Cwd  string
		Env  string
	}
	if err := json.Unmarshal([]byte(stream.stdout.String()), &got); err != nil {
		t.Fatalf("stdout %q: %v", stream.stdout.String(), err)
	}
	if !slices.Equal(got.Argv, []string{dir, "127.0.0.1:4321"}) || got.Cwd != pwd || got.Env != "yes" {
		t.Errorf("the plugin ran as %+v", got)
	}
}

// A pack or plugin that fails says so with its exit code; one without the SDK says where.
func TestRunPluginFailures(t *testing.T) {
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("no node on the PATH")
	}
	dir := policyPackDir(t, `process.exit(3);`)
	host := newLanguageHost("", "", "", nodeOptions{typescript: true})
	info := &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir, EntryPoint: "."}
	err := host.RunPlugin(&pulumirpc.RunPluginRequest{Kind: "analyzer", Info: info}, &runPluginStream{ctx: context.Background()})
	if err == nil || !strings.Contains(err.Error(), "exited with non-zero exit code: 3") {
		t.Errorf("a failing pack: %v", err)
	}
	err = host.RunPlugin(&pulumirpc.RunPluginRequest{Kind: "resource", Info: info}, &runPluginStream{ctx: context.Background()})
	if err == nil || !strings.Contains(err.Error(), "plugin in "+dir) {
		t.Errorf("a resource plugin without run-plugin: %v", err)
	}
	empty := t.TempDir()
	err = host.RunPlugin(&pulumirpc.RunPluginRequest{Kind: "analyzer", Info: &pulumirpc.ProgramInfo{ProgramDirectory: empty}}, &runPluginStream{ctx: context.Background()})
	if err == nil || !strings.Contains(err.Error(), "policy pack in "+empty) {
		t.Errorf("a pack without @pulumi/pulumi: %v", err)
	}
}
