// Package link adds Link to the YAML language host of github.com/pulumi/pulumi-yaml, which leaves
// it unimplemented (v1.25.0): `pulumi package add` calls it after GeneratePackage, and fails with
// "linking package: ... method Link not implemented" without it.
//
// A YAML program needs nothing more to use a package than what `pulumi package add` does itself:
// GeneratePackage (upstream) writes the package's lock file, sdks/<name>/<name>[-<version>].yaml,
// which the host finds by searching the program's folder for package declarations, and the CLI
// records the package's source under `packages:` in Pulumi.yaml. So Link only checks that each
// package it is given has its lock file in the folder the CLI names, and says how to use it.
package link

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// Host is a LanguageRuntimeServer that serves every call with the wrapped host except Link.
type Host struct {
	pulumirpc.LanguageRuntimeServer
}

// Wrap returns upstream with Link implemented.
func Wrap(upstream pulumirpc.LanguageRuntimeServer) pulumirpc.LanguageRuntimeServer {
	return &Host{LanguageRuntimeServer: upstream}
}

// Link checks the generated lock file of every package and returns instructions for using it.
func (h *Host) Link(ctx context.Context, req *pulumirpc.LinkRequest) (*pulumirpc.LinkResponse, error) {
	if req.GetInfo() == nil {
		return nil, status.Error(codes.InvalidArgument, "Link: missing program info")
	}
	root := req.GetInfo().GetRootDirectory()
	var lines []string
	for _, dep := range req.GetPackages() {
		pkg := dep.GetPackage()
		if pkg == nil || pkg.GetName() == "" {
			return nil, status.Error(codes.InvalidArgument, "Link: a package without a name")
		}
		name := pkg.GetName()
		if p := pkg.GetParameterization(); p != nil && p.GetName() != "" {
			name = p.GetName()
		}
		dir := dep.GetPath()
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		lock, err := LockFile(dir)
		if err != nil {
			return nil, status.Errorf(codes.FailedPrecondition, "Link: package %s: %v", name, err)
		}
		rel, err := filepath.Rel(root, lock)
		if err != nil {
			rel = lock
		}
		lines = append(lines, fmt.Sprintf(
			"The YAML program in %s can now use the resources of package %s (declared in %s), e.g. `type: %s:index:<Resource>`.",
			root, name, rel, name))
	}
	return &pulumirpc.LinkResponse{ImportInstructions: strings.Join(lines, "\n")}, nil
}

// LockFile returns the one package lock file (*.yaml) GeneratePackage wrote into dir.
func LockFile(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("reading the generated package folder: %w", err)
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() && filepath.Ext(e.Name()) == ".yaml" {
			found = append(found, filepath.Join(dir, e.Name()))
		}
	}
	sort.Strings(found)
	switch len(found) {
	case 0:
		return "", fmt.Errorf("no package lock file (*.yaml) in %s", dir)
	case 1:
		return found[0], nil
	default:
		return "", fmt.Errorf("more than one package lock file in %s: %s", dir, strings.Join(found, ", "))
	}
}
