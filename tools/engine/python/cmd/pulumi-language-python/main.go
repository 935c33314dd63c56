// Command pulumi-language-python is the Pulumi language host for Python programs, written for
// dockyard because the released host cannot be fetched here (its Go module is not served by the
// module proxy). The Pulumi CLI starts it as
//
//	pulumi-language-python [--logtostderr] [-v=N] [--tracing URL] <engine-address>
//
// and reads the port of its gRPC LanguageRuntime service from the first line of its stdout. For
// Run it starts the program's virtual environment's python on the launcher
// pulumi-language-python-exec (kept beside this binary), which configures the Python SDK from its
// flags and environment and runs the program's __main__.py. Virtual environments, pip and package
// listing come from the SDK's own python/toolchain package; SDK generation from pkg/codegen/python.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"dockyard/tools/engine/hostkit/serve"
	"dockyard/tools/engine/langkit"
)

// version is the version this host reports to the engine; set at build time with
// -ldflags "-X main.version=...". It matches the CLI it is built next to.
var version = "3.276.0"

const (
	// The launcher that runs a program, looked for beside this binary.
	execName = "pulumi-language-python-exec"
)

func main() {
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	showVersion := flag.Bool("version", false, "Print the plugin version and exit")
	root := flag.String("root", "", "Project root directory, when the engine does not send one")
	executor := flag.String("use-executor", "", "The launcher to run programs with (default: "+execName+" beside this binary)")
	// Older CLIs passed the virtualenv option as a flag; it remains a default.
	virtualenv := flag.String("virtualenv", "", "Virtual environment, when the engine sends no runtime options")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	if *showVersion {
		fmt.Println(version)
		return
	}

	cmdutil.InitTracing("pulumi-language-python", "pulumi-language-python", *tracing)
	defer cmdutil.CloseTracing()

	execPath, err := findExecutor(*executor)
	if err != nil {
		cmdutil.Exit(err)
	}

	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}
	host := newLanguageHost(engineAddress, *tracing, *root, execPath, *virtualenv)
	serve.Plugin(engineAddress, "language host", func(srv *grpc.Server) {
		pulumirpc.RegisterLanguageRuntimeServer(srv, host)
	})
}

// findExecutor locates the launcher: the flag, then PULUMI_LANGUAGE_PYTHON_EXEC, then beside this
// binary (where scripts/engine.sh copies tools/engine/python/bin), then the PATH.
func findExecutor(given string) (string, error) {
	if given == "" {
		given = os.Getenv("PULUMI_LANGUAGE_PYTHON_EXEC")
	}
	if given != "" {
		return given, nil
	}
	if self, err := os.Executable(); err == nil {
		if resolved, err := filepath.EvalSymlinks(self); err == nil {
			self = resolved
		}
		candidate := filepath.Join(filepath.Dir(self), execName)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
	}
	if p, err := exec.LookPath(execName); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("could not find %s beside the language host or on the PATH", execName)
}

// languageHost implements the LanguageRuntime service. Methods it does not override (Pack,
// RunPlugin for plugins written in Python, templates) answer Unimplemented.
type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing           string
	root              string
	execPath          string
	defaultVirtualenv string

	mu            sync.Mutex
	engineAddress string

	cancelCtx  context.Context
	cancelFunc context.CancelFunc
}

func newLanguageHost(engineAddress, tracing, root, execPath, virtualenv string) *languageHost {
	ctx, cancel := context.WithCancel(context.Background())
	return &languageHost{
		engineAddress:     engineAddress,
		tracing:           tracing,
		root:              root,
		execPath:          execPath,
		defaultVirtualenv: virtualenv,
		cancelCtx:         ctx,
		cancelFunc:        cancel,
	}
}

