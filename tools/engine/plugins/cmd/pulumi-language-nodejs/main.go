// Command pulumi-language-nodejs is the Pulumi language host for Node.js programs, written for
// dockyard because the released host cannot be fetched here. The Pulumi CLI starts it as
//
//	pulumi-language-nodejs [--logtostderr] [-v=N] [--tracing URL] <engine-address>
//
// and reads the port of its gRPC LanguageRuntime service from the first line of its stdout. The
// host does not run programs itself: for Run it starts `node` on the `cmd/run` script of the
// program's own @pulumi/pulumi, which connects to the engine's resource monitor, and it reports how
// that process ended. Everything the script needs comes in as flags and environment variables, in
// the form the @pulumi/pulumi 3.x run script parses (see node_modules/@pulumi/pulumi/cmd/run).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/shlex"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/nodejs/npm"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"dockyard/tools/engine/hostkit/serve"
)

// version is the version this host reports to the engine; set at build time with
// -ldflags "-X main.version=...". It matches the CLI it is built next to.
var version = "3.276.0"

const (
	// The script that runs a program, resolved from the program directory the way Node resolves
	// it, so the program's own copy of the SDK runs it. PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it.
	defaultRunPath = "@pulumi/pulumi/cmd/run"

	// The exit code with which the run script says "the error was already shown to the user"
	// (nodeJSProcessExitedAfterLoggingUserActionableMessage in cmd/run/index.js). The host then
	// answers with Bail so the engine does not print a second, vaguer error.
	exitAlreadyReported = 32

	// How long a program gets to stop after SIGINT before it is killed.
	interruptGrace = 5 * time.Second
)

func main() {
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	showVersion := flag.Bool("version", false, "Print the plugin version and exit")
	// CLIs from before ProgramInfo passed the project's runtime options as flags. The CLI this host
	// is built for sends them with every request; the flags remain as defaults for older callers
	// and for running the host by hand.
	root := flag.String("root", "", "Project root directory, when the engine does not send one")
	typescript := flag.Bool("typescript", true, "Run TypeScript sources with the SDK's ts-node")
	tsconfig := flag.String("tsconfig", "", "Path of the tsconfig.json ts-node uses")
	nodeargs := flag.String("nodeargs", "", "Extra arguments for node")
	packagemanager := flag.String("packagemanager", "auto", "npm, yarn, pnpm, bun or auto")
	flag.Parse()
	// --logtostderr and -v are glog's flags, registered by the logging package; InitLogging only
	// fills in what the command line left unset.
	logging.InitLogging(false, 0, false)

	if *showVersion {
		fmt.Println(version)
		return
	}

	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", *tracing)
	defer cmdutil.CloseTracing()

	defaults, err := parseOptions(map[string]any{
		"typescript":     *typescript,
		"tsconfig":       *tsconfig,
		"nodeargs":       *nodeargs,
		"packagemanager": *packagemanager,
	}, nodeOptions{})
	if err != nil {
		cmdutil.Exit(err)
	}

	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	host := newLanguageHost(engineAddress, *tracing, *root, defaults)
	serve.Plugin(engineAddress, "language host", func(srv *grpc.Server) {
		pulumirpc.RegisterLanguageRuntimeServer(srv, host)
	})
}

// languageHost implements the LanguageRuntime service. Methods it does not override (code
// generation, packing, plugins written in Node.js other than policy packs) answer Unimplemented,
// which the engine treats as "this host does not offer that".
type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing  string
	root     string
	defaults nodeOptions

	mu            sync.Mutex
	engineAddress string

	// Cancelled by the Cancel RPC: running programs get SIGINT, so they can stop between
	// resource registrations instead of being cut off mid-operation.
	cancelCtx  context.Context
	cancelFunc context.CancelFunc
}

func newLanguageHost(engineAddress, tracing, root string, defaults nodeOptions) *languageHost {
	ctx, cancel := context.WithCancel(context.Background())
	return &languageHost{
		engineAddress: engineAddress,
		tracing:       tracing,
		root:          root,
		defaults:      defaults,
		cancelCtx:     ctx,
		cancelFunc:    cancel,
	}
}

