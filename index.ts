/**
 * The dockyard program: one environment per stack (stacks/Pulumi.<stack>.yaml), built from
 * validated configuration. Exporting a function lets `dockyard render` evaluate it offline.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkKnownKeys, readStackConfig } from "./stacks/config";
import { buildEnvironment } from "./stacks/environment";

export = () => {
    const config = new pulumi.Config();
    checkKnownKeys(Object.keys(pulumi.runtime.allConfig()), pulumi.getStack());
    return buildEnvironment(readStackConfig((key) => config.get(key), pulumi.getStack()), {
        dbPassword: config.getSecret("dbPassword"),
    });
};
