/**
 * Named volumes → PersistentVolumeClaims. A volume of the app is one claim shared by every pod
 * that mounts it (ReadWriteOnce: the pods of one node), unless its service runs as a StatefulSet,
 * which gets a claim per pod from a template instead (see workloads.ts).
 */
import type * as k8s from "@pulumi/kubernetes";
import { VolumeSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { appObjectLabels } from "./labels";
import { splitLabels, subdomainName } from "./names";
import { volumeExtension } from "./options";

type PvcSpec = k8s.types.input.core.v1.PersistentVolumeClaimSpec;

/** Kubernetes name of the claim of a volume: its explicit `name`, else its key (converted). */
export function claimName(v: VolumeSpec): string {
    return subdomainName(v.name ?? v.key, `volumes.${v.key}`);
}

/**
 * Size, class and access mode of a volume's claim: the volume's `x-kubernetes` `size`,
 * `storageClass` and `accessMode`, else the target's default size and class, and ReadWriteOnce.
 */
export function toClaimSpec(ctx: ConvertContext, v: VolumeSpec): PvcSpec {
    const ext = volumeExtension(v);
    const size = ext.size ?? ctx.options.defaultVolumeSize;
    const storageClass = ext.storageClass ?? ctx.options.storageClass;
    return {
        accessModes: [ext.accessMode ?? "ReadWriteOnce"],
        ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
        resources: { requests: { storage: size } },
    };
}

export function toPersistentVolumeClaim(ctx: ConvertContext, v: VolumeSpec): k8s.types.input.core.v1.PersistentVolumeClaim {
    const { labels, annotations } = splitLabels(v.labels);
    return {
        apiVersion: "v1",
        kind: "PersistentVolumeClaim",
        metadata: {
            name: claimName(v),
            namespace: ctx.namespace,
            labels: { ...labels, ...appObjectLabels(ctx) },
            ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        spec: toClaimSpec(ctx, v),
    };
}
