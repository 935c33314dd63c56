package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// runRemote runs command on the connection's host over SSH. Environment variables are requested
// with the SSH "env" request, which servers honour only for names their AcceptEnv allows; like
// pulumi-command, a refused variable does not fail the command, but it is reported.
func runRemote(ctx context.Context, command string, secret bool, spec commandSpec, prev previous, log logger,
	warn func(string),
) (runResult, error) {
	if spec.connection == nil {
		return runResult{}, errors.New("missing required property connection")
	}
	client, err := spec.connection.dial(ctx, log)
	if err != nil {
		return runResult{}, err
	}
	defer client.Close()

	session, err := client.NewSession()
	if err != nil {
		return runResult{}, fmt.Errorf("opening an SSH session on %s: %w", spec.connection.host, err)
	}
	defer session.Close()

	env := map[string]string{}
	for k, v := range spec.environment {
		env[k] = v
	}
	for _, kv := range prev.env(spec.addPreviousOutputInEnv) {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = v
	}
	for _, k := range sortedStringKeys(env) {
		if err := session.Setenv(k, env[k]); err != nil && warn != nil {
			warn(fmt.Sprintf("Unable to set '%s'. This only works if your SSH server is configured to accept "+
				"these variables via AcceptEnv. Alternatively, if a Bash-like shell runs the command on the "+
				"remote host, you could prefix the command itself with the variables in the form "+
				"'VAR=value command'", k))
		}
	}
	if spec.stdin != nil && *spec.stdin != "" {
		session.Stdin = strings.NewReader(*spec.stdin)
	}

	s := newStreams(spec.logging, log)
	session.Stdout = s.stdoutWriter()
	session.Stderr = s.stderrWriter()

	// Closing the session is the only way to interrupt a remote command.
	stop := context.AfterFunc(ctx, func() { session.Close() })
	err = session.Run(command)
	stop()

	var res runResult
	res.stdout, res.stderr = s.finish()
	if err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("%w (%v)", ctx.Err(), err)
		}
		return res, s.failure(err, command, secret)
	}
	return res, nil
}

// clientConfig builds the SSH client settings. Host keys are not verified, as pulumi-command does
// not verify them: the hosts are typically machines the same program just created, whose keys
// nobody could have recorded beforehand.
func (c *connection) clientConfig() (*ssh.ClientConfig, error) {
	config := &ssh.ClientConfig{
		User:            c.user,
		HostKeyCallback: ssh.InsecureIgnoreHostKey(), //nolint:gosec // see above
		Timeout:         time.Duration(c.perDialTimeout) * time.Second,
	}
	if c.privateKey != nil {
		var signer ssh.Signer
		var err error
		if c.privateKeyPassword != nil {
			signer, err = ssh.ParsePrivateKeyWithPassphrase([]byte(*c.privateKey), []byte(*c.privateKeyPassword))
		} else {
			signer, err = ssh.ParsePrivateKey([]byte(*c.privateKey))
		}
		if err != nil {
			// The parser's message never contains the key itself.
			return nil, fmt.Errorf("parsing privateKey: %w", err)
		}
		config.Auth = append(config.Auth, ssh.PublicKeys(signer))
	}
	if c.password != nil {
		password := *c.password
		config.Auth = append(config.Auth,
			ssh.Password(password),
			// Servers that disable plain password auth often still ask for it interactively.
			ssh.KeyboardInteractive(func(_, _ string, questions []string, _ []bool) ([]string, error) {
				answers := make([]string, len(questions))
				for i := range answers {
					answers[i] = password
				}
				return answers, nil
			}))
	}
	socket := os.Getenv("SSH_AUTH_SOCK")
	if c.agentSocketPath != nil {
		socket = *c.agentSocketPath
	}
	if socket != "" {
		conn, err := net.Dial("unix", socket)
		if err != nil {
			return nil, fmt.Errorf("connecting to the SSH agent at %s: %w", socket, err)
		}
		config.Auth = append(config.Auth, ssh.PublicKeysCallback(agent.NewClient(conn).Signers))
	}
	if len(config.Auth) == 0 {
		return nil, fmt.Errorf("no way to authenticate to %s: give connection.privateKey, connection.password "+
			"or an SSH agent (connection.agentSocketPath or SSH_AUTH_SOCK)", c.host)
	}
	return config, nil
}

func (c *connection) address() string {
	return net.JoinHostPort(c.host, strconv.Itoa(c.port))
}

// dial connects to the host, through the proxy (bastion) host when one is given. Hosts that
// were just created are often not accepting connections yet, so each hop is retried up to its
// dialErrorLimit.
func (c *connection) dial(ctx context.Context, log logger) (*ssh.Client, error) {
	config, err := c.clientConfig()
	if err != nil {
		return nil, err
	}
	if c.proxy == nil {
		return retryDial(ctx, "Dial", c.dialErrorLimit, log, func() (*ssh.Client, error) {
			return dialContext(ctx, "tcp", c.address(), config)
		})
	}

	proxyConfig, err := c.proxy.clientConfig()
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	proxyClient, err := retryDial(ctx, "Dial proxy", c.proxy.dialErrorLimit, log, func() (*ssh.Client, error) {
		return dialContext(ctx, "tcp", c.proxy.address(), proxyConfig)
	})
	if err != nil {
		return nil, fmt.Errorf("proxy: %w", err)
	}
	client, err := retryDial(ctx, "Dial from proxy", c.dialErrorLimit, log, func() (*ssh.Client, error) {
		conn, err := proxyClient.DialContext(ctx, "tcp", c.address())
		if err != nil {
			return nil, err
		}
		sshConn, chans, reqs, err := ssh.NewClientConn(conn, c.address(), config)
		if err != nil {
			conn.Close()
			return nil, err
		}
		return ssh.NewClient(sshConn, chans, reqs), nil
	})
	if err != nil {
		proxyClient.Close()
		return nil, fmt.Errorf("proxy: %w", err)
	}
	return client, nil
}

// dialContext is ssh.Dial that gives up when ctx is cancelled.
func dialContext(ctx context.Context, network, addr string, config *ssh.ClientConfig) (*ssh.Client, error) {
	d := net.Dialer{Timeout: config.Timeout}
	conn, err := d.DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	if config.Timeout > 0 {
		// Bound the handshake too: a port that accepts but never speaks SSH would hang it.
		_ = conn.SetDeadline(time.Now().Add(config.Timeout))
	}
	sshConn, chans, reqs, err := ssh.NewClientConn(conn, addr, config)
	if err != nil {
		conn.Close()
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return ssh.NewClient(sshConn, chans, reqs), nil
}

// retryDial calls dial until it succeeds, ctx ends, or limit attempts failed (a limit of -1
// retries forever), waiting a little longer after each failure.
func retryDial[T any](ctx context.Context, what string, limit int, log logger, dial func() (T, error)) (T, error) {
	delay := time.Second
	for attempt := 1; ; attempt++ {
		result, err := dial()
		if err == nil {
			return result, nil
		}
		var zero T
		if limit >= 0 && attempt > limit {
			return zero, fmt.Errorf("after %d failed attempts: %w", attempt-1, err)
		}
		if log != nil {
			of := "inf"
			if limit >= 0 {
				of = strconv.Itoa(limit)
			}
			log(fmt.Sprintf("%s %d/%s failed: retrying", what, attempt, of))
		}
		select {
		case <-ctx.Done():
			return zero, fmt.Errorf("%w (last error: %v)", ctx.Err(), err)
		case <-time.After(delay):
		}
		delay = min(delay*3/2, 10*time.Second)
	}
}
