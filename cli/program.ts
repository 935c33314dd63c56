/**
 * A Pulumi project's Node.js program, found and loaded as the Pulumi CLI and its Node.js language
 * host (`@pulumi/pulumi/cmd/run`) find and load it, for `dockyard render --stack` and `diff --stack`:
 *
 * - the project is the nearest `Pulumi.yaml` at or above the working directory, or `--program DIR`;
 * - its program is `main` of Pulumi.yaml (a file, or a directory as `require` reads one), else the
 *   entry point of its package.json (`exports`, `main`), else `index.js`/`index.ts` in the project;
 * - it runs in the project's directory, with the project's own `@pulumi/pulumi` (the render sets
 *   the mocks on that module: see RenderOptions.sdk);
 * - a TypeScript program is transpiled as it is required, without type checking (as Pulumi's
 *   ts-node does with `transpileOnly`), by the project's own `typescript` (else the one Pulumi's
 *   SDK vendors), with the project's tsconfig.json options, in CommonJS.
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { PulumiSdk } from "../components/render";

/** The names the Pulumi CLI accepts for a project file, in its order. */
const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

/** A project's file, read: what a render needs of it. */
export interface PulumiProject {
    readonly dir: string;
    /** Pulumi.yaml's path. */
    readonly file: string;
    readonly name: string;
    readonly main?: string;
    readonly stackConfigDir?: string;
    /** runtime.options.typescript (default true): whether `.ts` files are transpiled. */
    readonly typescript: boolean;
    /** Pulumi.yaml's `config:` block. */
    readonly config: Record<string, unknown>;
}

/** The project file in `dir`, if there is one. */
export function projectFileIn(dir: string): string | undefined {
    return PROJECT_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
}

/** The nearest directory at or above `from` holding a project file, as the Pulumi CLI finds its project. */
export function findProjectDir(from: string): string | undefined {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        if (projectFileIn(dir)) return dir;
        if (path.dirname(dir) === dir) return undefined;
    }
}

/** Reads the project in `dir`; no project file, a project without a name or another runtime than nodejs are errors. */
export function readProject(dir: string): PulumiProject {
    const file = projectFileIn(dir);
    if (!file) throw new Error(`no Pulumi project in ${dir}: it has no Pulumi.yaml`);
    let doc: unknown;
    try {
        doc = YAML.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`${file}: not valid YAML: ${(e as Error).message}`);
    }
    const p = (doc ?? {}) as { name?: unknown; main?: unknown; stackConfigDir?: unknown; runtime?: unknown; config?: unknown };
    if (typeof p.name !== "string" || !p.name) throw new Error(`${file}: the project has no name (name: is required)`);
    const runtime = typeof p.runtime === "string" ? { name: p.runtime } : ((p.runtime ?? {}) as { name?: unknown; options?: { typescript?: unknown } });
    if (runtime.name !== "nodejs") {
        throw new Error(`${file}: the project's runtime is ${JSON.stringify(runtime.name ?? null)}: dockyard renders Node.js programs (runtime: nodejs) only`);
    }
    return {
        dir,
        file,
        name: p.name,
        ...(typeof p.main === "string" ? { main: p.main } : {}),
        ...(typeof p.stackConfigDir === "string" ? { stackConfigDir: p.stackConfigDir } : {}),
        typescript: runtime.options?.typescript !== false,
        config: p.config !== null && typeof p.config === "object" ? (p.config as Record<string, unknown>) : {},
    };
}

/** A program ready to run: the SDK it uses, and the function that runs it (requires it, calls what it exports). */
export interface LoadedProgram {
    /** The entry point, as resolved. */
    readonly entry: string;
    /** The project's own `@pulumi/pulumi`, when it has one. */
    readonly sdk?: PulumiSdk;
    /** Runs the program: its module's exports (or what its exported function returns) are the stack outputs. */
    run(): unknown;
}

