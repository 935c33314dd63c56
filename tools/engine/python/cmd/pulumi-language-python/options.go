package main

import (
	"errors"
	"fmt"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"github.com/pulumi/pulumi/sdk/v3/python/toolchain"
)

// defaultVirtualenv is the virtual environment a project gets when Pulumi.yaml names none, as with
// the released host: programs always run in a virtual environment of their own, never in the
// interpreter the host found on the PATH.
const defaultVirtualenv = "venv"

// pythonOptions are the project's runtime options (Pulumi.yaml `runtime.options`) the host acts on.
type pythonOptions struct {
	// The virtual environment, relative to the project root unless absolute.
	virtualenv string
	// pip (the default), poetry or uv; poetry and uv must be on the PATH.
	toolchain string
}

// parseOptions reads runtime options, rejecting values of the wrong type so that a typo in
// Pulumi.yaml is reported instead of silently ignored. Options the host does not act on
// (typechecker, for one) are accepted and ignored.
func parseOptions(raw map[string]any) (pythonOptions, error) {
	opts := pythonOptions{virtualenv: defaultVirtualenv, toolchain: "pip"}
	if v, ok := raw["virtualenv"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("virtualenv option must be a string")
		}
		if s != "" {
			opts.virtualenv = s
		}
	}
	if v, ok := raw["toolchain"]; ok {
		s, ok := v.(string)
		if !ok {
			return opts, errors.New("toolchain option must be a string")
		}
		switch s {
		case "pip", "poetry", "uv":
			opts.toolchain = s
		case "":
		default:
			return opts, fmt.Errorf("toolchain option must be one of pip, poetry or uv, got %q", s)
		}
	}
	return opts, nil
}

// virtualenvPath resolves the virtualenv option against the project root, as the engine's other
// hosts do: a relative path names a directory below the root (where Pulumi.yaml is), not below the
// program directory.
func virtualenvPath(root, virtualenv string) string {
	if virtualenv == "" || filepath.IsAbs(virtualenv) {
		return virtualenv
	}
	return filepath.Join(root, virtualenv)
}

// pythonToolchain builds the SDK's toolchain (pip, poetry or uv) for a program.
func pythonToolchain(info *pulumirpc.ProgramInfo, opts pythonOptions) (toolchain.Toolchain, error) {
	tc := toolchain.PythonOptions{
		Root:       info.GetRootDirectory(),
		ProgramDir: info.GetProgramDirectory(),
		Virtualenv: virtualenvPath(info.GetRootDirectory(), opts.virtualenv),
		Toolchain:  toolchain.Pip,
	}
	switch opts.toolchain {
	case "poetry":
		tc.Toolchain = toolchain.Poetry
	case "uv":
		tc.Toolchain = toolchain.Uv
	}
	return toolchain.ResolveToolchain(tc)
}
