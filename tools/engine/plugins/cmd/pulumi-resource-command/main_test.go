package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	localURN  = "urn:pulumi:dev::proj::command:local:Command::cmd"
	remoteURN = "urn:pulumi:dev::proj::command:remote:Command::cmd"
)

func props(t *testing.T, m resource.PropertyMap) *structpb.Struct {
	t.Helper()
	s, err := plugin.MarshalProperties(m, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fromStruct(t *testing.T, s *structpb.Struct) resource.PropertyMap {
	t.Helper()
	m, err := plugin.UnmarshalProperties(s, plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func str(s string) resource.PropertyValue { return resource.NewStringProperty(s) }

func stringOf(t *testing.T, m resource.PropertyMap, key resource.PropertyKey) string {
	t.Helper()
	v := unsecret(m[key])
	if !v.IsString() {
		t.Fatalf("%s is not a string: %v", key, m[key])
	}
	return v.StringValue()
}

func create(t *testing.T, p *commandProvider, urn string, inputs resource.PropertyMap, preview bool) (string, resource.PropertyMap) {
	t.Helper()
	resp, err := p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: urn, Properties: props(t, inputs), Preview: preview})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	return resp.Id, fromStruct(t, resp.Properties)
}

func update(t *testing.T, p *commandProvider, urn string, olds, news resource.PropertyMap, preview bool) resource.PropertyMap {
	t.Helper()
	resp, err := p.Update(context.Background(), &pulumirpc.UpdateRequest{
		Urn: urn, Id: "cmd-1", Olds: props(t, olds), OldInputs: props(t, inputsOf(olds)), News: props(t, news), Preview: preview,
	})
	if err != nil {
		t.Fatalf("update: %v", err)
	}
	return fromStruct(t, resp.Properties)
}

func TestCreateRunsCreateAndTrimsOutput(t *testing.T) {
	p := newProvider()
	id, state := create(t, p, localURN, resource.PropertyMap{
		"create": str("echo hello; echo line two; echo warning >&2"),
	}, false)
	if !strings.HasPrefix(id, "cmd") || len(id) != len("cmd")+8 {
		t.Errorf("id %q: want the resource name and 8 hex digits", id)
	}
	if got := stringOf(t, state, "stdout"); got != "hello\nline two" {
		t.Errorf("stdout = %q", got)
	}
	if got := stringOf(t, state, "stderr"); got != "warning" {
		t.Errorf("stderr = %q", got)
	}
	if got := stringOf(t, state, "create"); !strings.HasPrefix(got, "echo hello") {
		t.Errorf("inputs must be kept in the state, create = %q", got)
	}
}

func TestPreviewRunsNothingAndReturnsUnknowns(t *testing.T) {
	p := newProvider()
	marker := filepath.Join(t.TempDir(), "ran")
	inputs := resource.PropertyMap{"create": str("touch " + marker), "update": str("touch " + marker)}
	_, state := create(t, p, localURN, inputs, true)
	for _, k := range []resource.PropertyKey{"stdout", "stderr"} {
		if !state[k].IsComputed() {
			t.Errorf("preview %s = %v, want unknown", k, state[k])
		}
	}
	old := resource.PropertyMap{"create": str("true"), "stdout": str("old"), "stderr": str("")}
	state = update(t, p, localURN, old, inputs, true)
	if !state["stdout"].IsComputed() {
		t.Errorf("update preview stdout = %v, want unknown", state["stdout"])
	}
	// Unknown inputs pass through a preview.
	unknown := resource.PropertyMap{"create": resource.MakeComputed(str(""))}
	_, state = create(t, p, localURN, unknown, true)
	if !state["create"].IsComputed() {
		t.Errorf("an unknown input must stay unknown, got %v", state["create"])
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a preview ran the command")
	}
}

func TestUpdateRunsUpdateOrCreateWithPreviousOutput(t *testing.T) {
	p := newProvider()
	_, state := create(t, p, localURN, resource.PropertyMap{"create": str("echo first")}, false)

	news := resource.PropertyMap{
		"create": str("echo first"),
		"update": str(`echo "update after $PULUMI_COMMAND_STDOUT"`),
	}
	state = update(t, p, localURN, state, news, false)
	if got := stringOf(t, state, "stdout"); got != "update after first" {
		t.Errorf("update stdout = %q", got)
	}

	// Without `update`, an update runs `create` again.
	news = resource.PropertyMap{"create": str(`echo "again, previously: $PULUMI_COMMAND_STDOUT"`)}
	state = update(t, p, localURN, state, news, false)
	if got := stringOf(t, state, "stdout"); got != "again, previously: update after first" {
		t.Errorf("create-as-update stdout = %q", got)
	}

	// addPreviousOutputInEnv false hides the previous output.
	news = resource.PropertyMap{
		"create":                 str(`echo "[$PULUMI_COMMAND_STDOUT]"`),
		"addPreviousOutputInEnv": resource.NewBoolProperty(false),
	}
	state = update(t, p, localURN, state, news, false)
	if got := stringOf(t, state, "stdout"); got != "[]" {
		t.Errorf("stdout with addPreviousOutputInEnv=false = %q", got)
	}
}

func TestDeleteRunsDelete(t *testing.T) {
	p := newProvider()
	dir := t.TempDir()
	marker := filepath.Join(dir, "deleted")
	_, state := create(t, p, localURN, resource.PropertyMap{
		"create": str("echo created"),
		"delete": str(`echo "$PULUMI_COMMAND_STDOUT" > deleted`),
		"dir":    str(dir),
	}, false)
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: localURN, Id: "x", Properties: props(t, state)}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(marker)
	if err != nil {
		t.Fatalf("delete did not run in dir: %v", err)
	}
	if string(b) != "created\n" {
		t.Errorf("delete saw previous stdout %q", b)
	}

	// No delete command: nothing to do, no error.
	_, state = create(t, p, localURN, resource.PropertyMap{"create": str("true")}, false)
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: localURN, Id: "x", Properties: props(t, state)}); err != nil {
		t.Fatal(err)
	}
}

