// The provider's own main package (provider/cmd/pulumi-resource-kubernetes), which cannot be built
// from the module cache: it embeds schema-embed.json and terraform-mapping-embed.json, which its
// `go generate` (generate.go: the schema with its version set, re-serialized) writes next to it and
// the module zip does not hold. scripts/engine.sh runs that same generate.go and writes them here.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

var providerName = "kubernetes"

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	provider.Serve(providerName, version.Version, pulumiSchema, terraformMapping)
}
