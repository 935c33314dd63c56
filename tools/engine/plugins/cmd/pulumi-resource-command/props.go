package main

import (
	"fmt"
	"sort"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// The resource and function tokens this provider serves.
const (
	localCommandType  = "command:local:Command"
	remoteCommandType = "command:remote:Command"
	localRunFunction  = "command:local:run"
)

// Properties a Command computes; everything else in its state is an input echoed back.
var outputOnlyKeys = map[resource.PropertyKey]bool{"stdout": true, "stderr": true, "assets": true, "archive": true}

// Inputs whose change replaces the resource instead of updating it. Only triggers: they exist to
// force a re-run through replacement, while a changed command, environment or connection is an
// update that runs the update (or create) command again.
var replaceKeys = map[resource.PropertyKey]bool{"triggers": true}

// Inputs whose values feed what the command prints (`command` is local.run's). When one of them
// is secret, stdout and stderr are made secret too: a secret given on stdin or in the environment
// is easily echoed.
var outputSources = []resource.PropertyKey{"create", "update", "stdin", "environment", "command"}

// Values of the `logging` input: which of the command's streams are copied to the engine's log
// while it runs (the outputs capture both regardless).
const (
	logStdout          = "stdout"
	logStderr          = "stderr"
	logStdoutAndStderr = "stdoutAndStderr"
	logNone            = "none"
)

// commandSpec is a Command's inputs in the form the runners use: secrets unwrapped, defaults
// applied. It never leaves the provider, so unwrapping secrets here loses nothing.
type commandSpec struct {
	create, update, delete *string
	dir                    *string
	interpreter            []string
	environment            map[string]string
	stdin                  *string
	assetPaths             []string
	archivePaths           []string
	addPreviousOutputInEnv bool
	logging                string
	connection             *connection // remote commands only
}

// connection is where and how a remote command connects over SSH.
type connection struct {
	host               string
	port               int
	user               string
	password           *string
	privateKey         *string
	privateKeyPassword *string
	agentSocketPath    *string
	dialErrorLimit     int // -1: no limit
	perDialTimeout     int // seconds, 0: no limit
	proxy              *connection
}

// checkFailure is an invalid input, reported through CheckResponse.Failures so that the CLI
// names the property instead of failing the whole operation with an opaque error.
type checkFailure struct {
	property string
	reason   string
}

// decoder reads typed values out of a property map, collecting failures instead of stopping at
// the first, and treating unknown values (a preview's not-yet-computed inputs) as absent.
type decoder struct {
	props    resource.PropertyMap
	prefix   string
	failures []checkFailure
}

func (d *decoder) fail(key, format string, args ...any) {
	d.failures = append(d.failures, checkFailure{property: d.prefix + key, reason: fmt.Sprintf(format, args...)})
}

// value returns the plain value of key: ok is false when the key is absent, null or unknown.
func (d *decoder) value(key string) (resource.PropertyValue, bool) {
	v, has := d.props[resource.PropertyKey(key)]
	if !has {
		return v, false
	}
	v = unsecret(v)
	if v.IsNull() || v.ContainsUnknowns() {
		return v, false
	}
	return v, true
}

func (d *decoder) string(key string) *string {
	v, ok := d.value(key)
	if !ok {
		return nil
	}
	if !v.IsString() {
		d.fail(key, "%s must be a string", key)
		return nil
	}
	s := v.StringValue()
	return &s
}

func (d *decoder) strings(key string) []string {
	v, ok := d.value(key)
	if !ok {
		return nil
	}
	if !v.IsArray() {
		d.fail(key, "%s must be a list of strings", key)
		return nil
	}
	out := make([]string, 0, len(v.ArrayValue()))
	for i, e := range v.ArrayValue() {
		if !e.IsString() {
			d.fail(fmt.Sprintf("%s[%d]", key, i), "%s must be a list of strings", key)
			return nil
		}
		out = append(out, e.StringValue())
	}
	return out
}

func (d *decoder) stringMap(key string) map[string]string {
	v, ok := d.value(key)
	if !ok {
		return nil
	}
	if !v.IsObject() {
		d.fail(key, "%s must be a map of strings", key)
		return nil
	}
	out := map[string]string{}
	for k, e := range v.ObjectValue() {
		if !e.IsString() {
			d.fail(fmt.Sprintf("%s.%s", key, k), "%s must be a map of strings", key)
			return nil
		}
		out[string(k)] = e.StringValue()
	}
	return out
}

func (d *decoder) bool(key string, def bool) bool {
	v, ok := d.value(key)
	if !ok {
		return def
	}
	if !v.IsBool() {
		d.fail(key, "%s must be a boolean", key)
		return def
	}
	return v.BoolValue()
}

func (d *decoder) int(key string, def int) int {
	v, ok := d.value(key)
	if !ok {
		return def
	}
	if !v.IsNumber() || v.NumberValue() != float64(int(v.NumberValue())) {
		d.fail(key, "%s must be an integer", key)
		return def
	}
	return int(v.NumberValue())
}

// decodeSpec reads a Command's inputs (or its state, which holds the inputs too).
func decodeSpec(props resource.PropertyMap, remote bool) (commandSpec, []checkFailure) {
	d := &decoder{props: props}
	spec := commandSpec{
		create:                 d.string("create"),
		update:                 d.string("update"),
		delete:                 d.string("delete"),
		environment:            d.stringMap("environment"),
		stdin:                  d.string("stdin"),
		addPreviousOutputInEnv: d.bool("addPreviousOutputInEnv", true),
		logging:                logStdoutAndStderr,
	}
	if l := d.string("logging"); l != nil {
		switch *l {
		case logStdout, logStderr, logStdoutAndStderr, logNone:
			spec.logging = *l
		default:
			d.fail("logging", "logging must be one of stdout, stderr, stdoutAndStderr or none, got %q", *l)
		}
	}
	if remote {
		conn, known := props["connection"]
		switch {
		case !known || conn.IsNull():
			d.fail("connection", "missing required property connection")
		case conn.ContainsUnknowns() && !unsecret(conn).IsObject():
			// Known at apply time; nothing to check yet.
		default:
			spec.connection = decodeConnection(d, "connection", unsecret(conn))
		}
	} else {
		spec.dir = d.string("dir")
		spec.interpreter = d.strings("interpreter")
		spec.assetPaths = d.strings("assetPaths")
		spec.archivePaths = d.strings("archivePaths")
	}
	return spec, d.failures
}

// decodeConnection reads a connection object, applying the defaults of pulumi-command: port 22,
// user root, 10 dial attempts of at most 15 seconds each.
func decodeConnection(parent *decoder, key string, v resource.PropertyValue) *connection {
	if !v.IsObject() {
		parent.fail(key, "%s must be an object", key)
		return nil
	}
	d := &decoder{props: v.ObjectValue(), prefix: parent.prefix + key + "."}
	c := &connection{
		port:               d.int("port", 22),
		user:               "root",
		password:           d.string("password"),
		privateKey:         d.string("privateKey"),
		privateKeyPassword: d.string("privateKeyPassword"),
		agentSocketPath:    d.string("agentSocketPath"),
		dialErrorLimit:     d.int("dialErrorLimit", 10),
		perDialTimeout:     d.int("perDialTimeout", 15),
	}
	hostValue, hasHost := d.props["host"]
	switch h := d.string("host"); {
	case h != nil && *h != "":
		c.host = *h
	case hasHost && hostValue.ContainsUnknowns():
		// Computed during a preview; checked again when known.
	default:
		d.fail("host", "missing required property host")
	}
	if u := d.string("user"); u != nil && *u != "" {
		c.user = *u
	}
	if p, has := d.props["proxy"]; has && !p.IsNull() && !p.ContainsUnknowns() {
		c.proxy = decodeConnection(d, "proxy", unsecret(p))
	}
	parent.failures = append(parent.failures, d.failures...)
	return c
}

// decodeRunArgs reads the arguments of the local.run function: a local command's inputs with a
// single `command`.
func decodeRunArgs(props resource.PropertyMap) (string, commandSpec, []checkFailure) {
	spec, failures := decodeSpec(props, false)
	d := &decoder{props: props}
	command := d.string("command")
	failures = append(failures, d.failures...)
	if command == nil {
		failures = append(failures, checkFailure{property: "command", reason: "missing required property command"})
		return "", spec, failures
	}
	return *command, spec, failures
}

// unsecret returns v with every secret marker removed, at any depth. Runners need plain values;
// secret-ness is tracked separately, on the property keys.
func unsecret(v resource.PropertyValue) resource.PropertyValue {
	switch {
	case v.IsSecret():
		return unsecret(v.SecretValue().Element)
	case v.IsArray():
		arr := make([]resource.PropertyValue, len(v.ArrayValue()))
		for i, e := range v.ArrayValue() {
			arr[i] = unsecret(e)
		}
		return resource.NewArrayProperty(arr)
	case v.IsObject():
		obj := resource.PropertyMap{}
		for k, e := range v.ObjectValue() {
			obj[k] = unsecret(e)
		}
		return resource.NewObjectProperty(obj)
	case v.IsComputed():
		return resource.MakeComputed(unsecret(v.Input().Element))
	default:
		return v
	}
}

// inputsOf returns the input properties held in a Command's state.
func inputsOf(state resource.PropertyMap) resource.PropertyMap {
	in := resource.PropertyMap{}
	for k, v := range state {
		if !outputOnlyKeys[k] {
			in[k] = v
		}
	}
	return in
}

// buildState is the state a Command returns: its inputs as given (secret markers and all) plus
// what the command produced. A remote command's connection is always stored as a secret, as
// pulumi-command declares it, because it holds credentials.
func buildState(inputs resource.PropertyMap, remote bool, produced resource.PropertyMap) resource.PropertyMap {
	state := resource.PropertyMap{}
	for k, v := range inputs {
		if !outputOnlyKeys[k] {
			state[k] = v
		}
	}
	if conn, has := state["connection"]; remote && has && !conn.IsNull() && !conn.IsSecret() {
		state["connection"] = resource.MakeSecret(unsecret(conn))
	}
	secretOutput := feedsSecrets(inputs)
	for k, v := range produced {
		if secretOutput && (k == "stdout" || k == "stderr") && !v.IsComputed() {
			v = resource.MakeSecret(v)
		}
		state[k] = v
	}
	return state
}

// feedsSecrets says whether a secret goes into the command through one of the outputSources, in
// which case its output is treated as secret too.
func feedsSecrets(inputs resource.PropertyMap) bool {
	for _, k := range outputSources {
		if v, has := inputs[k]; has && v.ContainsSecrets() {
			return true
		}
	}
	return false
}

// sortedKeys returns the union of two maps' keys in a stable order, so diffs list properties the
// same way every time.
func sortedKeys(a, b resource.PropertyMap) []resource.PropertyKey {
	set := map[resource.PropertyKey]bool{}
	for k := range a {
		set[k] = true
	}
	for k := range b {
		set[k] = true
	}
	keys := make([]resource.PropertyKey, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
