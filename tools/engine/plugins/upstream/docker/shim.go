// Package shim exposes the docker Terraform provider's constructor, which upstream keeps in an
// internal package; scripts/engine.sh adds this file to a copy of the upstream module.
package shim

import (
	"github.com/hashicorp/terraform-plugin-sdk/v2/helper/schema"
	"github.com/terraform-providers/terraform-provider-docker/internal/provider"
)

// NewProvider returns the SDKv2 half of the upstream provider: every docker_* resource dockyard
// maps. (The plugin-framework half only carries docker_compose and two data sources.)
func NewProvider(version string) *schema.Provider {
	return provider.New(version)()
}
