/**
 * The Swarm target: an `AppSpec` as Swarm services, overlay networks, volumes, secrets and
 * configs, created through a manager's Docker provider — what `docker stack deploy` would create,
 * with Pulumi state, previews and diffs on top.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dependencyOrder } from "../../spec/order";
import { AppSpec, ServiceSpec } from "../../spec/types";
import { withDefaultTag } from "../../spec/images";
import { ImageSettings, planBuild, planDigestLookup, unbuiltWarning } from "../images";
import { inRegistry, Registry, RegistryArgs, registrySettings } from "../registry";
import { networkName, volumeName } from "../../spec/names";
import { setOwn } from "../../spec/records";
import { DOCKER, DOCKER_FACTORIES, volumeOptions } from "../docker-factories";
import { usedFileContents } from "../file-sources";
import { Plan, PlanOptions, refInput } from "../plan";
import { PlanBuilder } from "../plan-builder";
import { Discovery, Target } from "../target";
import { swarmFindings } from "./support";
import { networkResourceOptions, toConfigArgs, toNetworkArgs, toSecretArgs, toVolumeArgs } from "./objects";
import { FileObjectRef, serviceName, toServiceArgs } from "./service";

export { swarmFindings, SWARM_SUPPORT } from "./support";
export { toServiceArgs, serviceName, ServiceRefs, ServiceOptions } from "./service";
export { toNetworkArgs, networkResourceOptions, toVolumeArgs, toSecretArgs, toConfigArgs, networkName } from "./objects";
export { LABEL_STACK_NAMESPACE, scopedName } from "./naming";

/** Arguments of {@link SwarmTarget}. */
export interface SwarmTargetArgs {
    /**
     * Docker provider of a Swarm manager; every resource is created through it. The ambient
     * default provider (the local socket, on a machine that is a manager) when absent.
     */
    readonly provider?: docker.Provider;
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
    /**
     * The registry services with a `build:` section are built for (on the manager's engine),
     * pushed to and run from, by digest. Its credentials belong to the provider (`registryAuth`,
     * which `SwarmCluster` sets from the same registry); services are created with them, as
     * `docker service create --with-registry-auth` does, so every node can pull. @default none:
     * `build:` sections are not built and their images must already be in a registry
     */
    readonly registry?: RegistryArgs;
    /** Directory local build contexts are kept relative to in state. @default the working directory (under `pulumi`, the project's) */
    readonly projectDir?: string;
}

/** Deploys applications onto a Swarm through a manager's Docker provider. */
export class SwarmTarget implements Target {
    public readonly kind = "swarm" as const;
    public readonly factories = DOCKER_FACTORIES;
    private readonly provider?: docker.Provider;
    private readonly host: string;
    private readonly converge: docker.types.input.ServiceConvergeConfig | undefined;
    private readonly dependsOn: pulumi.Input<pulumi.Resource>[];
    private readonly retainVolumes: boolean;
    private readonly registry?: Registry;
    private readonly projectDir?: string;

    constructor(args: SwarmTargetArgs = {}) {
        // Defaults per field: an explicit `undefined` (a stack setting left out) keeps the default.
        this.provider = args.provider;
        this.host = args.host ?? "localhost";
        this.converge = args.converge === false ? undefined : args.converge ?? { delay: "7s", timeout: "3m" };
        this.dependsOn = args.dependsOn ?? [];
        this.retainVolumes = args.retainVolumes ?? true;
        if (args.registry !== undefined) this.registry = registrySettings(args.registry);
        this.projectDir = args.projectDir;
    }

    public discovery(): Discovery {
        return {
            services: { kind: "dns", name: (service) => `tasks.${service}` },
            engines: { kind: "swarm-nodes", socket: "unix:///var/run/docker.sock", hostName: "host.docker.internal" },
            privileged: false,
            joinsAppNetworks: true,
        };
    }

    public plan(spec: AppSpec, opts: PlanOptions): Plan {
        const b = new PlanBuilder("swarm", spec, opts.name);
        const labels = opts.labels ?? {};
        // Everything that can fail on the description fails here, before any resource exists.
        b.findings.push(...swarmFindings(spec));
        // Read before planning anything: a missing file must not leave half an app.
        let contents: { secrets: Record<string, pulumi.Input<string>>; configs: Record<string, pulumi.Input<string>> } = { secrets: {}, configs: {} };
        b.attempt(() => {
            contents = { secrets: usedFileContents(spec, "secret"), configs: usedFileContents(spec, "config") };
        });
        if (!b.hasErrors()) b.attempt(() => this.planResources(b, spec, labels, contents));
        const services: Record<string, string[]> = Object.create(null);
        for (const s of Object.values(spec.services)) services[s.name] = [serviceName(spec, s.name)];
        const networks: Record<string, string> = Object.create(null);
        for (const key of Object.keys(spec.networks)) networks[key] = networkName(spec, key);
        const volumes: Record<string, string> = Object.create(null);
        for (const key of Object.keys(spec.volumes)) volumes[key] = volumeName(spec, key);
        return b.build({ services, networks, volumes }, { kind: "static", endpoints: endpointsOf(spec, this.host) }, { ...(this.provider ? { provider: this.provider } : {}), dependsOn: this.dependsOn });
    }

