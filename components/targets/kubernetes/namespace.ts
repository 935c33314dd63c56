/** The app's own namespace, created unless the target is given an existing one. */
import type * as k8s from "@pulumi/kubernetes";
import { ConvertContext } from "./context";
import { appObjectLabels } from "./labels";

export function toNamespace(ctx: ConvertContext): k8s.types.input.core.v1.Namespace {
    return { apiVersion: "v1", kind: "Namespace", metadata: { name: ctx.namespace, labels: appObjectLabels(ctx) } };
}
