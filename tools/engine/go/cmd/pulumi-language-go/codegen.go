package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"dockyard/tools/engine/langkit"

	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/contract"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GeneratePackage writes a Go SDK for a package schema (`pulumi package gen-sdk`, and
// `pulumi package add`, which then links it into the program with Link). A local SDK (Local, as
// package add asks) gets its own go.mod, so that it can be replaced into the program's module.
// LocalDependencies["pulumi"] makes that go.mod replace the Pulumi Go SDK with a local copy.
func (h *languageHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	if len(req.GetExtraFiles()) > 0 {
		return nil, errors.New("overlays are not supported for Go")
	}
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer contract.IgnoreClose(loader)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("parsing the schema: %w", err)
	}
	pkg, diags, err := schema.BindSpec(spec, schema.NewCachedLoader(loader), schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	if req.GetLocal() {
		// The CLI sets this for package add, but it does not survive the schema's JSON.
		pkg.SupportPack = true
	}
	files, err := codegen.GeneratePackage("pulumi-language-go", pkg, req.GetLocalDependencies())
	if err != nil {
		return nil, err
	}
	if gomod, ok := files["go.mod"]; ok {
		if files["go.mod"], err = raiseSDKRequirement(gomod, "v"+version); err != nil {
			return nil, err
		}
	}
	for name, content := range files {
		path := filepath.Join(req.GetDirectory(), name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil { //nolint:gosec // source files
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// Link makes generated SDKs (directories below the project root, as `pulumi package add` leaves
// them in sdks/<name>, each with its own go.mod) dependencies of the program: its go.mod gets
// `require <module> v0.0.0` and `replace <module> => ./<path>` for each. The CLI then calls
// InstallDependencies (go mod tidy). The answer tells the user how to import the SDK.
func (h *languageHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	info := langkit.ProgramInfo(req.GetInfo(), "", "", "")
	if len(req.GetPackages()) == 0 {
		return &pulumirpc.LinkResponse{}, nil
	}
	var sdks []localModule
	var imports []string
	for _, dep := range req.GetPackages() {
		dir := dep.GetPath()
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(info.RootDirectory, dir)
		}
		module, err := modulePathOf(dir)
		if err != nil {
			return nil, err
		}
		rel, err := filepath.Rel(info.ProgramDirectory, dir)
		if err != nil {
			return nil, err
		}
		sdks = append(sdks, localModule{Path: module, Dir: rel})
		imports = append(imports, importPathOf(dir, module, dep.GetPackage().GetName()))
	}
	goMod := filepath.Join(info.ProgramDirectory, "go.mod")
	data, err := os.ReadFile(goMod)
	if err != nil {
		return nil, fmt.Errorf("reading the program's go.mod: %w", err)
	}
	updated, err := linkGoMod(goMod, data, sdks)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(goMod, updated, 0o644); err != nil { //nolint:gosec // go.mod is not secret
		return nil, fmt.Errorf("updating go.mod: %w", err)
	}
	var b strings.Builder
	b.WriteString("You can then import the SDK in your Go code with:\n\n")
	for _, imp := range imports {
		fmt.Fprintf(&b, "  import %q\n", imp)
	}
	return &pulumirpc.LinkResponse{ImportInstructions: b.String()}, nil
}

// importPathOf guesses the import path of a generated SDK's root package: the directory below the
// module that is named after the package (lower case, without dashes), or else the only top-level
// directory with Go files other than internal.
func importPathOf(dir, module, name string) string {
	want := strings.ToLower(strings.ReplaceAll(name, "-", ""))
	entries, _ := os.ReadDir(dir)
	var candidates []string
	for _, e := range entries {
		if !e.IsDir() || e.Name() == "internal" {
			continue
		}
		if e.Name() == want {
			return module + "/" + want
		}
		if files, _ := filepath.Glob(filepath.Join(dir, e.Name(), "*.go")); len(files) > 0 {
			candidates = append(candidates, e.Name())
		}
	}
	sort.Strings(candidates)
	if len(candidates) > 0 {
		return module + "/" + candidates[0]
	}
	return module
}

// GenerateProject writes a Go project (Pulumi.yaml, go.mod, main.go) for a PCL program, as
// `pulumi convert --language go` asks.
func (h *languageHost) GenerateProject(
	ctx context.Context, req *pulumirpc.GenerateProjectRequest,
) (*pulumirpc.GenerateProjectResponse, error) {
	return langkit.GenerateProject(req, codegen.GenerateProject)
}

// GenerateProgram translates PCL source files into Go source files.
func (h *languageHost) GenerateProgram(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return langkit.GenerateProgram(req, codegen.GenerateProgram)
}
