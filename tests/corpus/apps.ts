/**
 * The Compose applications of the shared corpus, as the corpus tests and the benchmark use them:
 * each awesome-compose app's one Compose file, dockprom's main file, and dockprom's exporters
 * file on its own (it is meant for hosts that only run exporters, not to be merged).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { AppSpec } from "../../components/spec/types";
import { CORPUS_DIR } from "../harness";

export { CORPUS_DIR };

/** One application of the corpus. */
export interface CorpusApp {
    /** Short name used in test titles and tables: the awesome-compose directory, `dockprom`, `dockprom-exporters`. */
    readonly app: string;
    /** Its Compose file (absolute). */
    readonly file: string;
}

/** The file Compose itself would pick in `dir` (compose.yaml first, as `docker compose` does). */
function composeFileIn(dir: string): string | undefined {
    const candidates = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];
    const found = candidates.find((name) => fs.existsSync(path.join(dir, name)));
    return found === undefined ? undefined : path.join(dir, found);
}

/** Every corpus application, in a stable order (awesome-compose by name, then dockprom). */
export function corpusApps(): CorpusApp[] {
    const awesome = path.join(CORPUS_DIR, "awesome-compose");
    const apps: CorpusApp[] = [];
    for (const entry of fs.readdirSync(awesome, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isDirectory()) continue;
        const file = composeFileIn(path.join(awesome, entry.name));
        if (file) apps.push({ app: entry.name, file });
    }
    apps.push(
        { app: "dockprom", file: path.join(CORPUS_DIR, "dockprom", "docker-compose.yml") },
        { app: "dockprom-exporters", file: path.join(CORPUS_DIR, "dockprom", "docker-compose.exporters.yml") },
    );
    return apps;
}

/**
 * A copy of the app's directory (the Compose file) in a temporary directory, with a stand-in for
 * every missing file the spec reads from the project (the corpus holds the Compose files only):
 * bound files of the project — a one-line file when the container path looks like a file (has an
 * extension), else a folder holding one — and secret and config files. Returns the copied Compose
 * file; the copy is added to `copies` for the caller to remove. Sources outside the project get no
 * stand-in, except under `home`, a temporary home directory the caller loaded the spec with.
 */
export function withStandIns(dir: string, file: string, spec: AppSpec, copies: string[], home?: string): string {
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-project-"));
    copies.push(copy);
    fs.cpSync(dir, copy, { recursive: true });
    // Only inside the copy, or inside the test's own home directory: nothing else is ever written.
    const inside = (root: string, p: string) => {
        const rel = path.relative(root, p);
        return !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : undefined;
    };
    const inCopy = (source: string): string | undefined => {
        const rel = inside(dir, source);
        if (rel !== undefined) return path.join(copy, rel);
        return home !== undefined && inside(home, source) !== undefined ? source : undefined;
    };
    for (const s of Object.values(spec.services)) {
        for (const m of s.mounts) {
            if (m.type !== "bind" || m.projectDir === undefined) continue;
            const at = inCopy(m.source);
            if (at === undefined || fs.existsSync(at)) continue;
            if (path.extname(m.target) !== "") {
                fs.mkdirSync(path.dirname(at), { recursive: true });
                fs.writeFileSync(at, "# stand-in\n");
            } else {
                fs.mkdirSync(at, { recursive: true });
                fs.writeFileSync(path.join(at, "stand-in.conf"), "# stand-in\n");
            }
        }
    }
    for (const src of [...Object.values(spec.secrets), ...Object.values(spec.configs)]) {
        if (src.external || src.file === undefined) continue;
        const at = inCopy(src.file);
        if (at === undefined || fs.existsSync(at)) continue;
        fs.mkdirSync(path.dirname(at), { recursive: true });
        fs.writeFileSync(at, "stand-in\n");
    }
    return path.join(copy, path.basename(file));
}
