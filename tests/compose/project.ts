/** Scratch Compose projects for tests: files written to a fresh temporary directory. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ComposeWarning, LoadComposeOptions, loadCompose } from "../../components/compose";
import { AppSpec } from "../../components/spec/types";

/** The scratch directories of this run, removed when the test process exits. */
const scratch: string[] = [];
process.on("exit", () => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path → content) into a new temporary directory and returns it (removed at exit). */
export function writeProject(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-compose-"));
    scratch.push(dir);
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

/** Loads `compose.yaml` (or `composeFiles`) from a scratch project as project "app", with an empty environment and collected warnings. */
export function loadProject(
    files: Record<string, string>,
    options: LoadComposeOptions & { readonly composeFiles?: string[] } = {},
): { spec: AppSpec; warnings: string[]; dir: string } {
    const dir = writeProject(files);
    const warnings: string[] = [];
    const names = options.composeFiles ?? ["compose.yaml"];
    const spec = loadCompose(names.map((n) => path.join(dir, n)), {
        projectName: "app",
        env: {},
        homeDir: "/home/u",
        onWarning: (w: ComposeWarning) => warnings.push(w.message),
        ...options,
    });
    return { spec, warnings, dir };
}

/** Loads a single compose.yaml text; returns the spec only. */
export function loadYaml(text: string, options: LoadComposeOptions = {}): AppSpec {
    return loadProject({ "compose.yaml": text }, options).spec;
}
