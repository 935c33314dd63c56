// Command pulumi-language-yaml is the Pulumi language host for YAML programs: the host of
// github.com/pulumi/pulumi-yaml (pkg/server, used as it is) with Link added (internal/link), built
// from the Go module proxy by scripts/engine.sh because no released binary can be fetched here.
//
// The rest is upstream's cmd/pulumi-language-yaml/main.go (v1.25.0), which, being a main package,
// cannot be imported: the CLI starts the host as
//
//	pulumi-language-yaml [--tracing URL] [--root DIR] <engine-address>
//
// and reads the port of its gRPC LanguageRuntime service from the first line of its stdout.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"time"

	"github.com/pulumi/pulumi-yaml/pkg/server"
	yamlversion "github.com/pulumi/pulumi-yaml/pkg/version"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"

	"dockyard/tools/engine/yaml/internal/link"
)

// version is the version of the toolchain this host was built for (scripts/engine.sh links in the
// CLI's); the host reports the version of pulumi-yaml it was built from, and this only if that is
// unknown.
var version string

const yamlModule = "github.com/pulumi/pulumi-yaml"

// hostVersion is the version GetPluginInfo reports: pulumi-yaml's pkg/version.Version if linked
// in, else the version of the pulumi-yaml module in the build, else the toolchain's.
func hostVersion(linked string, info *debug.BuildInfo, fallback string) string {
	if linked != "" {
		return linked
	}
	if info != nil {
		for _, dep := range info.Deps {
			if dep.Path == yamlModule && dep.Version != "" && dep.Version != "(devel)" {
				return strings.TrimPrefix(dep.Version, "v")
			}
		}
	}
	return fallback
}

func main() {
	info, _ := debug.ReadBuildInfo()
	yamlversion.Version = hostVersion(yamlversion.Version, info, version)

	var tracing string
	var root string
	var compiler string
	flag.StringVar(&tracing, "tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	flag.StringVar(&root, "root", "", "Root of the program execution")
	flag.StringVar(&compiler, "compiler", "", "[obsolete] Compiler to use to pre-process YAML")
	flag.Parse()
	var cancelChannel chan bool
	args := flag.Args()
	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-yaml", "pulumi-language-yaml", tracing)

	// Fetch the engine address if available so we can do logging, etc.
	var engineAddress string
	if len(args) > 0 {
		engineAddress = args[0]
		var err error
		cancelChannel, err = setupHealthChecks(engineAddress)
		if err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check host RPC server: %w", err))
		}
	}

	// Fire up a gRPC server, letting the kernel choose a free port.
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: cancelChannel,
		Init: func(srv *grpc.Server) error {
			host := link.Wrap(server.NewLanguageHost(engineAddress, tracing, false /* useRPCLoader */))
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}

	// Print out the port so that the spawner knows how to reach us.
	fmt.Printf("%d\n", handle.Port)

	// And finally wait for the server to stop serving.
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

// setupHealthChecks cancels serving when the engine stops answering or on SIGINT.
func setupHealthChecks(engineAddress string) (chan bool, error) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)

	// map the context Done channel to the rpcutil boolean cancel channel
	cancelChannel := make(chan bool)
	go func() {
		<-ctx.Done()
		cancel() // deregister the signal handler
		close(cancelChannel)
	}()
	err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel)
	if err != nil {
		return nil, err
	}
	return cancelChannel, nil
}
