/** What the real tests need to know of a stack before deploying it: the images it runs. */
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { run } from "./engine";

interface Rendered {
    type: string;
    name: string;
    inputs: Record<string, any>;
}

/** The resources `dockyard render --stack` plans for a stack (offline, under Pulumi's mocks). */
export function renderStack(stack: string): Rendered[] {
    const out = run(process.execPath, [path.join(REPO_ROOT, "bin", "cli", "dockyard.js"), "render", "--json", "--stack", stack], { cwd: REPO_ROOT, timeoutMs: 120_000 });
    return JSON.parse(out.stdout) as Rendered[];
}

/** Every image a rendered plan runs: RemoteImage names and Swarm task images. */
export function imagesOf(resources: Rendered[]): string[] {
    const images = new Set<string>();
    for (const r of resources) {
        if (r.type === "docker:index/remoteImage:RemoteImage" && typeof r.inputs.name === "string") images.add(r.inputs.name);
        const task = r.inputs.taskSpec?.containerSpec?.image;
        if (r.type === "docker:index/service:Service" && typeof task === "string") images.add(task.replace(/@sha256:.*$/, ""));
    }
    return [...images];
}