func (h *languageHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// nodeOptions are the project's runtime options (Pulumi.yaml `runtime.options`) the host acts on.
type nodeOptions struct {
	typescript     bool
	tsconfig       string
	nodeargs       string
	packagemanager npm.PackageManagerType
}

// parseOptions reads runtime options over a set of defaults, rejecting values of the wrong type
// so that a typo in Pulumi.yaml is reported instead of silently ignored.
func parseOptions(raw map[string]any, defaults nodeOptions) (nodeOptions, error) {
	opts := defaults
	if opts.packagemanager == "" {
		opts.packagemanager = npm.AutoPackageManager
	}
	if v, ok := raw["typescript"]; ok {
		b, ok := v.(bool)
		if !ok {
			return opts, errors.New("typescript option must be a boolean")
		}
		opts.typescript = b
	}
	if v, ok := raw["tsconfig"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("tsconfig option must be a string")
		}
		opts.tsconfig = s
	}
	if v, ok := raw["nodeargs"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("nodeargs option must be a string")
		}
		opts.nodeargs = s
	}
	if v, ok := raw["packagemanager"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("packagemanager option must be a string")
		}
		switch pm := npm.PackageManagerType(s); pm {
		case npm.AutoPackageManager, npm.NpmPackageManager, npm.YarnPackageManager, npm.PnpmPackageManager,
			npm.BunPackageManager:
			opts.packagemanager = pm
		case "":
			opts.packagemanager = npm.AutoPackageManager
		default:
			return opts, fmt.Errorf("packagemanager option must be one of auto, npm, yarn, pnpm or bun, got %q", s)
		}
	}
	return opts, nil
}

// options parses the runtime options of a request; a request from an attached engine may carry
// none, and then the flag defaults apply.
func (h *languageHost) options(info *pulumirpc.ProgramInfo) (nodeOptions, error) {
	var raw map[string]any
	if info != nil && info.Options != nil {
		raw = info.Options.AsMap()
	}
	return parseOptions(raw, h.defaults)
}

// programInfo returns the request's ProgramInfo, or builds one from the fields older engines
// sent instead (pwd and program).
func (h *languageHost) programInfo(info *pulumirpc.ProgramInfo, pwd, program string) *pulumirpc.ProgramInfo {
	if info != nil && info.ProgramDirectory != "" {
		return info
	}
	if program == "" {
		program = "."
	}
	root := h.root
	if root == "" {
		root = pwd
	}
	return &pulumirpc.ProgramInfo{RootDirectory: root, ProgramDirectory: pwd, EntryPoint: program}
}

// Handshake is how an engine that attached to an already running host (PULUMI_DEBUG_LANGUAGES)
// tells it where the engine is; a host started by the engine got the address on its command line.
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

// GetRequiredPackages tells the engine which resource plugins the program will load, so it can
// make sure they are installed before the program runs.
func (h *languageHost) GetRequiredPackages(
	ctx context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	info := h.programInfo(req.GetInfo(), "", "")
	packages, err := h.requiredPackages(info.ProgramDirectory)
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
	packages, err := h.requiredPackages(info.ProgramDirectory)
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

func (h *languageHost) requiredPackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	if dir == "" {
		return nil, errors.New("no program directory given")
	}
	packages, pulumiVersions, err := scanPackages(dir)
	if err != nil {
		// Unreadable or foreign package.json files are common in node_modules and do not make the
		// packages that were found wrong; they only go to the verbose log.
		logging.V(3).Infof("one or more errors while discovering plugins: %v", err)
	}
	if msg := incompatiblePulumiVersions(pulumiVersions); msg != "" {
		// stderr reaches the user through the engine's diagnostics.
		fmt.Fprint(os.Stderr, msg)
	}
	return packages, nil
}

