/** Helpers for the CLI tests: the compiled `dockyard` command run as a separate process, and scratch directories. */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness";

/** The compiled command, as `npx dockyard` (package.json's `bin`) runs it. */
export const DOCKYARD_JS = path.join(REPO_ROOT, "bin", "cli", "dockyard.js");

export interface Run {
    readonly code: number | null;
    readonly signal: NodeJS.Signals | null;
    readonly stdout: string;
    readonly stderr: string;
}

/**
 * Runs `node -- bin/cli/dockyard.js ...args` in its own process, with the Node running the tests,
 * as the command's first line (`#!/usr/bin/env -S node --`) runs it.
 */
export function dockyard(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return runProcess(process.execPath, ["--", DOCKYARD_JS, ...args], options);
}

/** Runs the compiled command through its own first line (`#!…`), as the kernel runs an installed `dockyard`, with the tests' Node first on the PATH. */
export function dockyardThroughShebang(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    const line = fs.readFileSync(DOCKYARD_JS, "utf8").split("\n", 1)[0];
    const m = /^#!\s*(\S+)(?:\s+(.*))?$/.exec(line);
    if (!m) throw new Error(`${DOCKYARD_JS} has no #! line`);
    // The kernel passes the rest of the line as one argument, then the script's path, then the arguments.
    const env = { ...(options.env ?? process.env) };
    env.PATH = `${path.dirname(process.execPath)}${path.delimiter}${env.PATH ?? ""}`;
    return runProcess(m[1], [...(m[2] !== undefined ? [m[2].trim()] : []), DOCKYARD_JS, ...args], { ...options, env });
}

/** Runs `bash -c script` with `$NODE` and `$DOCKYARD` set, for real shell pipes. */
export function bash(script: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return runProcess("bash", ["-c", script], { ...options, env: { ...process.env, ...options.env, NODE: process.execPath, DOCKYARD: DOCKYARD_JS } });
}

export function runProcess(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (b: Buffer) => out.push(b));
        child.stderr.on("data", (b: Buffer) => err.push(b));
        child.on("error", reject);
        child.on("close", (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
    });
}

/** A scratch directory holding `files` (name to content), removed by the returned function. */
export function scratch(files: Record<string, string>): { dir: string; remove(): void } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-cli-"));
    for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), content);
    }
    return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** A Compose file whose rendering is far larger than a pipe's 64 KiB buffer: 4 services, 20 variables of 1000 characters each. */
export function wideCompose(services = 4): string {
    let text = "name: wide\nservices:\n";
    for (let i = 0; i < services; i++) {
        text += `  svc${i}:\n    image: nginx:1.27\n    ports: ["${8000 + i}:80"]\n    environment:\n`;
        for (let j = 0; j < 20; j++) text += `      VAR_${j}: "${String(j % 10).repeat(1000)}"\n`;
    }
    return text;
}
