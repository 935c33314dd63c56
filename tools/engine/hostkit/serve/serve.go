// Package serve serves this project's own plugins (the language hosts, the command provider) the
// way the engine starts them: the engine's address as the argument, the port on the first line of
// stdout, and the plugin gone when the engine is.
package serve

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"google.golang.org/grpc"
)

// Plugin registers the plugin's services, prints the port the engine reads, and serves until an
// interrupt arrives or the engine at engineAddress (when given) is gone: a crashed CLI must not
// leave plugins behind. what names the plugin in errors.
func Plugin(engineAddress, what string, register func(*grpc.Server)) {
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start the engine health check: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			register(srv)
			return nil
		},
		Options: rpcutil.OpenTracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start the %s RPC server: %w", what, err))
	}
	// The engine reads exactly this line to find the plugin.
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("%s RPC stopped serving: %w", what, err))
	}
}
