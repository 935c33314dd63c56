/**
 * The Swarm target: an `AppSpec` as Swarm services, overlay networks, volumes, secrets and
 * configs, created through a manager's Docker provider — what `docker stack deploy` would create,
 * with Pulumi state, previews and diffs on top.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dependencyOrder } from "../../spec/order";
import { AppSpec } from "../../spec/types";
import { setOwn } from "../../spec/records";
import { usedFileContents } from "../file-sources";
import { DeployedApp, DeployOptions, Target } from "../target";
import { checkSwarmSupport } from "./compatibility";
import { networkName, networkResourceOptions, toConfigArgs, toNetworkArgs, toSecretArgs, toVolumeArgs } from "./objects";
import { FileObjectRef, toServiceArgs } from "./service";

export { checkSwarmSupport, SwarmWarning } from "./compatibility";
export { toServiceArgs, serviceName, ServiceRefs, ServiceOptions } from "./service";
export { toNetworkArgs, networkResourceOptions, toVolumeArgs, toSecretArgs, toConfigArgs, networkName } from "./objects";
export { LABEL_STACK_NAMESPACE, scopedName } from "./naming";

/** Arguments of {@link SwarmTarget}. */
export interface SwarmTargetArgs {
    /** Docker provider of a Swarm manager; every resource is created through it. */
    readonly provider: docker.Provider;
    /** Host name or address put in endpoint URLs (any node serves ingress ports). @default "localhost" */
    readonly host?: string;
    /**
     * Convergence waiting for replicated services (`pulumi up` returns once all replicas run or
     * fails after `timeout`); `false` returns as soon as Swarm accepted the service.
     * @default { delay: "7s", timeout: "3m" }
     */
    readonly converge?: docker.types.input.ServiceConvergeConfig | false;
    /** Resources everything waits for, e.g. the command that formed the swarm. @default [] */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
    /**
     * Keep the application's volumes (and their data) when the stack is destroyed, as
     * `docker stack rm` does; remove them by hand with `docker volume rm`. @default true
     */
    readonly retainVolumes?: boolean;
}

const DEFAULTS = { host: "localhost", converge: { delay: "7s", timeout: "3m" }, dependsOn: [], retainVolumes: true };

/** Deploys applications onto a Swarm through a manager's Docker provider. */
export class SwarmTarget implements Target {
    public readonly kind = "swarm" as const;
    private readonly args: Required<SwarmTargetArgs>;

    constructor(args: SwarmTargetArgs) {
        this.args = { ...DEFAULTS, ...args } as Required<SwarmTargetArgs>;
    }

    public deploy(spec: AppSpec, opts: DeployOptions): DeployedApp {
        // Everything that can fail on the description fails here, before any resource exists.
        const warnings = checkSwarmSupport(spec);
        const labels = opts.labels ?? {};
        // Read before creating anything: a missing file must not leave half an app.
        const contents = { secrets: usedFileContents(spec, "secret"), configs: usedFileContents(spec, "config") };
        for (const w of warnings) pulumi.log.warn(`${w.path}: ${w.message}`, opts.parent);

        const resourceOpts: pulumi.CustomResourceOptions = { parent: opts.parent, provider: this.args.provider, dependsOn: this.args.dependsOn };
        const child = (role: string) => `${opts.name}-${role}`;
        const resources: Record<string, pulumi.Resource> = Object.create(null); // keyed by names users choose (a service may be called "constructor")

        const networkIds: Record<string, pulumi.Input<string>> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        for (const net of Object.values(spec.networks)) {
            if (net.external) {
                networkIds[net.key] = docker.getNetworkOutput({ name: networkName(spec, net.key) }, { parent: opts.parent, provider: this.args.provider }).id;
                continue;
            }
            const n = new docker.Network(child(`network-${net.key}`), toNetworkArgs(spec, net, labels), { ...resourceOpts, ...networkResourceOptions(net) });
            networkIds[net.key] = n.id;
            resources[`network-${net.key}`] = n;
        }
        for (const vol of Object.values(spec.volumes)) {
            if (vol.external) continue;
            resources[`volume-${vol.key}`] = new docker.Volume(child(`volume-${vol.key}`), toVolumeArgs(spec, vol, labels), {
                ...resourceOpts,
                retainOnDelete: this.args.retainVolumes,
            });
        }
        const secrets: Record<string, FileObjectRef> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        for (const [key, content] of Object.entries(contents.secrets)) {
            const s = new docker.Secret(child(`secret-${key}`), toSecretArgs(spec, spec.secrets[key], content, labels), resourceOpts);
            secrets[key] = { id: s.id, name: s.name };
            resources[`secret-${key}`] = s;
        }
        const configs: Record<string, FileObjectRef> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        for (const [key, content] of Object.entries(contents.configs)) {
            const c = new docker.ServiceConfig(child(`config-${key}`), toConfigArgs(spec, spec.configs[key], content, labels), resourceOpts);
            configs[key] = { id: c.id, name: c.name };
            resources[`config-${key}`] = c;
        }

        const refs = { networkIds, secrets, configs };
        const converge = this.args.converge === false ? undefined : this.args.converge;
        const services: Record<string, docker.Service> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        for (const s of dependencyOrder(spec)) {
            // depends_on becomes creation order: with convergence waiting, a dependency is running
            // (and healthy, when it has a healthcheck) before its dependents are created.
            const after = s.dependsOn.flatMap((d) => (services[d.service] ? [services[d.service]] : []));
            services[s.name] = new docker.Service(child(s.name), toServiceArgs(spec, s, refs, { labels, converge }), {
                ...resourceOpts,
                dependsOn: [...this.args.dependsOn, ...Object.values(resources), ...after],
            });
        }
        for (const [name, svc] of Object.entries(services)) resources[name] = svc;

        return { endpoints: pulumi.output(endpointsOf(spec, this.args.host)), resources };
    }
}

/**
 * Published ports by service, as `host:port` (`host:port/udp` for UDP), the form the Docker-host
 * target reports. Ingress ports answer on every node, host-mode ports on the nodes running a
 * task; both are shown at `host`. A port Swarm picks itself (no `published`) is not known before
 * deployment and is left out.
 */
export function endpointsOf(spec: AppSpec, host: string): Record<string, string[]> {
    const at = host.includes(":") ? `[${host}]` : host;
    const out: Record<string, string[]> = {};
    for (const s of Object.values(spec.services)) {
        const urls = s.ports
            .filter((p) => p.published !== undefined && p.protocol !== "sctp")
            .map((p) => `${at}:${p.published}${p.protocol === "udp" ? "/udp" : ""}`);
        if (urls.length > 0) setOwn(out, s.name, [...new Set(urls)]);
    }
    return out;
}
