// pulumi-resource-random: the random resource plugin that @pulumi/random's SDK talks to, built here
// from the upstream Terraform provider (hashicorp/terraform-provider-random, plugin framework) and
// Pulumi's Terraform bridge, because the released plugin cannot be downloaded on this machine.
package main

import (
	"context"
	"unicode"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-providers/terraform-provider-random/shim"
)

// version is the @pulumi/random version this plugin answers for (set with -ldflags by engine.sh).
var version = "4.21.2"

func resource(name string) tokens.Type {
	file := string(unicode.ToLower(rune(name[0]))) + name[1:]
	return tokens.Type("random:index/" + file + ":" + name)
}

func main() {
	ctx := context.Background()
	info := tfbridge.ProviderInfo{
		P:       pf.ShimProvider(shim.NewProvider()),
		Name:    "random",
		Version: version,
		Resources: map[string]*tfbridge.ResourceInfo{
			"random_id":       {Tok: resource("RandomId")},
			"random_integer":  {Tok: resource("RandomInteger")},
			"random_password": {Tok: resource("RandomPassword")},
			"random_pet":      {Tok: resource("RandomPet")},
			"random_shuffle":  {Tok: resource("RandomShuffle")},
			"random_string":   {Tok: resource("RandomString")},
			"random_uuid":     {Tok: resource("RandomUuid")},
			"random_bytes":    {Tok: resource("RandomBytes")},
		},
	}
	pf.Main(ctx, "random", info, pf.ProviderMetadata{})
}
