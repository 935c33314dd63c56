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

	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/structpb"
)

func TestParseOptions(t *testing.T) {
	opts, err := parseOptions(nil)
	if err != nil || opts.virtualenv != "venv" || opts.toolchain != "pip" {
		t.Fatalf("defaults: %+v, %v", opts, err)
	}
	opts, err = parseOptions(map[string]any{"virtualenv": ".venv", "toolchain": "uv", "typechecker": "mypy"})
	if err != nil || opts.virtualenv != ".venv" || opts.toolchain != "uv" {
		t.Fatalf("set: %+v, %v", opts, err)
	}
	if _, err := parseOptions(map[string]any{"virtualenv": true}); err == nil {
		t.Fatal("a non-string virtualenv was accepted")
	}
	if _, err := parseOptions(map[string]any{"toolchain": "conda"}); err == nil {
		t.Fatal("an unknown toolchain was accepted")
	}
}

func TestVirtualenvPath(t *testing.T) {
	for _, c := range []struct{ root, venv, want string }{
		{"/proj", "venv", "/proj/venv"},
		{"/proj", "../shared/venv", "/shared/venv"},
		{"/proj", "/opt/venv", "/opt/venv"},
		{"/proj", "", ""},
	} {
		if got := virtualenvPath(c.root, c.venv); got != c.want {
			t.Errorf("virtualenvPath(%q, %q) = %q, want %q", c.root, c.venv, got, c.want)
		}
	}
}

func TestOptionsFromProgramInfo(t *testing.T) {
	h := newLanguageHost("", "", "", "/x/exec", "")
	opts, _ := structpb.NewStruct(map[string]any{"virtualenv": "env"})
	got, err := h.options(&pulumirpc.ProgramInfo{Options: opts})
	if err != nil || got.virtualenv != "env" {
		t.Fatalf("options: %+v, %v", got, err)
	}
	// The --virtualenv flag of older CLIs is a default the project's options override.
	h = newLanguageHost("", "", "", "/x/exec", "flagenv")
	if got, _ := h.options(nil); got.virtualenv != "flagenv" {
		t.Fatalf("flag default: %+v", got)
	}
}

func TestProgramInfoFallback(t *testing.T) {
	h := newLanguageHost("", "", "/root", "/x/exec", "")
	info := h.programInfo(nil, "/root/prog", "")
	if info.RootDirectory != "/root" || info.ProgramDirectory != "/root/prog" || info.EntryPoint != "." {
		t.Fatalf("fallback: %+v", info)
	}
	given := &pulumirpc.ProgramInfo{ProgramDirectory: "/p", EntryPoint: "main.py"}
	if got := h.programInfo(given, "/ignored", ""); got.RootDirectory != "/p" || got.EntryPoint != "main.py" {
		t.Fatalf("given: %+v", got)
	}
}

func TestRunArguments(t *testing.T) {
	h := newLanguageHost("127.0.0.1:1", "", "", "/x/exec", "")
	req := &pulumirpc.RunRequest{
		MonitorAddress: "127.0.0.1:2", Project: "proj", Stack: "dev", DryRun: true, Parallel: 8,
		Organization: "org", Args: []string{"a", "b"},
	}
	info := &pulumirpc.ProgramInfo{RootDirectory: "/r", ProgramDirectory: "/r/p"}
	got := h.runArguments(req, info)
	want := []string{
		"--monitor", "127.0.0.1:2", "--engine", "127.0.0.1:1", "--organization", "org", "--project", "proj",
		"--root_directory", "/r", "--stack", "dev", "--pwd", "/r/p", "--dry_run", "true", "--parallel", "8",
		".", "a", "b",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	req.DryRun = false
	info.EntryPoint = "app.py"
	got = h.runArguments(req, info)
	if !slices.Contains(got, "false") || got[len(got)-3] != "app.py" {
		t.Fatalf("update run: %q", got)
	}
}

func TestRunEnvironment(t *testing.T) {
	req := &pulumirpc.RunRequest{
		Config:           map[string]string{"proj:name": "x", "aws:region": "eu"},
		ConfigSecretKeys: []string{"proj:name"},
	}
	env, err := runEnvironment([]string{"PATH=/bin", "PULUMI_CONFIG=stale", "HOME=/h"}, req)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if _, dup := vars[k]; dup {
			t.Fatalf("%s set twice", k)
		}
		vars[k] = v
	}
	var cfg map[string]string
	if err := json.Unmarshal([]byte(vars["PULUMI_CONFIG"]), &cfg); err != nil || cfg["proj:name"] != "x" || cfg["aws:region"] != "eu" {
		t.Fatalf("PULUMI_CONFIG = %q", vars["PULUMI_CONFIG"])
	}
	if vars["PULUMI_CONFIG_SECRET_KEYS"] != `["proj:name"]` || vars["PATH"] != "/bin" || vars["PYTHONUNBUFFERED"] != "1" {
		t.Fatalf("env: %v", vars)
	}
	env, _ = runEnvironment([]string{"PATH=/bin"}, &pulumirpc.RunRequest{})
	if !slices.Contains(env, "PULUMI_CONFIG={}") || !slices.Contains(env, "PULUMI_CONFIG_SECRET_KEYS=[]") {
		t.Fatalf("empty config: %v", env)
	}
}

