/**
 * The entry point of the component package (pulumi-package/package.json `main`): Pulumi's
 * run-plugin loads this module and calls the function it exports, with the engine's arguments in
 * process.argv, to serve {@link DockyardProvider} over gRPC.
 */
import * as pulumi from "@pulumi/pulumi";
import { DockyardProvider } from "./provider";

export = function serve(): Promise<void> {
    return pulumi.provider.main(new DockyardProvider(), process.argv.slice(2));
};
