/**
 * The Docker-host target: one container per service replica on a single engine, with the app's
 * networks, volumes and images. The semantics live in ./convert; this file plans them in order.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { networkName, volumeName } from "../../spec/names";
import { dependencyOrder } from "../../spec/order";
import { AppSpec, ServiceSpec } from "../../spec/types";
import { ImageSettings, planBuild, planDigestLookup } from "../images";
import { Registry, RegistryArgs, registrySettings } from "../registry";
import { DOCKER, DOCKER_FACTORIES, volumeOptions } from "../docker-factories";
import { usedFileContents } from "../file-sources";
import { Plan, PlannedNames, PlanOptions, refInput } from "../plan";
import { PlanBuilder } from "../plan-builder";
import { dockerFindings } from "./support";
import { Discovery, Target } from "../target";
import {
    containerResourceOptions, ContainerModes, FileContents, imageArgs, planFiles, serviceContainerName, toContainerArgs,
    toFilesContainerArgs, toFilesVolumeArgs, toNetworkArgs, toVolumeArgs,
} from "./convert";

export * from "./convert";
export { dockerFindings, DOCKER_SUPPORT } from "./support";

/** Arguments of {@link DockerTarget}. */
export interface DockerTargetArgs {
    /** Provider of the engine to deploy to; the ambient default provider (local socket) when absent. */
    readonly provider?: docker.Provider;
    /** Host name that published ports are reached at, used in endpoints. @default "localhost" */
    readonly host?: string;
    /**
     * Keep volumes when they are deleted from the program or the stack is destroyed, as
     * `docker compose down` keeps them; remove them by hand with `docker volume rm`. @default true
     */
    readonly retainVolumes?: boolean;
    /**
     * The registry built images are pushed to (and run from, by digest). Its credentials belong to
     * the provider (`registryAuth`, see `registryAuth()`), which `DockerHost` sets from the same
     * registry; images pulled from it need them too. @default none: built images stay on the engine
     */
    readonly registry?: RegistryArgs;
    /** Directory local build contexts are kept relative to in state. @default the working directory (under `pulumi`, the project's) */
    readonly projectDir?: string;
}

export class DockerTarget implements Target {
    public readonly kind = "docker" as const;
    public readonly factories = DOCKER_FACTORIES;
    private readonly provider?: docker.Provider;
    private readonly host: string;
    private readonly retainVolumes: boolean;
    private readonly registry?: Registry;
    private readonly projectDir?: string;

    constructor(args: DockerTargetArgs = {}) {
        // Defaults per field: an explicit `undefined` (a stack setting left out) keeps the default.
        this.provider = args.provider;
        this.host = args.host ?? "localhost";
        this.retainVolumes = args.retainVolumes ?? true;
        if (args.registry !== undefined) this.registry = registrySettings(args.registry);
        this.projectDir = args.projectDir;
    }

    public discovery(): Discovery {
        return { services: { kind: "address" }, engines: { kind: "host-gateway", hostName: "host.docker.internal" }, privileged: true, joinsAppNetworks: true };
    }

    public plan(spec: AppSpec, opts: PlanOptions): Plan {
        const b = new PlanBuilder("docker", spec, opts.name);
        const labels = opts.labels ?? {};
        b.findings.push(...dockerFindings(spec));
        const names = plannedNames(spec);
        // Read every secret/config before planning anything: a missing file must not leave half an app.
        let contents: { secrets: FileContents; configs: FileContents } = { secrets: {}, configs: {} };
        b.attempt(() => {
            contents = { secrets: usedFileContents(spec, "secret"), configs: usedFileContents(spec, "config") };
        });
        const containers: Record<string, string> = Object.create(null); // first container's key by service (names users choose)
        if (!b.hasErrors()) b.attempt(() => this.planResources(b, spec, labels, contents, containers));
        return b.build(names, { kind: "containers", containers, host: this.host }, this.provider ? { provider: this.provider } : {});
    }

