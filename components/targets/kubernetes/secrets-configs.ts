/**
 * Compose secrets → Secrets, configs → ConfigMaps, each with one entry holding the file. Pods
 * mount the entry as a file at the Compose target path (subPath), never as an environment
 * variable, so a secret is not visible in `kubectl describe pod` or in the process environment.
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { FileSourceSpec } from "../../spec/types";
import { keyedInput } from "../inputs";
import { ConvertContext } from "./context";
import { appObjectLabels } from "./labels";
import { splitLabels, subdomainName } from "./names";

/** Kubernetes name of a secret/config object: its explicit `name`, else its key (converted). */
export function fileObjectName(kind: "secret" | "config", src: FileSourceSpec): string {
    return subdomainName(src.name ?? src.key, `${kind}s.${src.key}`);
}

/**
 * Key of the single entry inside the Secret/ConfigMap: the Compose key with characters data
 * keys do not allow replaced. External objects must hold their content under this key too.
 */
export function dataKey(key: string): string {
    return key.replace(/[^-._a-zA-Z0-9]/g, "_");
}

function metadata(ctx: ConvertContext, kind: "secret" | "config", src: FileSourceSpec): k8s.types.input.meta.v1.ObjectMeta {
    const { labels, annotations } = splitLabels(src.labels);
    return {
        name: fileObjectName(kind, src),
        namespace: ctx.namespace,
        labels: { ...labels, ...appObjectLabels(ctx) },
        ...(Object.keys(annotations).length ? { annotations } : {}),
    };
}

/** A Secret holding `content` (pass a `pulumi.secret`: `stringData` is then stored encrypted in state). */
export function toSecret(ctx: ConvertContext, src: FileSourceSpec, content: pulumi.Input<string>): k8s.types.input.core.v1.Secret {
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: metadata(ctx, "secret", src),
        type: "Opaque",
        stringData: keyedInput({ [dataKey(src.key)]: content }),
    };
}

export function toConfigMap(ctx: ConvertContext, src: FileSourceSpec, content: pulumi.Input<string>): k8s.types.input.core.v1.ConfigMap {
    return {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: metadata(ctx, "config", src),
        data: keyedInput({ [dataKey(src.key)]: content }),
    };
}
