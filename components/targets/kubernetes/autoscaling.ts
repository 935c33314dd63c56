/**
 * A service's `x-kubernetes.autoscaling` → an autoscaling/v2 HorizontalPodAutoscaler on CPU
 * and/or memory utilization (percent of the requests). The workload then leaves `replicas` unset (workloads.ts) so that Pulumi and the
 * autoscaler do not fight over it.
 */
import type * as k8s from "@pulumi/kubernetes";
import { SpecError } from "../../spec/errors";
import { ServiceSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { serviceObjectLabels } from "./labels";
import { serviceObjectName } from "./names";
import { autoscalingOf, EXTENSION, WorkloadKind } from "./options";

export function toHpa(ctx: ConvertContext, s: ServiceSpec, kind: WorkloadKind): k8s.types.input.autoscaling.v2.HorizontalPodAutoscaler | undefined {
    const a = autoscalingOf(s);
    if (!a) return undefined;
    if (kind !== "Deployment" && kind !== "StatefulSet") {
        throw new SpecError(`service "${s.name}" runs as a ${kind}, which cannot be autoscaled`, `services.${s.name}.${EXTENSION}.autoscaling`, kind);
    }
    const name = serviceObjectName(s.name, `services.${s.name}`);
    return {
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name, namespace: ctx.namespace, labels: serviceObjectLabels(ctx, s) },
        spec: {
            scaleTargetRef: { apiVersion: "apps/v1", kind, name },
            minReplicas: a.minReplicas,
            maxReplicas: a.maxReplicas,
            metrics: ([["cpu", a.cpuUtilization], ["memory", a.memoryUtilization]] as const).flatMap(([name, percent]) =>
                percent !== undefined ? [{ type: "Resource", resource: { name, target: { type: "Utilization", averageUtilization: percent } } }] : []),
        },
    };
}