/** Where a Pulumi program starts, as the Node.js language host finds it (before `require` resolves it). */
function entryCandidate(project: PulumiProject): string {
    if (project.main !== undefined) return path.resolve(project.dir, project.main);
    const pkgFile = path.join(project.dir, "package.json");
    if (fs.existsSync(pkgFile)) {
        let pkg: { exports?: unknown; main?: unknown } = {};
        try {
            pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as typeof pkg;
        } catch (e) {
            throw new Error(`${pkgFile}: not valid JSON: ${(e as Error).message}`);
        }
        const dot = pkg.exports !== null && typeof pkg.exports === "object" ? (pkg.exports as Record<string, unknown>)["."] : undefined;
        const entry =
            typeof pkg.exports === "string" ? pkg.exports
            : typeof dot === "string" ? dot
            : dot !== null && typeof dot === "object" ? ((dot as Record<string, unknown>).default ?? (dot as Record<string, unknown>).require)
            : pkg.exports === undefined ? pkg.main : undefined;
        if (typeof entry === "string" && fs.existsSync(path.join(project.dir, entry))) return path.join(project.dir, entry);
    }
    return project.dir;
}

/** Whether `dir` declares ES modules (package.json `type: module`), which this loader does not run. */
function isEsmPackage(dir: string): boolean {
    try {
        return (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { type?: unknown }).type === "module";
    } catch {
        return false;
    }
}

/** The program's entry file, as `require` resolves it; `.ts` files count once TypeScript is registered. */
export function resolveEntry(project: PulumiProject): string | undefined {
    const candidate = entryCandidate(project);
    const request = fs.existsSync(candidate) && fs.statSync(candidate).isDirectory() ? candidate + path.sep : candidate;
    try {
        return require.resolve(request);
    } catch {
        return undefined;
    }
}

interface TypeScriptModule {
    readonly version: string;
    transpileModule(input: string, options: { compilerOptions: object; fileName: string; reportDiagnostics?: boolean }): { outputText: string };
    readConfigFile(file: string, read: (f: string) => string | undefined): { config?: unknown; error?: { messageText: unknown } };
    parseJsonConfigFileContent(json: unknown, host: unknown, basePath: string): { options: Record<string, unknown> };
    readonly sys: unknown;
    readonly ModuleKind: { CommonJS: number };
    readonly ScriptTarget: { ES2020: number };
    readonly ModuleResolutionKind: { Node10?: number; NodeJs?: number };
}

/** Projects whose `.ts` files are transpiled, longest directory first, with their compiler and options. */
const typeScriptProjects: { dir: string; ts: TypeScriptModule; compilerOptions: object }[] = [];

/** The project's `typescript`, else the one `@pulumi/pulumi` vendors (as Pulumi falls back to it). */
function typeScriptOf(project: PulumiProject, sdkFile: string | undefined): TypeScriptModule | undefined {
    for (const [request, paths] of [["typescript", [project.dir]], ["./typescript-shim", sdkFile ? [path.dirname(sdkFile)] : []]] as const) {
        if (!paths.length) continue;
        try {
            return require(require.resolve(request, { paths: [...paths] })) as TypeScriptModule;
        } catch {
            // next
        }
    }
    return undefined;
}

/** Compiler options: Pulumi's defaults for ts-node, then tsconfig.json's, always emitting CommonJS. */
function compilerOptionsOf(ts: TypeScriptModule, project: PulumiProject): object {
    const tsconfig = path.join(project.dir, process.env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json");
    let fromFile: Record<string, unknown> = {};
    if (fs.existsSync(tsconfig)) {
        const read = ts.readConfigFile(tsconfig, (f) => (fs.existsSync(f) ? fs.readFileSync(f, "utf8") : undefined));
        if (read.error) throw new Error(`${tsconfig}: ${typeof read.error.messageText === "string" ? read.error.messageText : "cannot be read"}`);
        fromFile = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(tsconfig)).options;
    }
    const { declaration, declarationMap, composite, emitDeclarationOnly, noEmit, incremental, tsBuildInfoFile, ...rest } = fromFile;
    void [declaration, declarationMap, composite, emitDeclarationOnly, noEmit, incremental, tsBuildInfoFile];
    return { target: ts.ScriptTarget.ES2020, ...rest, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10 ?? ts.ModuleResolutionKind.NodeJs, sourceMap: false, inlineSourceMap: false };
}

