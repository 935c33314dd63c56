/**
 * Builds one environment from its validated configuration: the runtime the stack chose, and the
 * applications on it. `index.ts` is only `buildEnvironment(readStackConfig(...))`.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { App } from "../components/app";
import { DockerHost } from "../components/docker-host";
import { Target } from "../components/targets/target";
import { StackConfig } from "./config";
import { wordpressApp } from "./wordpress";

/** Secrets of the stack, read with `config.getSecret` (undefined when not set). */
export interface StackSecrets {
    readonly dbPassword?: pulumi.Output<string>;
}

export interface EnvironmentOutputs {
    readonly wordpressUrl: pulumi.Output<string>;
    readonly endpoints: pulumi.Output<Record<string, string[]>>;
}

function makeTarget(c: StackConfig): Target {
    switch (c.runtime) {
        case "docker":
            return new DockerHost("host", { host: c.dockerHost, publicHost: c.publicHost }).target;
        default:
            throw new Error(`runtime "${c.runtime}" is not available yet in this program`);
    }
}

export function buildEnvironment(c: StackConfig, secrets: StackSecrets): EnvironmentOutputs {
    const target = makeTarget(c);
    // Generated once and kept in state, so a newcomer's first `pulumi up` needs no extra step.
    const dbPassword = secrets.dbPassword ?? new random.RandomPassword("db-password", { length: 24, special: false }).result;
    const wordpress = new App("wordpress", {
        target,
        spec: wordpressApp({
            port: c.wordpressPort,
            wordpressImage: c.wordpressImage,
            dbImage: c.dbImage,
            dbPassword,
            replicas: c.wordpressReplicas,
            wordpressLimits: { cpus: c.wordpressCpus, memory: c.wordpressMemory },
            dbLimits: { cpus: c.dbCpus, memory: c.dbMemory },
        }),
    });
    return {
        wordpressUrl: pulumi.interpolate`http://${c.publicHost}:${c.wordpressPort}`,
        endpoints: wordpress.endpoints,
    };
}
