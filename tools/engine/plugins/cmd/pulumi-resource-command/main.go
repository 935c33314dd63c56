// Command pulumi-resource-command is a resource provider plugin for the @pulumi/command SDK,
// written for dockyard because the released plugin cannot be fetched here. It serves the
// resources command:local:Command and command:remote:Command and the function command:local:run
// with pulumi-command's behaviour:
//
//   - a Command runs `create` when it is created, `update` (or `create` again when there is no
//     `update`) when any input changes, and `delete` when it is deleted;
//   - a change to `triggers` replaces it instead (create the new one, then delete the old one);
//   - stdout and stderr become outputs, less one trailing newline, and a failing command fails the
//     operation with its exit status and output;
//   - previews run nothing and leave stdout and stderr unknown.
//
// The CLI starts it as `pulumi-resource-command [--logtostderr] [-v=N] [--tracing URL]
// <engine-address>` and reads the port of its gRPC ResourceProvider service from stdout.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"

	"dockyard/tools/engine/hostkit/serve"
)

// version is the plugin version reported to the engine; set at build time with
// -ldflags "-X main.version=...". It matches the @pulumi/command SDK dockyard uses, which is the
// version the engine asks for.
var version = "4.5.0"

func main() {
	tracing := flag.String("tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	showVersion := flag.Bool("version", false, "Print the plugin version and exit")
	flag.Parse()
	// --logtostderr and -v are glog's flags, registered by the logging package.
	logging.InitLogging(false, 0, false)
	if *showVersion {
		fmt.Println(version)
		return
	}
	cmdutil.InitTracing("pulumi-resource-command", "pulumi-resource-command", *tracing)
	defer cmdutil.CloseTracing()

	p := newProvider()
	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
		if err := p.attachEngine(engineAddress); err != nil {
			cmdutil.Exit(err)
		}
	}
	serve.Plugin(engineAddress, "provider", func(srv *grpc.Server) {
		pulumirpc.RegisterResourceProviderServer(srv, p)
	})
}

// commandProvider implements the ResourceProvider service. Methods it does not override
// (components, parameterization, streaming invokes, ...) answer Unimplemented.
type commandProvider struct {
	pulumirpc.UnimplementedResourceProviderServer

	mu     sync.Mutex
	engine pulumirpc.EngineClient // where command output is logged; nil until attached

	// Cancelled by the Cancel RPC, which the engine sends when the operation is abandoned:
	// running commands are killed.
	cancelCtx  context.Context
	cancelFunc context.CancelFunc
}

func newProvider() *commandProvider {
	ctx, cancel := context.WithCancel(context.Background())
	return &commandProvider{cancelCtx: ctx, cancelFunc: cancel}
}

// attachEngine connects to the engine's logging service.
func (p *commandProvider) attachEngine(address string) error {
	conn, err := grpc.NewClient(address,
		grpc.WithTransportCredentials(insecure.NewCredentials()), rpcutil.GrpcChannelOptions())
	if err != nil {
		return fmt.Errorf("connecting to the engine at %s: %w", address, err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.engine = pulumirpc.NewEngineClient(conn)
	return nil
}

// statusLogger returns the logger that shows a running command's output lines under its
// resource. They are status (ephemeral) messages, as pulumi-command sends them: shown while the
// command runs, not repeated in the final diagnostics, since stdout and stderr are outputs anyway.
func (p *commandProvider) statusLogger(ctx context.Context, urn string) logger {
	p.mu.Lock()
	engine := p.engine
	p.mu.Unlock()
	if engine == nil {
		return nil
	}
	return func(line string) {
		// A lost log line must not fail the command, so errors are dropped.
		_, _ = engine.Log(ctx, &pulumirpc.LogRequest{
			Severity: pulumirpc.LogSeverity_INFO, Message: line, Urn: urn, Ephemeral: true,
		})
	}
}

// warner returns a function that adds a warning to the resource's diagnostics.
func (p *commandProvider) warner(ctx context.Context, urn string) func(string) {
	p.mu.Lock()
	engine := p.engine
	p.mu.Unlock()
	return func(msg string) {
		if engine == nil {
			logging.Warningf("%s: %s", urn, msg)
			return
		}
		_, _ = engine.Log(ctx, &pulumirpc.LogRequest{Severity: pulumirpc.LogSeverity_WARNING, Message: msg, Urn: urn})
	}
}

// operationContext is the context commands of one operation run in: it ends with the request,
// with the Cancel RPC, or after the resource's custom timeout (seconds; 0 for none).
func (p *commandProvider) operationContext(ctx context.Context, timeout float64) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(p.cancelCtx, cancel)
	if timeout > 0 {
		var cancelTimeout context.CancelFunc
		ctx, cancelTimeout = context.WithTimeout(ctx, time.Duration(timeout*float64(time.Second)))
		return ctx, func() { cancelTimeout(); stop(); cancel() }
	}
	return ctx, func() { stop(); cancel() }
}

var unmarshalOptions = plugin.MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipNulls: true}

