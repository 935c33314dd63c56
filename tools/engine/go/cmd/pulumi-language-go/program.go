package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/mod/modfile"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// goOptions are the project's runtime.options (Pulumi.yaml) the host understands.
type goOptions struct {
	// An executable (on the PATH, or a path) to run instead of building the program.
	binary string
	// Where to build the program to (kept after the run), instead of a temporary file.
	buildTarget string
}

func optionsMap(info *pulumirpc.ProgramInfo) map[string]any {
	if info == nil || info.Options == nil {
		return nil
	}
	return info.Options.AsMap()
}

func parseOptions(raw map[string]any) (goOptions, error) {
	var opts goOptions
	for key, target := range map[string]*string{"binary": &opts.binary, "buildTarget": &opts.buildTarget} {
		if v, ok := raw[key]; ok {
			s, ok := v.(string)
			if !ok {
				return opts, fmt.Errorf("%s option must be a string", key)
			}
			*target = s
		}
	}
	if opts.binary != "" && opts.buildTarget != "" {
		return opts, errors.New("binary and buildTarget cannot both be specified")
	}
	return opts, nil
}

// runEnvironment is base with the variables the Go SDK reads to connect to the engine and
// configure the program (sdk/go/pulumi/run.go), replacing any the base already has. Empty values
// are left out, except the secret keys, which are always a JSON list.
func runEnvironment(
	base []string, req *pulumirpc.RunRequest, info *pulumirpc.ProgramInfo, engineAddress string,
) ([]string, error) {
	vars := [][2]string{
		{"PULUMI_ORGANIZATION", req.GetOrganization()},
		{"PULUMI_PROJECT", req.GetProject()},
		{"PULUMI_ROOT_DIRECTORY", info.GetRootDirectory()},
		{"PULUMI_STACK", req.GetStack()},
		{"PULUMI_DRY_RUN", strconv.FormatBool(req.GetDryRun())},
		{"PULUMI_PARALLEL", strconv.Itoa(int(req.GetParallel()))},
		{"PULUMI_MONITOR", req.GetMonitorAddress()},
		{"PULUMI_ENGINE", engineAddress},
	}
	if cfg := req.GetConfig(); cfg != nil {
		raw, err := json.Marshal(cfg)
		if err != nil {
			return nil, err
		}
		vars = append(vars, [2]string{"PULUMI_CONFIG", string(raw)})
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	raw, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}
	vars = append(vars, [2]string{"PULUMI_CONFIG_SECRET_KEYS", string(raw)})

	set := map[string]bool{}
	for _, kv := range vars {
		set[kv[0]] = true
	}
	// PULUMI_CONFIG is always ours, even when the request has none.
	set["PULUMI_CONFIG"] = true
	env := make([]string, 0, len(base)+len(vars))
	for _, kv := range base {
		if !set[strings.SplitN(kv, "=", 2)[0]] {
			env = append(env, kv)
		}
	}
	for _, kv := range vars {
		if kv[1] != "" {
			env = append(env, kv[0]+"="+kv[1])
		}
	}
	return env, nil
}

// compileProgram builds the Go program in dir (its main package, inside the module that holds it)
// to outfile, or to a new temporary file when outfile is empty, and returns the binary's path. The
// compiler's output goes to w.
func compileProgram(ctx context.Context, dir, outfile string, w io.Writer) (string, error) {
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(matches) == 0 {
		return "", fmt.Errorf("no Go files to build in %s", dir)
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("unable to find the 'go' executable: %w", err)
	}
	if outfile == "" {
		f, err := os.CreateTemp("", "pulumi-go.*")
		if err != nil {
			return "", fmt.Errorf("unable to create a temporary file for the program: %w", err)
		}
		outfile = f.Name()
		_ = f.Close()
	} else if !filepath.IsAbs(outfile) {
		outfile = filepath.Join(dir, outfile)
	}
	cmd := exec.CommandContext(ctx, gobin, "build", "-o", outfile, ".")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = w, w
	if err := cmd.Run(); err != nil {
		_ = os.Remove(outfile)
		return "", fmt.Errorf("error in compiling Go: unable to run `go build`: %w", err)
	}
	if st, err := os.Stat(outfile); err != nil || st.Mode()&0o111 == 0 {
		_ = os.Remove(outfile)
		return "", errors.New("go build made no executable: does the program have a 'main' package?")
	}
	return outfile, nil
}

// programDependencies lists the requirements of the go.mod in dir.
func programDependencies(dir string, transitive bool) ([]*pulumirpc.DependencyInfo, error) {
	path := filepath.Join(dir, "go.mod")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load go.mod: %w", err)
	}
	mod, err := modfile.Parse(path, data, nil)
	if err != nil {
		return nil, fmt.Errorf("parse go.mod: %w", err)
	}
	replaced := map[string]bool{}
	for _, r := range mod.Replace {
		replaced[r.Old.Path] = true
	}
	var deps []*pulumirpc.DependencyInfo
	for _, r := range mod.Require {
		if r.Indirect && !transitive {
			continue
		}
		v := r.Mod.Version
		if replaced[r.Mod.Path] {
			v = ""
		}
		deps = append(deps, &pulumirpc.DependencyInfo{Name: r.Mod.Path, Version: v})
	}
	return deps, nil
}

// installArgs is the go command that installs a program's dependencies: `mod tidy`, which also
// adds what the code imports; but a program without Go files yet (`pulumi package add` before
// main.go is written) only downloads the modules its go.mod names, because tidy would drop them
// all as unused.
func installArgs(dir string) []string {
	if matches, _ := filepath.Glob(filepath.Join(dir, "*.go")); len(matches) == 0 {
		return []string{"mod", "download"}
	}
	return []string{"mod", "tidy"}
}
