/**
 * A Pulumi project as it was at a git revision, for `dockyard diff --rev`: the revision's tree is
 * exported (`git archive`, so the repository, its index and its worktrees are left untouched) into a
 * temporary directory, removed afterwards. The export gets the working tree's node_modules, linked:
 * a revision is rendered with the dependencies installed now, not with those its package.json
 * names (a warning says when its package.json or package-lock.json differ). A program whose entry
 * point is build output (Pulumi.yaml `main: bin/index.js`, not in git) is built first with the
 * project's TypeScript (`tsc -p tsconfig.json`); a TypeScript entry point is transpiled as it
 * loads, as for the working tree.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isDeepStrictEqual } from "util";

/** A revision's project, exported. */
export interface RevisionProject {
    /** The project's directory in the export. */
    readonly projectDir: string;
    /** The revision as given and its abbreviated commit: `HEAD~1 (3f2a9c1)`. */
    readonly label: string;
    /** What the user should know: dependencies that differ from the working tree's. */
    readonly warnings: string[];
    /** Removes the export. */
    remove(): void;
}

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
    const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.error) throw new Error(`git could not be run: ${r.error.message}`);
    return { ok: r.status === 0, out: r.stdout.trim(), err: r.stderr.trim() };
}

/** The top of the git repository holding `dir`. */
export function repositoryOf(dir: string): string {
    const top = git(dir, ["rev-parse", "--show-toplevel"]);
    if (!top.ok) throw new Error(`--rev compares revisions of a git repository, and the project ${dir} is not in one`);
    return top.out;
}

/** The commit `rev` names in the repository at `top`. */
export function commitOf(top: string, rev: string): string {
    const commit = git(top, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
    if (!commit.ok) throw new Error(`--rev ${rev}: no such revision in the repository at ${top}`);
    return commit.out;
}

/** Dependency fields of a package.json, and the lock file, of a directory: what an install would follow. */
function dependencies(dir: string): unknown {
    const read = (f: string) => {
        try {
            return JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as Record<string, unknown>;
        } catch {
            return undefined;
        }
    };
    const pkg = read("package.json");
    const lock = read("package-lock.json");
    return {
        pkg: pkg && [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies, pkg.optionalDependencies],
        lock: lock?.packages,
    };
}

/** Exports the project at `projectDir` (in a git repository) as it was at `rev`. */
export function exportRevision(projectDir: string, rev: string): RevisionProject {
    const top = repositoryOf(projectDir);
    const commit = commitOf(top, rev);
    const label = `${rev} (${commit.slice(0, 7)})`;
    const rel = path.relative(fs.realpathSync(top), fs.realpathSync(projectDir));
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-rev-"));
    const remove = () => fs.rmSync(root, { recursive: true, force: true });
    // A command stopped mid-way (an error, Ctrl-C ends with exit) still removes it.
    process.once("exit", remove);
    try {
        const tar = path.join(root, "tree.tar");
        const archived = git(top, ["archive", "--format=tar", "-o", tar, commit]);
        if (!archived.ok) throw new Error(`--rev ${rev}: git archive failed: ${archived.err}`);
        const tree = path.join(root, "tree");
        fs.mkdirSync(tree);
        const untar = spawnSync("tar", ["-xf", tar, "-C", tree], { encoding: "utf8" });
        if (untar.status !== 0) throw new Error(`--rev ${rev}: unpacking the revision failed: ${untar.stderr || untar.error?.message}`);
        fs.rmSync(tar);
        const exported = path.join(tree, rel);
        const { projectFileIn } = require("./program") as typeof import("./program");
        if (!projectFileIn(exported)) throw new Error(`--rev ${rev}: the project is not there at that revision (no Pulumi.yaml in ${rel || "the repository's top directory"})`);
        // node_modules of the project and of the directories above it up to the repository's top, as require looks for them.
        for (let dir = rel; ; dir = path.dirname(dir)) {
            const d = dir === "." ? "" : dir;
            const modules = path.join(top, d, "node_modules");
            const target = path.join(tree, d, "node_modules");
            if (fs.existsSync(modules) && !fs.existsSync(target)) fs.symlinkSync(fs.realpathSync(modules), target, "dir");
            if (d === "") break;
        }
        const warnings: string[] = [];
        if (!isDeepStrictEqual(dependencies(projectDir), dependencies(exported))) {
            warnings.push(`--rev ${rev}: its package.json or package-lock.json differ from the working tree's; it is rendered with the working tree's node_modules`);
        }
        build(exported, rev);
        return { projectDir: exported, label, warnings, remove };
    } catch (e) {
        remove();
        throw e;
    }
}

/** Builds the exported project when its entry point is build output it does not have: the project's tsc, its tsconfig. */
function build(projectDir: string, rev: string): void {
    const { readProject, loadProgram } = require("./program") as typeof import("./program");
    const project = readProject(projectDir);
    try {
        loadProgram(project);
        return;
    } catch (e) {
        if (!fs.existsSync(path.join(projectDir, "tsconfig.json"))) throw e;
    }
    let tsc: string;
    try {
        tsc = path.join(path.dirname(require.resolve("typescript/package.json", { paths: [projectDir] })), "bin", "tsc");
    } catch {
        throw new Error(`--rev ${rev}: the program's entry point is build output, and the project has no typescript package to build it with`);
    }
    const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: projectDir, encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`--rev ${rev}: building it (tsc -p tsconfig.json) failed:\n${(r.stdout + r.stderr).trim()}`);
}