func unmarshal(label string, props *structpb.Struct) (resource.PropertyMap, error) {
	opts := unmarshalOptions
	opts.Label = label
	m, err := plugin.UnmarshalProperties(props, opts)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", label, err)
	}
	return m, nil
}

func marshal(label string, props resource.PropertyMap) (*structpb.Struct, error) {
	return plugin.MarshalProperties(props, plugin.MarshalOptions{
		Label: label, KeepUnknowns: true, KeepSecrets: true,
	})
}

// commandKind tells a request's resource type apart: remote or local.
func commandKind(urn string) (remote bool, err error) {
	switch t := string(resource.URN(urn).Type()); t {
	case localCommandType:
		return false, nil
	case remoteCommandType:
		return true, nil
	default:
		return false, status.Errorf(codes.InvalidArgument,
			"unknown resource type %q: this provider serves %s and %s", t, localCommandType, remoteCommandType)
	}
}

func failuresToRPC(failures []checkFailure) []*pulumirpc.CheckFailure {
	out := make([]*pulumirpc.CheckFailure, 0, len(failures))
	for _, f := range failures {
		out = append(out, &pulumirpc.CheckFailure{Property: f.property, Reason: f.reason})
	}
	return out
}

func failuresError(failures []checkFailure) error {
	msgs := make([]string, 0, len(failures))
	for _, f := range failures {
		msgs = append(msgs, f.property+": "+f.reason)
	}
	return fmt.Errorf("invalid inputs: %s", strings.Join(msgs, "; "))
}

