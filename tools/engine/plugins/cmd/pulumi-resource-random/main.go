// pulumi-resource-random: the random resource plugin that @pulumi/random's SDK talks to, built here
// from the upstream Terraform provider (hashicorp/terraform-provider-random, plugin framework) and
// Pulumi's Terraform bridge, because the released plugin cannot be downloaded on this machine.
package main

import (
	"context"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-providers/terraform-provider-random/shim"

	"dockyard/tools/engine/plugins/internal/bridged"
)

// version is the @pulumi/random version this plugin answers for (set with -ldflags by engine.sh).
var version = "4.21.2"

func resource(name string) tokens.Type { return bridged.Resource("random", name) }

func providerInfo() tfbridge.ProviderInfo {
	return tfbridge.ProviderInfo{
		P:       pf.ShimProvider(shim.NewProvider()),
		Name:    "random",
		Version: version,
		// No recorded bridge metadata (auto-aliasing history): this plugin has no earlier versions.
		MetadataInfo: tfbridge.NewProviderMetadata(nil),
		Resources: map[string]*tfbridge.ResourceInfo{
			"random_id":       {Tok: resource("RandomId")},
			"random_integer":  {Tok: resource("RandomInteger")},
			"random_password": {Tok: resource("RandomPassword")},
			"random_pet":      {Tok: resource("RandomPet")},
			"random_shuffle":  {Tok: resource("RandomShuffle")},
			"random_string":   {Tok: resource("RandomString")},
			"random_uuid":     {Tok: resource("RandomUuid")},
			"random_uuid4":    {Tok: resource("RandomUuid4")},
			"random_uuid7":    {Tok: resource("RandomUuid7")},
			"random_bytes":    {Tok: resource("RandomBytes")},
		},
	}
}

func main() {
	bridged.HandleSchemaFlag(providerInfo)
	info := providerInfo()
	pf.Main(context.Background(), "random", info, pf.ProviderMetadata{
		// Generated on demand: the engine asks for it only for `pulumi package get-schema` and the like.
		XGetSchema: func(context.Context, plugin.GetSchemaRequest) ([]byte, error) { return bridged.Schema(info) },
	})
}