// Run executes the program once, for a preview (DryRun) or an update, and waits for it. The
// program registers its resources with the engine's monitor itself; Run only reports whether the
// process succeeded.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := h.programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram()) //nolint:staticcheck // older engines
	opts, err := h.options(info)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	// Problems with the program's environment are program errors (shown to the user as such),
	// not failures of the RPC.
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}
	runPath := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runPath == "" {
		runPath = defaultRunPath
	}
	runPath, err = locateModule(ctx, runPath, info.ProgramDirectory, nodeBin)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("nodeargs option: %v", err)}, nil
	}
	args = append(args, h.runArguments(req, info, runPath)...)

	env, err := runEnvironment(req, opts)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	logging.V(5).Infof("Language host launching process: %s %s", nodeBin, strings.Join(args, " "))
	return execProgram(ctx, h.cancelCtx, nodeBin, args, env), nil
}

// runArguments builds the run script's command line: the script, its flags (minimist-style, as
// cmd/run/index.js declares them), the entry point, and the program's own arguments.
func (h *languageHost) runArguments(req *pulumirpc.RunRequest, info *pulumirpc.ProgramInfo, runPath string) []string {
	args := []string{runPath}
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", h.engine())
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.RootDirectory)
	flagArg("stack", req.GetStack())
	flagArg("pwd", info.ProgramDirectory)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("tracing", h.tracing)
	// "." makes the script use package.json's exports/main; the engine sends it when Pulumi.yaml
	// has no `main`.
	entry := info.EntryPoint
	if entry == "" {
		entry = "."
	}
	args = append(args, entry)
	return append(args, req.GetArgs()...)
}

// runEnvironment is the host's environment plus what the SDK reads from the environment rather
// than from flags: the stack's configuration and the TypeScript settings.
func runEnvironment(req *pulumirpc.RunRequest, opts nodeOptions) ([]string, error) {
	// The SDK accepts both "ns:key" and the older "ns:config:key"; the latter keeps SDKs from
	// before the key format change working too.
	cfg := make(map[string]string, len(req.GetConfig()))
	for k, v := range req.GetConfig() {
		key, err := config.ParseKey(k)
		if err != nil {
			return nil, fmt.Errorf("config key %q: %w", k, err)
		}
		cfg[key.Namespace()+":config:"+key.Name()] = v
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

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(cfgJSON),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfig)
	}
	return env, nil
}