func TestFailingCommandReportsExitCodeAndStderr(t *testing.T) {
	p := newProvider()
	_, err := p.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: localURN, Properties: props(t, resource.PropertyMap{"create": str("echo partial; echo 'it broke' >&2; exit 3")}),
	})
	if err == nil {
		t.Fatal("a failing create must fail")
	}
	for _, want := range []string{"exit status 3", "it broke", "partial"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}

	// A failing delete fails too (the resource then stays in the stack).
	_, state := create(t, p, localURN, resource.PropertyMap{"create": str("true"), "delete": str("exit 7")}, false)
	_, err = p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: localURN, Id: "x", Properties: props(t, state)})
	if err == nil || !strings.Contains(err.Error(), "exit status 7") {
		t.Errorf("delete error = %v", err)
	}

	// A secret command is not quoted in the error.
	_, err = p.Create(context.Background(), &pulumirpc.CreateRequest{
		Urn: localURN, Properties: props(t, resource.PropertyMap{"create": resource.MakeSecret(str("echo hunter2 >/dev/null; exit 1"))}),
	})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %v must not reveal the secret command", err)
	}
}

func TestStdinEnvironmentDirInterpreter(t *testing.T) {
	p := newProvider()
	dir := t.TempDir()
	_, state := create(t, p, localURN, resource.PropertyMap{
		"create":      str(`read line; echo "$line $GREETING $(pwd)"`),
		"stdin":       str("from-stdin\n"),
		"environment": resource.NewObjectProperty(resource.PropertyMap{"GREETING": str("hi")}),
		"dir":         str(dir),
		"interpreter": resource.NewArrayProperty([]resource.PropertyValue{str("/bin/sh"), str("-e"), str("-c")}),
	}, false)
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := stringOf(t, state, "stdout"), "from-stdin hi "+real; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
}

