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

	"dockyard/tools/engine/langkit"

	"google.golang.org/protobuf/types/known/structpb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestParseOptions(t *testing.T) {
	opts, err := parseOptions(nil)
	if err != nil || opts != (goOptions{}) {
		t.Fatalf("defaults: %+v, %v", opts, err)
	}
	opts, err = parseOptions(map[string]any{"buildTarget": "bin/prog"})
	if err != nil || opts.buildTarget != "bin/prog" {
		t.Fatalf("buildTarget: %+v, %v", opts, err)
	}
	if _, err := parseOptions(map[string]any{"binary": 3.0}); err == nil {
		t.Fatal("a non-string binary was accepted")
	}
	if _, err := parseOptions(map[string]any{"binary": "a", "buildTarget": "b"}); err == nil {
		t.Fatal("binary and buildTarget together were accepted")
	}
	s, _ := structpb.NewStruct(map[string]any{"binary": "prog"})
	if opts, _ := parseOptions(optionsMap(&pulumirpc.ProgramInfo{Options: s})); opts.binary != "prog" {
		t.Fatalf("from ProgramInfo: %+v", opts)
	}
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

func TestRunEnvironment(t *testing.T) {
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:2", Project: "proj", Stack: "dev", DryRun: true, Parallel: 8,
		Organization: "org", Config: map[string]string{"proj:a": "1"}, ConfigSecretKeys: []string{"proj:a"},
	}
	info := &pulumirpc.ProgramInfo{RootDirectory: "/r", ProgramDirectory: "/r/p"}
	base := []string{"PATH=/bin", "PULUMI_CONFIG={\"stale\":\"x\"}", "PULUMI_STACK=other"}
	env, err := runEnvironment(base, req, info, "127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	got := envMap(env)
	want := map[string]string{
		"PATH": "/bin", "PULUMI_ORGANIZATION": "org", "PULUMI_PROJECT": "proj", "PULUMI_STACK": "dev",
		"PULUMI_ROOT_DIRECTORY": "/r", "PULUMI_DRY_RUN": "true", "PULUMI_PARALLEL": "8",
		"PULUMI_MONITOR": "127.0.0.1:2", "PULUMI_ENGINE": "127.0.0.1:1",
		"PULUMI_CONFIG": `{"proj:a":"1"}`, "PULUMI_CONFIG_SECRET_KEYS": `["proj:a"]`,
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if len(got) != len(env) {
		t.Errorf("a variable is set twice: %v", env)
	}

	// No config: none is passed (not a stale one), and the secret keys are an empty list.
	env, _ = runEnvironment(base, &pulumirpc.RunRequest{}, info, "")
	got = envMap(env)
	if _, ok := got["PULUMI_CONFIG"]; ok {
		t.Errorf("PULUMI_CONFIG kept: %v", env)
	}
	if got["PULUMI_CONFIG_SECRET_KEYS"] != "[]" || got["PULUMI_DRY_RUN"] != "false" {
		t.Errorf("defaults: %v", env)
	}
	if _, ok := got["PULUMI_ENGINE"]; ok {
		t.Errorf("an empty engine address was passed: %v", env)
	}
}

const programGoMod = `module example.com/prog

go 1.25

require github.com/pulumi/pulumi/sdk/v3 v3.276.0

require github.com/blang/semver v3.5.1+incompatible // indirect
`

func TestLinkGoMod(t *testing.T) {
	out, err := linkGoMod("go.mod", []byte(programGoMod), []localModule{
		{Path: "example.com/pulumi-testpkg/sdk/go", Dir: "sdks/testpkg"},
	})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	for _, want := range []string{
		"require github.com/pulumi/pulumi/sdk/v3 v3.276.0",
		"example.com/pulumi-testpkg/sdk/go v0.0.0",
		"replace example.com/pulumi-testpkg/sdk/go => ./sdks/testpkg",
		"github.com/blang/semver v3.5.1+incompatible // indirect",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("linked go.mod lacks %q:\n%s", want, s)
		}
	}
	// Linking again (package add run twice, or an SDK moved) leaves one requirement and one
	// replacement.
	again, err := linkGoMod("go.mod", out, []localModule{{Path: "example.com/pulumi-testpkg/sdk/go", Dir: "../elsewhere"}})
	if err != nil {
		t.Fatal(err)
	}
	s = string(again)
	if strings.Count(s, "example.com/pulumi-testpkg/sdk/go") != 2 || !strings.Contains(s, "=> ../elsewhere") {
		t.Errorf("relinked go.mod:\n%s", s)
	}
	if _, err := linkGoMod("go.mod", []byte("module"), nil); err == nil {
		t.Error("a broken go.mod was accepted")
	}
}

func TestModuleAndImportPath(t *testing.T) {
	dir := t.TempDir()
	if _, err := modulePathOf(dir); err == nil {
		t.Fatal("a directory without go.mod was accepted")
	}
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/pulumi-my-pkg/sdk/go\n\ngo 1.25\n"), 0o644))
	must(t, os.MkdirAll(filepath.Join(dir, "internal"), 0o755))
	must(t, os.MkdirAll(filepath.Join(dir, "mypkg"), 0o755))
	must(t, os.WriteFile(filepath.Join(dir, "mypkg", "init.go"), []byte("package mypkg\n"), 0o644))
	module, err := modulePathOf(dir)
	if err != nil || module != "example.com/pulumi-my-pkg/sdk/go" {
		t.Fatalf("module %q, %v", module, err)
	}
	if got := importPathOf(dir, module, "my-pkg"); got != module+"/mypkg" {
		t.Errorf("import path %q", got)
	}
}