// Handshake is the engine's first call. The provider keeps secrets as secrets (it unwraps them
// only to run commands) but wants resources and output values resolved to plain values.
func (p *commandProvider) Handshake(
	ctx context.Context, req *pulumirpc.ProviderHandshakeRequest,
) (*pulumirpc.ProviderHandshakeResponse, error) {
	if addr := req.GetEngineAddress(); addr != "" {
		if err := p.attachEngine(addr); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.ProviderHandshakeResponse{AcceptSecrets: true}, nil
}

// Attach is how an engine connects to a provider started by hand (PULUMI_DEBUG_PROVIDERS).
func (p *commandProvider) Attach(ctx context.Context, req *pulumirpc.PluginAttach) (*emptypb.Empty, error) {
	if err := p.attachEngine(req.GetAddress()); err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

func (p *commandProvider) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// GetSchema returns a schema with no types. The SDK is already generated; the engine only needs
// a well-formed package description.
func (p *commandProvider) GetSchema(context.Context, *pulumirpc.GetSchemaRequest) (*pulumirpc.GetSchemaResponse, error) {
	b, err := json.Marshal(map[string]any{"name": "command", "version": version})
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetSchemaResponse{Schema: string(b)}, nil
}

// The provider has no configuration of its own: whatever the engine passes (the version, for a
// default provider) is accepted as it is and never causes a provider replacement.
func (p *commandProvider) CheckConfig(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	return &pulumirpc.CheckResponse{Inputs: req.GetNews()}, nil
}

func (p *commandProvider) DiffConfig(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	return &pulumirpc.DiffResponse{Changes: pulumirpc.DiffResponse_DIFF_NONE}, nil
}

func (p *commandProvider) Configure(
	ctx context.Context, req *pulumirpc.ConfigureRequest,
) (*pulumirpc.ConfigureResponse, error) {
	// SupportsPreview: the engine sends previews to Create and Update, which answer them without
	// running anything.
	return &pulumirpc.ConfigureResponse{AcceptSecrets: true, SupportsPreview: true}, nil
}

// Check validates a Command's inputs and returns them unchanged: defaults (port 22, the default
// interpreter, ...) are applied when commands run rather than written into the inputs, so the
// state shows what the program said.
func (p *commandProvider) Check(ctx context.Context, req *pulumirpc.CheckRequest) (*pulumirpc.CheckResponse, error) {
	remote, err := commandKind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, err
	}
	_, failures := decodeSpec(news, remote)
	return &pulumirpc.CheckResponse{Inputs: req.GetNews(), Failures: failuresToRPC(failures)}, nil
}

// Diff compares old and new inputs. Any change is an update, except for triggers, whose change is
// a replacement. Values compare without regard to secret-ness: making a value secret changes how
// it is stored, not what the command does.
func (p *commandProvider) Diff(ctx context.Context, req *pulumirpc.DiffRequest) (*pulumirpc.DiffResponse, error) {
	if _, err := commandKind(req.GetUrn()); err != nil {
		return nil, err
	}
	olds, err := unmarshal("olds", req.GetOlds())
	if err != nil {
		return nil, err
	}
	oldInputs := inputsOf(olds)
	if req.GetOldInputs() != nil {
		if oldInputs, err = unmarshal("oldInputs", req.GetOldInputs()); err != nil {
			return nil, err
		}
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, err
	}
	return diffInputs(oldInputs, news, req.GetIgnoreChanges()), nil
}

func diffInputs(olds, news resource.PropertyMap, ignoreChanges []string) *pulumirpc.DiffResponse {
	ignored := map[string]bool{}
	for _, k := range ignoreChanges {
		ignored[k] = true
	}
	resp := &pulumirpc.DiffResponse{
		Changes:         pulumirpc.DiffResponse_DIFF_NONE,
		DetailedDiff:    map[string]*pulumirpc.PropertyDiff{},
		HasDetailedDiff: true,
	}
	for _, k := range sortedKeys(olds, news) {
		if outputOnlyKeys[k] || ignored[string(k)] {
			continue
		}
		o, hasOld := olds[k]
		n, hasNew := news[k]
		var kind pulumirpc.PropertyDiff_Kind
		switch {
		case hasOld && hasNew:
			// An unknown new value may turn out equal, but the engine must be told it could change.
			if !n.ContainsUnknowns() && unsecret(o).DeepEquals(unsecret(n)) {
				continue
			}
			kind = pulumirpc.PropertyDiff_UPDATE
		case hasNew:
			kind = pulumirpc.PropertyDiff_ADD
		default:
			kind = pulumirpc.PropertyDiff_DELETE
		}
		if replaceKeys[k] {
			kind = map[pulumirpc.PropertyDiff_Kind]pulumirpc.PropertyDiff_Kind{
				pulumirpc.PropertyDiff_ADD:    pulumirpc.PropertyDiff_ADD_REPLACE,
				pulumirpc.PropertyDiff_DELETE: pulumirpc.PropertyDiff_DELETE_REPLACE,
				pulumirpc.PropertyDiff_UPDATE: pulumirpc.PropertyDiff_UPDATE_REPLACE,
			}[kind]
			resp.Replaces = append(resp.Replaces, string(k))
		}
		resp.Changes = pulumirpc.DiffResponse_DIFF_SOME
		resp.Diffs = append(resp.Diffs, string(k))
		resp.DetailedDiff[string(k)] = &pulumirpc.PropertyDiff{Kind: kind, InputDiff: true}
	}
	return resp
}

// unknownOutputs are a preview's stdout and stderr (and assets), which only running can tell.
func unknownOutputs(spec commandSpec) resource.PropertyMap {
	unknown := resource.MakeComputed(resource.NewStringProperty(""))
	out := resource.PropertyMap{"stdout": unknown, "stderr": unknown}
	if spec.assetPaths != nil {
		out["assets"] = unknown
	}
	if spec.archivePaths != nil {
		out["archive"] = unknown
	}
	return out
}

func producedOutputs(res runResult) resource.PropertyMap {
	out := resource.PropertyMap{
		"stdout": resource.NewStringProperty(res.stdout),
		"stderr": resource.NewStringProperty(res.stderr),
	}
	if res.assets != nil {
		assets := resource.PropertyMap{}
		for p, a := range res.assets {
			assets[resource.PropertyKey(p)] = resource.NewAssetProperty(a)
		}
		out["assets"] = resource.NewObjectProperty(assets)
	}
	if res.archive != nil {
		out["archive"] = resource.NewArchiveProperty(res.archive)
	}
	return out
}

func stringOutput(state resource.PropertyMap, key resource.PropertyKey) string {
	if v := unsecret(state[key]); v.IsString() {
		return v.StringValue()
	}
	return ""
}

// runCommand runs one of a Command's commands: locally, or over SSH for remote ones. secret says
// whether the command text is a secret, which keeps it out of error messages. A quiet command's
// output is not streamed to the engine: status lines are printed in clear (in CI logs too), so
// output that is, or may contain, a secret must not go there.
func (p *commandProvider) runCommand(ctx context.Context, urn string, remote bool, command string, secret bool,
	spec commandSpec, prev previous, quiet bool,
) (runResult, error) {
	var log logger
	if !quiet {
		log = p.statusLogger(ctx, urn)
	}
	if remote {
		return runRemote(ctx, command, secret, spec, prev, log, p.warner(ctx, urn))
	}
	return runLocal(ctx, command, secret, spec, prev, log)
}

// knownSpec decodes inputs that must be fully known because a command is about to run.
func knownSpec(props resource.PropertyMap, remote bool) (commandSpec, error) {
	if props.ContainsUnknowns() {
		return commandSpec{}, errors.New("cannot run a command whose inputs are not known yet")
	}
	spec, failures := decodeSpec(props, remote)
	if len(failures) > 0 {
		return spec, failuresError(failures)
	}
	return spec, nil
}

// secretOutput says whether a state's stdout or stderr is secret, typically because the program
// listed it in additionalSecretOutputs: the next run of the same command prints the same kind of
// thing, and gets it in PULUMI_COMMAND_STDOUT/STDERR.
func secretOutput(state resource.PropertyMap) bool {
	return isSecret(state, "stdout") || isSecret(state, "stderr")
}

func isSecret(props resource.PropertyMap, key resource.PropertyKey) bool {
	v, has := props[key]
	return has && v.ContainsSecrets()
}

// Create runs the `create` command, if there is one, and stores its output.
func (p *commandProvider) Create(ctx context.Context, req *pulumirpc.CreateRequest) (*pulumirpc.CreateResponse, error) {
	remote, err := commandKind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	inputs, err := unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, err
	}
	// The ID only has to be unique; the resource name makes it recognisable.
	id, err := resource.NewUniqueHex(resource.URN(req.GetUrn()).Name(), 8, 0)
	if err != nil {
		return nil, err
	}

	var produced resource.PropertyMap
	if req.GetPreview() {
		spec, _ := decodeSpec(inputs, remote)
		produced = unknownOutputs(spec)
	} else {
		spec, err := knownSpec(inputs, remote)
		if err != nil {
			return nil, err
		}
		var res runResult
		if spec.create != nil {
			ctx, cancel := p.operationContext(ctx, req.GetTimeout())
			defer cancel()
			res, err = p.runCommand(ctx, req.GetUrn(), remote, *spec.create, isSecret(inputs, "create"), spec,
				previous{}, feedsSecrets(inputs))
			if err != nil {
				return nil, err
			}
		}
		produced = producedOutputs(res)
	}

	props, err := marshal("state", buildState(inputs, remote, produced))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.CreateResponse{Id: id, Properties: props}, nil
}

