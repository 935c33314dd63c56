/**
 * Build contexts: Docker's .dockerignore rules (the cases of moby/patternmatcher's tests), the
 * content hash that triggers a rebuild, and contexts kept relative to the project.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contextHash, DockerignoreMatcher, parseDockerignore, relativeContext } from "../../components/targets/build-context";
import { assertSpecError } from "../harness";

const ignores = (patterns: string[], file: string) => new DockerignoreMatcher(parseDockerignore(patterns.join("\n"))).ignores(file);

describe("targets/build-context", () => {
    describe(".dockerignore, as docker build reads it", () => {
        it("reads lines as moby's ignorefile does: comments, blanks, '!', a leading '/', cleaned paths", () => {
            assert.deepStrictEqual(parseDockerignore("# comment\n\n  node_modules/  \n!keep.txt\n/abs/x\n./a/../b\n! spaced\n"), ["node_modules", "!keep.txt", "abs/x", "b", "!spaced"]);
        });

        it("matches like patternmatcher: *, ?, **, parent directories, and the last matching pattern wins", () => {
            const cases: [string[], string, boolean][] = [
                [["*.md"], "README.md", true],
                [["*.md"], "docs/README.md", false], // * stops at a slash
                [["**/*.md"], "docs/deep/README.md", true],
                [["**/*.md"], "README.md", true], // **/ matches zero directories
                [["docs"], "docs/a/b.txt", true], // a parent directory matches
                [["docs/**"], "docs/a/b.txt", true],
                [["dir/*"], "dir/a", true],
                [["dir/*"], "dir", false],
                [["a?c"], "abc", true],
                [["a?c"], "a/c", false],
                [["*", "!keep"], "keep", false],
                [["*", "!keep", "keep"], "keep", true],
                [["logs", "!logs/important.log"], "logs/important.log", false],
                [["logs", "!logs/important.log"], "logs/other.log", true],
                [["a.b"], "aXb", false], // '.' is literal
                [["[a-c].txt"], "b.txt", true],
                [["\\*.txt"], "*.txt", true],
                [["\\*.txt"], "a.txt", false],
            ];
            for (const [patterns, file, want] of cases) assert.strictEqual(ignores(patterns, file), want, `${JSON.stringify(patterns)} on ${file}`);
        });
    });

    describe("contextHash", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-context-"));
            fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\nCOPY app.txt /\n");
            fs.writeFileSync(path.join(dir, "app.txt"), "v1\n");
            fs.mkdirSync(path.join(dir, "logs"));
            fs.writeFileSync(path.join(dir, "logs", "debug.log"), "noise\n");
            fs.writeFileSync(path.join(dir, ".dockerignore"), "logs\n");
        });
        afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

        it("is the same for the same files, wherever they are and whenever they were written", () => {
            const first = contextHash(dir);
            assert.match(first, /^sha256:[0-9a-f]{64}$/);
            const copy = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-context-copy-"));
            try {
                fs.cpSync(dir, copy, { recursive: true });
                const later = new Date(Date.now() + 60_000);
                fs.utimesSync(path.join(copy, "app.txt"), later, later);
                assert.strictEqual(contextHash(copy), first);
            } finally {
                fs.rmSync(copy, { recursive: true, force: true });
            }
        });

        it("changes with a file the build reads, its mode, a new file, the Dockerfile and the ignore file", () => {
            const seen = new Set([contextHash(dir)]);
            const changed = (what: string, change: () => void) => {
                change();
                const h = contextHash(dir);
                assert.ok(!seen.has(h), `${what} did not change the hash`);
                seen.add(h);
            };
            changed("content", () => fs.writeFileSync(path.join(dir, "app.txt"), "v2\n"));
            changed("mode", () => fs.chmodSync(path.join(dir, "app.txt"), 0o755));
            changed("a new file", () => fs.writeFileSync(path.join(dir, "new.txt"), "x"));
            changed("the Dockerfile", () => fs.appendFileSync(path.join(dir, "Dockerfile"), "LABEL a=b\n"));
            changed("the ignore file", () => fs.appendFileSync(path.join(dir, ".dockerignore"), "new.txt\n"));
        });

        it("does not change with an ignored file, and counts an ignored Dockerfile all the same", () => {
            const before = contextHash(dir);
            fs.writeFileSync(path.join(dir, "logs", "debug.log"), "more noise\n");
            fs.writeFileSync(path.join(dir, "logs", "new.log"), "noise\n");
            assert.strictEqual(contextHash(dir), before);
            fs.writeFileSync(path.join(dir, ".dockerignore"), "logs\nDockerfile.dev\n");
            fs.writeFileSync(path.join(dir, "Dockerfile.dev"), "FROM scratch\n");
            const dev = contextHash(dir, "Dockerfile.dev");
            fs.writeFileSync(path.join(dir, "Dockerfile.dev"), "FROM scratch\nLABEL x=y\n");
            assert.notStrictEqual(contextHash(dir, "Dockerfile.dev"), dev, "the Dockerfile is read by the builder even when ignored");
        });

        it("brings back a file under an ignored directory with a '!' pattern", () => {
            fs.writeFileSync(path.join(dir, ".dockerignore"), "logs\n!logs/keep.log\n");
            const before = contextHash(dir);
            fs.writeFileSync(path.join(dir, "logs", "keep.log"), "kept\n");
            assert.notStrictEqual(contextHash(dir), before);
        });
    });

    describe("relativeContext", () => {
        it("keeps a context relative to the project, '.' for the project itself", () => {
            assert.strictEqual(relativeContext("/p/app/web", "/p", "services.web.build.context"), "app/web");
            assert.strictEqual(relativeContext("/p", "/p", "services.web.build.context"), ".");
        });

        it("refuses a context outside the project, naming the path, the context and the project", () => {
            assertSpecError(() => relativeContext("/elsewhere/web", "/p", "services.web.build.context"), "services.web.build.context", "/elsewhere/web", "outside the project directory /p");
            assertSpecError(() => relativeContext("/p-other", "/p", "services.web.build.context"), "outside the project directory");
        });
    });
});
