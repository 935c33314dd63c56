/**
 * The Docker-host target: one container per service replica on a single engine, with the app's
 * networks, volumes and images. The semantics live in ./convert; this file only creates resources.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { dependencyOrder } from "../../spec/order";
import { AppSpec } from "../../spec/types";
import { usedFileContents } from "../file-sources";
import { DeployedApp, DeployOptions, Target } from "../target";
import {
    checkForDockerHost, containerResourceOptions, ContainerModes, dockerHostWarnings, imageArgs, planFiles, toContainerArgs, toFilesContainerArgs,
    toFilesVolumeArgs, toNetworkArgs, toVolumeArgs,
} from "./convert";

export * from "./convert";

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
    private readonly args: Required<Pick<DockerTargetArgs, "host" | "retainVolumes">> & DockerTargetArgs;

    constructor(args: DockerTargetArgs = {}) {
        this.args = { host: "localhost", retainVolumes: true, ...args };
    }

    public deploy(spec: AppSpec, opts: DeployOptions): DeployedApp {
        checkForDockerHost(spec);
        for (const w of dockerHostWarnings(spec)) pulumi.log.warn(`docker: ${w}`, opts.parent);
        // Read every secret/config before creating anything: a missing file must not leave half an app.
        const secrets = usedFileContents(spec, "secret");
        const configs = usedFileContents(spec, "config");
        const child = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
            parent: opts.parent,
            ...(this.args.provider ? { provider: this.args.provider } : {}),
            ...extra,
        });
        const resources: Record<string, pulumi.Resource> = Object.create(null); // keyed by names users choose (a service may be called "constructor")

        const networks: pulumi.Resource[] = [];
        for (const n of Object.values(spec.networks)) {
            if (n.external) continue;
            const r = new docker.Network(`${opts.name}-network-${n.key}`, toNetworkArgs(spec, n, opts.labels), child());
            resources[`network-${n.key}`] = r;
            networks.push(r);
        }
        const volumes: pulumi.Resource[] = [];
        for (const v of Object.values(spec.volumes)) {
            if (v.external) continue;
            const r = new docker.Volume(`${opts.name}-volume-${v.key}`, toVolumeArgs(spec, v, opts.labels), child({ retainOnDelete: this.args.retainVolumes }));
            resources[`volume-${v.key}`] = r;
            volumes.push(r);
        }

        const images: Record<string, docker.RemoteImage> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        for (const s of Object.values(spec.services)) {
            images[s.name] = new docker.RemoteImage(`${opts.name}-image-${s.name}`, imageArgs(s), child());
            resources[`image-${s.name}`] = images[s.name];
        }

        const healthWaited = new Set(Object.values(spec.services).flatMap((s) => s.dependsOn.filter((d) => d.condition === "healthy").map((d) => d.service)));
        const containers: Record<string, docker.Container[]> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        // `container:<id>` of each service's first container, for the `service:` namespaces of later ones.
        const containerModes: ContainerModes = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        const endpoints: pulumi.Output<string[]>[] = [];
        const endpointServices: string[] = [];
        for (const s of dependencyOrder(spec)) {
            const deps = s.dependsOn.flatMap((d) => containers[d.service] ?? []);
            const count = s.mode === "global" ? 1 : s.replicas;
            // Secrets and configs the containers cannot receive by upload come from files volumes (see planFiles).
            const fileVolumes = planFiles(spec, s).volumes.map((v) => {
                const r = new docker.Volume(`${opts.name}-volume-${v.key}`, toFilesVolumeArgs(spec, s, v, opts.labels), child());
                resources[`volume-${v.key}`] = r;
                return r;
            });
            const filesArgs = toFilesContainerArgs(spec, s, { image: images[s.name].imageId, secrets, configs, labels: opts.labels });
            const files = filesArgs && new docker.Container(`${opts.name}-${s.name}-files`, filesArgs, child({ dependsOn: fileVolumes }));
            if (files) resources[`${s.name}-files`] = files;
            containers[s.name] = [];
            for (let i = 1; i <= count; i++) {
                const c = new docker.Container(
                    `${opts.name}-${s.name}-${i}`,
                    toContainerArgs(spec, s, i, {
                        image: images[s.name].imageId,
                        secrets,
                        configs,
                        labels: opts.labels,
                        waitHealthy: healthWaited.has(s.name),
                        containerModes,
                        ...(files ? { filesRevision: files.id } : {}),
                    }),
                    child({ dependsOn: [...networks, ...volumes, ...fileVolumes, ...(files ? [files] : []), ...deps], ...containerResourceOptions(s) }),
                );
                containers[s.name].push(c);
                resources[`${s.name}-${i}`] = c;
            }
            if (containers[s.name].length) containerModes[s.name] = containers[s.name][0].id.apply((id) => `container:${id}`);
            if (s.ports.length && containers[s.name].length) {
                endpointServices.push(s.name);
                endpoints.push(serviceEndpoints(containers[s.name][0], this.args.host));
            }
        }
        return {
            endpoints: pulumi.all(endpoints).apply((lists) => Object.fromEntries(endpointServices.map((name, i) => [name, lists[i]]))),
            resources,
        };
    }
}

/** `host:port` of every published port (with `/udp` for UDP), as the engine reports it after creation. */
function serviceEndpoints(container: docker.Container, host: string): pulumi.Output<string[]> {
    return container.ports.apply((ports) =>
        (ports ?? [])
            .filter((p) => p.external !== undefined)
            .map((p) => {
                const ip = p.ip && p.ip !== "0.0.0.0" && p.ip !== "::" ? p.ip : host;
                return `${ip.includes(":") ? `[${ip}]` : ip}:${p.external}${p.protocol === "udp" ? "/udp" : ""}`;
            }),
    );
}
