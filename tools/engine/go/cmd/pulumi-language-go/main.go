// Command pulumi-language-go is the Pulumi language host for Go programs, written for dockyard
// because the released host cannot be fetched here (its Go module,
// github.com/pulumi/pulumi/sdk/go/pulumi-language-go/v3, is not served by the module proxy). The
// Pulumi CLI starts it as
//
//	pulumi-language-go [--tracing URL] <engine-address>
//
// and reads the port of its gRPC LanguageRuntime service from the first line of its stdout. For
// Run it builds the program with `go build` (in the program's directory, so in its module) into a
// temporary binary and runs that with the environment the Go SDK reads (sdk/go/pulumi/run.go:
// PULUMI_MONITOR, PULUMI_ENGINE, PULUMI_PROJECT, ...). Dependencies are installed with
// `go mod tidy`; SDKs are generated with pkg/codegen/go and linked into the program's go.mod with
// a require and a replace directive.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
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

// How long a program gets to stop after SIGINT before it is killed.

func main() {
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	showVersion := flag.Bool("version", false, "Print the plugin version and exit")
	// Obsolete flags of the released host, accepted so that old command lines still start it.
	flag.String("binary", "", "[obsolete] use runtime.options.binary")
	flag.String("buildTarget", "", "[obsolete] use runtime.options.buildTarget")
	flag.String("root", "", "[obsolete] Project root path")
	flag.Parse()
	logging.InitLogging(false, 0, false)

	if *showVersion {
		fmt.Println(version)
		return
	}

	cmdutil.InitTracing("pulumi-language-go", "pulumi-language-go", *tracing)
	defer cmdutil.CloseTracing()

	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}
	host := newLanguageHost(engineAddress, *tracing)
	serve.Plugin(engineAddress, "language host", func(srv *grpc.Server) {
		pulumirpc.RegisterLanguageRuntimeServer(srv, host)
	})
}

// languageHost implements the LanguageRuntime service. Methods it does not override (Pack,
// RunPlugin for plugins written in Go, templates) answer Unimplemented.
type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string

	mu            sync.Mutex
	engineAddress string

	cancelCtx  context.Context
	cancelFunc context.CancelFunc
}

func newLanguageHost(engineAddress, tracing string) *languageHost {
	ctx, cancel := context.WithCancel(context.Background())
	return &languageHost{engineAddress: engineAddress, tracing: tracing, cancelCtx: ctx, cancelFunc: cancel}
}

func (h *languageHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *languageHost) Handshake(
	ctx context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	if req.GetEngineAddress() != "" {
		h.engineAddress = req.GetEngineAddress()
	}
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetRequiredPackages reports no packages: the plugins a Go program needs are found by the engine
// from the program's resource registrations and from Pulumi.yaml's packages (which
// `pulumi package add` fills in). The released host also scans the module graph for
// pulumi-plugin.json files; dockyard's programs do not need that.
func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

// GetRequiredPlugins is GetRequiredPackages for engines that predate packages.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

// Run builds the program (or takes runtime.options.binary) and runs it once, for a preview
// (DryRun) or an update, and waits for it.
func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := langkit.ProgramInfo(req.GetInfo(), req.GetPwd(), req.GetProgram(), "") //nolint:staticcheck // older engines
	opts, err := parseOptions(optionsMap(info))
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}
	env, err := runEnvironment(os.Environ(), req, info, h.engine())
	if err != nil {
		return nil, fmt.Errorf("failed to prepare environment: %w", err)
	}

	var bin string
	if opts.binary != "" {
		bin, err = exec.LookPath(opts.binary)
		if err != nil {
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("unable to find %q executable: %v", opts.binary, err)}, nil
		}
	} else {
		bin, err = compileProgram(ctx, info.ProgramDirectory, opts.buildTarget, os.Stderr)
		if err != nil {
			return &pulumirpc.RunResponse{Error: err.Error()}, nil
		}
		if opts.buildTarget == "" {
			defer os.Remove(bin)
		}
	}
	dir := req.GetPwd()
	if dir == "" {
		dir = info.ProgramDirectory
	}
	logging.V(5).Infof("Language host launching process: %s", bin)
	return langkit.Exec(ctx, h.cancelCtx, bin, req.GetArgs(), env, dir), nil
}

func (h *languageHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.cancelFunc()
	return &emptypb.Empty{}, nil
}

// InstallDependencies runs `go mod tidy` in the program's directory (`go mod download` while it
// has no Go files yet), streaming its output to the CLI. Modules come from the module proxy as the
// environment (GOPROXY, GOFLAGS) configures it.
func (h *languageHost) InstallDependencies(
	req *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	closer, stdout, stderr, err := rpcutil.MakeInstallDependenciesStreams(server, req.GetIsTerminal())
	if err != nil {
		return err
	}
	defer closer.Close()

	info := langkit.ProgramInfo(req.GetInfo(), req.GetDirectory(), "", "") //nolint:staticcheck // older engines
	gobin, err := exec.LookPath("go")
	if err != nil {
		return fmt.Errorf("unable to find the 'go' executable: %w", err)
	}
	fmt.Fprintln(stdout, "Installing dependencies...")
	cmd := exec.CommandContext(server.Context(), gobin, installArgs(info.ProgramDirectory)...)
	cmd.Dir = info.ProgramDirectory
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("`go %s` failed to install dependencies: %w", strings.Join(cmd.Args[1:], " "), err)
	}
	fmt.Fprintln(stdout, "Finished installing dependencies")
	return closer.Close()
}

// GetProgramDependencies reports the go.mod's requirements (direct ones unless transitive ones are
// asked for), for `pulumi about`. A locally replaced module has no version.
func (h *languageHost) GetProgramDependencies(
	ctx context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	info := langkit.ProgramInfo(req.GetInfo(), req.GetPwd(), req.GetProgram(), "") //nolint:staticcheck // older engines
	deps, err := programDependencies(info.ProgramDirectory, req.GetTransitiveDependencies())
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// About describes the runtime for `pulumi about`: the go on the PATH and its version.
func (h *languageHost) About(ctx context.Context, req *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		return nil, fmt.Errorf("could not find the 'go' executable: %w", err)
	}
	out, err := exec.CommandContext(ctx, gobin, "version").Output()
	if err != nil {
		return nil, fmt.Errorf("failed to execute 'go version': %w", err)
	}
	return &pulumirpc.AboutResponse{Executable: gobin, Version: strings.TrimSpace(string(out))}, nil
}

// RuntimeOptionsPrompts asks nothing.
func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}