// Update runs the `update` command, or `create` when there is no `update`. A Command with neither
// keeps the output of its last run.
func (p *commandProvider) Update(ctx context.Context, req *pulumirpc.UpdateRequest) (*pulumirpc.UpdateResponse, error) {
	remote, err := commandKind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	olds, err := unmarshal("olds", req.GetOlds())
	if err != nil {
		return nil, err
	}
	news, err := unmarshal("news", req.GetNews())
	if err != nil {
		return nil, err
	}
	prev := previous{stdout: stringOutput(olds, "stdout"), stderr: stringOutput(olds, "stderr")}

	var produced resource.PropertyMap
	if req.GetPreview() {
		spec, _ := decodeSpec(news, remote)
		produced = unknownOutputs(spec)
	} else {
		spec, err := knownSpec(news, remote)
		if err != nil {
			return nil, err
		}
		command, key := spec.update, resource.PropertyKey("update")
		if command == nil {
			command, key = spec.create, "create"
		}
		if command == nil {
			produced = resource.PropertyMap{}
			for k := range outputOnlyKeys {
				if v, has := olds[k]; has {
					produced[k] = v
				}
			}
		} else {
			ctx, cancel := p.operationContext(ctx, req.GetTimeout())
			defer cancel()
			quiet := feedsSecrets(news) || secretOutput(olds)
			res, err := p.runCommand(ctx, req.GetUrn(), remote, *command, isSecret(news, key), spec, prev, quiet)
			if err != nil {
				return nil, err
			}
			produced = producedOutputs(res)
		}
	}

	props, err := marshal("state", buildState(news, remote, produced))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.UpdateResponse{Properties: props}, nil
}

