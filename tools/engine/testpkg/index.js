// A component provider: one component, testpkg:index:Thing, whose output name is
// "<prefix>-<resource name>".
const pulumi = require("@pulumi/pulumi");

const schema = {
    name: "testpkg",
    version: "0.1.0",
    resources: {
        "testpkg:index:Thing": {
            isComponent: true,
            inputProperties: { prefix: { type: "string" } },
            requiredInputs: ["prefix"],
            properties: { name: { type: "string" } },
            required: ["name"],
        },
    },
};

class Thing extends pulumi.ComponentResource {
    constructor(name, args, opts) {
        super("testpkg:index:Thing", name, {}, opts);
        this.name = pulumi.output(args.prefix).apply((prefix) => `${prefix}-${name}`);
        this.registerOutputs({ name: this.name });
    }
}

class Provider {
    constructor() {
        this.version = "0.1.0";
    }
    async getSchema() {
        return JSON.stringify(schema);
    }
    async construct(name, type, inputs, options) {
        if (type !== "testpkg:index:Thing") {
            throw new Error(`unknown resource type ${type}`);
        }
        const thing = new Thing(name, inputs, options);
        return { urn: thing.urn, state: { name: thing.name } };
    }
}

pulumi.provider.main(new Provider(), process.argv.slice(2));
