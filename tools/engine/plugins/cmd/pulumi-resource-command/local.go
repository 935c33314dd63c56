package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Environment variables that hand a command the output of the previous run of its resource
// (create or update), unless addPreviousOutputInEnv is false.
const (
	envPreviousStdout = "PULUMI_COMMAND_STDOUT"
	envPreviousStderr = "PULUMI_COMMAND_STDERR"
)

// runResult is what one execution of a command produced.
type runResult struct {
	stdout, stderr string
	assets         map[string]*resource.Asset // local commands with assetPaths
	archive        *resource.Archive          // local commands with archivePaths
}

// previous is the output of the resource's last run, offered to the next one in its environment.
type previous struct {
	stdout, stderr string
}

func (p previous) env(enabled bool) []string {
	var env []string
	if !enabled {
		return env
	}
	// Empty values are left out rather than set empty, so a command can test for their presence.
	if p.stdout != "" {
		env = append(env, envPreviousStdout+"="+p.stdout)
	}
	if p.stderr != "" {
		env = append(env, envPreviousStderr+"="+p.stderr)
	}
	return env
}

// logger sends a line of a running command's output to the engine.
type logger func(line string)

// streams captures a command's stdout and stderr, both separately (the outputs) and interleaved
// (for the error message, where the order of events matters), while copying the lines that the
// `logging` input selects to the engine as they arrive.
type streams struct {
	stdout, stderr bytes.Buffer
	combined       lockedBuffer
	outLines       *lineWriter
	errLines       *lineWriter
}

func newStreams(logging string, log logger) *streams {
	s := &streams{}
	logOut := logging == logStdout || logging == logStdoutAndStderr
	logErr := logging == logStderr || logging == logStdoutAndStderr
	s.outLines = &lineWriter{log: log, enabled: logOut && log != nil}
	s.errLines = &lineWriter{log: log, enabled: logErr && log != nil}
	return s
}

func (s *streams) stdoutWriter() io.Writer { return io.MultiWriter(&s.stdout, &s.combined, s.outLines) }
func (s *streams) stderrWriter() io.Writer { return io.MultiWriter(&s.stderr, &s.combined, s.errLines) }

// finish flushes partial lines to the log and returns the outputs the way pulumi-command stores
// them: with one trailing newline removed, so `echo hi` yields "hi".
func (s *streams) finish() (string, string) {
	s.outLines.flush()
	s.errLines.flush()
	return strings.TrimSuffix(s.stdout.String(), "\n"), strings.TrimSuffix(s.stderr.String(), "\n")
}

// failure is the error of a command that could not run or exited non-zero. It carries the exit
// status (err) and everything the command printed, which is where the cause of a failure is.
// A secret command is not quoted in it, since errors are shown and logged in clear.
func (s *streams) failure(err error, command string, secret bool) error {
	what := fmt.Sprintf("%q", command)
	if secret {
		what = "[secret]"
	}
	return fmt.Errorf("%w: running %s:\n%s", err, what, s.combined.String())
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// lineWriter forwards complete lines to a logger.
type lineWriter struct {
	log     logger
	enabled bool
	partial []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	if !w.enabled {
		return len(p), nil
	}
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.log(strings.TrimSuffix(string(w.partial[:i]), "\r"))
		w.partial = w.partial[i+1:]
	}
}

func (w *lineWriter) flush() {
	if w.enabled && len(w.partial) > 0 {
		w.log(string(w.partial))
	}
	w.partial = nil
}

// defaultInterpreter is what runs a command when `interpreter` is not given.
func defaultInterpreter() []string {
	if runtime.GOOS == "windows" {
		return []string{"cmd", "/C"}
	}
	return []string{"/bin/sh", "-c"}
}