// Delete runs the `delete` command, if there is one. If it fails the resource stays in the stack,
// so the next destroy runs it again.
func (p *commandProvider) Delete(ctx context.Context, req *pulumirpc.DeleteRequest) (*emptypb.Empty, error) {
	remote, err := commandKind(req.GetUrn())
	if err != nil {
		return nil, err
	}
	state, err := unmarshal("properties", req.GetProperties())
	if err != nil {
		return nil, err
	}
	spec, err := knownSpec(state, remote)
	if err != nil {
		return nil, err
	}
	if spec.delete == nil {
		return &emptypb.Empty{}, nil
	}
	ctx, cancel := p.operationContext(ctx, req.GetTimeout())
	defer cancel()
	prev := previous{stdout: stringOutput(state, "stdout"), stderr: stringOutput(state, "stderr")}
	quiet := feedsSecrets(state) || secretOutput(state)
	_, err = p.runCommand(ctx, req.GetUrn(), remote, *spec.delete, isSecret(state, "delete"), spec, prev, quiet)
	if err != nil {
		return nil, err
	}
	return &emptypb.Empty{}, nil
}

// Read (refresh) returns the state as it is: what a command did cannot be observed afterwards,
// so the recorded state is the truth.
func (p *commandProvider) Read(ctx context.Context, req *pulumirpc.ReadRequest) (*pulumirpc.ReadResponse, error) {
	if _, err := commandKind(req.GetUrn()); err != nil {
		return nil, err
	}
	inputs := req.GetInputs()
	if inputs == nil {
		state, err := unmarshal("properties", req.GetProperties())
		if err != nil {
			return nil, err
		}
		if inputs, err = marshal("inputs", inputsOf(state)); err != nil {
			return nil, err
		}
	}
	return &pulumirpc.ReadResponse{Id: req.GetId(), Properties: req.GetProperties(), Inputs: inputs}, nil
}

// Invoke serves command:local:run, which runs a command every time the program runs (previews
// included) and returns its output.
func (p *commandProvider) Invoke(ctx context.Context, req *pulumirpc.InvokeRequest) (*pulumirpc.InvokeResponse, error) {
	if req.GetTok() != localRunFunction {
		return nil, status.Errorf(codes.InvalidArgument, "unknown function %q: this provider serves %s",
			req.GetTok(), localRunFunction)
	}
	args, err := unmarshal("args", req.GetArgs())
	if err != nil {
		return nil, err
	}
	command, spec, failures := decodeRunArgs(args)
	if len(failures) > 0 {
		return &pulumirpc.InvokeResponse{Failures: failuresToRPC(failures)}, nil
	}
	ctx, cancel := p.operationContext(ctx, 0)
	defer cancel()
	var log logger
	if !feedsSecrets(args) {
		log = p.statusLogger(ctx, "")
	}
	res, err := runLocal(ctx, command, isSecret(args, "command"), spec, previous{}, log)
	if err != nil {
		return nil, err
	}
	ret, err := marshal("return", buildState(args, false, producedOutputs(res)))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.InvokeResponse{Return: ret}, nil
}

// Cancel kills the commands that are running; the engine sends it when it is shutting down.
func (p *commandProvider) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	p.cancelFunc()
	return &emptypb.Empty{}, nil
}
