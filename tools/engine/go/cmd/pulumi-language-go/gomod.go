package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/modfile"
	"golang.org/x/mod/semver"
)

// pulumiSDK is the module of the Pulumi Go SDK.
const pulumiSDK = "github.com/pulumi/pulumi/sdk/v3"

// localModule is a Go module in a local directory (a generated SDK), Dir relative to the program.
type localModule struct {
	Path string
	Dir  string
}

// modulePathOf reads the module path from the go.mod in dir.
func modulePathOf(dir string) (string, error) {
	path := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("the SDK in %s has no go.mod (was it generated for a local package?): %w", dir, err)
	}
	module := modfile.ModulePath(data)
	if module == "" {
		return "", fmt.Errorf("%s names no module", path)
	}
	return module, nil
}

// linkGoMod returns the go.mod (data, read from path) with each module required at v0.0.0 and
// replaced by its local directory; earlier requirements and replacements of those modules are
// replaced, everything else is kept as it is.
func linkGoMod(path string, data []byte, modules []localModule) ([]byte, error) {
	f, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	for _, m := range modules {
		dir := filepath.ToSlash(m.Dir)
		// A replacement that is a directory must start with ./ or ../ (or be absolute).
		if !filepath.IsAbs(m.Dir) && !strings.HasPrefix(dir, "./") && !strings.HasPrefix(dir, "../") {
			dir = "./" + dir
		}
		if err := f.AddRequire(m.Path, "v0.0.0"); err != nil {
			return nil, err
		}
		if err := f.DropReplace(m.Path, ""); err != nil {
			return nil, err
		}
		if err := f.AddReplace(m.Path, "", dir, ""); err != nil {
			return nil, err
		}
	}
	f.Cleanup()
	return f.Format()
}

// raiseSDKRequirement returns a generated SDK's go.mod with its requirement of the Pulumi Go SDK
// raised to at least minimum (this host's version). pkg/codegen/go pins an older SDK (v3.269.0 at
// 3.276.0), whose dependency graph names a github.com/pulumi/pulumi-cloud-sdk/go version the module
// proxy does not serve (403); a program that does not require a newer SDK itself would pick it.
func raiseSDKRequirement(data []byte, minimum string) ([]byte, error) {
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return nil, fmt.Errorf("parse the generated go.mod: %w", err)
	}
	if !semver.IsValid(minimum) {
		return data, nil
	}
	for _, r := range f.Require {
		if r.Mod.Path == pulumiSDK && semver.Compare(r.Mod.Version, minimum) < 0 {
			if err := f.AddRequire(pulumiSDK, minimum); err != nil {
				return nil, err
			}
			return f.Format()
		}
	}
	return data, nil
}
