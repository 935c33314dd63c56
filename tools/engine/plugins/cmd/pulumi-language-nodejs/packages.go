package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON is the part of a package.json the host reads: the identity of the package, the
// "pulumi" block that marks an SDK backed by a resource plugin, and the dependency lists that
// GetProgramDependencies reports.
type packageJSON struct {
	Name            string                  `json:"name"`
	Version         string                  `json:"version"`
	Pulumi          plugin.PulumiPluginJSON `json:"pulumi"`
	Dependencies    map[string]string       `json:"dependencies"`
	DevDependencies map[string]string       `json:"devDependencies"`
}

func readPackageJSON(path string) (packageJSON, error) {
	var info packageJSON
	b, err := os.ReadFile(path)
	if err != nil {
		return info, err
	}
	if err := json.Unmarshal(b, &info); err != nil {
		return info, fmt.Errorf("parsing %s: %w", path, err)
	}
	return info, nil
}

// packageScan is the result of walking a program's directory for Pulumi SDK packages.
type packageScan struct {
	packages []*pulumirpc.PackageDependency
	// Every copy of @pulumi/pulumi found, by the path of its package.json. Two copies of different
	// major versions break a program in confusing ways (resources of one are not resources of the
	// other), so the host warns about them.
	pulumiVersions map[string]semver.Version
	seen           map[string]bool // resolved directories already walked, so symlink loops end
	dedup          map[string]bool // name@version already reported
	errs           []error         // problems that do not stop the scan
}

// scanPackages finds the resource plugins a Node.js program needs the way the engine expects of a
// Node.js host: every package.json inside a node_modules directory below dir whose "pulumi" block
// says "resource": true names a plugin, at the version the block gives or else the package's own.
// The walk starts at the program directory rather than at node_modules so that nested
// installations (workspaces, vendored packages) are found too; policy packs are skipped because
// their plugins are not the program's.
//
// Errors in individual package.json files do not stop the scan: one broken third-party package
// should not keep the engine from learning about the others. They are returned joined, next to
// whatever was found.
func scanPackages(dir string) ([]*pulumirpc.PackageDependency, map[string]semver.Version, error) {
	s := &packageScan{
		pulumiVersions: map[string]semver.Version{},
		seen:           map[string]bool{},
		dedup:          map[string]bool{},
	}
	s.walk(dir, false)
	return s.packages, s.pulumiVersions, errors.Join(s.errs...)
}

func (s *packageScan) walk(dir string, inNodeModules bool) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		s.errs = append(s.errs, err)
		return
	}
	if s.seen[abs] {
		return
	}
	s.seen[abs] = true

	entries, err := os.ReadDir(abs)
	if err != nil {
		s.errs = append(s.errs, fmt.Errorf("reading %s: %w", abs, err))
		return
	}
	childInNodeModules := inNodeModules || filepath.Base(abs) == "node_modules"
	for _, entry := range entries {
		path := filepath.Join(abs, entry.Name())
		isDir := entry.IsDir()
		if entry.Type()&fs.ModeSymlink != 0 {
			// npm links, pnpm stores and workspaces are symlinks; follow them, keyed by their
			// target so a link back up the tree is walked only once.
			target, err := filepath.EvalSymlinks(path)
			if err != nil {
				// A dangling link is not worth an error: npm leaves them behind routinely.
				continue
			}
			st, err := os.Stat(target)
			if err != nil {
				continue
			}
			path, isDir = target, st.IsDir()
		}

		switch {
		case isDir:
			if pack, err := workspace.DetectPolicyPackPathAt(path); err != nil {
				s.errs = append(s.errs, err)
				continue
			} else if pack != "" {
				continue
			}
			s.walk(path, childInNodeModules)
		case inNodeModules && entry.Name() == "package.json":
			s.readPackage(path)
		}
	}
}

func (s *packageScan) readPackage(path string) {
	info, err := readPackageJSON(path)
	if err != nil {
		s.errs = append(s.errs, err)
		return
	}
	if info.Name == "@pulumi/pulumi" {
		if v, err := semver.ParseTolerant(info.Version); err == nil {
			s.pulumiVersions[path] = v
		} else {
			s.errs = append(s.errs, fmt.Errorf("version %q of %s: %w", info.Version, path, err))
		}
	}
	if !info.Pulumi.Resource {
		return
	}
	name, version, err := pluginIdentity(info)
	if err != nil {
		s.errs = append(s.errs, fmt.Errorf("%s: %w", path, err))
		return
	}
	if key := name + "@" + version; !s.dedup[key] {
		s.dedup[key] = true
		dep := &pulumirpc.PackageDependency{
			Name:    name,
			Kind:    "resource",
			Version: version,
			Server:  info.Pulumi.Server,
		}
		if p := info.Pulumi.Parameterization; p != nil {
			dep.Parameterization = &pulumirpc.PackageParameterization{
				Name:    p.Name,
				Version: p.Version,
				Value:   p.Value,
			}
		}
		s.packages = append(s.packages, dep)
	}
}