    private planResources(b: PlanBuilder, spec: AppSpec, labels: Record<string, string>, contents: { secrets: FileContents; configs: FileContents }, endpoints: Record<string, string>): void {
        const shared: string[] = [];
        for (const n of Object.values(spec.networks)) {
            if (!n.external) shared.push(b.add(`network/${n.key}`, DOCKER.network, toNetworkArgs(spec, n, labels), { name: b.name(`network-${n.key}`) }));
        }
        for (const v of Object.values(spec.volumes)) {
            if (!v.external) shared.push(b.add(`volume/${v.key}`, DOCKER.volume, toVolumeArgs(spec, v, labels), { name: b.name(`volume-${v.key}`), options: volumeOptions(this.retainVolumes) }));
        }
        const images: Record<string, pulumi.Input<string>> = Object.create(null); // keyed by names users choose
        const settings = { projectDir: this.projectDir ?? process.cwd(), ...(this.registry ? { registry: this.registry } : {}) };
        for (const s of Object.values(spec.services)) images[s.name] = planImage(b, s, settings);

        const healthWaited = new Set(Object.values(spec.services).flatMap((s) => s.dependsOn.filter((d) => d.condition === "healthy").map((d) => d.service)));
        const containers: Record<string, string[]> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        // `container:<id>` of each service's first container, for the `service:` namespaces of later ones.
        const containerModes: ContainerModes = Object.create(null);
        for (const s of dependencyOrder(spec)) {
            const image = images[s.name];
            const deps = s.dependsOn.flatMap((d) => containers[d.service] ?? []);
            const count = s.mode === "global" ? 1 : s.replicas;
            // Secrets and configs the containers cannot receive by upload come from files volumes (see planFiles).
            const fileVolumes = planFiles(spec, s).volumes.map((v) => b.add(`files-volume/${v.key}`, DOCKER.volume, toFilesVolumeArgs(spec, s, v, labels), { name: b.name(`volume-${v.key}`) }));
            const filesArgs = toFilesContainerArgs(spec, s, { image, ...contents, labels });
            const files = filesArgs && b.add(`files/${s.name}`, DOCKER.container, filesArgs, { dependsOn: fileVolumes, name: b.name(`${s.name}-files`) });
            containers[s.name] = [];
            for (let i = 1; i <= count; i++) {
                const args = toContainerArgs(spec, s, i, {
                    image,
                    ...contents,
                    labels,
                    waitHealthy: healthWaited.has(s.name),
                    containerModes,
                    ...(files ? { filesRevision: refInput<string>(files, "id") } : {}),
                });
                const options = containerResourceOptions(s);
                containers[s.name].push(b.add(`container/${s.name}/${i}`, DOCKER.container, args, {
                    name: b.name(`${s.name}-${i}`),
                    dependsOn: [...shared, ...fileVolumes, ...(files ? [files] : []), ...deps],
                    options: { ...(options.ignoreChanges ? { ignoreChanges: [...options.ignoreChanges] } : {}), ...(options.replaceOnChanges ? { replaceOnChanges: [...options.replaceOnChanges] } : {}) },
                }));
            }
            if (containers[s.name].length) containerModes[s.name] = refInput(containers[s.name][0], "id", "container:{}");
            if (s.ports.length && containers[s.name].length) endpoints[s.name] = containers[s.name][0];
        }
    }
}

/**
 * The image a service's containers run. Built (see ../images): the engine's image by id, or with a
 * registry the pushed one by digest. Pulled, by `pull_policy`: `missing` (the default) pulls it when
 * the engine lacks it; `always` also pulls again whenever the registry's digest of the tag moves
 * (the containers are then replaced); `never` uses the engine's image as named, pulling nothing.
 */
function planImage(b: PlanBuilder, s: ServiceSpec, settings: ImageSettings): pulumi.Input<string> {
    if (s.build) return planBuild(b, s, settings).image;
    if (s.pullPolicy === "never") return s.image;
    const args = imageArgs(s, settings.projectDir);
    if (s.pullPolicy === "always") {
        const digest = planDigestLookup(b, s);
        return refInput(b.add(`image/${s.name}`, DOCKER.remoteImage, { ...args, pullTriggers: [refInput(digest, "sha256Digest")] }, { name: b.name(`image-${s.name}`) }), "imageId");
    }
    return refInput(b.add(`image/${s.name}`, DOCKER.remoteImage, args, { name: b.name(`image-${s.name}`) }), "imageId");
}

/** The names a Docker host gives the app's objects: containers `<app>-<service>-<n>` (or `container_name`), networks and volumes as Compose names them. */
export function plannedNames(spec: AppSpec): PlannedNames {
    const services: Record<string, string[]> = Object.create(null);
    for (const s of Object.values(spec.services)) {
        const count = s.mode === "global" ? 1 : s.replicas;
        services[s.name] = Array.from({ length: count }, (_, i) => serviceContainerName(spec, s, i + 1));
    }
    const networks: Record<string, string> = Object.create(null);
    for (const key of Object.keys(spec.networks)) networks[key] = networkName(spec, key);
    const volumes: Record<string, string> = Object.create(null);
    for (const key of Object.keys(spec.volumes)) volumes[key] = volumeName(spec, key);
    return { services, networks, volumes };
}