func (h *languageHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// programInfo returns the request's ProgramInfo, or builds one from the fields older engines sent.
func (h *languageHost) programInfo(info *pulumirpc.ProgramInfo, pwd, program string) *pulumirpc.ProgramInfo {
	h.mu.Lock()
	root := h.root
	h.mu.Unlock()
	return langkit.ProgramInfo(info, pwd, program, root)
}

func (h *languageHost) options(info *pulumirpc.ProgramInfo) (pythonOptions, error) {
	raw := map[string]any{}
	if h.defaultVirtualenv != "" {
		raw["virtualenv"] = h.defaultVirtualenv
	}
	if info != nil && info.Options != nil {
		for k, v := range info.Options.AsMap() {
			raw[k] = v
		}
	}
	return parseOptions(raw)
}

func (h *languageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	if req.RootDirectory != nil && h.root == "" {
		h.root = req.GetRootDirectory()
	}
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPackages reports the resource plugins of the packages installed in the program's
// virtual environment (their pulumi-plugin.json). A missing virtual environment is created and
// filled from requirements.txt first, as the released host does, so `pulumi up` works on a fresh
// checkout; its output goes to stderr, which the engine logs.
func (h *languageHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	info := h.programInfo(req.GetInfo(), "", "")
	packages, err := h.requiredPackages(ctx, info)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: packages}, nil
}

// GetRequiredPlugins is GetRequiredPackages for engines that predate packages.
func (h *languageHost) GetRequiredPlugins(
	ctx context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	info := h.programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram()) //nolint:staticcheck // older engines
	packages, err := h.requiredPackages(ctx, info)
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(packages))
	for _, p := range packages {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server, Checksums: p.Checksums,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

func (h *languageHost) requiredPackages(ctx context.Context, info *pulumirpc.ProgramInfo) ([]*pulumirpc.PackageDependency, error) {
	opts, err := h.options(info)
	if err != nil {
		return nil, err
	}
	tc, err := pythonToolchain(info, opts)
	if err != nil {
		return nil, err
	}
	if err := tc.EnsureVenv(ctx, info.ProgramDirectory, false, true, os.Stderr, os.Stderr); err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	return scanPackages(ctx, tc)
}

// Run executes the program once, for a preview (DryRun) or an update, and waits for it.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := h.programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram()) //nolint:staticcheck // older engines
	opts, err := h.options(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	tc, err := pythonToolchain(info, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	args := append([]string{h.execPath}, h.runArguments(req, info)...)
	cmd, err := tc.Command(ctx, args...)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := runEnvironment(cmd.Env, req)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	logging.V(5).Infof("Language host launching process: %s %s", cmd.Path, strings.Join(cmd.Args[1:], " "))
	return langkit.Exec(ctx, h.cancelCtx, cmd.Path, cmd.Args[1:], env, info.ProgramDirectory), nil
}

// runArguments builds the launcher's command line: its flags (argparse-style, as
// pulumi-language-python-exec declares them), the entry point, and the program's own arguments.
func (h *languageHost) runArguments(req *pulumirpc.RunRequest, info *pulumirpc.ProgramInfo) []string {
	var args []string
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engine())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root_directory", info.RootDirectory)
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.ProgramDirectory)
	flagArg("dry_run", strconv.FormatBool(req.GetDryRun()))
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("tracing", h.tracing)
	entry := info.EntryPoint
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// runEnvironment adds what the SDK reads from the environment rather than from flags: the stack's
// configuration (a JSON object of "ns:key" to value) and the keys of the secret ones.
func runEnvironment(base []string, req *pulumirpc.RunRequest) ([]string, error) {
	cfg := req.GetConfig()
	if cfg == nil {
		cfg = map[string]string{}
	}
	cfgJSON, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	if base == nil {
		base = os.Environ()
	}
	env := make([]string, 0, len(base)+3)
	for _, kv := range base {
		switch strings.SplitN(kv, "=", 2)[0] {
		case "PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS", "PYTHONUNBUFFERED":
			continue
		}
		env = append(env, kv)
	}
	return append(env,
		"PULUMI_CONFIG="+string(cfgJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON),
		// Output reaches the user as the program writes it, not when a buffer fills.
		"PYTHONUNBUFFERED=1"), nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelFunc()
	return &emptypb.Empty{}, nil
}

// InstallDependencies creates the virtual environment (Pulumi.yaml `runtime.options.virtualenv`,
// default venv, below the project root) and installs requirements.txt into it, streaming pip's
// output to the CLI.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	info := h.programInfo(req.GetInfo(), req.GetDirectory(), "") //nolint:staticcheck // older engines
	opts, err := h.options(info)
	if err != nil {
		return fmt.Errorf("failed to parse options: %w", err)
	}
	tc, err := pythonToolchain(info, opts)
	if err != nil {
		return err
	}
	ctx := server.Context()
	if err := tc.InstallDependencies(ctx, info.ProgramDirectory, req.GetUseLanguageVersionTools(),
		true /*showOutput*/, stdout, stderr); err != nil {
		return err
	}
	if req.GetIsPlugin() {
		// A plugin written in Python is itself a package: install it too.
		if err := tc.InstallPackage(ctx, info.ProgramDirectory, false, true, stdout, stderr); err != nil {
			return err
		}
	}
	return closer.Close()
}

// GetProgramDependencies reports the virtual environment's packages, for `pulumi about`.
func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	info := h.programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram()) //nolint:staticcheck // older engines
	opts, err := h.options(info)
	if err != nil {
		return nil, err
	}
	tc, err := pythonToolchain(info, opts)
	if err != nil {
		return nil, err
	}
	if err := tc.ValidateVenv(ctx); err != nil {
		return nil, err
	}
	pkgs, err := tc.ListPackages(ctx, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	deps := make([]*pulumirpc.DependencyInfo, 0, len(pkgs))
	for _, p := range pkgs {
		deps = append(deps, &pulumirpc.DependencyInfo{Name: p.Name, Version: p.Version})
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// About describes the runtime for `pulumi about`: the virtual environment's python (or the one on
// the PATH when there is none yet) and the toolchain.
func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	info := h.programInfo(req.GetInfo(), "", "")
	opts, err := h.options(info)
	if err != nil {
		return nil, err
	}
	tc, err := pythonToolchain(info, opts)
	if err != nil {
		return nil, err
	}
	about, err := tc.About(ctx)
	if err != nil {
		return nil, err
	}
	return &pulumirpc.AboutResponse{
		Executable: about.PythonExecutable,
		Version:    about.PythonVersion.String(),
		Metadata:   map[string]string{"toolchain": opts.toolchain, "toolchainVersion": about.ToolchainVersion.String()},
	}, nil
}

// RuntimeOptionsPrompts asks nothing: the defaults (pip, a venv below the project) are dockyard's.
func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// stderrOf returns ": <stderr>" for a failed command whose stderr was captured.
func stderrOf(err error) string {
	var exitErr *exec.ExitError
	if errors.As(err, &exitErr) && len(exitErr.Stderr) > 0 {
		return ": " + strings.TrimSpace(string(exitErr.Stderr))
	}
	return ""
}