// locateModule resolves a module specifier to a file with the program's own Node, from the
// program directory, so hoisted and workspace installations resolve the way the program will.
func locateModule(ctx context.Context, module, dir, nodeBin string) (string, error) {
	// One line: some Node shims mishandle newlines in -e scripts.
	script := fmt.Sprintf(`try { console.log(require.resolve(%q)); } catch (error) { `+
		`if (error.code === 'MODULE_NOT_FOUND') { console.error("It looks like the Pulumi SDK has not been installed. `+
		`Have you run pulumi install?"); } else { console.error(error.message); } process.exit(1); }`, module)
	cmd := exec.CommandContext(ctx, nodeBin, "-e", script)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && len(exitErr.Stderr) > 0 {
			return "", errors.New(strings.TrimSpace(string(exitErr.Stderr)))
		}
		return "", fmt.Errorf("locating %s: %w", module, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// execProgram runs node and turns its exit into a RunResponse. The program's output goes to the
// host's own stdout and stderr, which the engine shows to the user.
func execProgram(reqCtx, cancelCtx context.Context, nodeBin string, args, env []string) *pulumirpc.RunResponse {
	// Stop the program when the engine cancels (Cancel RPC) or abandons the request.
	ctx, cancel := context.WithCancel(cancelCtx)
	defer cancel()
	stopWithRequest := context.AfterFunc(reqCtx, cancel)
	defer stopWithRequest()

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Env = env
	// SIGINT first: the SDK then stops registering resources and waits for the ones in flight.
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = interruptGrace
	// Node may switch the descriptors it is handed to non-blocking mode, which makes the host's own
	// later writes to them fail with EAGAIN. Wrapping them hides the *os.File from exec, so Node
	// gets pipes and exec copies the output across.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	oom := &oomDetector{}
	cmd.Stderr = io.MultiWriter(struct{ io.Writer }{os.Stderr}, oom)

	err := cmd.Run()
	if err == nil {
		return &pulumirpc.RunResponse{}
	}
	var exitErr *exec.ExitError
	if !errors.As(err, &exitErr) {
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
		}
	}
	switch code := exitErr.ExitCode(); code {
	case exitAlreadyReported:
		// The SDK already logged the error through the engine; a second message would only repeat it.
		return &pulumirpc.RunResponse{Bail: true}
	case -1:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", exitErr)}
	default:
		msg := fmt.Sprintf("Program exited with non-zero exit code: %d", code)
		if oom.detected() {
			msg += ". Detected a possible out of memory error. Consider increasing the memory available to " +
				"the Node.js process with the `nodeargs` runtime option in Pulumi.yaml, e.g. " +
				"`nodeargs: --max-old-space-size=<megabytes>`"
		}
		return &pulumirpc.RunResponse{Error: msg}
	}
}

// oomDetector watches the program's stderr for V8's out-of-memory report, so a crash for lack of
// heap comes with advice rather than a bare exit code.
type oomDetector struct {
	mu      sync.Mutex
	partial []byte
	found   bool
}

func (o *oomDetector) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.found {
		return len(p), nil
	}
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		line := string(o.partial[:i])
		o.partial = o.partial[i+1:]
		if strings.Contains(line, "<--- Last few GCs --->") ||
			// The inspector hooks the SDK installs can turn the OOM into this failed assertion.
			strings.Contains(line, "Check failed: needs_context && current_scope_ == closure_scope_") {
			o.found = true
			o.partial = nil
			break
		}
	}
	// A single line without newline cannot grow without bound.
	if len(o.partial) > 64*1024 {
		o.partial = o.partial[len(o.partial)-1024:]
	}
	return len(p), nil
}

func (o *oomDetector) detected() bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.found
}

// The scripts that serve a plugin written in Node.js, resolved from the plugin's directory like the
// run script is from a program's: run-policy-pack for a policy pack (an Analyzer), run-plugin for
// everything else (a resource provider such as a component package).
const (
	policyPackRunPath = "@pulumi/pulumi/cmd/run-policy-pack"
	pluginRunPath     = "@pulumi/pulumi/cmd/run-plugin"
)

// RunPlugin runs a plugin written in Node.js, as the released host does:
//
//   - a local policy pack (`pulumi preview --policy-pack DIR`, kind "analyzer"): node runs the
//     pack's own run-policy-pack with the engine's arguments and then the pack's directory, in that
//     directory;
//   - a source-based plugin (a directory with PulumiPlugin.yaml `runtime: nodejs`, kind "resource",
//     e.g. a component package added with `pulumi package add DIR`): node runs the plugin's own
//     run-plugin with the plugin's directory and then the engine's arguments, in the engine's working
//     directory. run-plugin loads the directory's package.json `main` (with ts-node registered, so
//     `main` may be TypeScript); the module serves the provider.
//
// The plugin's stdout (whose first line is its gRPC port) and stderr stream back to the engine,
// which ends the plugin by cancelling the call.
func (h *languageHost) RunPlugin(req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer) error {
	analyzer := req.GetKind() == "analyzer"
	what, runPath := "plugin", pluginRunPath
	if analyzer {
		what, runPath = "policy pack", policyPackRunPath
	}
	info := req.GetInfo()
	dir := info.GetProgramDirectory()
	if dir == "" {
		return fmt.Errorf("no %s directory given", what)
	}
	opts, err := h.options(info)
	if err != nil {
		return err
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	ctx := server.Context()
	runPath, err = locateModule(ctx, runPath, dir, nodeBin)
	if err != nil {
		return fmt.Errorf("%s in %s: %w", what, dir, err)
	}
	args, err := shlex.Split(opts.nodeargs)
	if err != nil {
		return fmt.Errorf("nodeargs option: %w", err)
	}
	args = append(args, runPath)
	workDir := dir
	if analyzer {
		// For analyzers the pack's directory comes last, after the engine's arguments.
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		args = append(args, dir)
		args = append(args, req.GetArgs()...)
		if pwd := req.GetPwd(); pwd != "" {
			workDir = pwd
		}
	}

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	cmd := exec.CommandContext(ctx, nodeBin, args...)
	cmd.Dir = workDir
	// The engine sends the whole environment the plugin gets.
	cmd.Env = req.GetEnv()
	if len(cmd.Env) == 0 {
		cmd.Env = os.Environ()
	}
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = interruptGrace
	cmd.Stdout, cmd.Stderr = stdout, stderr
	logging.V(5).Infof("Language host launching %s: %s %s", what, nodeBin, strings.Join(args, " "))
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			// The engine is done with the plugin and cancelled the call.
			return nil
		}
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("%s %s exited with non-zero exit code: %d", what, dir, exitErr.ExitCode())
		}
		return fmt.Errorf("could not run %s %s: %w", what, dir, err)
	}
	return closer.Close()
}

