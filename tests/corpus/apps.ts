/**
 * The Compose applications of the shared corpus, as the corpus tests and the benchmark use them:
 * each awesome-compose app's one Compose file, dockprom's main file, and dockprom's exporters
 * file on its own (it is meant for hosts that only run exporters, not to be merged).
 */
import * as fs from "fs";
import * as path from "path";
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
