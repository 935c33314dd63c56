/**
 * Portainer as an application. On a Docker host the server talks to the engine through its
 * socket; on Swarm it follows Portainer's documented agent stack: an agent on every node (global)
 * and the server on a manager, talking to the agents through `tasks.agent` on an overlay network.
 *
 * Kubernetes is refused: Portainer there needs a cluster-admin service account, which the
 * application model does not express; Portainer's own Helm chart is the way to install it.
 */
import * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../spec/errors";
import type { AppInput, ServiceInput } from "../spec/input";
import { defineApp } from "../spec/normalize";
import type { AppSpec } from "../spec/types";
import type { Discovery } from "../targets/target";

/** Settings of Portainer (everything but the target). */
export interface PortainerSettings {
    /** Application name; prefixes resource names. @default "portainer" */
    readonly name?: string;
    /**
     * Admin password (a secret). Delivered as a file and read with `--admin-password-file`, so
     * Portainer creates the admin user itself and no bcrypt hash has to be computed. Required.
     */
    readonly adminPassword?: pulumi.Input<string>;
    /** Host port of Portainer's HTTPS UI (container port 9443). @default 9443 */
    readonly port?: number;
    /** Server image. @default "portainer/portainer-ce:2.21.5" */
    readonly image?: string;
    /** Agent image (Swarm); keep its version equal to the server's. @default "portainer/agent:2.21.5" */
    readonly agentImage?: string;
}

export const PORTAINER_UI_PORT = 9443;
const PASSWORD_SECRET = "portainer-admin-password";
const PASSWORD_PATH = `/run/secrets/${PASSWORD_SECRET}`;
const ROOT = "portainer";
/** The opt-out of CIS 5.32 (the Docker socket mounted) for the policy pack in policy/. */
const SKIP_SOCKET = "dev.dockyard.cis.skip.5.32";

/**
 * The Portainer application for a target whose services are found as `d` says: the server on the
 * engine's socket where services are plain containers (a Docker host), the agent on every node,
 * found by DNS, where tasks are (a Swarm). Pure. @throws SpecError on bad settings or on Kubernetes
 */
export function portainerApp(args: PortainerSettings, d: Discovery): AppSpec {
    // Defaults per field: an explicit `undefined` keeps the default.
    const s = { ...args, name: args.name ?? "portainer", port: args.port ?? PORTAINER_UI_PORT, image: args.image ?? "portainer/portainer-ce:2.21.5", agentImage: args.agentImage ?? "portainer/agent:2.21.5" };
    const found = d.services;
    if (found.kind === "kubernetes-pods") {
        throw new SpecError(
            "Portainer on Kubernetes needs a cluster-admin service account, which dockyard applications cannot declare; install it with Portainer's Helm chart",
            `${ROOT}.target`, "kubernetes");
    }
    if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new SpecError("a port must be a whole number from 1 to 65535", `${ROOT}.port`, s.port);
    if (s.adminPassword === undefined || s.adminPassword === "") {
        throw new SpecError("Portainer needs an admin password (a secret)", `${ROOT}.adminPassword`, s.adminPassword);
    }
    const server = (host: string[], extra: Partial<ServiceInput>): ServiceInput => ({
        image: s.image,
        command: [...host, "--admin-password-file", PASSWORD_PATH],
        ports: [`${s.port}:${PORTAINER_UI_PORT}`],
        secrets: [{ source: PASSWORD_SECRET, target: PASSWORD_PATH }],
        restart: "always",
        ...extra,
    });
    const common = {
        name: s.name,
        volumes: { data: {} },
        secrets: { [PASSWORD_SECRET]: { content: pulumi.secret(s.adminPassword) } },
    };
    const input: AppInput =
        found.kind === "address"
            ? {
                  ...common,
                  services: {
                      portainer: server(["-H", "unix:///var/run/docker.sock"], {
                          volumes: ["/var/run/docker.sock:/var/run/docker.sock", "data:/data"],
                          labels: { [SKIP_SOCKET]: "Portainer manages this engine through its socket; that is what it is for" },
                      }),
                  },
              }
            : {
                  ...common,
                  services: {
                      agent: {
                          image: s.agentImage,
                          environment: { AGENT_CLUSTER_ADDR: found.name("agent") },
                          volumes: ["/var/run/docker.sock:/var/run/docker.sock", "/var/lib/docker/volumes:/var/lib/docker/volumes"],
                          labels: { [SKIP_SOCKET]: "the Portainer agent manages its node's engine through the socket; that is what it is for" },
                          networks: ["agent-network"],
                          deploy: { mode: "global", placement: { constraints: ["node.platform.os == linux"] } },
                      },
                      portainer: server(["-H", `tcp://${found.name("agent")}:9001`, "--tlsskipverify"], {
                          volumes: ["data:/data"],
                          networks: ["agent-network"],
                          // The data volume is local to a node, and the server manages the Swarm: keep it on a manager.
                          deploy: { mode: "replicated", replicas: 1, placement: { constraints: ["node.role == manager"] } },
                      }),
                  },
                  networks: { "agent-network": { driver: "overlay", attachable: true } },
              };
    return defineApp(input, { projectDir: "/" });
}
