/**
 * Evaluates a Pulumi program offline, under Pulumi's mock runtime, and returns every resource it
 * would register: the desired state of a stack without credentials, a daemon or the Pulumi CLI.
 * `dockyard render` prints it; tests assert on it.
 */
import type * as pulumi from "@pulumi/pulumi";

/** The `@pulumi/pulumi` module a program uses: dockyard's own unless a render names another. */
export type PulumiSdk = typeof pulumi;

// Loaded when a render runs without an `sdk` of its own, so a render of another project's program loads one SDK, not two.
const ownSdk = (): PulumiSdk => require("@pulumi/pulumi") as PulumiSdk;

/** One registered resource. */
export interface RenderedResource {
    /** Pulumi type token, e.g. `docker:index/container:Container`. */
    readonly type: string;
    readonly name: string;
    /** Name of the parent resource, when it has one other than the stack. */
    readonly parent?: string;
    /** Inputs as sent to the provider: secrets as "[secret]", unknowns as "(known after apply)". */
    readonly inputs: Record<string, unknown>;
    /** Names of the resources it explicitly depends on. */
    readonly dependsOn: string[];
}

export interface RenderOptions {
    /** @default "dockyard" */
    readonly project?: string;
    /** @default "dev" */
    readonly stack?: string;
    /** Configuration, with project-qualified keys (`dockyard:wordpressPort`). */
    readonly config?: Record<string, string>;
    /** Keys of `config` that are secrets. */
    readonly secretKeys?: string[];
    /**
     * Where the program's warnings (`pulumi.log.warn`) go. By default they are printed on stderr as
     * `warning: <message>`, without the `[runtime]` prefix the SDK adds when no engine is attached.
     */
    readonly onWarning?: (warning: RenderWarning) => void;
    /**
     * Placeholders that say what they stand for: the mock runtime's ids as `(id of <resource>)`
     * and a pulled image's id as `(id of image <name>)` (a container's `image` input). By default ids
     * are `<resource>-id` and image ids unknown, "(known after apply)".
     */
    readonly namedPlaceholders?: boolean;
    /**
     * `Error.stackTraceLimit` while the program runs (restored after). Pulumi's SDK records a stack
     * trace for every internal promise, for its leak report; with 0 a render of many resources takes
     * about half the time, with the same result, but errors thrown meanwhile carry no stack.
     * @default the process's limit, untouched
     */
    readonly stackTraceLimit?: number;
    /**
     * The `@pulumi/pulumi` module the program requires. Pulumi's Node SDK keeps its runtime state
     * (settings, config, the monitor) in a process-wide store that every copy of the SDK shares, but
     * each copy has its own functions around it (`log.warn`, `serializeProperties`): a program with
     * its own copy (another project's node_modules) is rendered through that copy.
     * @default dockyard's own `@pulumi/pulumi`
     */
    readonly sdk?: PulumiSdk;
}

/** A warning the program logged while it was rendered. */
export interface RenderWarning {
    readonly message: string;
    /** The resource it was logged for, when there is one. */
    readonly resource?: string;
}

/** What a program would deploy: its resources and its stack outputs. */
export interface RenderedProgram {
    readonly resources: RenderedResource[];
    /** The program's outputs (what it returns), secrets and unknowns marked as in the inputs. */
    readonly outputs: Record<string, unknown>;
}

export const SECRET = "[secret]";
export const UNKNOWN = "(known after apply)";

/** The id the mock runtime gives a resource, with `namedPlaceholders`. */
export function mockId(name: string): string {
    return `(id of ${name})`;
}

/** The id of a pulled or built image, with `namedPlaceholders`. */
export function imageIdPlaceholder(image: string): string {
    return `(id of image ${image})`;
}

/** The image a `(id of image <name>)` placeholder stands for. */
export function imageOfPlaceholder(value: unknown): string | undefined {
    return typeof value === "string" ? /^\(id of image (.+)\)$/.exec(value)?.[1] : undefined;
}

const REMOTE_IMAGE = "docker:index/remoteImage:RemoteImage";

/**
 * Makes a property value as the SDK sent it printable: secrets masked where they are (one secret
 * element of a list does not hide the others), unknowns named, resource references by name.
 */
