/**
 * The Docker-host target: one container per service replica on a single engine, with the app's
 * networks, volumes and images. The semantics live in ./convert; this file plans them in order.
 */
import * as docker from "@pulumi/docker";
import { networkName, volumeName } from "../../spec/names";
import { dependencyOrder } from "../../spec/order";
import { AppSpec } from "../../spec/types";
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
}

export class DockerTarget implements Target {
    public readonly kind = "docker" as const;
    public readonly factories = DOCKER_FACTORIES;
    private readonly provider?: docker.Provider;
    private readonly host: string;
    private readonly retainVolumes: boolean;

    constructor(args: DockerTargetArgs = {}) {
        // Defaults per field: an explicit `undefined` (a stack setting left out) keeps the default.
        this.provider = args.provider;
        this.host = args.host ?? "localhost";
        this.retainVolumes = args.retainVolumes ?? true;
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
        for (const s of Object.values(spec.services)) b.add(`image/${s.name}`, DOCKER.remoteImage, imageArgs(s), { name: b.name(`image-${s.name}`) });

        const healthWaited = new Set(Object.values(spec.services).flatMap((s) => s.dependsOn.filter((d) => d.condition === "healthy").map((d) => d.service)));
        const containers: Record<string, string[]> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        // `container:<id>` of each service's first container, for the `service:` namespaces of later ones.
        const containerModes: ContainerModes = Object.create(null);
        for (const s of dependencyOrder(spec)) {
            const image = refInput(`image/${s.name}`, "imageId");
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
