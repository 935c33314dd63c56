/**
 * The `dockyard` command's start-up: `@pulumi/pulumi` (3.270) loads `typescript` (through its
 * typescript-shim) and `@npmcli/arborist` (pacote, sigstore, npm-registry-fetch, cacache, tar…) when
 * it is loaded, and uses them only to serialize functions, find a program's package dependencies and
 * analyze a component provider's sources — none of which a render under mocks does. Together they
 * are about 0.35 s of a 0.75 s render (`npm run bench`, start-up rows).
 *
 * For the command only (never for a program using the library), the SDK's requires of those two get
 * a stand-in that loads the real module the first time anything is read from it, so behaviour is
 * unchanged if the SDK ever uses them. The SDK tried to load typescript lazily itself
 * (pulumi/pulumi#10185) and its maintainers plan to move the closure code out of the core package;
 * when it is gone this hook matches nothing and does nothing.
 */
import Module = require("module");

type Loader = {
    _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown;
    _resolveFilename(request: string, parent: unknown, isMain: boolean): string;
};

/** Module files the SDK requires at load time and a render never uses, by the end of their resolved path. */
const DEFERRED = [/[\\/]@pulumi[\\/]pulumi[\\/]typescript-shim\.js$/, /[\\/]@npmcli[\\/]arborist[\\/]/];
const FROM_SDK = /[\\/]@pulumi[\\/]pulumi[\\/]/;

/** A stand-in for a module that loads it on first use. `__esModule` is answered without loading, so TypeScript's `__importStar` keeps the stand-in. */
function lazyModule(load: () => object): object {
    let real: object | undefined;
    const target = () => (real ??= load());
    return new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : Reflect.get(target(), key)),
            has: (_, key) => Reflect.has(target(), key),
            ownKeys: () => Reflect.ownKeys(target()),
            getOwnPropertyDescriptor: (_, key) => {
                const d = Reflect.getOwnPropertyDescriptor(target(), key);
                // A proxy may not report a property of its (empty) target as non-configurable.
                return d ? { ...d, configurable: true } : undefined;
            },
        },
    );
}

let installed = false;

/** Installs the deferral for this process (idempotent). */
export function deferUnusedSdkRequires(): void {
    if (installed) return;
    installed = true;
    const loader = Module as unknown as Loader;
    const load = loader._load;
    const standIns = new Map<string, object>();
    loader._load = function (request, parent, isMain) {
        // Only these requests are resolved here: resolving every require of the SDK twice would cost what it saves.
        if ((request === "@npmcli/arborist" || request.endsWith("typescript-shim")) && parent?.filename && FROM_SDK.test(parent.filename)) {
            let file: string | undefined;
            try {
                file = loader._resolveFilename(request, parent, isMain);
            } catch {
                file = undefined;
            }
            if (file !== undefined && DEFERRED.some((d) => d.test(file!))) {
                let standIn = standIns.get(file);
                if (!standIn) {
                    standIn = lazyModule(() => load.call(this, request, parent, isMain) as object);
                    standIns.set(file, standIn);
                }
                return standIn;
            }
        }
        return load.call(this, request, parent, isMain);
    };
}
