/**
 * What every target's `plan` does around its own conversion: collects findings, turns a SpecError
 * thrown by a converter into an error finding (so a plan with errors is a plan, not an exception),
 * and keeps the planned resources in creation order with unique keys.
 */
import { SpecError } from "../spec/errors";
import { AppSpec } from "../spec/types";
import { EndpointsPlan, Finding, Plan, PlannedNames, PlannedOptions, PlannedResource } from "./plan";
import { refsIn } from "./materialize";

export class PlanBuilder {
    public readonly resources: PlannedResource[] = [];
    public readonly findings: Finding[] = [];
    private readonly keys = new Set<string>();

    constructor(
        public readonly target: Plan["target"],
        public readonly app: AppSpec,
        /** Pulumi name prefix (`<name>-<role>`). */
        public readonly prefix: string,
    ) {}

    /** The Pulumi name of the resource of role `role`. */
    public name(role: string): string {
        return `${this.prefix}-${role}`;
    }

    /**
     * Plans a resource named `extra.name`; returns its key. Keys are `<kind>/<user's name>[/<n>]`:
     * the names users choose hold no `/`, so two resources never share a key.
     */
    public add(key: string, type: string, args: object, extra: { name: string; dependsOn?: readonly string[]; options?: PlannedOptions; lookup?: boolean; provider?: string }): string {
        if (this.keys.has(key)) throw new Error(`dockyard: two planned resources share the key ${key}`);
        for (const dep of [...(extra.dependsOn ?? []), ...refsIn(args)]) {
            if (!this.keys.has(dep)) throw new Error(`dockyard: ${key} depends on ${dep}, which is not planned before it`);
        }
        this.keys.add(key);
        const deps = [...new Set(extra.dependsOn ?? [])];
        this.resources.push({
            key,
            type,
            name: extra.name,
            args,
            dependsOn: deps,
            ...(extra.options && Object.keys(extra.options).length ? { options: extra.options } : {}),
            ...(extra.lookup ? { lookup: true } : {}),
            ...(extra.provider !== undefined ? { provider: extra.provider } : {}),
        });
        return key;
    }

    public has(key: string): boolean {
        return this.keys.has(key);
    }

    public warn(path: string, message: string): void {
        this.findings.push({ path, level: "warning", message });
    }

    public hasErrors(): boolean {
        return this.findings.some((f) => f.level === "error");
    }

    /** Runs `step`, turning a SpecError it throws into an error finding; false when it threw. */
    public attempt(step: () => void): boolean {
        try {
            step();
            return true;
        } catch (e) {
            if (!(e instanceof SpecError)) throw e;
            this.findings.push({ path: e.path, level: "error", message: e.reason, ...(e.value !== undefined ? { value: e.value } : {}) });
            return false;
        }
    }

    /** The plan; without resources when any finding is an error. */
    public build(names: PlannedNames, endpoints: EndpointsPlan, binding: Pick<Plan, "provider" | "providers" | "dependsOn"> = {}): Plan {
        const failed = this.hasErrors();
        return {
            target: this.target,
            app: this.app.name,
            resources: failed ? [] : this.resources,
            findings: this.findings,
            names,
            endpoints: failed ? { kind: "static", endpoints: {} } : endpoints,
            ...(binding.provider ? { provider: binding.provider } : {}),
            ...(binding.providers && Object.keys(binding.providers).length ? { providers: binding.providers } : {}),
            ...(binding.dependsOn?.length ? { dependsOn: binding.dependsOn } : {}),
        };
    }
}
