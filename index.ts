/**
 * The dockyard program: one environment per stack (stacks/Pulumi.<stack>.yaml), built from
 * validated configuration. Exporting a function lets `dockyard render` evaluate it offline.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkKnownKeys, readStackConfig, SECRET_KEYS } from "./stacks/config";
import { buildEnvironment, StackSecrets } from "./stacks/environment";

export = () => {
    const config = new pulumi.Config();
    checkKnownKeys(Object.keys(pulumi.runtime.allConfig()), pulumi.getStack());
    const secrets: StackSecrets = Object.fromEntries(SECRET_KEYS.map((k) => [k, config.getSecret(k)]));
    return buildEnvironment(readStackConfig((key) => config.get(key), pulumi.getStack()), secrets);
};
