package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// testSSHServer is a minimal SSH server on 127.0.0.1 that runs "exec" requests with /bin/sh, so
// remote commands are tested over a real SSH connection without a system sshd. Like a default
// sshd, it accepts only some environment variables (ACCEPTED_* and PULUMI_COMMAND_*).
type testSSHServer struct {
	addr       *net.TCPAddr
	password   string
	authorized ssh.PublicKey
}

func startSSHServer(t *testing.T) *testSSHServer {
	t.Helper()
	// An agent of the machine running the tests must not take part in authentication.
	t.Setenv("SSH_AUTH_SOCK", "")
	_, hostKey, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	hostSigner, err := ssh.NewSignerFromKey(hostKey)
	if err != nil {
		t.Fatal(err)
	}
	srv := &testSSHServer{password: "s3cret"}
	config := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pass []byte) (*ssh.Permissions, error) {
			if c.User() == "tester" && string(pass) == srv.password {
				return nil, nil
			}
			return nil, errors.New("access denied")
		},
		PublicKeyCallback: func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if srv.authorized != nil && string(key.Marshal()) == string(srv.authorized.Marshal()) {
				return nil, nil
			}
			return nil, errors.New("unknown key")
		},
	}
	config.AddHostKey(hostSigner)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	srv.addr = ln.Addr().(*net.TCPAddr)
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go srv.serve(conn, config)
		}
	}()
	return srv
}

func (srv *testSSHServer) serve(conn net.Conn, config *ssh.ServerConfig) {
	_, chans, reqs, err := ssh.NewServerConn(conn, config)
	if err != nil {
		conn.Close()
		return
	}
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "sessions only")
			continue
		}
		ch, chReqs, err := nc.Accept()
		if err != nil {
			continue
		}
		go srv.session(ch, chReqs)
	}
}

func (srv *testSSHServer) session(ch ssh.Channel, reqs <-chan *ssh.Request) {
	defer ch.Close()
	var env []string
	for req := range reqs {
		switch req.Type {
		case "env":
			var kv struct{ Name, Value string }
			if err := ssh.Unmarshal(req.Payload, &kv); err != nil {
				_ = req.Reply(false, nil)
				continue
			}
			ok := strings.HasPrefix(kv.Name, "ACCEPTED_") || strings.HasPrefix(kv.Name, "PULUMI_COMMAND_")
			if ok {
				env = append(env, kv.Name+"="+kv.Value)
			}
			_ = req.Reply(ok, nil)
		case "exec":
			var payload struct{ Command string }
			if err := ssh.Unmarshal(req.Payload, &payload); err != nil {
				_ = req.Reply(false, nil)
				return
			}
			_ = req.Reply(true, nil)
			cmd := exec.Command("/bin/sh", "-c", payload.Command)
			cmd.Env = append(os.Environ(), env...)
			cmd.Stdin, cmd.Stdout, cmd.Stderr = ch, ch, ch.Stderr()
			code := 0
			if err := cmd.Run(); err != nil {
				var exitErr *exec.ExitError
				if !errors.As(err, &exitErr) {
					code = 127
				} else {
					code = exitErr.ExitCode()
				}
			}
			_, _ = ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{uint32(code)}))
			return
		default:
			_ = req.Reply(false, nil)
		}
	}
}

func (srv *testSSHServer) connection(extra resource.PropertyMap) resource.PropertyValue {
	conn := resource.PropertyMap{
		"host": str("127.0.0.1"),
		"port": resource.NewNumberProperty(float64(srv.addr.Port)),
		"user": str("tester"),
	}
	for k, v := range extra {
		conn[k] = v
	}
	return resource.NewObjectProperty(conn)
}

