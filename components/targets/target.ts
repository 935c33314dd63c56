/**
 * The contract between the application model and a runtime. A target plans (pure: `AppSpec` in,
 * `Plan` out: resources, findings, names, endpoints); the one materializer creates what a plan
 * holds. Components (`App`, `Monitoring`, `Portainer`) only ever talk to this, through `deployApp`.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppSpec } from "../spec/types";
import { assertNoErrors, DeployedApp, materialize, ResourceFactories } from "./materialize";
import { Finding, Plan, PlanOptions } from "./plan";

export type TargetKind = "docker" | "swarm" | "kubernetes";
export { DeployedApp } from "./materialize";
export { Finding, Plan, PlanOptions, PlannedResource, Ref } from "./plan";

/**
 * How services of an application find each other's instances, for a scraper such as Prometheus
 * running as a service of the same runtime. Monitoring reads this instead of asking which target
 * it is on.
 */
export type ServiceDiscovery =
    /** By service name and port on a network the scraper shares with it (Docker host: one container per name). */
    | { readonly kind: "address" }
    /** By DNS: one A record per task at `tasks.<service>` (Swarm), so each task is scraped, not one behind the VIP. */
    | { readonly kind: "dns"; readonly name: (service: string) => string }
    /** Through the cluster's API: pods carrying these labels (Kubernetes), `app` and `service` as label values. */
    | {
          readonly kind: "kubernetes-pods";
          readonly appLabel: string;
          readonly serviceLabel: string;
          readonly appValue: (app: string) => string;
          readonly serviceValue: (service: string) => string;
      };

/** How the Docker engines of a runtime expose their metrics endpoint to a scraper running on it. */
export type EngineDiscovery =
    /** The one engine, at the host's gateway address inside containers (`host.docker.internal:host-gateway`). */
    | { readonly kind: "host-gateway"; readonly hostName: string }
    /**
     * Every node's engine, listed by the Swarm API through a manager's socket; a node advertised on
     * loopback is the manager's own engine, reached at `hostName` (mapped to `host-gateway`).
     */
    | { readonly kind: "swarm-nodes"; readonly socket: string; readonly hostName: string }
    /** None: the runtime has no Docker engine to scrape (Kubernetes). */
    | { readonly kind: "none"; readonly reason: string };

/** What a target tells components that build applications for it (monitoring, Portainer). */
export interface Discovery {
    readonly services: ServiceDiscovery;
    readonly engines: EngineDiscovery;
    /** Whether services can run privileged (Swarm services cannot). */
    readonly privileged: boolean;
    /** Whether a scraper reaches another app's services by joining that app's networks (Docker host, Swarm). */
    readonly joinsAppNetworks: boolean;
}

export interface Target {
    readonly kind: TargetKind;
    /** The resources, findings, names and endpoints of `spec` on this target. Pure: creates nothing. */
    plan(spec: AppSpec, options: PlanOptions): Plan;
    /** How to create what this target plans. */
    readonly factories: ResourceFactories;
    /** How services and engines are found on this target. */
    discovery(): Discovery;
}

/** Options of {@link deployApp}. */
export interface DeployOptions extends PlanOptions {
    /** Parent of every resource created. */
    readonly parent: pulumi.Resource;
}

/**
 * Plans `spec` on `target` and creates it under `opts.parent`: nothing is created when the plan
 * has an error (thrown as SpecError); warnings go to the Pulumi log, on the parent.
 */
export function deployApp(target: Target, spec: AppSpec, opts: DeployOptions): DeployedApp {
    const plan = target.plan(spec, opts);
    return deployPlan(target, plan, opts.parent);
}

/** Creates a plan made by `target` (see {@link deployApp}), logging its warnings first. */
export function deployPlan(target: Target, plan: Plan, parent: pulumi.Resource, describe: (f: Finding) => string = (f) => `${f.path}: ${f.message}`): DeployedApp {
    assertNoErrors(plan);
    for (const f of plan.findings) if (f.level === "warning") pulumi.log.warn(`${target.kind}: ${describe(f)}`, parent);
    return materialize(plan, target.factories, parent);
}
