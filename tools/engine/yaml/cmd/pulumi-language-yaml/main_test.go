package main

import (
	"runtime/debug"
	"testing"
)

func TestHostVersion(t *testing.T) {
	build := &debug.BuildInfo{Deps: []*debug.Module{
		{Path: "github.com/pulumi/pulumi/sdk/v3", Version: "v3.206.0"},
		{Path: yamlModule, Version: "v1.25.0"},
	}}
	cases := []struct {
		name, linked string
		info         *debug.BuildInfo
		want         string
	}{
		{"linked in wins", "1.9.9", build, "1.9.9"},
		{"module version", "", build, "1.25.0"},
		{"no build info", "", nil, "3.276.0"},
		{"devel module", "", &debug.BuildInfo{Deps: []*debug.Module{{Path: yamlModule, Version: "(devel)"}}}, "3.276.0"},
	}
	for _, c := range cases {
		if got := hostVersion(c.linked, c.info, "3.276.0"); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
