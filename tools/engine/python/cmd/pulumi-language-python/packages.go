package main

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// scanScript runs in the program's virtual environment and prints, as JSON, every installed
// distribution that may stand for a resource plugin: the ones that ship a pulumi-plugin.json (or
// the older pulumiplugin.json) in a top-level package, and the ones named pulumi-* (older SDKs
// ship no such file; their plugin is named after the distribution). importlib.metadata reads the
// installed distributions' RECORD files, so one interpreter start answers for all of them.
const scanScript = `
import json, sys
from importlib import metadata
found = []
for dist in metadata.distributions():
    name = dist.metadata["Name"] or ""
    entry = {"package": name, "version": dist.version, "plugins": []}
    for f in dist.files or []:
        if len(f.parts) == 2 and f.name in ("pulumi-plugin.json", "pulumiplugin.json"):
            try:
                entry["plugins"].append(json.loads(f.read_text()))
            except Exception as e:
                print("reading %s of %s: %s" % (f, name, e), file=sys.stderr)
    if entry["plugins"] or name.lower().replace("_", "-").startswith("pulumi-"):
        found.append(entry)
json.dump(found, sys.stdout)
`

// scannedPackage is one distribution the scan script reports.
type scannedPackage struct {
	Package string         `json:"package"`
	Version string         `json:"version"`
	Plugins []pluginJSONv2 `json:"plugins"`
}

// pluginJSONv2 is pulumi-plugin.json as the Python code generator writes it.
type pluginJSONv2 struct {
	Resource                  bool               `json:"resource"`
	Name                      string             `json:"name,omitempty"`
	Version                   string             `json:"version,omitempty"`
	Server                    string             `json:"server,omitempty"`
	Parameterization          *parameterizationJ `json:"parameterization,omitempty"`
	ExtensionParameterization *parameterizationJ `json:"extensionParameterization,omitempty"`
}

type parameterizationJ struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Value   []byte `json:"value"`
}

// Distributions known to have no plugin even though they are named pulumi-*.
var packagesWithoutPlugins = map[string]bool{
	"pulumi-policy": true,
}

// scanPackages lists the plugins the program's virtual environment needs.
func scanPackages(ctx context.Context, tc toolchain.Toolchain) ([]*pulumirpc.PackageDependency, error) {
	cmd, err := tc.Command(ctx, "-c", scanScript)
	if err != nil {
		return nil, err
	}
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("listing the packages of the virtual environment: %w%s", err, stderrOf(err))
	}
	var scanned []scannedPackage
	if err := json.Unmarshal(out, &scanned); err != nil {
		return nil, fmt.Errorf("parsing the package list: %w", err)
	}
	return packageDependencies(scanned), nil
}

// packageDependencies turns the scan into the engine's package dependencies, in a stable order.
func packageDependencies(scanned []scannedPackage) []*pulumirpc.PackageDependency {
	var deps []*pulumirpc.PackageDependency
	seen := map[string]bool{}
	add := func(d *pulumirpc.PackageDependency) {
		key := d.Name + "@" + d.Version
		if d.Parameterization != nil {
			key += "/" + d.Parameterization.Name + "@" + d.Parameterization.Version
		}
		if !seen[key] {
			seen[key] = true
			deps = append(deps, d)
		}
	}
	for _, p := range scanned {
		name := normalizeName(p.Package)
		if packagesWithoutPlugins[name] || name == "pulumi" {
			continue
		}
		if len(p.Plugins) == 0 {
			// An SDK from before pulumi-plugin.json: the plugin is named after the distribution, at
			// its version when that is a plain release.
			if !strings.HasPrefix(name, "pulumi-") {
				continue
			}
			version, ok := pluginVersion(p.Version)
			if !ok {
				logging.V(5).Infof("cannot tell the plugin version of %s %s", p.Package, p.Version)
				continue
			}
			add(&pulumirpc.PackageDependency{Name: strings.TrimPrefix(name, "pulumi-"), Kind: "resource", Version: version})
			continue
		}
		for _, pj := range p.Plugins {
			if !pj.Resource {
				continue
			}
			d := &pulumirpc.PackageDependency{Name: pj.Name, Kind: "resource", Version: pj.Version, Server: pj.Server}
			if d.Name == "" {
				d.Name = strings.TrimPrefix(name, "pulumi-")
			}
			if d.Version == "" {
				if v, ok := pluginVersion(p.Version); ok {
					d.Version = v
				}
			}
			d.Version = withV(d.Version)
			if pa := pj.Parameterization; pa != nil {
				d.Parameterization = &pulumirpc.PackageParameterization{
					Name: pa.Name, Version: strings.TrimPrefix(pa.Version, "v"), Value: pa.Value,
				}
			}
			if pa := pj.ExtensionParameterization; pa != nil {
				d.Extension = &pulumirpc.PackageParameterization{
					Name: pa.Name, Version: strings.TrimPrefix(pa.Version, "v"), Value: pa.Value,
				}
			}
			add(d)
		}
	}
	sort.SliceStable(deps, func(i, j int) bool { return deps[i].Name < deps[j].Name })
	return deps
}

var releaseVersion = regexp.MustCompile(`^v?\d+\.\d+\.\d+$`)

// pluginVersion maps a distribution version to the plugin version it stands for. Only plain
// releases map: a pre-release such as 3.31.0a1605189729 belongs to a plugin version with a build
// suffix (3.31.0-alpha.1605189729+42435656) that cannot be recovered.
func pluginVersion(v string) (string, bool) {
	if !releaseVersion.MatchString(v) {
		return "", false
	}
	return withV(v), true
}

func withV(v string) string {
	if v == "" || strings.HasPrefix(v, "v") {
		return v
	}
	return "v" + v
}

// normalizeName is PEP 503's normalization with dashes: Foo_Bar and foo-bar are one package.
func normalizeName(name string) string {
	return strings.ToLower(regexp.MustCompile(`[-_.]+`).ReplaceAllString(name, "-"))
}