// Cancel asks running programs to stop (SIGINT, then a kill after a grace period). It is
// permanent: the engine cancels only when the whole operation is being abandoned.
func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelFunc()
	return &emptypb.Empty{}, nil
}

// InstallDependencies runs the project's package manager (npm here: Pulumi.yaml sets
// packagemanager) in the program's workspace root, streaming its output to the CLI.
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
	// UseLanguageVersionTools asks for fnm to switch Node versions; there is no fnm here, and the
	// real host also carries on without it, with whatever node is on the PATH.

	fmt.Fprint(stdout, "Installing dependencies...\n\n")
	dir := info.ProgramDirectory
	if ws, err := npm.FindWorkspaceRoot(dir); err == nil {
		fmt.Fprintf(stdout, "Detected workspace root at %s\n", ws)
		dir = ws
	} else if !errors.Is(err, npm.ErrNotInWorkspace) {
		return fmt.Errorf("failure while trying to find workspace root: %w", err)
	}
	if _, err := npm.Install(server.Context(), opts.packagemanager, dir, false /*production*/, stdout, stderr); err != nil {
		return err
	}
	fmt.Fprint(stdout, "Finished installing dependencies\n\n")
	return closer.Close()
}

// GetProgramDependencies reports the program's npm packages, for `pulumi about`.
func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	info := h.programInfo(req.GetInfo(), req.GetPwd(), req.GetProgram()) //nolint:staticcheck // older engines
	deps, err := programDependencies(info.ProgramDirectory, req.GetTransitiveDependencies())
	if err != nil {
		return nil, fmt.Errorf("failed to get node dependencies: %w", err)
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// About describes the runtime for `pulumi about`: which node runs programs, and which package
// manager installs them. Versions are best effort; a missing one is left empty.
func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	info := h.programInfo(req.GetInfo(), "", "")
	opts, err := h.options(info)
	if err != nil {
		return nil, fmt.Errorf("failed to parse options: %w", err)
	}
	nodeBin, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	resp := &pulumirpc.AboutResponse{Executable: nodeBin, Metadata: map[string]string{}}
	if out, err := exec.CommandContext(ctx, nodeBin, "--version").Output(); err == nil {
		resp.Version = strings.TrimSpace(string(out))
	}
	if pm, err := npm.ResolvePackageManager(opts.packagemanager, info.ProgramDirectory); err == nil {
		resp.Metadata["packagemanager"] = pm.Name()
		if v, err := pm.Version(); err == nil {
			resp.Metadata["packagemanagerVersion"] = v.String()
		}
	}
	return resp, nil
}

// RuntimeOptionsPrompts asks nothing: `pulumi new` is not how dockyard projects are made, and the
// engine treats an empty list as "no questions".
func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}
