// pulumi-resource-docker: the docker resource plugin that @pulumi/docker's SDK talks to, built here
// from the upstream Terraform provider (kreuzwerker/terraform-provider-docker) and Pulumi's
// Terraform bridge, because the released plugin cannot be downloaded on this machine.
//
// The mapping below gives every resource the token and property names of the @pulumi/docker SDK
// in package.json: the bridge derives property names by its standard rules (snake_case to
// camelCase, lists pluralised), and the few names the SDK spells otherwise are set explicitly.
// tests/e2e/plugin-schema.e2e.ts compares every resource's names with the SDK's.
package main

import (
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	shimv2 "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfshim/sdk-v2"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/terraform-providers/terraform-provider-docker/shim"

	"dockyard/tools/engine/plugins/internal/bridged"
)

// version is the @pulumi/docker version this plugin answers for (set with -ldflags by engine.sh).
var version = "5.2.0"

func resource(name string) tokens.Type { return bridged.Resource("docker", name) }

func function(name string) tokens.ModuleMember {
	return tokens.ModuleMember("docker:index/" + name + ":" + name)
}

func providerInfo() tfbridge.ProviderInfo {
	info := tfbridge.ProviderInfo{
		P:       shimv2.NewProvider(shim.NewProvider(version)),
		Name:    "docker",
		Version: version,
		Config: map[string]*tfbridge.SchemaInfo{
			"host": {Default: &tfbridge.DefaultInfo{
				Value: "unix:///var/run/docker.sock", EnvVars: []string{"DOCKER_HOST"},
			}},
			"registry_auth": {Name: "registryAuth", MaxItemsOne: tfbridge.False()},
		},
		Resources: map[string]*tfbridge.ResourceInfo{
			"docker_config": {Tok: resource("ServiceConfig")},
			"docker_container": {
				Tok:                 resource("Container"),
				DeleteBeforeReplace: true,
				Fields: map[string]*tfbridge.SchemaInfo{
					// One argv, not several commands.
					"command": {Name: "command"},
					// Plural already in meaning; the SDK keeps the Terraform spelling.
					"networks_advanced": {Name: "networksAdvanced"},
				},
			},
			"docker_image": {
				Tok:    resource("RemoteImage"),
				Fields: map[string]*tfbridge.SchemaInfo{"name": {Name: "name"}},
			},
			"docker_network":        {Tok: resource("Network")},
			"docker_secret":         {Tok: resource("Secret")},
			"docker_service":        {Tok: resource("Service")},
			"docker_volume":         {Tok: resource("Volume")},
			"docker_registry_image": {Tok: resource("RegistryImage")},
			"docker_plugin":         {Tok: resource("Plugin")},
			"docker_tag":            {Tok: resource("Tag")},
			"docker_buildx_builder": {Tok: resource("BuildxBuilder")},
		},
		DataSources: map[string]*tfbridge.DataSourceInfo{
			"docker_network":                  {Tok: function("getNetwork")},
			"docker_registry_image":           {Tok: function("getRegistryImage")},
			"docker_registry_image_manifests": {Tok: function("getRegistryImageManifests")},
			"docker_plugin":                   {Tok: function("getPlugin")},
			"docker_image":                    {Tok: function("getRemoteImage")},
			"docker_logs":                     {Tok: function("getLogs")},
		},
	}
	info.SetAutonaming(255, "-")
	return info
}

func main() {
	bridged.HandleSchemaFlag(providerInfo)
	// The schema is generated when asked for (YAML programs, `pulumi package get-schema`), not at start.
	bridged.Main("docker", version, providerInfo())
}
