// Package langkit holds what this project's language hosts for Python and Go share.
package langkit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/hcl2/syntax"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/constant"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/contract"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// InterruptGrace is how long a program gets to stop after SIGINT before it is killed.
const InterruptGrace = 5 * time.Second

// ProgramInfo returns the request's ProgramInfo, or builds one from the fields older engines sent
// (root: the project's root from the handshake, when known; else the program's directory).
func ProgramInfo(info *pulumirpc.ProgramInfo, pwd, program, root string) *pulumirpc.ProgramInfo {
	if info != nil && info.ProgramDirectory != "" {
		if info.RootDirectory == "" {
			info.RootDirectory = info.ProgramDirectory
		}
		return info
	}
	if program == "" {
		program = "."
	}
	if pwd == "" {
		pwd, _ = os.Getwd()
	}
	if root == "" {
		root = pwd
	}
	return &pulumirpc.ProgramInfo{RootDirectory: root, ProgramDirectory: pwd, EntryPoint: program}
}

// Exec runs bin in dir with exactly env, its output going to the host's (which the engine shows),
// and answers the engine's Run: interrupted (then killed after InterruptGrace) when the request
// ends or cancelCtx is cancelled (the engine's Cancel).
func Exec(reqCtx, cancelCtx context.Context, bin string, args, env []string, dir string) *pulumirpc.RunResponse {
	ctx, cancel := context.WithCancel(cancelCtx)
	defer cancel()
	stopWithRequest := context.AfterFunc(reqCtx, cancel)
	defer stopWithRequest()

	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Dir = dir
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = InterruptGrace
	// Wrapped, so that exec copies through a pipe rather than handing over the host's descriptors.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}
	return RunResponse(cmd.Run())
}

// RunResponse maps a program's exit to what the engine shows: nothing when it succeeded, a bail
// when the program has reported its error itself (exit 32), else the error.
func RunResponse(err error) *pulumirpc.RunResponse {
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Problem executing program (could not start it): %v", err)}
	}
	switch code := exitErr.ExitCode(); code {
	case constant.ExitStatusLoggedError:
		return &pulumirpc.RunResponse{Bail: true}
	case -1:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}
	}
}

// GenerateProgram parses and binds the request's PCL files (in name order) against the engine's
// schema loader, and translates the program with generate (a language's codegen GenerateProgram).
func GenerateProgram(
	req *pulumirpc.GenerateProgramRequest,
	generate func(*pcl.Program) (map[string][]byte, hcl.Diagnostics, error),
) (*pulumirpc.GenerateProgramResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer contract.IgnoreClose(loader)
	parser := syntax.NewParser()
	names := make([]string, 0, len(req.GetSource()))
	for name := range req.GetSource() {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := parser.ParseFile(strings.NewReader(req.GetSource()[name]), name); err != nil {
			return nil, err
		}
	}
	if parser.Diagnostics.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(parser.Diagnostics)}, nil
	}
	opts := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.GetStrict() {
		opts = append(opts, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindProgram(parser.Files, schema.NewCachedLoader(loader), opts...)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GenerateProgramResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	files, genDiags, err := generate(program)
	if err != nil {
		return nil, err
	}
	diags = append(diags, genDiags...)
	return &pulumirpc.GenerateProgramResponse{Source: files, Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}

// GenerateProject binds the PCL program in the request's source directory against the engine's
// schema loader and writes a project for it with generate (a language's codegen GenerateProject,
// given the target directory, the project, the program and the local dependencies).
func GenerateProject(
	req *pulumirpc.GenerateProjectRequest,
	generate func(dir string, project workspace.Project, program *pcl.Program, localDependencies map[string]string) error,
) (*pulumirpc.GenerateProjectResponse, error) {
	loader, err := schema.NewLoaderClient(req.GetLoaderTarget())
	if err != nil {
		return nil, err
	}
	defer contract.IgnoreClose(loader)
	opts := []pcl.BindOption{pcl.PreferOutputVersionedInvokes}
	if !req.GetStrict() {
		opts = append(opts, pcl.NonStrictBindOptions()...)
	}
	program, diags, err := pcl.BindDirectory(req.GetSourceDirectory(), schema.NewCachedLoader(loader), opts...)
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GenerateProjectResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	var project workspace.Project
	if err := json.Unmarshal([]byte(req.GetProject()), &project); err != nil {
		return nil, fmt.Errorf("parsing the project: %w", err)
	}
	if err := generate(req.GetTargetDirectory(), project, program, req.GetLocalDependencies()); err != nil {
		return nil, err
	}
	return &pulumirpc.GenerateProjectResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}