    private planResources(b: PlanBuilder, spec: AppSpec, labels: Record<string, string>, contents: { secrets: Record<string, pulumi.Input<string>>; configs: Record<string, pulumi.Input<string>> }): void {
        const shared: string[] = [];
        const networkIds: Record<string, pulumi.Input<string>> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        for (const net of Object.values(spec.networks)) {
            if (net.external) {
                // The provider attaches services by network id: look the existing network up by its name.
                const key = b.add(`network/${net.key}`, DOCKER.getNetwork, { name: networkName(spec, net.key) }, { lookup: true, name: b.name(`network-${net.key}`) });
                networkIds[net.key] = refInput(key, "id");
                continue;
            }
            const key = b.add(`network/${net.key}`, DOCKER.network, toNetworkArgs(spec, net, labels), { name: b.name(`network-${net.key}`), options: networkResourceOptions(net) });
            networkIds[net.key] = refInput(key, "id");
            shared.push(key);
        }
        for (const vol of Object.values(spec.volumes)) {
            if (!vol.external) shared.push(b.add(`volume/${vol.key}`, DOCKER.volume, toVolumeArgs(spec, vol, labels), { name: b.name(`volume-${vol.key}`), options: volumeOptions(this.retainVolumes) }));
        }
        const secrets: Record<string, FileObjectRef> = Object.create(null); // keyed by names users choose
        for (const [key, content] of Object.entries(contents.secrets)) {
            const k = b.add(`secret/${key}`, DOCKER.secret, toSecretArgs(spec, spec.secrets[key], content, labels), { name: b.name(`secret-${key}`) });
            secrets[key] = { id: refInput(k, "id"), name: refInput(k, "name") };
            shared.push(k);
        }
        const configs: Record<string, FileObjectRef> = Object.create(null); // keyed by names users choose
        for (const [key, content] of Object.entries(contents.configs)) {
            const k = b.add(`config/${key}`, DOCKER.serviceConfig, toConfigArgs(spec, spec.configs[key], content, labels), { name: b.name(`config-${key}`) });
            configs[key] = { id: refInput(k, "id"), name: refInput(k, "name") };
            shared.push(k);
        }
        const refs = { networkIds, secrets, configs };
        const settings: ImageSettings = { projectDir: this.projectDir ?? process.cwd(), ...(this.registry ? { registry: this.registry } : {}) };
        for (const s of dependencyOrder(spec)) {
            const image = imageOf(b, s, settings);
            // depends_on becomes creation order: with convergence waiting, a dependency is running
            // (and healthy, when it has a healthcheck) before its dependents are created.
            const after = s.dependsOn.map((d) => `service/${d.service}`).filter((d) => b.has(d));
            b.add(`service/${s.name}`, DOCKER.service, toServiceArgs(spec, s, refs, { labels, converge: this.converge, ...(image !== undefined ? { image } : {}) }), { dependsOn: [...shared, ...after], name: b.name(s.name) });
        }
    }
}

/**
 * The image of a service's tasks when it is not the one named: built on the manager and pushed to
 * the registry (run by digest), or, with `pull_policy: always` or for an image of the target's
 * registry, the tag pinned to the registry's digest, read on every preview, so that a moved tag
 * updates the service. Undefined for the
 * image as named (Swarm resolves a tag to a digest itself when the service is created or updated).
 */
function imageOf(b: PlanBuilder, s: ServiceSpec, settings: ImageSettings): pulumi.Input<string> | undefined {
    if (s.build) {
        if (settings.registry) return planBuild(b, s, settings).image;
        b.warn(`services.${s.name}.build`, unbuiltWarning("swarm", s));
        return undefined;
    }
    // Swarm pins the tag to the digest it resolves when it creates the service, and reads it back so:
    // an image of the target's registry is pinned here too, from the registry's digest read at
    // every preview (as `docker stack deploy --resolve-image always` does), else it would show as
    // a change on every preview once created.
    const ours = settings.registry !== undefined && s.pullPolicy !== "never" && inRegistry(settings.registry, s.image);
    if (s.pullPolicy === "always" || ours) return refInput<string>(planDigestLookup(b, s), "sha256Digest", `${withDefaultTag(s.image)}@{}`);
    return undefined;
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
