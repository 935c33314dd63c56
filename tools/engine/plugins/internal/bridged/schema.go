// Package bridged holds what the bridged plugins (docker, random) share: their tokens, and their
// Pulumi schema, generated from the Terraform schema and the token mapping rather than shipped.
package bridged

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfgen"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
)

// Resource is the token the package's SDKs use for a resource of the index module:
// Resource("docker", "RemoteImage") is docker:index/remoteImage:RemoteImage.
func Resource(pkg, name string) tokens.Type {
	return tokens.Type(pkg + ":index/" + strings.ToLower(name[:1]) + name[1:] + ":" + name)
}

// Schema generates the Pulumi package schema of a bridged provider (without docs).
func Schema(info tfbridge.ProviderInfo) ([]byte, error) {
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	res, err := tfgen.GenerateSchemaWithOptions(tfgen.GenerateSchemaOptions{
		ProviderInfo: info, DiagnosticsSink: sink, XInMemoryDocs: true,
	})
	if err != nil {
		return nil, err
	}
	return json.Marshal(res.PackageSpec)
}

// HandleSchemaFlag prints the schema and exits when the plugin is run as `<plugin> -schema`: the
// tests compare it with the Node.js SDK's names, so that no setting is lost to a misnamed property.
func HandleSchemaFlag(info func() tfbridge.ProviderInfo) {
	if len(os.Args) != 2 || os.Args[1] != "-schema" {
		return
	}
	schema, err := Schema(info())
	if err != nil {
		fmt.Fprintln(os.Stderr, "schema:", err)
		os.Exit(1)
	}
	os.Stdout.Write(append(schema, '\n'))
	os.Exit(0)
}
