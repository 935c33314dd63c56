/**
 * Runs the real validators (promtool, amtool) on generated files. A missing tool is a failure
 * that says how to install it, never a skipped test.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface ToolResult {
    readonly code: number;
    readonly output: string;
}

/** Runs `tool args…` in `cwd`; throws with an install hint when the tool is not on PATH. */
export function runTool(tool: "promtool" | "amtool", args: string[], cwd: string): ToolResult {
    const r = childProcess.spawnSync(tool, args, { cwd, encoding: "utf8" });
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
        const pkg = tool === "promtool" ? "prometheus" : "prometheus-alertmanager";
        throw new Error(`${tool} is not installed; it validates the generated files. Install it: apt-get update && apt-get install -y ${pkg}`);
    }
    if (r.error) throw r.error;
    return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}

/** A fresh temporary directory holding `files` (paths relative to it). */
export function writeTempTree(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-monitoring-"));
    for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
    return dir;
}
