package langkit

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func TestRunResponse(t *testing.T) {
	run := func(code string) *pulumirpc.RunResponse {
		return RunResponse(exec.Command("sh", "-c", "exit "+code).Run())
	}
	if r := run("0"); r.Error != "" || r.Bail {
		t.Fatalf("success: %v", r)
	}
	if r := run("32"); !r.Bail || r.Error != "" {
		t.Fatalf("exit 32 (the program reported its error) must bail: %v", r)
	}
	if r := run("3"); r.Error != "Program exited with non-zero exit code: 3" {
		t.Fatalf("failure: %v", r)
	}
	if r := RunResponse(exec.Command("/nonexistent/program").Run()); !strings.Contains(r.Error, "could not start it") {
		t.Fatalf("not started: %v", r)
	}
}

func TestProgramInfo(t *testing.T) {
	info := ProgramInfo(nil, "/root/prog", "", "/root")
	if info.RootDirectory != "/root" || info.ProgramDirectory != "/root/prog" || info.EntryPoint != "." {
		t.Fatalf("from old fields: %+v", info)
	}
	if info := ProgramInfo(nil, "/p", "main", ""); info.RootDirectory != "/p" || info.EntryPoint != "main" {
		t.Fatalf("no root: %+v", info)
	}
	given := &pulumirpc.ProgramInfo{ProgramDirectory: "/p", EntryPoint: "main.py"}
	if got := ProgramInfo(given, "/ignored", "", "/ignored"); got.RootDirectory != "/p" || got.EntryPoint != "main.py" {
		t.Fatalf("given: %+v", got)
	}
}

// Exec runs the program in its directory with exactly the environment given, and a cancelled
// request interrupts it.
func TestExec(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r := Exec(context.Background(), context.Background(), "/bin/sh", []string{"-c", `pwd > out; echo "$ONLY" >> out`}, []string{"ONLY=given"}, dir)
	if r.Error != "" || r.Bail {
		t.Fatalf("run: %v", r)
	}
	data, err := os.ReadFile(out)
	if err != nil || string(data) != dir+"\ngiven\n" {
		t.Fatalf("the program saw %q (%v)", data, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r := Exec(ctx, context.Background(), "/bin/sh", []string{"-c", "exec sleep 30"}, nil, dir); r.Error == "" {
		t.Fatal("a cancelled request should end the program with an error")
	}
}
