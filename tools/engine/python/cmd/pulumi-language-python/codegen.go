package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"dockyard/tools/engine/langkit"

	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	codegen "github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/pkg/v3/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/contract"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// GeneratePackage writes a Python SDK for a package schema (`pulumi package gen-sdk`, and
// `pulumi package add`, which then links it into the project with Link). Schemas the package
// refers to are loaded through the engine's loader. LocalDependencies (name to path) become
// `name @ file://path` requirements of the SDK, so that e.g. a locally built pulumi is used.
func (h *languageHost) GeneratePackage(
	ctx context.Context, req *pulumirpc.GeneratePackageRequest,
) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer contract.IgnoreClose(loader)

	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.GetSchema()), &spec); err != nil {
		return nil, fmt.Errorf("parsing the schema: %w", err)
	}
	if len(req.GetLocalDependencies()) > 0 {
		if err := addLocalDependencies(&spec, req.GetLocalDependencies()); err != nil {
			return nil, err
		}
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	if req.GetLocal() {
		// A local SDK (package add) is versioned and packed like a published one.
		pkg.SupportPack = true
	}
	files, err := codegen.GeneratePackage("pulumi-language-python", pkg, req.GetExtraFiles(), loader)
	if err != nil {
		return nil, err
	}
	if err := writeFiles(req.GetDirectory(), files); err != nil {
		return nil, err
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// addLocalDependencies sets language.python.requires[name] of the schema to a direct reference to
// each local path.
func addLocalDependencies(spec *schema.PackageSpec, deps map[string]string) error {
	info := map[string]any{}
	if raw, ok := spec.Language["python"]; ok && len(raw) > 0 {
		if err := json.Unmarshal(raw, &info); err != nil {
			return fmt.Errorf("parsing language.python of the schema: %w", err)
		}
	}
	requires, _ := info["requires"].(map[string]any)
	if requires == nil {
		requires = map[string]any{}
	}
	for name, path := range deps {
		abs, err := filepath.Abs(path)
		if err != nil {
			return err
		}
		requires[name] = " @ file://" + filepath.ToSlash(abs)
	}
	info["requires"] = requires
	raw, err := json.Marshal(info)
	if err != nil {
		return err
	}
	if spec.Language == nil {
		spec.Language = map[string]schema.RawMessage{}
	}
	spec.Language["python"] = raw
	return nil
}

func writeFiles(dir string, files map[string][]byte) error {
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o600); err != nil {
			return err
		}
	}
	return nil
}

// Link makes generated SDKs (directories below the project, as `pulumi package add` leaves them
// in sdks/<name>) dependencies of the program: each is written into requirements.txt as a local
// path, replacing an earlier line for it. The CLI then calls InstallDependencies, which pip
// installs requirements.txt into the virtual environment. The answer tells the user how to import
// the SDK.
func (h *languageHost) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	info := h.programInfo(req.GetInfo(), "", "")
	opts, err := h.options(info)
	if err != nil {
		return nil, err
	}
	if len(req.GetPackages()) == 0 {
		return &pulumirpc.LinkResponse{}, nil
	}
	sdks := map[string]string{}
	var order []string
	var instructions strings.Builder
	instructions.WriteString("You can then import the SDK in your Python code with:\n\n")
	for _, dep := range req.GetPackages() {
		dist, module := sdkNames(dep.GetPackage())
		if _, dup := sdks[dist]; !dup {
			order = append(order, dist)
		}
		sdks[dist] = requirementPath(dep.GetPath())
		fmt.Fprintf(&instructions, "  import %s as %s\n", module, strings.ReplaceAll(dep.GetPackage().GetName(), "-", "_"))
	}
	sort.Strings(order)
	switch opts.toolchain {
	case "pip":
		path := filepath.Join(info.ProgramDirectory, "requirements.txt")
		content, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		if err := os.WriteFile(path, []byte(linkRequirements(string(content), sdks, order)), 0o644); err != nil { //nolint:gosec
			return nil, fmt.Errorf("updating requirements.txt: %w", err)
		}
	default:
		tc, err := pythonToolchain(info, opts)
		if err != nil {
			return nil, err
		}
		if err := tc.LinkPackages(ctx, sdks); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.LinkResponse{ImportInstructions: instructions.String()}, nil
}

// sdkNames returns the distribution name of a generated SDK (pulumi_<name>, or
// <namespace>_<name> with a namespace) and its module, the same here.
func sdkNames(pkg *pulumirpc.PackageDependency) (string, string) {
	name := pkg.GetName()
	if p := pkg.GetParameterization(); p != nil && p.GetName() != "" {
		name = p.GetName()
	}
	module := codegen.PyPack("", name)
	return module, module
}

// GenerateProject writes a Python project (Pulumi.yaml, requirements.txt, __main__.py) for a PCL
// program, as `pulumi convert --language python` asks.
func (h *languageHost) GenerateProject(
	ctx context.Context, req *pulumirpc.GenerateProjectRequest,
) (*pulumirpc.GenerateProjectResponse, error) {
	return langkit.GenerateProject(req, func(dir string, project workspace.Project, program *pcl.Program, deps map[string]string) error {
		return codegen.GenerateProject(dir, project, program, deps, "", "")
	})
}

// GenerateProgram translates PCL source files into Python source files.
func (h *languageHost) GenerateProgram(
	ctx context.Context, req *pulumirpc.GenerateProgramRequest,
) (*pulumirpc.GenerateProgramResponse, error) {
	return langkit.GenerateProgram(req, codegen.GenerateProgram)
}
