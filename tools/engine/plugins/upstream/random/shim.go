// Package shim exposes the random Terraform provider's constructor, which upstream keeps in an
// internal package; scripts/engine.sh adds this file to a copy of the upstream module.
package shim

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"

	upstream "github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider returns the upstream plugin-framework provider.
func NewProvider() provider.Provider {
	return upstream.New()
}