func TestRemoteCommandOverSSH(t *testing.T) {
	srv := startSSHServer(t)
	p := newProvider()
	conn := srv.connection(resource.PropertyMap{"password": resource.MakeSecret(str(srv.password))})

	_, state := create(t, p, remoteURN, resource.PropertyMap{
		"connection":  conn,
		"create":      str(`echo "env=$ACCEPTED_X refused=$REFUSED_Y"; cat; echo oops >&2`),
		"stdin":       str("from stdin"),
		"environment": resource.NewObjectProperty(resource.PropertyMap{"ACCEPTED_X": str("1"), "REFUSED_Y": str("2")}),
	}, false)
	if got := stringOf(t, state, "stdout"); got != "env=1 refused=\nfrom stdin" {
		t.Errorf("stdout = %q", got)
	}
	if got := stringOf(t, state, "stderr"); got != "oops" {
		t.Errorf("stderr = %q", got)
	}
	if !state["connection"].IsSecret() {
		t.Error("connection must be secret in the state")
	}

	// Update without `update` runs create again, with the previous output in the environment.
	news := inputsOf(state)
	news["create"] = str(`echo "before: $PULUMI_COMMAND_STDOUT" | head -n 1`)
	state = update(t, p, remoteURN, state, news, false)
	if got := stringOf(t, state, "stdout"); got != "before: env=1 refused=" {
		t.Errorf("update stdout = %q", got)
	}

	// A failing remote command reports its exit status and stderr.
	_, err := p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: remoteURN, Properties: props(t, resource.PropertyMap{
		"connection": conn, "create": str("echo 'remote failure' >&2; exit 4"),
	})})
	if err == nil || !strings.Contains(err.Error(), "status 4") || !strings.Contains(err.Error(), "remote failure") {
		t.Errorf("failing remote command error = %v", err)
	}

	// Delete runs delete remotely.
	marker := t.TempDir() + "/deleted"
	state["delete"] = str("touch " + marker)
	if _, err := p.Delete(context.Background(), &pulumirpc.DeleteRequest{Urn: remoteURN, Id: "x", Properties: props(t, state)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Errorf("remote delete did not run: %v", err)
	}
}

func TestRemotePrivateKeys(t *testing.T) {
	srv := startSSHServer(t)
	p := newProvider()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if srv.authorized, err = ssh.NewPublicKey(pub); err != nil {
		t.Fatal(err)
	}
	plainBlock, err := ssh.MarshalPrivateKey(priv, "test")
	if err != nil {
		t.Fatal(err)
	}
	encBlock, err := ssh.MarshalPrivateKeyWithPassphrase(priv, "test", []byte("pass"))
	if err != nil {
		t.Fatal(err)
	}
	for name, extra := range map[string]resource.PropertyMap{
		"plain key": {"privateKey": str(string(pem.EncodeToMemory(plainBlock)))},
		"encrypted key": {
			"privateKey":         str(string(pem.EncodeToMemory(encBlock))),
			"privateKeyPassword": str("pass"),
		},
	} {
		_, state := create(t, p, remoteURN, resource.PropertyMap{
			"connection": srv.connection(extra), "create": str("echo via key"),
		}, false)
		if got := stringOf(t, state, "stdout"); got != "via key" {
			t.Errorf("%s: stdout = %q", name, got)
		}
	}
}

func TestRemoteDialErrors(t *testing.T) {
	p := newProvider()
	// A port nobody listens on: refused at once, retried dialErrorLimit times.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	_, err = p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: remoteURN, Properties: props(t, resource.PropertyMap{
		"connection": resource.NewObjectProperty(resource.PropertyMap{
			"host": str("127.0.0.1"), "port": resource.NewNumberProperty(float64(port)),
			"password": str("x"), "dialErrorLimit": resource.NewNumberProperty(1),
		}),
		"create": str("true"),
	})})
	if err == nil || !strings.Contains(err.Error(), "after 1 failed attempts") {
		t.Errorf("dial error = %v", err)
	}

	// Wrong credentials fail too.
	srv := startSSHServer(t)
	_, err = p.Create(context.Background(), &pulumirpc.CreateRequest{Urn: remoteURN, Properties: props(t, resource.PropertyMap{
		"connection": srv.connection(resource.PropertyMap{
			"password": str("wrong"), "dialErrorLimit": resource.NewNumberProperty(0),
		}),
		"create": str("true"),
	})})
	if err == nil || !strings.Contains(err.Error(), "unable to authenticate") {
		t.Errorf("authentication error = %v", err)
	}
}