func TestSecretsKeptAndPropagated(t *testing.T) {
	p := newProvider()
	_, state := create(t, p, localURN, resource.PropertyMap{
		"create": str("cat"),
		"stdin":  resource.MakeSecret(str("token-123")),
	}, false)
	if !state["stdin"].IsSecret() {
		t.Errorf("a secret input must stay secret in the state: %v", state["stdin"])
	}
	if !state["stdout"].IsSecret() || stringOf(t, state, "stdout") != "token-123" {
		t.Errorf("stdout of a command fed a secret must be secret: %v", state["stdout"])
	}
	if state["create"].IsSecret() {
		t.Errorf("a plain input must stay plain: %v", state["create"])
	}

	_, state = create(t, p, localURN, resource.PropertyMap{"create": str("echo plain")}, false)
	if state["stdout"].IsSecret() {
		t.Errorf("stdout of a command without secrets must be plain")
	}

	// A remote command's connection holds credentials: always secret in the state.
	remoteState := buildState(resource.PropertyMap{
		"connection": resource.NewObjectProperty(resource.PropertyMap{"host": str("h"), "password": str("pw")}),
		"create":     str("true"),
	}, true, resource.PropertyMap{"stdout": str(""), "stderr": str("")})
	if !remoteState["connection"].IsSecret() {
		t.Errorf("connection not secret: %v", remoteState["connection"])
	}
}