function clean(value: unknown, runtime: PulumiSdk["runtime"]): unknown {
    if (value === runtime.unknownValue) return UNKNOWN;
    if (value === null || typeof value !== "object") return value;
    if (Array.isArray(value)) return value.map((x) => clean(x, runtime));
    const v = value as Record<string, unknown>;
    switch (v[runtime.specialSigKey]) {
        case runtime.specialSecretSig:
            return SECRET;
        case runtime.specialResourceSig:
            return typeof v.urn === "string" ? `(resource ${urnName(v.urn)})` : "(resource)";
        case undefined:
            break;
        default:
            return "(asset)";
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = clean(v[k], runtime);
    return out;
}

function urnName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `program` under mocks and returns its resources in registration order. Renders run one
 * after another: the mock runtime is process-global.
 */
export async function render(program: () => unknown, options: RenderOptions = {}): Promise<RenderedResource[]> {
    return (await renderProgram(program, options)).resources;
}

/** As `render`, with the program's outputs too. */
export function renderProgram(program: () => unknown, options: RenderOptions = {}): Promise<RenderedProgram> {
    const run = queue.then(() => renderNow(program, options));
    queue = run.catch(() => undefined);
    return run;
}

function printWarning(w: RenderWarning): void {
    console.warn(`warning: ${w.message}`);
}

async function renderNow(program: () => unknown, options: RenderOptions): Promise<RenderedProgram> {
    const project = options.project ?? "dockyard";
    const stack = options.stack ?? "dev";
    const named = options.namedPlaceholders === true;
    const sdk = options.sdk ?? ownSdk();
    const found: RenderedResource[] = [];
    const meta = new Map<string, { parent?: string; dependsOn: string[]; inputs: Record<string, unknown> }>();

    await sdk.runtime.setMocks(
        {
            newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
                const m = meta.get(`${args.type}::${args.name}`) ?? { dependsOn: [], inputs: {} };
                found.push({
                    type: args.type,
                    name: args.name,
                    ...(m.parent ? { parent: m.parent } : {}),
                    inputs: clean(m.inputs, sdk.runtime) as Record<string, unknown>,
                    dependsOn: m.dependsOn,
                });
                const state = named && args.type === REMOTE_IMAGE && typeof args.inputs.name === "string" ? { ...args.inputs, imageId: imageIdPlaceholder(args.inputs.name) } : args.inputs;
                return { id: named ? mockId(args.name) : `${args.name}-id`, state };
            },
            call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
                return args.inputs;
            },
        },
        project,
        stack,
        true,
    );
    sdk.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);

    // The mock monitor does not hand parents and dependencies to `newResource`; read them off the request.
    const monitor = sdk.runtime.getMonitor() as unknown as {
        registerResource(req: RegisterRequest, cb: unknown): void;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: RegisterRequest, cb: unknown) => {
        const parent = req.getParent();
        meta.set(`${req.getType()}::${req.getName()}`, {
            ...(parent && !parent.includes("pulumi:pulumi:Stack") ? { parent: urnName(parent) } : {}),
            dependsOn: req.getDependenciesList().map(urnName),
            // The raw properties still mark each secret where it is; `newResource` gets them deserialized,
            // with the secretness of one list element spread to the whole list.
            inputs: (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        });
        register(req, cb);
    };

    // Without an engine, the SDK prints warnings itself, as "warning: [runtime] …"; the SDK offers no other
    // hook, so pulumi.log.warn is replaced for the time of the render (renders never overlap).
    const log = sdk.log as { warn: typeof pulumi.log.warn };
    const sdkWarn = log.warn;
    const onWarning = options.onWarning ?? printWarning;
    log.warn = (message: string, resource?: pulumi.Resource) => {
        // The SDK keeps a resource's name as `__name` (internal, but stable since 2.x).
        const name = (resource as unknown as { __name?: string } | undefined)?.__name;
        onWarning({ message, ...(name !== undefined ? { resource: name } : {}) });
        return Promise.resolve();
    };
    const stackTraceLimit = Error.stackTraceLimit;
    if (options.stackTraceLimit !== undefined) Error.stackTraceLimit = options.stackTraceLimit;
    try {
        let result = program();
        if (result && typeof (result as Promise<unknown>).then === "function") result = await result;
        const outputs = result !== null && typeof result === "object" ? clean(await sdk.runtime.serializeProperties("outputs", result as pulumi.Inputs), sdk.runtime) : {};
        await (sdk.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
        return { resources: found, outputs: outputs as Record<string, unknown> };
    } finally {
        log.warn = sdkWarn;
        Error.stackTraceLimit = stackTraceLimit;
    }
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getDependenciesList(): string[];
    getObject(): { toJavaScript(): unknown } | undefined;
}
