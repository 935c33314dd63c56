/**
 * The dockyard program: one environment per stack (stacks/Pulumi.<stack>.yaml), built from
 * validated configuration. Exporting a function lets `dockyard render` evaluate it offline.
 */
import * as pulumi from "@pulumi/pulumi";
import { checkKnownKeys, checkSecretKeys, readStackConfig, SECRET_KEYS } from "./stacks/config";
import { buildEnvironment, StackSecrets } from "./stacks/environment";

// Whether a config value was set with --secret: the SDK has it, marked internal; without it, no check.
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret?: (key: string) => boolean };

export = () => {
    const config = new pulumi.Config();
    const keys = Object.keys(pulumi.runtime.allConfig());
    checkKnownKeys(keys, pulumi.getStack());
    if (isConfigSecret) checkSecretKeys(keys, isConfigSecret, pulumi.getStack());
    const secrets: StackSecrets = Object.fromEntries(SECRET_KEYS.map((k) => [k, config.getSecret(k)]));
    return buildEnvironment(readStackConfig((key) => config.get(key), pulumi.getStack()), secrets);
};