/** Registers `.ts` for `project`: `require` resolves and transpiles its TypeScript files. */
function registerTypeScript(project: PulumiProject, ts: TypeScriptModule): void {
    if (!typeScriptProjects.some((p) => p.dir === project.dir)) {
        typeScriptProjects.push({ dir: project.dir, ts, compilerOptions: compilerOptionsOf(ts, project) });
        typeScriptProjects.sort((a, b) => b.dir.length - a.dir.length);
    }
    const extensions = (require("module") as { _extensions: Record<string, (m: NodeModule, file: string) => void> })._extensions;
    if (extensions[".ts"]) return;
    extensions[".ts"] = (m, file) => {
        const owner = typeScriptProjects.find((p) => file.startsWith(p.dir + path.sep)) ?? typeScriptProjects[0];
        const { outputText } = owner.ts.transpileModule(fs.readFileSync(file, "utf8"), { compilerOptions: owner.compilerOptions, fileName: file, reportDiagnostics: false });
        (m as unknown as { _compile(code: string, file: string): void })._compile(outputText, file);
    };
}

/** This command's own compiled modules (bin/), which stay loaded whichever project is rendered. */
const OWN_MODULES = path.resolve(__dirname, "..") + path.sep;

/**
 * Forgets the project's own modules (not its node_modules, nor this command's), so a second render
 * of it (the other side of a diff) runs its top-level code again, as a new `pulumi` process would.
 */
function forgetModules(dir: string): void {
    const prefix = dir + path.sep;
    for (const file of Object.keys(require.cache)) {
        if (file.startsWith(prefix) && !file.startsWith(OWN_MODULES) && !file.slice(prefix.length).split(path.sep).includes("node_modules")) delete require.cache[file];
    }
}

/**
 * Prepares the project's program: its SDK, TypeScript when its files need it, its entry point. The
 * program is not required yet: it creates resources as it loads, so it runs under the mocks.
 */
export function loadProgram(project: PulumiProject, entryOverride?: string): LoadedProgram {
    if (isEsmPackage(project.dir)) {
        throw new Error(`${path.join(project.dir, "package.json")}: the program is an ES module package (type: module); dockyard renders CommonJS programs (TypeScript compiled to CommonJS included) only`);
    }
    let sdkFile: string | undefined;
    try {
        sdkFile = require.resolve("@pulumi/pulumi", { paths: [project.dir] });
    } catch {
        sdkFile = undefined;
    }
    const ts = project.typescript ? typeScriptOf(project, sdkFile) : undefined;
    if (ts) registerTypeScript(project, ts);
    const entry = entryOverride ?? resolveEntry(project);
    if (entry === undefined) {
        const candidate = path.relative(project.dir, entryCandidate(project)) || ".";
        throw new Error(
            `${project.file}: the program's entry point ${project.main !== undefined ? `(main: ${project.main})` : `(${candidate}: package.json's main, else index.js or index.ts)`} was not found` +
                (!project.typescript ? " (runtime.options.typescript is false: .ts files are not loaded)" : ""),
        );
    }
    if (/\.[cm]?tsx?$/.test(entry) && !ts) {
        throw new Error(`${entry}: a TypeScript program, and neither the project nor its @pulumi/pulumi has the typescript package: npm install --save-dev typescript`);
    }
    const sdk = sdkFile !== undefined ? (require(sdkFile) as PulumiSdk) : undefined;
    return {
        entry,
        ...(sdk ? { sdk } : {}),
        run() {
            forgetModules(project.dir);
            const exported = require(entry) as unknown;
            return exported instanceof Function ? (exported as () => unknown)() : exported;
        },
    };
}