func TestProgramDependencies(t *testing.T) {
	dir := t.TempDir()
	linked, err := linkGoMod("go.mod", []byte(programGoMod), []localModule{{Path: "example.com/sdk", Dir: "sdks/x"}})
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), linked, 0o644))
	deps, err := programDependencies(dir, false)
	must(t, err)
	got := map[string]string{}
	for _, d := range deps {
		got[d.Name] = d.Version
	}
	if len(got) != 2 || got["github.com/pulumi/pulumi/sdk/v3"] != "v3.276.0" || got["example.com/sdk"] != "" {
		t.Errorf("direct: %v", got)
	}
	deps, _ = programDependencies(dir, true)
	if len(deps) != 3 {
		t.Errorf("transitive: %v", deps)
	}
}

// TestCompileAndRun builds a tiny program in its own module (no dependencies, so no network) and
// runs it with the environment of a RunRequest.
func TestCompileAndRun(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go")
	}
	dir := t.TempDir()
	must(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/p\n\ngo 1.21\n"), 0o644))
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(`package main

import (
	"encoding/json"
	"os"
)

func main() {
	out := map[string]string{}
	for _, k := range []string{"PULUMI_PROJECT", "PULUMI_STACK", "PULUMI_DRY_RUN", "PULUMI_CONFIG"} {
		out[k] = os.Getenv(k)
	}
	data, _ := json.Marshal(out)
	if err := os.WriteFile(os.Args[1], data, 0o644); err != nil {
		os.Exit(2)
	}
	if os.Getenv("PULUMI_STACK") == "fail" {
		os.Exit(32)
	}
}
`), 0o644))
	var log strings.Builder
	bin, err := compileProgram(context.Background(), dir, "", &log)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	defer os.Remove(bin)
	result := filepath.Join(dir, "out.json")
	info := &pulumirpc.ProgramInfo{RootDirectory: dir, ProgramDirectory: dir}
	req := &pulumirpc.RunRequest{Project: "p", Stack: "dev", Config: map[string]string{"p:k": "v"}}
	env, _ := runEnvironment(os.Environ(), req, info, "")
	if r := langkit.Exec(context.Background(), context.Background(), bin, []string{result}, env, dir); r.Error != "" || r.Bail {
		t.Fatalf("run: %v", r)
	}
	data, err := os.ReadFile(result)
	must(t, err)
	var got map[string]string
	must(t, json.Unmarshal(data, &got))
	if got["PULUMI_PROJECT"] != "p" || got["PULUMI_STACK"] != "dev" || got["PULUMI_DRY_RUN"] != "false" ||
		got["PULUMI_CONFIG"] != `{"p:k":"v"}` {
		t.Errorf("program saw %v", got)
	}
	req.Stack = "fail"
	env, _ = runEnvironment(os.Environ(), req, info, "")
	if r := langkit.Exec(context.Background(), context.Background(), bin, []string{result}, env, dir); !r.Bail {
		t.Errorf("exit 32 must bail: %v", r)
	}

	// A directory without Go files, and a program that does not compile, are errors.
	if _, err := compileProgram(context.Background(), t.TempDir(), "", &log); err == nil {
		t.Error("an empty directory compiled")
	}
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\nfunc main() { x }\n"), 0o644))
	log.Reset()
	if _, err := compileProgram(context.Background(), dir, "", &log); err == nil || !strings.Contains(log.String(), "undefined") {
		t.Errorf("a broken program compiled: %v\n%s", err, log.String())
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestRaiseSDKRequirement(t *testing.T) {
	generated := []byte("module example.com/pulumi-testpkg/sdk/go\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 v3.269.0\n")
	out, err := raiseSDKRequirement(generated, "v3.276.0")
	must(t, err)
	if !strings.Contains(string(out), "github.com/pulumi/pulumi/sdk/v3 v3.276.0") || strings.Contains(string(out), "v3.269.0") {
		t.Errorf("not raised:\n%s", out)
	}
	// A newer requirement, or a version that is no semver (a development build), stays.
	if out, _ := raiseSDKRequirement(generated, "v3.100.0"); string(out) != string(generated) {
		t.Errorf("lowered:\n%s", out)
	}
	if out, _ := raiseSDKRequirement(generated, "vdev"); string(out) != string(generated) {
		t.Errorf("changed for a non-semver host version:\n%s", out)
	}
}

func TestInstallArgs(t *testing.T) {
	dir := t.TempDir()
	if got := installArgs(dir); !slices.Equal(got, []string{"mod", "download"}) {
		t.Errorf("without Go files: %v", got)
	}
	must(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644))
	if got := installArgs(dir); !slices.Equal(got, []string{"mod", "tidy"}) {
		t.Errorf("with Go files: %v", got)
	}
}
