package link

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// stub stands for the upstream host: it answers GetPluginInfo, and nothing else.
type stub struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
}

func (stub) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: "1.2.3"}, nil
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func request(root string, deps ...*pulumirpc.LinkRequest_LinkDependency) *pulumirpc.LinkRequest {
	return &pulumirpc.LinkRequest{
		Info:     &pulumirpc.ProgramInfo{RootDirectory: root, ProgramDirectory: root, EntryPoint: "."},
		Packages: deps,
	}
}

func dep(path, name string) *pulumirpc.LinkRequest_LinkDependency {
	return &pulumirpc.LinkRequest_LinkDependency{Path: path, Package: &pulumirpc.PackageDependency{Name: name, Kind: "resource"}}
}

func TestLinkFindsTheLockFile(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "sdks", "testpkg", "testpkg-0.1.0.yaml"),
		"packageDeclarationVersion: 1\nname: testpkg\nversion: 0.1.0\n")
	res, err := Wrap(stub{}).Link(context.Background(), request(root, dep(filepath.Join("sdks", "testpkg"), "testpkg")))
	if err != nil {
		t.Fatalf("Link: %v", err)
	}
	got := res.GetImportInstructions()
	for _, want := range []string{"package testpkg", filepath.Join("sdks", "testpkg", "testpkg-0.1.0.yaml"), "type: testpkg:index:"} {
		if !strings.Contains(got, want) {
			t.Errorf("instructions %q lack %q", got, want)
		}
	}
}

func TestLinkTakesAnAbsolutePath(t *testing.T) {
	root, elsewhere := t.TempDir(), t.TempDir()
	write(t, filepath.Join(elsewhere, "testpkg.yaml"), "packageDeclarationVersion: 1\nname: testpkg\n")
	if _, err := Wrap(stub{}).Link(context.Background(), request(root, dep(elsewhere, "testpkg"))); err != nil {
		t.Fatalf("Link: %v", err)
	}
}

func TestLinkNamesAParameterizedPackageByItsParameterization(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "sdks", "sub", "sub-2.0.0.yaml"), "packageDeclarationVersion: 1\nname: base\n")
	d := dep(filepath.Join("sdks", "sub"), "base")
	d.Package.Parameterization = &pulumirpc.PackageParameterization{Name: "sub", Version: "2.0.0"}
	res, err := Wrap(stub{}).Link(context.Background(), request(root, d))
	if err != nil {
		t.Fatalf("Link: %v", err)
	}
	if !strings.Contains(res.GetImportInstructions(), "package sub ") {
		t.Errorf("instructions %q do not name package sub", res.GetImportInstructions())
	}
}

func TestLinkRefuses(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "sdks", "two", "a.yaml"), "x: 1\n")
	write(t, filepath.Join(root, "sdks", "two", "b.yaml"), "x: 1\n")
	if err := os.MkdirAll(filepath.Join(root, "sdks", "empty"), 0o755); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		req  *pulumirpc.LinkRequest
		code codes.Code
		text string
	}{
		"no info":      {&pulumirpc.LinkRequest{}, codes.InvalidArgument, "missing program info"},
		"no name":      {request(root, dep("sdks/empty", "")), codes.InvalidArgument, "without a name"},
		"missing dir":  {request(root, dep("sdks/none", "none")), codes.FailedPrecondition, "reading the generated package folder"},
		"no lock file": {request(root, dep("sdks/empty", "empty")), codes.FailedPrecondition, "no package lock file"},
		"two files":    {request(root, dep("sdks/two", "two")), codes.FailedPrecondition, "more than one package lock file"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Wrap(stub{}).Link(context.Background(), c.req)
			if status.Code(err) != c.code || err == nil || !strings.Contains(err.Error(), c.text) {
				t.Fatalf("got %v, want %v containing %q", err, c.code, c.text)
			}
		})
	}
}

func TestLinkWithNoPackagesSaysNothing(t *testing.T) {
	res, err := Wrap(stub{}).Link(context.Background(), request(t.TempDir()))
	if err != nil || res.GetImportInstructions() != "" {
		t.Fatalf("got %v, %v", res, err)
	}
}

func TestOtherCallsGoToTheWrappedHost(t *testing.T) {
	info, err := Wrap(stub{}).GetPluginInfo(context.Background(), &emptypb.Empty{})
	if err != nil || info.GetVersion() != "1.2.3" {
		t.Fatalf("GetPluginInfo: %v, %v", info, err)
	}
}
