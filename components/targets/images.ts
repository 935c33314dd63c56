/**
 * Where a workload's image comes from, planned the same way on every target: pulled (as the
 * service's `pull_policy` says), or built from its `build:` section with the docker provider's
 * image resource and, with a registry, pushed there and run by the digest the registry gave it.
 *
 * The builder is the docker provider's `RemoteImage` with a build block: BuildKit in the Docker
 * engine, driven through the engine API (the provider embeds buildx's client), so it needs no
 * plugin beyond the docker one and works with any engine from API 1.39 (Debian's 20.10 included).
 * It builds one platform per image. Rebuilds are decided by a content hash of the context
 * (`triggers`), so an unchanged context is no diff and a changed file replaces the image, which
 * pushes it again and moves the workloads to the new digest.
 */
import * as fs from "fs";
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { isRemoteContext } from "../spec/build-context";
import { withDefaultTag } from "../spec/images";
import { BuildSpec, ServiceSpec } from "../spec/types";
import { MAPPED, mapped, MappedScalar } from "./support";
import { contextHash, relativeContext } from "./build-context";
import { DOCKER } from "./docker-factories";
import { Ref, refInput } from "./plan";
import { PlanBuilder } from "./plan-builder";
import { pushedName, Registry } from "./registry";

/** What a target builds and pushes with. */
export interface ImageSettings {
    /** Directory contexts are kept relative to: the Pulumi project's (the program's working directory). */
    readonly projectDir: string;
    /** Where built images are pushed; without it they stay on the engine that built them. */
    readonly registry?: Registry;
    /** The plan's name of the provider that builds and pushes (`PlannedResource.provider`). @default the plan's provider */
    readonly provider?: string;
}

/** The docker provider's build block for a service's `build:` section. */
export function buildBlock(s: ServiceSpec, name: string, projectDir: string): docker.types.input.RemoteImageBuild {
    const b = s.build!;
    const where = `services.${s.name}.build.context`;
    // Compose builds for the service's platform when the build names none; one platform per image.
    const platform = b.platforms?.length === 1 ? b.platforms[0] : s.platform;
    return {
        // A Git or HTTP(S) context goes to the engine as a remote context (the provider's
        // `remoteContext`); the local `context` it still requires is then unused.
        ...(isRemoteContext(b.context) ? { context: ".", remoteContext: b.context } : { context: relativeContext(b.context, projectDir, where) }),
        ...(platform !== undefined ? { platform } : {}),
        ...(b.dockerfile ? { dockerfile: b.dockerfile } : {}),
        ...(Object.keys(b.args).length ? { buildArgs: b.args } : {}),
        ...(b.target ? { target: b.target } : {}),
        ...(Object.keys(b.labels).length ? { label: b.labels } : {}),
        // pull_policy always on a built image: the builder pulls its base images afresh.
        ...(s.pullPolicy === "always" ? { pullParent: true } : {}),
        tags: [name],
    };
}

/**
 * What rebuilds a local context: the hash of its files. A context that does not exist has none
 * (the build fails, and the warning says so before); a remote one is rebuilt when its URL changes.
 */
export function buildTriggers(s: ServiceSpec, b: PlanBuilder): Record<string, string> | undefined {
    const build = s.build!;
    if (isRemoteContext(build.context)) return undefined;
    if (!fs.existsSync(build.context) || !fs.statSync(build.context).isDirectory()) {
        b.warn(`services.${s.name}.build.context`, `the build context ${build.context} is not a directory here: the image cannot be built until it exists`);
        return undefined;
    }
    return { context: contextHash(build.context, build.dockerfile) };
}

/** The image a workload runs, once planned: a value, or a reference to what the plan creates. */
export type PlannedImage =
    /** The image as named; nothing is created for it. */
    | { readonly kind: "name"; readonly image: string }
    /** A resource (a pulled or built image on the engine, a pushed one), with how the workload names it. */
    | { readonly kind: "ref"; readonly image: pulumi.Input<string>; readonly resource: string };

/**
 * Plans the image of a service that is built: the build (`image/<service>`), and with a registry
 * the push (`push/<service>`); the workload then runs `<pushed name>@<digest>`. Without a
 * registry the image is the engine's own, by id (`imageId`).
 */
export function planBuild(b: PlanBuilder, s: ServiceSpec, settings: ImageSettings): PlannedImage {
    const r = settings.registry;
    const name = r ? pushedName(r, s.image, `services.${s.name}.image`) : s.image;
    const triggers = buildTriggers(s, b);
    const on = settings.provider !== undefined ? { provider: settings.provider } : {};
    const image = b.add(`image/${s.name}`, DOCKER.remoteImage, {
        name,
        // Deleting an app must not delete an image other containers on the host may use.
        keepLocally: true,
        ...(s.platform !== undefined ? { platform: s.platform } : {}),
        build: buildBlock(s, name, settings.projectDir),
        ...(triggers ? { triggers } : {}),
    }, { name: b.name(`image-${s.name}`), ...on });
    if (!r) return { kind: "ref", image: refInput(image, "imageId"), resource: image };
    const push = b.add(`push/${s.name}`, DOCKER.registryImage, {
        name,
        // Tags and digests other deployments (a rollback) may still run stay in the registry.
        keepRemotely: true,
        // A new build is a new image id: push it again, which gives the new digest.
        triggers: { imageId: new Ref(image, "imageId") },
        // The login goes with the push, whatever the provider was given (a builder for Kubernetes may have none).
        ...(r.username !== undefined && r.password !== undefined ? { authConfig: { address: r.host, username: r.username, password: r.password } } : {}),
    }, { name: b.name(`push-${s.name}`), ...on });
    return { kind: "ref", image: refInput(push, "sha256Digest", `${name}@{}`), resource: push };
}

/**
 * The registry's digest of an image's tag (`lookup/<service>`), read on every preview: what
 * `pull_policy: always` follows, so a moved tag is pulled again (and its workloads replaced).
 */
export function planDigestLookup(b: PlanBuilder, s: ServiceSpec): string {
    return b.add(`digest/${s.name}`, DOCKER.getRegistryImage, { name: withDefaultTag(s.image) }, { name: b.name(`digest-${s.name}`), lookup: true });
}

/** `build.platforms` on every target: the builder makes one platform per image. */
export const ONE_BUILD_PLATFORM: MappedScalar<string[] | undefined, BuildSpec | undefined> = mapped((platforms, c) => (platforms !== undefined && platforms.length > 1
    ? [c.error(
        `the builder (the Docker engine's BuildKit, through the docker provider) builds one platform per image, not ${platforms.length}: ` +
            "list one platform (or none, for the service's), or build the multi-platform image with docker buildx and name it in image:",
        platforms.join(", "),
    )]
    : []));

/** The build section's fields, mapped alike on every target that builds. */
export const BUILD_FIELDS = { context: MAPPED, dockerfile: MAPPED, args: MAPPED, target: MAPPED, labels: MAPPED, platforms: ONE_BUILD_PLATFORM } as const;

/** The warning of a target that builds only with a registry, when it has none. */
export function unbuiltWarning(kind: "swarm" | "kubernetes", s: ServiceSpec): string {
    return kind === "swarm"
        ? `Swarm builds an image only with a registry to push it to (the target's registry, the stack setting dockyard:registry): ${s.image} is not built and must already be in a registry every node can pull from`
        : `images are built for Kubernetes only with a registry to push them to (the target's registry, the stack setting dockyard:registry): "${s.image}" is not built; push it to a registry the cluster can pull from`;
}
