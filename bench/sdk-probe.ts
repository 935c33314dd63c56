/**
 * A what-if for `npm run bench` only, preloaded with `node -r`: the command as it would start if
 * @pulumi/pulumi loaded `typescript` and `@npmcli/arborist` when it uses them rather than when it is
 * loaded. It loads both at start (3.270: runtime/closure/parseFunction.js and
 * provider/experimental/analyzer.js through typescript-shim.js, runtime/closure/codePaths.js for
 * arborist, which brings pacote, sigstore, npm-registry-fetch, cacache, tar…), and uses them only to
 * serialize functions, find a program's package dependencies and analyze a component provider's
 * sources, none of which a render under mocks does. The SDK's requires of those two get an empty
 * object here; dockyard itself never does this.
 */
import Module = require("module");

const DEFERRED = new Set(["typescript", "@npmcli/arborist"]);
const loader = Module as unknown as { _load(request: string, parent: { filename?: string } | undefined, isMain: boolean): unknown };
const load = loader._load;
loader._load = function (request, parent, isMain) {
    if (DEFERRED.has(request) && /[\\/]@pulumi[\\/]pulumi[\\/]/.test(parent?.filename ?? "")) return {};
    return load.call(this, request, parent, isMain);
};