func TestPackageDependencies(t *testing.T) {
	scanned := []scannedPackage{
		{Package: "pulumi", Version: "3.272.0", Plugins: []pluginJSONv2{{Resource: false, Name: "pulumi"}}},
		{Package: "pulumi_random", Version: "4.21.2", Plugins: []pluginJSONv2{{Resource: true, Name: "random", Version: "4.21.2"}}},
		// An SDK from before pulumi-plugin.json.
		{Package: "pulumi-aws", Version: "5.1.0"},
		// Pre-releases cannot be mapped to a plugin version.
		{Package: "pulumi-gcp", Version: "6.0.0a1605189729"},
		{Package: "pulumi-policy", Version: "1.0.0"},
		// A generated local SDK: name and version from the file; no version there means the package's.
		{Package: "pulumi_testpkg", Version: "1.2.3", Plugins: []pluginJSONv2{{Resource: true, Name: "testpkg"}}},
		// A parameterized package.
		{Package: "pulumi_tf", Version: "0.1.0", Plugins: []pluginJSONv2{{
			Resource: true, Name: "terraform-provider", Version: "0.3.0",
			Parameterization: &parameterizationJ{Name: "tf", Version: "0.1.0", Value: []byte("v")},
		}}},
		// Twice the same plugin reports it once.
		{Package: "pulumi-random", Version: "4.21.2", Plugins: []pluginJSONv2{{Resource: true, Name: "random", Version: "v4.21.2"}}},
	}
	deps := packageDependencies(scanned)
	var got []string
	for _, d := range deps {
		s := d.Name + "@" + d.Version
		if d.Parameterization != nil {
			s += "[" + d.Parameterization.Name + "@" + d.Parameterization.Version + "]"
		}
		if d.Kind != "resource" {
			t.Errorf("%s: kind %q", s, d.Kind)
		}
		got = append(got, s)
	}
	want := []string{"aws@v5.1.0", "random@v4.21.2", "terraform-provider@v0.3.0[tf@0.1.0]", "testpkg@v1.2.3"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestLinkRequirements(t *testing.T) {
	sdks := map[string]string{"pulumi_testpkg": "./sdks/testpkg"}
	order := []string{"pulumi_testpkg"}
	for _, c := range []struct{ name, in, want string }{
		{"empty", "", "./sdks/testpkg\n"},
		{"appends", "pulumi==3.272.0\n# pinned\npulumi-random==4.21.2\n",
			"pulumi==3.272.0\n# pinned\npulumi-random==4.21.2\n./sdks/testpkg\n"},
		{"no trailing newline", "pulumi>=3", "pulumi>=3\n./sdks/testpkg\n"},
		{"replaces by name", "pulumi-testpkg==0.0.1\npulumi>=3\n", "pulumi>=3\n./sdks/testpkg\n"},
		{"replaces by path", "sdks/testpkg\npulumi>=3\n", "pulumi>=3\n./sdks/testpkg\n"},
		{"idempotent", "pulumi>=3\n./sdks/testpkg\n", "pulumi>=3\n./sdks/testpkg\n"},
		{"crlf", "pulumi>=3\r\n", "pulumi>=3\r\n./sdks/testpkg\r\n"},
		{"keeps options", "--extra-index-url https://x/simple\npulumi>=3\n",
			"--extra-index-url https://x/simple\npulumi>=3\n./sdks/testpkg\n"},
	} {
		if got := linkRequirements(c.in, sdks, order); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestRequirementPath(t *testing.T) {
	for in, want := range map[string]string{
		"sdks/testpkg": "./sdks/testpkg", "./sdks/x": "./sdks/x", "../x": "../x", "/abs/x": "/abs/x",
	} {
		if got := requirementPath(in); got != want {
			t.Errorf("requirementPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSdkNames(t *testing.T) {
	dist, module := sdkNames(&pulumirpc.PackageDependency{Name: "testpkg"})
	if dist != "pulumi_testpkg" || module != "pulumi_testpkg" {
		t.Fatalf("got %q %q", dist, module)
	}
	dist, _ = sdkNames(&pulumirpc.PackageDependency{Name: "terraform-provider",
		Parameterization: &pulumirpc.PackageParameterization{Name: "my-tf"}})
	if dist != "pulumi_my_tf" {
		t.Fatalf("parameterized: %q", dist)
	}
}

func TestAddLocalDependencies(t *testing.T) {
	spec := schema.PackageSpec{Name: "testpkg", Language: map[string]schema.RawMessage{
		"python": schema.RawMessage(`{"requires":{"foo":">=1"},"packageName":"x"}`),
	}}
	if err := addLocalDependencies(&spec, map[string]string{"pulumi": "/src/pulumi"}); err != nil {
		t.Fatal(err)
	}
	var info map[string]any
	if err := json.Unmarshal(spec.Language["python"], &info); err != nil {
		t.Fatal(err)
	}
	req := info["requires"].(map[string]any)
	if req["pulumi"] != " @ file:///src/pulumi" || req["foo"] != ">=1" || info["packageName"] != "x" {
		t.Fatalf("python info: %v", info)
	}
}

// TestScanScript runs the package scan in a real virtual environment holding a hand-made
// distribution with a pulumi-plugin.json, as pip leaves an installed SDK.
func TestScanScript(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("no python3")
	}
	root := t.TempDir()
	venv := filepath.Join(root, "venv")
	if out, err := exec.Command(python, "-m", "venv", "--without-pip", venv).CombinedOutput(); err != nil {
		t.Skipf("cannot create a virtual environment: %v: %s", err, out)
	}
	site, err := filepath.Glob(filepath.Join(venv, "lib", "python3*", "site-packages"))
	if err != nil || len(site) != 1 {
		t.Fatalf("site-packages: %v %v", site, err)
	}
	write := func(rel, content string) {
		p := filepath.Join(site[0], rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("pulumi_testpkg/__init__.py", "")
	write("pulumi_testpkg/pulumi-plugin.json", `{"resource": true, "name": "testpkg", "version": "1.0.0"}`)
	write("pulumi_testpkg-1.0.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: pulumi_testpkg\nVersion: 1.0.0\n")
	write("pulumi_testpkg-1.0.0.dist-info/RECORD",
		"pulumi_testpkg/__init__.py,,\npulumi_testpkg/pulumi-plugin.json,,\npulumi_testpkg-1.0.0.dist-info/METADATA,,\n")
	// A package that is not Pulumi's is not reported.
	write("other-2.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: other\nVersion: 2.0\n")
	write("other-2.0.dist-info/RECORD", "other-2.0.dist-info/METADATA,,\n")

	info := &pulumirpc.ProgramInfo{RootDirectory: root, ProgramDirectory: root}
	tc, err := pythonToolchain(info, pythonOptions{virtualenv: "venv", toolchain: "pip"})
	if err != nil {
		t.Fatal(err)
	}
	deps, err := scanPackages(context.Background(), tc)
	if err != nil {
		t.Fatal(err)
	}
	if len(deps) != 1 || deps[0].Name != "testpkg" || deps[0].Version != "v1.0.0" {
		t.Fatalf("deps: %v", deps)
	}
}
