package bridged

import (
	"context"
	"fmt"
	"sync"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi/pkg/v3/resource/provider"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Main serves a bridged SDKv2 provider as tfbridge.Main does, except that the provider's schema is
// generated when the engine first asks for it (GetSchema) instead of being embedded: programs in
// Node.js never ask, YAML programs and `pulumi package get-schema` do, and generating it at every
// start would cost each plugin start a fifth of a second. Without a schema given at start the
// bridge skips only its schema-based check of the provider's configuration, as before.
func Main(pkg, version string, info tfbridge.ProviderInfo) {
	ctx := context.Background()
	info.P.InitLogging(ctx)
	err := provider.Main(pkg, func(host *provider.HostClient) (pulumirpc.ResourceProviderServer, error) {
		return &LazySchema{ResourceProviderServer: tfbridge.NewProvider(ctx, host, pkg, version, info.P, info, nil), Info: info}, nil
	})
	if err != nil {
		cmdutil.ExitError(err.Error())
	}
}

// LazySchema is a provider whose GetSchema answers the schema generated from Info, once.
type LazySchema struct {
	pulumirpc.ResourceProviderServer
	Info tfbridge.ProviderInfo

	once   sync.Once
	schema []byte
	err    error
}

// GetSchema generates the schema on the first call and answers the same bytes afterwards.
func (l *LazySchema) GetSchema(ctx context.Context, req *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	if v := req.GetVersion(); v > 1 {
		return nil, fmt.Errorf("unsupported schema version %v", v)
	}
	l.once.Do(func() { l.schema, l.err = Schema(l.Info) })
	if l.err != nil {
		return nil, fmt.Errorf("generating the %s schema: %w", l.Info.Name, l.err)
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(l.schema)}, nil
}
