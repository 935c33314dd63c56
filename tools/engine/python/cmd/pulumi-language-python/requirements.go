package main

import (
	"regexp"
	"strings"
)

// requirementName matches the distribution name a requirements.txt line starts with.
var requirementName = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9._-]*)`)

// linkRequirements returns requirements.txt's content with the local SDKs added: each SDK's
// directory (relative to the project, as `pulumi package add` writes it) on a line of its own,
// replacing any earlier line for the same distribution or path, so that adding a package twice
// leaves one line. Other lines, comments and the file's line endings are kept.
//
// sdks maps a distribution name (e.g. pulumi_testpkg) to its path.
func linkRequirements(content string, sdks map[string]string, order []string) string {
	eol := "\n"
	if strings.Contains(content, "\r\n") {
		eol = "\r\n"
	}
	lines := regexp.MustCompile("\r?\n").Split(content, -1)
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	names := map[string]bool{}
	paths := map[string]bool{}
	for name, path := range sdks {
		names[normalizeName(name)] = true
		paths[cleanReqPath(path)] = true
	}
	kept := make([]string, 0, len(lines)+len(sdks))
	for _, line := range lines {
		trimmed := strings.TrimSpace(line)
		if trimmed != "" && !strings.HasPrefix(trimmed, "#") && !strings.HasPrefix(trimmed, "-") {
			if paths[cleanReqPath(trimmed)] {
				continue
			}
			if m := requirementName.FindStringSubmatch(trimmed); m != nil && !strings.Contains(trimmed, "/") && names[normalizeName(m[1])] {
				continue
			}
		}
		kept = append(kept, line)
	}
	for _, name := range order {
		kept = append(kept, sdks[name])
	}
	return strings.Join(kept, eol) + eol
}

func cleanReqPath(p string) string {
	p = strings.TrimSpace(p)
	p = strings.TrimPrefix(p, "./")
	return strings.TrimSuffix(p, "/")
}

// requirementPath is how a local SDK directory is written into requirements.txt: pip takes a line
// for a path only when it looks like one, so a bare relative name gets "./".
func requirementPath(rel string) string {
	rel = strings.ReplaceAll(rel, "\\", "/")
	if strings.HasPrefix(rel, "/") || strings.HasPrefix(rel, ".") {
		return rel
	}
	return "./" + rel
}
