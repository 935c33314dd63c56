/**
 * A local build context as the builder sees it: the files `docker build` would send (its
 * `.dockerignore` applied with Docker's own matching rules, moby/patternmatcher), hashed so that a
 * change of any of them, of the Dockerfile or of the ignore file rebuilds the image and nothing
 * else does; and the context's path relative to the project, which is what Pulumi state keeps.
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { SpecError } from "../spec/errors";

interface IgnorePattern {
    readonly exclusion: boolean;
    readonly re: RegExp;
}

/** The patterns of a `.dockerignore`, as moby's ignorefile.ReadAll reads them. */
export function parseDockerignore(text: string): string[] {
    const out: string[] = [];
    for (const raw of text.split(/\r?\n/)) {
        if (raw.startsWith("#")) continue;
        let line = raw.trim();
        if (line === "") continue;
        let invert = false;
        if (line.startsWith("!")) {
            invert = true;
            line = line.slice(1).trim();
        }
        if (line.length > 0) {
            line = path.posix.normalize(line).replace(/\/+$/, "") || "/";
            if (line.length > 1 && line.startsWith("/")) line = line.slice(1);
        }
        out.push(invert ? `!${line}` : line);
    }
    return out;
}

/** One pattern as a regular expression over slash-separated relative paths (patternmatcher's compile). */
function compile(pattern: string): IgnorePattern {
    const exclusion = pattern.startsWith("!");
    const p = exclusion ? pattern.slice(1) : pattern;
    let re = "^";
    for (let i = 0; i < p.length; i++) {
        const ch = p[i];
        if (ch === "*") {
            if (p[i + 1] === "*") {
                i++;
                if (p[i + 1] === "/") i++;
                re += i + 1 >= p.length ? ".*" : "(.*/)?";
            } else {
                re += "[^/]*";
            }
        } else if (ch === "?") {
            re += "[^/]";
        } else if (".+()|{}$".includes(ch)) {
            re += `\\${ch}`;
        } else if (ch === "\\") {
            i++;
            if (i < p.length) re += `\\${p[i]}`;
        } else {
            re += ch;
        }
    }
    re += "$";
    try {
        return { exclusion, re: new RegExp(re) };
    } catch {
        throw new SpecError("is not a valid .dockerignore pattern", ".dockerignore", pattern);
    }
}

/** Decides, as `docker build` does, whether a context path is left out by the ignore patterns. */
export class DockerignoreMatcher {
    private readonly patterns: IgnorePattern[];
    /** Whether some `!` pattern may bring back a file under an ignored directory. */
    public readonly hasExceptions: boolean;

    constructor(patterns: readonly string[]) {
        this.patterns = patterns.map(compile);
        this.hasExceptions = this.patterns.some((p) => p.exclusion);
    }

    /** `file`: relative to the context, slash-separated. The last pattern that matches the file or one of its parent directories decides. */
    public ignores(file: string): boolean {
        const dirs = file.split("/").slice(0, -1);
        let matched = false;
        for (const p of this.patterns) {
            if (p.exclusion !== matched) continue;
            let match = p.re.test(file);
            for (let i = 0; !match && i < dirs.length; i++) match = p.re.test(dirs.slice(0, i + 1).join("/"));
            if (match) matched = !p.exclusion;
        }
        return matched;
    }
}

/**
 * `sha256:<hex>` of what a build of this context reads: every file and directory the
 * `.dockerignore` keeps (path, type, permission bits, content or link target), the ignore file and
 * the Dockerfile (also when it is ignored or outside the context, as the builder still reads it).
 * Modification times and owners are left out: a fresh checkout hashes the same.
 * @param dockerfile the Dockerfile, relative to the context or absolute. @default "Dockerfile"
 */
export function contextHash(context: string, dockerfile = "Dockerfile"): string {
    const hash = crypto.createHash("sha256");
    const add = (...parts: (string | Buffer)[]) => {
        for (const part of parts) {
            hash.update(typeof part === "string" ? Buffer.from(part) : part);
            hash.update("\0");
        }
    };
    const ignoreFile = path.join(context, ".dockerignore");
    const ignoreText = fs.existsSync(ignoreFile) ? fs.readFileSync(ignoreFile, "utf8") : "";
    const matcher = new DockerignoreMatcher(parseDockerignore(ignoreText));
    const dockerfilePath = path.resolve(context, dockerfile);
    add("dockerfile", fs.existsSync(dockerfilePath) ? fs.readFileSync(dockerfilePath) : "(none)");
    const walk = (dir: string, rel: string) => {
        const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const e of entries) {
            const relPath = rel === "" ? e.name : `${rel}/${e.name}`;
            const full = path.join(dir, e.name);
            const ignored = matcher.ignores(relPath);
            const st = fs.lstatSync(full);
            if (st.isDirectory()) {
                if (!ignored) add("dir", relPath, (st.mode & 0o7777).toString(8));
                // Under an ignored directory only a `!` pattern can bring a file back.
                if (!ignored || matcher.hasExceptions) walk(full, relPath);
            } else if (!ignored) {
                if (st.isSymbolicLink()) add("link", relPath, fs.readlinkSync(full));
                else if (st.isFile()) add("file", relPath, (st.mode & 0o7777).toString(8), crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex"));
                else add("other", relPath);
            }
        }
    };
    walk(context, "");
    return `sha256:${hash.digest("hex")}`;
}

/**
 * A local context relative to the project directory (`.` for the directory itself), as state
 * keeps it: the same in every checkout, wherever it lives.
 * @throws SpecError when the context is outside the project directory
 */
export function relativeContext(context: string, projectDir: string, where: string): string {
    const rel = path.relative(projectDir, context);
    if (rel === "") return ".";
    if (rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
        throw new SpecError(
            `the build context ${context} is outside the project directory ${projectDir}: Pulumi state keeps a context relative to the project, ` +
                "so that it does not depend on where the checkout lives; move the context into the project, or run the program from a directory that contains it",
            where, context,
        );
    }
    return rel.split(path.sep).join("/");
}