func diff(t *testing.T, p *commandProvider, olds, news resource.PropertyMap) *pulumirpc.DiffResponse {
	t.Helper()
	resp, err := p.Diff(context.Background(), &pulumirpc.DiffRequest{
		Urn: localURN, Id: "x", Olds: props(t, olds), OldInputs: props(t, inputsOf(olds)), News: props(t, news),
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestDiffUpdatesExceptTriggers(t *testing.T) {
	p := newProvider()
	triggers := func(vs ...string) resource.PropertyValue {
		arr := make([]resource.PropertyValue, len(vs))
		for i, v := range vs {
			arr[i] = str(v)
		}
		return resource.NewArrayProperty(arr)
	}
	olds := resource.PropertyMap{
		"create": str("echo a"), "environment": resource.NewObjectProperty(resource.PropertyMap{"A": str("1")}),
		"triggers": triggers("x"), "stdout": str("a"), "stderr": str(""),
	}

	same := inputsOf(olds)
	if resp := diff(t, p, olds, same); resp.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("no change reported as %v", resp)
	}

	for _, key := range []resource.PropertyKey{"create", "update", "delete", "dir", "stdin", "interpreter", "environment"} {
		news := inputsOf(olds)
		news[key] = str("changed")
		if key == "interpreter" {
			news[key] = triggers("/bin/bash", "-c")
		}
		resp := diff(t, p, olds, news)
		if resp.Changes != pulumirpc.DiffResponse_DIFF_SOME || len(resp.Replaces) != 0 {
			t.Errorf("%s: want an in-place update, got %v", key, resp)
		}
		if d := resp.DetailedDiff[string(key)]; d == nil ||
			(d.Kind != pulumirpc.PropertyDiff_UPDATE && d.Kind != pulumirpc.PropertyDiff_ADD) {
			t.Errorf("%s: detailed diff %v", key, resp.DetailedDiff)
		}
	}

	news := inputsOf(olds)
	news["triggers"] = triggers("y")
	resp := diff(t, p, olds, news)
	if len(resp.Replaces) != 1 || resp.Replaces[0] != "triggers" ||
		resp.DetailedDiff["triggers"].Kind != pulumirpc.PropertyDiff_UPDATE_REPLACE {
		t.Errorf("triggers: want a replacement, got %v", resp)
	}

	// Secret-ness alone is not a change; an unknown value may be.
	news = inputsOf(olds)
	news["create"] = resource.MakeSecret(str("echo a"))
	if resp := diff(t, p, olds, news); resp.Changes != pulumirpc.DiffResponse_DIFF_NONE {
		t.Errorf("making a value secret reported as %v", resp)
	}
	news = inputsOf(olds)
	news["create"] = resource.MakeComputed(str(""))
	if resp := diff(t, p, olds, news); resp.Changes != pulumirpc.DiffResponse_DIFF_SOME {
		t.Errorf("an unknown value reported as %v", resp)
	}
}

func TestCheckFailures(t *testing.T) {
	p := newProvider()
	check := func(urn string, news resource.PropertyMap) []*pulumirpc.CheckFailure {
		resp, err := p.Check(context.Background(), &pulumirpc.CheckRequest{Urn: urn, News: props(t, news)})
		if err != nil {
			t.Fatal(err)
		}
		return resp.Failures
	}
	if f := check(localURN, resource.PropertyMap{"create": str("true")}); len(f) != 0 {
		t.Errorf("valid inputs failed: %v", f)
	}
	if f := check(localURN, resource.PropertyMap{"create": resource.NewNumberProperty(1)}); len(f) != 1 || f[0].Property != "create" {
		t.Errorf("a number command must fail on create: %v", f)
	}
	if f := check(remoteURN, resource.PropertyMap{"create": str("true")}); len(f) != 1 || f[0].Property != "connection" {
		t.Errorf("a remote command without connection must fail: %v", f)
	}
	if f := check(remoteURN, resource.PropertyMap{
		"connection": resource.NewObjectProperty(resource.PropertyMap{"port": resource.NewNumberProperty(22)}),
	}); len(f) != 1 || f[0].Property != "connection.host" {
		t.Errorf("a connection without host must fail: %v", f)
	}
	if f := check(remoteURN, resource.PropertyMap{"connection": resource.MakeComputed(str(""))}); len(f) != 0 {
		t.Errorf("an unknown connection is fine in a preview: %v", f)
	}
	if _, err := p.Check(context.Background(), &pulumirpc.CheckRequest{Urn: "urn:pulumi:dev::proj::command:remote:CopyFile::f"}); err == nil {
		t.Error("an unsupported resource type must be refused")
	}
}

func TestAssetAndArchivePaths(t *testing.T) {
	p := newProvider()
	dir := t.TempDir()
	_, state := create(t, p, localURN, resource.PropertyMap{
		"create":       str("mkdir -p assets/logos src && touch assets/logos/logo.svg src/index.js src/secret.js top.txt"),
		"dir":          str(dir),
		"assetPaths":   resource.NewArrayProperty([]resource.PropertyValue{str("assets/**"), str("src/**.js"), str("!**secret.*")}),
		"archivePaths": resource.NewArrayProperty([]resource.PropertyValue{str("*.txt")}),
	}, false)
	assets := state["assets"].ObjectValue()
	if len(assets) != 2 || !assets["assets/logos/logo.svg"].IsAsset() || !assets["src/index.js"].IsAsset() {
		t.Errorf("assets = %v", assets)
	}
	if !state["archive"].IsArchive() || len(state["archive"].ArchiveValue().Assets) != 1 {
		t.Errorf("archive = %v", state["archive"])
	}
}

func TestCompileGlob(t *testing.T) {
	cases := []struct {
		glob, path string
		match      bool
	}{
		{"*.js", "a.js", true}, {"*.js", "src/a.js", false}, {"**.js", "src/a/b.js", true},
		{"src/**", "src/a/b", true}, {"?.txt", "a.txt", true}, {"?.txt", "ab.txt", false},
		{"[ab].txt", "b.txt", true}, {"[!ab].txt", "b.txt", false}, {"{a,b}.go", "b.go", true},
		{"a.b", "axb", false},
	}
	for _, c := range cases {
		re, err := compileGlob(c.glob)
		if err != nil {
			t.Fatalf("%s: %v", c.glob, err)
		}
		if got := re.MatchString(c.path); got != c.match {
			t.Errorf("%s ~ %s = %v, want %v", c.glob, c.path, got, c.match)
		}
	}
}

func TestRunInvoke(t *testing.T) {
	p := newProvider()
	resp, err := p.Invoke(context.Background(), &pulumirpc.InvokeRequest{
		Tok: localRunFunction, Args: props(t, resource.PropertyMap{"command": str("echo ran")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := stringOf(t, fromStruct(t, resp.Return), "stdout"); got != "ran" {
		t.Errorf("run stdout = %q", got)
	}
	resp, err = p.Invoke(context.Background(), &pulumirpc.InvokeRequest{Tok: localRunFunction, Args: props(t, resource.PropertyMap{})})
	if err != nil || len(resp.Failures) == 0 {
		t.Errorf("run without command: %v, %v", resp, err)
	}
}

// Logged lines are whole lines, selected by the logging input.
func TestStreamsLogLines(t *testing.T) {
	var lines []string
	s := newStreams(logStderr, func(l string) { lines = append(lines, l) })
	_, _ = s.stdoutWriter().Write([]byte("out\n"))
	_, _ = s.stderrWriter().Write([]byte("err one\nerr "))
	_, _ = s.stderrWriter().Write([]byte("two"))
	out, errOut := s.finish()
	if out != "out" || errOut != "err one\nerr two" {
		t.Errorf("outputs %q, %q", out, errOut)
	}
	if strings.Join(lines, "|") != "err one|err two" {
		t.Errorf("logged %q", lines)
	}
}

// fakeEngine records what the provider logs.
type fakeEngine struct {
	pulumirpc.UnimplementedEngineServer
	mu   sync.Mutex
	logs []*pulumirpc.LogRequest
}

func (e *fakeEngine) Log(_ context.Context, req *pulumirpc.LogRequest) (*emptypb.Empty, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.logs = append(e.logs, req)
	return &emptypb.Empty{}, nil
}

func (e *fakeEngine) messages() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []string
	for _, l := range e.logs {
		out = append(out, l.Message)
	}
	return out
}

func startEngine(t *testing.T) (*fakeEngine, string) {
	t.Helper()
	engine := &fakeEngine{}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{Init: func(srv *grpc.Server) error {
		pulumirpc.RegisterEngineServer(srv, engine)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return engine, fmt.Sprintf("127.0.0.1:%d", handle.Port)
}

// Output lines reach the engine as status messages of the resource, except when the output may
// hold a secret.
func TestOutputStreamedToEngineUnlessSecret(t *testing.T) {
	engine, addr := startEngine(t)
	p := newProvider()
	if _, err := p.Handshake(context.Background(), &pulumirpc.ProviderHandshakeRequest{EngineAddress: addr}); err != nil {
		t.Fatal(err)
	}
	create(t, p, localURN, resource.PropertyMap{"create": str("echo visible-line; echo visible-err >&2")}, false)
	msgs := strings.Join(engine.messages(), "|")
	if !strings.Contains(msgs, "visible-line") || !strings.Contains(msgs, "visible-err") {
		t.Errorf("output not streamed: %q", msgs)
	}
	for _, l := range engine.logs {
		if !l.Ephemeral || l.Urn != localURN || l.Severity != pulumirpc.LogSeverity_INFO {
			t.Errorf("want ephemeral info messages of the resource, got %v", l)
		}
	}

	// logging: none streams nothing.
	create(t, p, localURN, resource.PropertyMap{"create": str("echo hidden-by-option"), "logging": str(logNone)}, false)
	// A command fed a secret streams nothing.
	_, state := create(t, p, localURN, resource.PropertyMap{"create": str("cat"), "stdin": resource.MakeSecret(str("hidden-token"))}, false)
	// Nor does the next run of a command whose output the program made secret.
	state["stdout"] = resource.MakeSecret(str("was-secret"))
	update(t, p, localURN, state, resource.PropertyMap{"create": str("echo hidden-rerun")}, false)
	for _, m := range engine.messages() {
		if strings.Contains(m, "hidden") {
			t.Errorf("streamed %q", m)
		}
	}
}