// runLocal runs command on this machine with the resource's interpreter, directory, environment
// and stdin, and collects the assets it asked for.
func runLocal(ctx context.Context, command string, secret bool, spec commandSpec, prev previous, log logger) (runResult, error) {
	args := spec.interpreter
	if len(args) == 0 {
		args = defaultInterpreter()
	}
	args = append(append([]string{}, args...), command)

	cmd := exec.CommandContext(ctx, args[0], args[1:]...)
	if spec.dir != nil {
		cmd.Dir = *spec.dir
	} else {
		// The provider runs in the project directory, which is where users expect relative
		// paths in their commands to start.
		wd, err := os.Getwd()
		if err != nil {
			return runResult{}, err
		}
		cmd.Dir = wd
	}
	cmd.Env = os.Environ()
	for _, k := range sortedStringKeys(spec.environment) {
		cmd.Env = append(cmd.Env, k+"="+spec.environment[k])
	}
	cmd.Env = append(cmd.Env, prev.env(spec.addPreviousOutputInEnv)...)
	if spec.stdin != nil && *spec.stdin != "" {
		cmd.Stdin = strings.NewReader(*spec.stdin)
	}

	s := newStreams(spec.logging, log)
	cmd.Stdout = s.stdoutWriter()
	cmd.Stderr = s.stderrWriter()
	err := cmd.Run()
	var res runResult
	res.stdout, res.stderr = s.finish()
	if err != nil {
		return res, s.failure(err, command, secret)
	}

	if spec.assetPaths != nil {
		assets, err := globAssets(cmd.Dir, spec.assetPaths)
		if err != nil {
			return res, fmt.Errorf("collecting assetPaths: %w", err)
		}
		res.assets = assets
	}
	if spec.archivePaths != nil {
		assets, err := globAssets(cmd.Dir, spec.archivePaths)
		if err != nil {
			return res, fmt.Errorf("collecting archivePaths: %w", err)
		}
		contents := make(map[string]any, len(assets))
		for p, a := range assets {
			contents[p] = a
		}
		archive, err := resource.NewAssetArchive(contents)
		if err != nil {
			return res, fmt.Errorf("building the archive of archivePaths: %w", err)
		}
		res.archive = archive
	}
	return res, nil
}

func sortedStringKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// globAssets returns the files below dir matched by the globs, keyed by their slash-separated
// path relative to dir. The rules are pulumi-command's: globs apply in order, a leading "!"
// makes a glob remove what earlier ones added, `*` stops at "/" while `**` does not, and only
// files (never directories) are returned.
func globAssets(dir string, globs []string) (map[string]*resource.Asset, error) {
	type rule struct {
		re      *regexp.Regexp
		exclude bool
	}
	rules := make([]rule, 0, len(globs))
	for _, g := range globs {
		exclude := strings.HasPrefix(g, "!")
		re, err := compileGlob(strings.TrimPrefix(g, "!"))
		if err != nil {
			return nil, fmt.Errorf("glob %q: %w", g, err)
		}
		rules = append(rules, rule{re, exclude})
	}

	assets := map[string]*resource.Asset{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		for _, r := range rules {
			if !r.re.MatchString(p) {
				continue
			}
			if r.exclude {
				delete(assets, p)
				continue
			}
			a, err := resource.NewPathAsset(filepath.Join(dir, filepath.FromSlash(path.Clean(p))))
			if err != nil {
				return err
			}
			assets[p] = a
		}
		return nil
	})
	return assets, err
}

// compileGlob turns a glob into an anchored regular expression over slash-separated paths:
// `**` any text, `*` any text without "/", `?` one character other than "/", `[abc]`, `[a-z]`
// and `[!abc]` character classes, `{a,b}` alternatives, and `\` escaping the next character.
func compileGlob(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	depth := 0
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; c {
		case '*':
			if i+1 < len(glob) && glob[i+1] == '*' {
				b.WriteString(".*")
				i++
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(glob[i+1:], ']')
			if end < 0 {
				return nil, fmt.Errorf("unterminated character class at offset %d", i)
			}
			class := glob[i+1 : i+1+end]
			b.WriteString("[")
			if strings.HasPrefix(class, "!") {
				b.WriteString("^")
				class = class[1:]
			}
			b.WriteString(strings.NewReplacer(`\`, `\\`, `[`, `\[`, `^`, `\^`).Replace(class))
			b.WriteString("]")
			i += end + 1
		case '{':
			depth++
			b.WriteString("(?:")
		case '}':
			if depth == 0 {
				return nil, fmt.Errorf("unmatched } at offset %d", i)
			}
			depth--
			b.WriteString(")")
		case ',':
			if depth > 0 {
				b.WriteString("|")
			} else {
				b.WriteString(",")
			}
		case '\\':
			if i+1 == len(glob) {
				return nil, fmt.Errorf("trailing backslash")
			}
			i++
			b.WriteString(regexp.QuoteMeta(glob[i : i+1]))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if depth != 0 {
		return nil, fmt.Errorf("unterminated {")
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}