// pluginIdentity derives a plugin's name and version from its SDK's package.json. An explicit
// "pulumi.name" wins; otherwise only @pulumi-scoped packages may imply a name (the scope dropped),
// since guessing a third party's plugin name from its npm name would load the wrong plugin.
// Versions get a "v" prefix, which is how plugin versions are written everywhere else.
func pluginIdentity(info packageJSON) (string, string, error) {
	name := info.Pulumi.Name
	if name == "" {
		switch {
		case info.Name == "":
			return "", "", errors.New(`missing "name"`)
		case strings.HasPrefix(info.Name, "@pulumi/"):
			name = strings.TrimPrefix(info.Name, "@pulumi/")
		default:
			return "", "", fmt.Errorf(`third-party package %q must name its plugin in "pulumi.name"`, info.Name)
		}
	}
	version := info.Pulumi.Version
	if version == "" {
		version = info.Version
	}
	if version == "" {
		return "", "", errors.New(`missing "version"`)
	}
	if !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	return name, version, nil
}

// incompatiblePulumiVersions describes two copies of @pulumi/pulumi that cannot work together in
// one program (different majors, or different minors before 1.0), or returns "" when all agree.
func incompatiblePulumiVersions(versions map[string]semver.Version) string {
	paths := make([]string, 0, len(versions))
	for p := range versions {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for i := 1; i < len(paths); i++ {
		a, b := versions[paths[0]], versions[paths[i]]
		compatible := a.Major == b.Major && (a.Major > 0 || a.Minor == b.Minor)
		if !compatible {
			return fmt.Sprintf("Found incompatible versions of @pulumi/pulumi.\n  Version %s referenced at %s\n"+
				"  Version %s referenced at %s\n", a, paths[0], b, paths[i])
		}
	}
	return ""
}

// programDependencies lists the npm packages of the program in dir with their installed versions:
// the package.json's dependencies and devDependencies, or with transitive set every package
// installed below dir's node_modules. Installed versions come from the packages' own package.json,
// resolved the way Node resolves them (up the directory tree), so the answer reflects what runs
// rather than the ranges package.json asks for.
func programDependencies(dir string, transitive bool) ([]*pulumirpc.DependencyInfo, error) {
	manifest, err := findUp(dir, "package.json")
	if err != nil {
		return nil, fmt.Errorf("no package.json for the program in %s: %w", dir, err)
	}
	root := filepath.Dir(manifest)

	var deps []*pulumirpc.DependencyInfo
	if !transitive {
		info, err := readPackageJSON(manifest)
		if err != nil {
			return nil, err
		}
		names := make([]string, 0, len(info.Dependencies)+len(info.DevDependencies))
		for n := range info.Dependencies {
			names = append(names, n)
		}
		for n := range info.DevDependencies {
			if _, dup := info.Dependencies[n]; !dup {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		for _, n := range names {
			pkgJSON, err := findUp(root, filepath.Join("node_modules", n, "package.json"))
			if err != nil {
				return nil, fmt.Errorf("dependency %s is not installed; run `pulumi install`", n)
			}
			installed, err := readPackageJSON(pkgJSON)
			if err != nil {
				return nil, err
			}
			deps = append(deps, &pulumirpc.DependencyInfo{Name: n, Version: installed.Version})
		}
		return deps, nil
	}

	seen := map[string]bool{}
	err = filepath.WalkDir(filepath.Join(root, "node_modules"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() != "package.json" {
			return nil
		}
		// Only a package's own manifest counts: node_modules/<name>/package.json or
		// node_modules/@scope/<name>/package.json, not fixtures deeper inside a package.
		rel := filepath.ToSlash(filepath.Dir(path))
		i := strings.LastIndex(rel, "/node_modules/")
		if i < 0 {
			return nil
		}
		name := rel[i+len("/node_modules/"):]
		if strings.Count(name, "/") > 1 || (strings.Contains(name, "/") && !strings.HasPrefix(name, "@")) {
			return nil
		}
		info, err := readPackageJSON(path)
		if err != nil || info.Name == "" {
			// A broken manifest deep in node_modules is not the program's problem: skip it.
			return nil
		}
		if key := info.Name + "@" + info.Version; !seen[key] {
			seen[key] = true
			deps = append(deps, &pulumirpc.DependencyInfo{Name: info.Name, Version: info.Version})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("listing installed packages: %w", err)
	}
	sort.Slice(deps, func(i, j int) bool {
		if deps[i].Name != deps[j].Name {
			return deps[i].Name < deps[j].Name
		}
		return deps[i].Version < deps[j].Version
	})
	return deps, nil
}

// findUp returns the first dir/rel, dir/../rel, ... that exists.
func findUp(dir, rel string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		candidate := filepath.Join(dir, rel)
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fs.ErrNotExist
		}
		dir = parent
	}
}
